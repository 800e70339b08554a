"""One line for every bad input (issue 16.9): non-UTF-8 bytes in an argument, extreme numbers
in spreadsheets, control characters in every command group. Never a traceback; a refusal
writes nothing."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, assert_refused, run_process, snapshot
from maatwerk_cli import Ledger, check_ledger

Cli = Callable[..., Result]

#: What `$'caf\xe9'` gives Python: the byte 0xE9 (Latin-1 é) is no UTF-8. subprocess turns
#: the surrogate back into that very byte on the command line.
LATIN1 = "caf\udce9"


@pytest.fixture
def busy(ledger_dir: Path) -> Path:
    lg = Ledger(ledger_dir)
    lg.spend("noord", Decimal("35"), category="Levensmiddelen", kind="loan", date=dt.date(2025, 3, 1))
    lg.spend("zuid", Decimal("12.50"), category="Wonen", date=dt.date(2025, 3, 2))
    lg.withdraw("noord", Decimal("50"), date=dt.date(2025, 3, 3))
    return ledger_dir


def every_group(bad: str, files: Path) -> list[tuple[str, ...]]:
    """A call of every command (and so of every group) with ``bad`` where text goes; file
    names in ``files``."""
    return [
        ("spend", "noord", "5", "-c", "Wonen", "-n", bad, "-d", "2-3-2025"),
        ("spend", "noord", "5", "-c", bad),
        ("spend", bad, "5", "-c", "Wonen"),
        ("mark", "noord-2025-0001", "gift", "--by", bad),
        ("repay", "noord-2025-0001", "5", "--by", bad),
        ("void", "noord-2025-0001", "--reason", bad),
        ("refuse", "noord", "-c", "Wonen", "--reason", bad, "-d", "2-3-2025"),
        ("entries", bad),
        ("entries", "-c", bad),
        ("check", "-f", bad),
        ("reconcile", bad),
        ("utilisation", bad),
        ("compare", bad),
        ("categories", "--year", bad),
        ("loans", "-o", str(files / f"{bad}.xlsx")),
        ("outcomes", "-f", bad),
        ("stories", "--team", bad),
        ("summary", bad),
        ("rules", bad),
        ("team", "add", "oost", "--name", bad, "--budget", "5", "--year", "2025"),
        ("team", "budget", "noord", bad),
        ("team", "list", "--year", bad),
        ("team", "show", bad),
        ("import", "entries", str(files / f"{bad}.csv")),
        ("import", "bank", str(files / f"{bad}.csv"), "--team", "noord"),
        ("cash", "withdraw", "noord", "5", "-n", bad, "-d", "2-3-2025"),
        ("cash", "status", bad),
        ("cash", "settle", "noord", "--deposit", "--reason", bad),
        ("bank", "lines", bad),
        ("bank", "explain", "noord", bad, "--reason", "bankkosten"),
        ("knipkaart", "use", "noord", "--reason", bad),
        ("knipkaart", "status", bad),
        ("household", "new", "--prefix", bad),
        ("init", "--municipality", bad),
    ]


#: One call per command group, run as real processes (a process costs most of a second).
GROUPS = ("spend", "entries", "check", "utilisation", "summary", "team", "import", "cash", "bank",
          "knipkaart", "household", "rules", "void")


def _refused_for_bytes(code: int, out: str, err: str, args: object) -> None:
    assert code == 2, (args, code, err)
    assert "Traceback" not in err and out == "", (args, err)
    [line] = err.strip().splitlines()
    assert "not UTF-8" in line and "caf\\xe9" in line, line


def test_non_utf8_bytes_in_an_argument_of_every_command_group(busy: Path, tmp_path: Path) -> None:
    """Why: `-n $'caf\\xe9'` ended in a traceback. Real processes, real argv bytes."""
    every = every_group(LATIN1, tmp_path)
    calls = [("--ledgers", str(busy), *args) for args in every
             if args[0] in GROUPS and args == next(a for a in every if a[0] == args[0])]
    calls.append(("--ledgers", str(tmp_path / LATIN1), "entries"))
    calls.append(("--ledgers", str(tmp_path / "nieuw"), "init", "--municipality", LATIN1))
    assert len(calls) == len(GROUPS) + 2
    before = snapshot(busy)
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        results = list(pool.map(lambda a: run_process(*a), calls))
    for args, res in zip(calls, results, strict=True):
        _refused_for_bytes(res.returncode, res.stdout, res.stderr, args)
    assert snapshot(busy) == before
    assert not (tmp_path / "nieuw").exists()
    # The same in UTF-8 is fine: the refusal is about the bytes, not the text.
    ok = run_process("--ledgers", str(busy), "spend", "noord", "5", "-c", "Wonen", "-n", "café",
                     "-d", "2-3-2025")
    assert ok.returncode == 0 and ok.stdout.strip() == "noord-2025-0003", ok.stderr


def test_non_utf8_bytes_in_an_argument_of_every_command(cli: Cli, busy: Path, tmp_path: Path) -> None:
    """Every command, in this process: Python gives such bytes to run() as surrogates."""
    before = snapshot(busy)
    for args in every_group(LATIN1, tmp_path):
        result = cli("--ledgers", str(busy), *args)
        _refused_for_bytes(result.code, result.out, result.err, args)
    assert snapshot(busy) == before


CONTROLS = ["a\x0cb", "a\u202eb", "a\nb", "a\rb", "\x1b[2Jx", "a\u2028b", "a\x85b", "a\x00b",
            "a\u2066b\u2069"]
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("bad", CONTROLS, ids=[ascii(c) for c in CONTROLS])
def test_control_characters_in_every_command_group(lcli: Cli, busy: Path, tmp_path: Path, bad: str) -> None:
    """Each call either records clean text or is refused in one line, writing nothing;
    never a traceback, never a control or bidi character in a journal."""
    for args in every_group(bad, tmp_path):
        if args[0] == "init":
            continue  # the folder is a ledger already
        before = snapshot(busy)
        result = lcli(*args)
        assert "Traceback" not in result.err and result.code in (0, 1, 2), (args, result)
        if result.code == 2:
            assert_refused(result)
            assert snapshot(busy) == before, args
    for journal in (busy / "teams").glob("*.csv"):
        text = journal.read_text(encoding="utf-8")
        assert not UNSAFE.search(text.replace("\r\n", "\n")), (journal, UNSAFE.findall(text))
    assert check_ledger(Ledger(busy)) == []


# --------------------------------------------------------------------------- extreme numbers


def _xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    """A workbook; an int cell too large for openpyxl to write is written as Excel would
    store it in the sheet's XML (its digits), which openpyxl reads back as that int."""
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    huge: dict[str, str] = {}
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, int) and abs(value) > 2**53:
                stand_in = 7_000_001 + len(huge)
                huge[f"<v>{stand_in}</v>"] = f"<v>{value}</v>"
                value = stand_in
            cells.append(value)
        ws.append(cells)
    wb.save(path)
    if huge:
        with zipfile.ZipFile(path) as zin:
            parts = {name: zin.read(name) for name in zin.namelist()}
        sheet = parts["xl/worksheets/sheet1.xml"].decode()
        for old, new in huge.items():
            assert old in sheet
            sheet = sheet.replace(old, new)
        parts["xl/worksheets/sheet1.xml"] = sheet.encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            for name, data in parts.items():
                zout.writestr(name, data)
    return path


