"""Every listing goes through the one output path: each takes every format and --output, and
the keys scripts read stay what they were."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import Result

Cli = Callable[..., Result]
ING_MARCH = Path(__file__).resolve().parent / "fixtures" / "bank_import" / "ing_noord_2025-03.csv"
FORMATS = ("table", "vertical", "csv", "csv-nl", "json", "markdown")


@pytest.fixture
def filled(lcli: Cli, tmp_path: Path) -> Path:
    assert lcli("spend", "noord", "18,95", "-c", "Wonen", "-d", "14-3-2025", "--kind", "loan").code == 0
    sheet = tmp_path / "maart.csv"
    sheet.write_text("datum;bedrag;categorie\n1-3-2025;12,50;Wonen\n", encoding="utf-8")
    return sheet


def _listings(sheet: Path) -> dict[str, tuple[str, ...]]:
    """Each listing, and how it is asked for its format (``-f``, or for import bank
    ``--output-format``: its ``--format`` is the statement's)."""
    return {
        "entries": ("entries", "-f"),
        "show": ("show", "noord-2025-0001", "-f"),
        "team list": ("team", "list", "--year", "2025", "-f"),
        "cash status": ("cash", "status", "-f"),
        "rules": ("rules", "-f"),
        "household new": ("household", "new", "-n", "3", "-f"),
        "import entries": ("import", "entries", str(sheet), "--team", "noord", "--dry-run", "-f"),
        "import bank": ("import", "bank", str(ING_MARCH), "--team", "noord", "--dry-run", "--output-format"),
        "check": ("check", "-f"),
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_listing_takes_every_format(lcli: Cli, filled: Path, fmt: str) -> None:
    for name, args in _listings(filled).items():
        res = lcli(*args, fmt)
        assert res.code == 0, (name, res.err)
        assert res.out.strip(), name
        if fmt == "json":
            json.loads(res.out)
        if fmt == "csv":
            assert list(csv.reader(io.StringIO(res.out)))[0], name


def test_every_listing_writes_a_workbook_and_markdown(lcli: Cli, filled: Path, tmp_path: Path) -> None:
    for name, args in _listings(filled).items():
        book = tmp_path / f"{name.replace(' ', '-')}.xlsx"
        res = lcli(*args[:-1], "-o", str(book))
        assert res.code == 0 and res.out == "", (name, res.err)
        assert len(load_workbook(book).sheetnames) >= 2, name  # the cover, then the listing
        page = tmp_path / f"{name.replace(' ', '-')}.md"
        assert lcli(*args[:-1], "-o", str(page)).code == 0, name
        assert page.read_text(encoding="utf-8").startswith("## "), name


def test_text_stays_the_default_of_the_commands_that_printed_lines(lcli: Cli, filled: Path) -> None:
    codes = lcli("household", "new", "-n", "2").out.split("\n")
    assert len(codes) == 3 and codes[2] == "" and all(c.startswith("H-") for c in codes[:2])
    assert lcli("import", "entries", str(filled), "--team", "noord", "--dry-run").out == "would import 1 entries\n"
    assert lcli("check").out == "ok: no problems found\n"
    assert lcli("import", "bank", str(ING_MARCH), "--team", "noord", "--dry-run").out.startswith(
        "ING CSV ing_noord_2025-03.csv for noord: would add 8 line(s)")


def test_the_keys_scripts_read(lcli: Cli, filled: Path) -> None:
    codes = json.loads(lcli("household", "new", "-n", "2", "-f", "json").out)
    assert [list(c) for c in codes] == [["household"], ["household"]]
    done = json.loads(lcli("import", "entries", str(filled), "--team", "noord", "-f", "json").out)
    assert done == {"file": str(filled), "dry_run": False, "count": 1, "first_id": "noord-2025-0002",
                    "last_id": "noord-2025-0002", "skipped": [], "corrected": []}
    again = json.loads(lcli("import", "entries", str(filled), "--team", "noord", "--new-only", "-f", "json").out)
    assert again["count"] == 0 and [(s["row"], s["id"]) for s in again["skipped"]] == [(2, "noord-2025-0002")]
    bank = json.loads(lcli("import", "bank", str(ING_MARCH), "--team", "noord", "--dry-run", "--json").out)
    assert list(bank) == ["team", "format", "source", "dry_run", "added", "added_debits", "added_credits",
                          "already_imported", "layout", "note", "import", "linked", "open", "credits",
                          "from_other_download"]
    assert bank["linked"] == [{"ref": "h:5873ecf5f6a17203", "date": "2025-03-14", "amount": 18.95,
                               "direction": "debit", "id": "noord-2025-0001",
                               "description": bank["linked"][0]["description"]}]
    assert bank == json.loads(lcli("import", "bank", str(ING_MARCH), "--team", "noord", "--dry-run",
                                   "--output-format", "json").out)
    rows = list(csv.DictReader(io.StringIO(lcli("import", "bank", str(ING_MARCH), "--team", "noord", "--dry-run",
                                                "--output-format", "csv").out)))
    assert [r["result"] for r in rows] == ["linked", *["open"] * 6, "credit"]
    problems = json.loads(lcli("check", "-f", "json").out)
    assert problems == []


def test_import_bank_is_asked_for_one_format(lcli: Cli) -> None:
    res = lcli("import", "bank", str(ING_MARCH), "--team", "noord", "--json", "--output-format", "csv")
    assert res.code == 2 and "two formats" in res.err


def _bad_inputs(sheet: Path, tmp_path: Path, ledger: Path) -> list[tuple[str, ...]]:
    """A wrong format, a format that does not fit the file, text into a file, an output in
    the ledger, a second format, a special file: for each listing that gained formats."""
    out = []
    for args in (("household", "new", "-n", "2"), ("import", "entries", str(sheet), "--team", "noord"),
                 ("check",)):
        out += [(*args, "-f", "bogus"), (*args, "-f", "json", "-o", str(tmp_path / "x.xlsx")),
                (*args, "-f", "text", "-o", str(tmp_path / "x.md")), (*args, "-o", str(ledger / "teams" / "x.csv")),
                (*args, "-o", "/dev/null")]
    bank = ("import", "bank", str(ING_MARCH), "--team", "noord")
    out += [(*bank, "--output-format", "bogus"), (*bank, "--json", "--output-format", "csv"),
            (*bank, "--output-format", "json", "-o", str(tmp_path / "x.xlsx")),
            (*bank, "-o", str(ledger / "x.json"))]
    return out


def test_every_bad_format_or_output_of_a_listing_is_one_line_and_writes_nothing(
        lcli: Cli, filled: Path, tmp_path: Path, ledger_dir: Path) -> None:
    from conftest import assert_refused, snapshot

    before = snapshot(ledger_dir)
    for args in _bad_inputs(filled, tmp_path, ledger_dir):
        assert_refused(lcli(*args))
        assert snapshot(ledger_dir) == before, args
        assert not any(tmp_path.glob("x.*")), args
