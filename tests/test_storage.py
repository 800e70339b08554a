"""Journals on disk: damaged lines found, never misread; `check` reports them all at once."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result, run_process, snapshot
from maatwerk_cli import Ledger
from maatwerk_cli.store.journal import HEADER, encode_line

Cli = Callable[..., Result]


def journal(ledger_dir: Path, team: str = "noord") -> Path:
    return ledger_dir / "teams" / f"{team}.csv"


def three_spends(ledger_dir: Path) -> Ledger:
    lg = Ledger(ledger_dir)
    for amount in ("10", "20", "30"):
        lg.spend("noord", Decimal(amount), category="Wonen", date=__import__("datetime").date(2025, 3, 1))
    return lg


def test_journal_is_plain_csv_with_header_and_checksums(ledger_dir: Path) -> None:
    three_spends(ledger_dir)
    text = journal(ledger_dir).read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    lines = text.splitlines()
    assert len(lines) == 4 and lines[1].startswith("noord-2025-0001,spend,2025-03-01,,10.00,Wonen,pin,gift")


def test_torn_last_line_is_set_aside_and_reported(ledger_dir: Path, lcli: Cli) -> None:
    three_spends(ledger_dir)
    path = journal(ledger_dir)
    data = path.read_bytes()
    path.write_bytes(data[:-20])  # a writer died mid-line
    snap = Ledger(ledger_dir).read()
    assert [e.amount for e in snap.entries] == [Decimal("10.00"), Decimal("20.00")]
    assert snap.problems and snap.problems[0].line == 4 and "torn" in snap.problems[0].message
    listed = lcli("entries", "-f", "json")
    assert listed.code == 0 and len(json.loads(listed.out)) == 2
    assert "torn" in listed.err and "maatwerk check" in listed.err
    checked = lcli("check")
    assert checked.code == 1 and "noord.csv:4" in checked.out


def test_next_write_after_a_torn_line_keeps_both_apart(ledger_dir: Path, lcli: Cli) -> None:
    three_spends(ledger_dir)
    path = journal(ledger_dir)
    path.write_bytes(path.read_bytes()[:-20])
    new_id = lcli("spend", "noord", "40", "-c", "Wonen", "-d", "2-3-2025").out.strip()
    # The torn line's id was never confirmed, but it stands in the file: it is never given again.
    assert new_id == "noord-2025-0004"
    snap = Ledger(ledger_dir).read()
    assert [e.amount for e in snap.entries] == [Decimal("10.00"), Decimal("20.00"), Decimal("40.00")]
    assert len(snap.problems) == 1 and snap.problems[0].line == 4
    assert "torn write" in snap.problems[0].message and "set aside" in snap.problems[0].message


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda t: t.replace(",20.00,", ",200.00,"), "checksum"),
        (lambda t: t.replace("noord-2025-0002,spend", "noord-2025-0002,spent"), "checksum"),
        (lambda t: t.replace(",20.00,", ",20.00,extra,"), "cells"),
        (lambda t: t.replace("\nnoord-2025-0002", "\n\nnoord-2025-0002"), "empty line"),
        (lambda t: t.replace("noord-2025-0002", "noord-2025-0002\"oops"), "damaged"),
    ],
    ids=["amount edited", "type edited", "extra cell", "blank line", "stray quote"],
)
def test_hand_damage_is_detected_with_file_and_line(
    ledger_dir: Path, lcli: Cli, damage: Callable[[str], str], message: str
) -> None:
    three_spends(ledger_dir)
    path = journal(ledger_dir)
    path.write_text(damage(path.read_text()))
    snap = Ledger(ledger_dir).read()
    amounts = [e.amount for e in snap.entries]
    assert Decimal("200.00") not in amounts  # never misread
    assert Decimal("10.00") in amounts and Decimal("30.00") in amounts
    result = lcli("check")
    assert result.code == 1
    assert "noord.csv:" in result.out and message in result.out


def test_check_lists_all_problems_at_once(ledger_dir: Path, lcli: Cli) -> None:
    three_spends(ledger_dir)
    path = journal(ledger_dir)
    text = path.read_text().replace(",10.00,", ",11.00,").replace(",30.00,", ",31.00,")
    path.write_text(text)
    zuid = journal(ledger_dir, "zuid")
    zuid.write_text("datum;bedrag\n1-1-2025;5\n")
    (ledger_dir / "teams" / "oost.csv").write_text(HEADER)
    result = lcli("check", "--format", "json")
    assert result.code == 1
    problems = json.loads(result.out)
    where = {(Path(p["file"]).name, p["line"]) for p in problems}
    assert ("noord.csv", 2) in where and ("noord.csv", 4) in where
    assert ("zuid.csv", 1) in where and ("oost.csv", 0) in where


def test_check_finds_broken_references_and_sums(ledger_dir: Path, lcli: Cli) -> None:
    lg = three_spends(ledger_dir)
    lg.mark_kind("noord-2025-0001", "loan")
    # Lines a buggy tool or a careless hand might add, with valid checksums:
    lg.folder.append("noord", [
        {"type": "repay", "date": "2025-03-05", "ref": "noord-2025-0001", "amount": "50.00"},
        {"type": "void", "date": "2025-03-05", "ref": "noord-2025-0099", "reason": "x"},
        {"type": "spend", "date": "2025-03-05", "amount": "5.00", "category": "Vakantie",
         "method": "pin", "kind": "gift"},
    ])
    out = lcli("check").out
    assert "more than the 10.00 spent" in out
    assert "noord-2025-0099" in out and "not an earlier line of this team" in out
    assert "unknown category 'Vakantie'" in out


def test_duplicate_and_out_of_order_ids(ledger_dir: Path, lcli: Cli) -> None:
    three_spends(ledger_dir)
    path = journal(ledger_dir)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]))
    assert "id used before" in lcli("check").out


def test_damaged_settings_and_team_files(ledger_dir: Path, lcli: Cli) -> None:
    (ledger_dir / "teams" / "zuid.toml").write_text("name = 'Zuid'\n[budget]\n2025 = 'veel'\n")
    result = lcli("check")
    assert result.code == 1 and "zuid.toml" in result.out
    (ledger_dir / "maatwerk.toml").write_text("municipality = \n")
    bad = lcli("entries")
    assert bad.code == 2 and "maatwerk.toml" in bad.err


def test_lines_with_commas_quotes_and_newlines_round_trip(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    note = 'borg, "kamer" voor\nmoeder; 1e maand'
    lg.spend("noord", Decimal("800"), category="Wonen", note=note, date=dt.date(2025, 3, 1))
    entry = lg.read().entries[0]
    assert entry.note == 'borg, "kamer" voor moeder; 1e maand'  # one line, nothing lost
    assert lg.read().problems == ()


def test_encode_line_is_one_line() -> None:
    line = encode_line({"type": "spend", "date": "2025-01-01", "note": 'a,"b"'})
    assert line.endswith("\n") and line.count("\n") == 1


def test_import_of_the_library_loads_no_heavy_modules() -> None:
    code = (
        "import sys, maatwerk_cli; from maatwerk_cli import Ledger, parse_amount;"
        "heavy = [m for m in ('typer', 'rich', 'pandas', 'numpy') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_spend_and_help_never_import_pandas(ledger_dir: Path) -> None:
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['maatwerk'] + sys.argv[1:]\n"
        "try:\n    runpy.run_module('maatwerk_cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write('PANDAS=' + str('pandas' in sys.modules))\n"
    )
    for args in (["--ledgers", str(ledger_dir), "spend", "noord", "35", "-c", "Wonen"], ["--help"],
                 ["--ledgers", str(ledger_dir), "entries"]):
        res = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True)
        assert "PANDAS=False" in res.stderr, (args, res.stderr)


def test_parallel_writers_lose_nothing(ledger_dir: Path) -> None:
    """Eight processes append at once: every id unique, every entry there, check clean."""
    script = (
        "import datetime as dt, sys\nfrom decimal import Decimal\nfrom maatwerk_cli import Ledger\n"
        "lg = Ledger(sys.argv[1])\n"
        "for i in range(25):\n"
        "    print(lg.spend('noord', Decimal('1.00') + i, category='Overig', date=dt.date(2025, 3, 1),\n"
        "                   reason='eight counters, the same amounts'),\n"
        "          flush=True)\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(ledger_dir)], stdout=subprocess.PIPE,
                              text=True) for _ in range(8)]
    printed = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        printed.extend(out.split())
    assert len(printed) == 200 and len(set(printed)) == 200
    snap = Ledger(ledger_dir).read()
    assert sorted(e.id for e in snap.entries) == sorted(printed)
    assert snap.problems == ()
    res = run_process("--ledgers", str(ledger_dir), "check")
    assert res.returncode == 0, res.stdout


def test_refused_write_leaves_no_trace(ledger_dir: Path, lcli: Cli) -> None:
    before = snapshot(ledger_dir)
    assert lcli("spend", "noord", "35", "-c", "Vakantie").code == 2
    assert snapshot(ledger_dir) == before


def test_library_api_does_what_the_cli_does(ledger_dir: Path, tmp_path: Path) -> None:
    import datetime as dt

    import maatwerk_cli as mw

    lg = mw.open_ledger(ledger_dir)
    sid = lg.spend("zuid", mw.parse_amount("35"), category="Levensmiddelen", kind="loan",
                   date=dt.date(2025, 3, 1))
    lg.repay(sid, mw.D("10"), date=dt.date(2025, 3, 10))
    sheet = tmp_path / "in.csv"
    sheet.write_text("datum;bedrag;categorie\n2-3-2025;12,50;Kleding\n")
    result = mw.import_entries(lg, sheet, team="zuid")
    assert result.count == 1 and result.problems == ()
    frame = lg.entries_frame("zuid")
    assert list(frame["amount"]) == [Decimal("35.00"), Decimal("12.50")]
    assert list(frame["outstanding"]) == [Decimal("25.00"), Decimal("0.00")]
    assert mw.check_ledger(lg) == []
    with pytest.raises(mw.NotFoundError):
        lg.team("oost")


def test_a_bare_carriage_return_in_a_cell_keeps_the_line_whole(tmp_path: Path) -> None:
    """The tool no longer writes a control character into a journal (a carriage return once
    made readers split the line); one that an older version wrote quoted is read whole."""
    from maatwerk_cli.core.errors import LedgerError
    from maatwerk_cli.store.journal import JOURNAL_COLUMNS, encode_line, read_journal
    from reference import raw_line

    cells = {"id": "t-2025-0001", "type": "spend", "date": "2025-03-01", "amount": "10.00",
             "category": "Wonen\rOverig", "method": "pin", "kind": "gift"}
    with pytest.raises(LedgerError, match="control character"):
        encode_line(cells)
    line = raw_line(cells).decode()
    assert line.endswith("\n") and line.count("\n") == 1
    (values,) = list(csv.reader(io.StringIO(line, newline="")))
    assert len(values) == len(JOURNAL_COLUMNS)
    assert values[JOURNAL_COLUMNS.index("category")] == "Wonen\rOverig"
    path = tmp_path / "t.csv"
    path.write_text(HEADER + line, encoding="utf-8", newline="")
    read = read_journal(path, "t")
    assert read.problems == () and read.rows[0].category == "Wonen\rOverig"