NUMBERS: list[tuple[str, Any, Any, str]] = [
    # (id, amount cell, date cell, what the row's message says)
    ("1E+300", 1e300, "1-3-2025", "'1e+300' is not an amount"),
    ("-1E+300", -1e300, "1-3-2025", "'-1e+300' is not an amount"),
    ("1E+30", 1e30, "1-3-2025", "'1e+30' is not an amount"),
    ("10**30", 10**30, "1-3-2025", f"'{10**30}' is too large"),
    ("-10**30", -(10**30), "1-3-2025", "too large"),
    ("10**400", 10**400, "1-3-2025", "too large"),
    ("1E+15", 1e15, "1-3-2025", "too large"),
    ("1E-300", 1e-300, "1-3-2025", "not an amount"),
    ("date 1E+300", 5, 1e300, "not a date"),
    ("date 10**30", 5, 10**30, "not a date"),
]


@pytest.mark.parametrize(("amount", "date", "needle"), [n[1:] for n in NUMBERS], ids=[n[0] for n in NUMBERS])
def test_extreme_numbers_in_an_xlsx_import(lcli: Cli, busy: Path, tmp_path: Path, amount: Any, date: Any,
                                           needle: str) -> None:
    """Why: XLSX amounts 1E+300 or 10**30 ended in a traceback."""
    sheet = _xlsx(tmp_path / "invoer.xlsx", ["datum", "bedrag", "categorie"], [[date, amount, "Wonen"]])
    before = snapshot(busy)
    for dry in ([], ["--dry-run"]):
        result = lcli("import", "entries", str(sheet), "--team", "noord", *dry)
        assert result.code == 2 and "Traceback" not in result.err, result
        row, verdict = result.err.strip().splitlines()  # the bad row, then the verdict
        assert row.startswith(f"maatwerk: {sheet}:2: ") and needle in row, row
        assert verdict == "maatwerk: 1 bad row(s); nothing was imported"
        assert snapshot(busy) == before


@pytest.mark.parametrize("amount", ["1E+300", "10000000000000000000000000000000", "1e300", "inf", "NaN",
                                    "-1E+300", "1" * 400])
def test_extreme_numbers_in_a_csv_import(lcli: Cli, busy: Path, tmp_path: Path, amount: str) -> None:
    sheet = tmp_path / "invoer.csv"
    sheet.write_text(f"datum;bedrag;categorie\n1-3-2025;{amount};Wonen\n", encoding="utf-8")
    before = snapshot(busy)
    result = lcli("import", "entries", str(sheet), "--team", "noord")
    assert result.code == 2 and "Traceback" not in result.err, result
    assert result.err.strip().splitlines()[-1] == "maatwerk: 1 bad row(s); nothing was imported"
    assert snapshot(busy) == before


@pytest.mark.parametrize("amount", [1e300, -1e300, 10**30], ids=["1E+300", "-1E+300", "10**30"])
def test_extreme_numbers_in_a_bank_workbook(lcli: Cli, busy: Path, tmp_path: Path, amount: Any) -> None:
    book = _xlsx(tmp_path / "XLS250409.xlsx",
                 ["accountNumber", "mutationcode", "transactiondate", "valuedate", "startsaldo", "endsaldo",
                  "amount", "description"],
                 [[123456789, "EUR", 20250401, 20250401, 100.0, 100.0, amount, "bankkosten"]])
    before = snapshot(busy)
    result = lcli("import", "bank", str(book), "--team", "noord")
    assert_refused(result)
    assert snapshot(busy) == before
