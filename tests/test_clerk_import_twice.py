"""Never import twice (issue 12, item 4), the import's help and its messages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot
from maatwerk_cli.ops.importer import HEADERS

Cli = Callable[..., Result]

# Equal rows are real payments here: each row has a reason, so that neither the two bus
# tickets nor a sheet imported --again are held up as possible duplicates (issue 24).
SHEET = ("datum;bedrag;categorie;huishouden;notitie;reden\n"
         "1-3-2025;35;Levensmiddelen;H-7KXM4P;boodschappen;los betaald\n"
         "2-3-2025;12,50;Vervoer;;buskaart;los betaald\n"
         "2-3-2025;12,50;Vervoer;;buskaart;los betaald\n")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def ids(lcli: Cli) -> list[str]:
    return [r["id"] for r in json.loads(lcli("entries", "-f", "json").out)]


def test_the_same_sheet_twice_is_refused_naming_when_and_which_ids(lcli: Cli, ledger_dir: Path,
                                                                   tmp_path: Path) -> None:
    sheet = write(tmp_path / "maart.csv", SHEET)
    first = lcli("import", "entries", str(sheet), "--team", "noord")
    assert first.code == 0 and "imported 3 entries (noord-2025-0001 .. noord-2025-0003)" in first.out
    before = snapshot(ledger_dir)
    again = lcli("import", "entries", str(sheet), "--team", "noord")
    assert_refused(again, "every row (3) was imported before", "noord-2025-0001 .. noord-2025-0003",
                   "UTC", "--again")
    assert re.search(r"on \d\d-\d\d-\d{4} \d\d:\d\d UTC", again.err)
    assert snapshot(ledger_dir) == before
    # The same rows in another file, spelled differently and in another order, are the same rows.
    other = write(tmp_path / "kopie.csv",
                  "date,amount,category,household,note,reason\n"
                  "2025-03-02,12.50,vervoer,,buskaart,los betaald\n"
                  "2025-03-01,35.00,LEVENSMIDDELEN,h-7kxm4p,  boodschappen ,los betaald\n")
    assert_refused(lcli("import", "entries", str(other), "--team", "noord"), "every row (2)")
    assert_refused(lcli("import", "entries", str(other), "--team", "noord", "--dry-run"), "every row (2)")
    assert snapshot(ledger_dir) == before


def test_new_only_imports_the_new_rows_and_lists_the_skipped(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    sheet = write(tmp_path / "maart.csv", SHEET)
    assert lcli("import", "entries", str(sheet), "--team", "noord").code == 0
    longer = write(tmp_path / "maart-2.csv",
                   SHEET + "2-3-2025;12,50;Vervoer;;buskaart;los betaald\n4-3-2025;60;Wonen;;;\n")
    before = snapshot(ledger_dir)
    res = lcli("import", "entries", str(longer), "--team", "noord")
    assert_refused(res, "3 of 5 rows were imported before", "--new-only", "--again")
    assert snapshot(ledger_dir) == before
    dry = lcli("import", "entries", str(longer), "--team", "noord", "--new-only", "--dry-run")
    assert dry.code == 0 and "would import 2 entries" in dry.out and "skipped 3 row(s)" in dry.out
    assert snapshot(ledger_dir) == before
    res = lcli("import", "entries", str(longer), "--team", "noord", "--new-only")
    assert res.code == 0, res.err
    assert "imported 2 entries (noord-2025-0004 .. noord-2025-0005)" in res.out
    assert "skipped 3 row(s) imported before" in res.out
    for row, line_id in ((2, "noord-2025-0001"), (3, "noord-2025-0002"), (4, "noord-2025-0003")):
        assert f"row {row}: {line_id}" in res.out
    # Equal rows count one for one: the third bus ticket was the new one.
    assert ids(lcli) == [f"noord-2025-{n:04d}" for n in range(1, 6)]
    nothing = lcli("import", "entries", str(longer), "--team", "noord", "--new-only")
    assert nothing.code == 0 and "imported 0 entries" in nothing.out and "skipped 5 row(s)" in nothing.out
    assert lcli("check").code == 0


def test_again_imports_every_row_and_a_voided_import_is_no_import(lcli: Cli, ledger_dir: Path,
                                                                  tmp_path: Path) -> None:
    sheet = write(tmp_path / "maart.csv", SHEET)
    assert lcli("import", "entries", str(sheet), "--team", "noord").code == 0
    res = lcli("import", "entries", str(sheet), "--team", "noord", "--again")
    assert res.code == 0 and "imported 3 entries" in res.out
    assert len(ids(lcli)) == 6
    assert lcli("void", "noord-2025-0004", "noord-2025-0005", "noord-2025-0006", "--reason", "dubbel").code == 0
    assert_refused(lcli("import", "entries", str(sheet), "--team", "noord"), "every row (3)")
    assert lcli("void", "noord-2025-0001", "noord-2025-0002", "noord-2025-0003", "--reason", "fout").code == 0
    assert lcli("import", "entries", str(sheet), "--team", "noord").code == 0  # nothing of it stands
    before = snapshot(ledger_dir)
    assert_refused(lcli("import", "entries", str(sheet), "--team", "noord", "--again", "--new-only"), "not both")
    assert snapshot(ledger_dir) == before


def test_the_fingerprint_is_kept_in_extra_next_to_the_batch(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    sheet = write(tmp_path / "maart.csv", SHEET)
    assert lcli("import", "entries", str(sheet), "--team", "noord").code == 0
    import csv

    with open(ledger_dir / "teams" / "noord.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    extras = [json.loads(r["extra"]) for r in rows]
    assert all(set(e) >= {"batch", "row"} for e in extras)
    assert len({e["batch"] for e in extras}) == 1
    assert extras[1]["row"] == extras[2]["row"] != extras[0]["row"]  # equal rows, equal prints


def test_an_xlsx_and_a_csv_of_the_same_rows(lcli: Cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Datum", "Bedrag", "Categorie"])
    import datetime as dt

    ws.append([dt.datetime(2025, 3, 1), 35, "Wonen"])
    ws.append([dt.datetime(2025, 3, 2), 12.5, "Vervoer"])
    wb.save(tmp_path / "in.xlsx")
    assert lcli("import", "entries", str(tmp_path / "in.xlsx"), "--team", "zuid").code == 0
    csv_copy = write(tmp_path / "in.csv", "datum;bedrag;categorie\n01-03-2025;35,00;Wonen\n02-03-2025;12,50;Vervoer\n")
    assert_refused(lcli("import", "entries", str(csv_copy), "--team", "zuid"), "every row (2)")


def test_the_help_lists_every_accepted_column(cli: Cli) -> None:
    res = cli("import", "entries", "--help")
    assert res.code == 0
    text = " ".join(res.out.split())
    for name in HEADERS:
        assert re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text), name
    for flag in ("--again", "--new-only", "--dry-run", "--team"):
        assert flag in text


COLUMN_MISTAKES = [
    ("datum;bedrag;categorie;vervaldatum\n1-3-2025;35;Wonen;1-4-2025\n", "due/vervaldatum", "kind"),
    ("datum;bedrag;categorie;voorwaarde\n1-3-2025;35;Wonen;cursus\n", "condition/voorwaarde", "kind"),
    ("datum;bedrag;categorie;soort\n1-3-2025;35;Wonen;voorwaardelijk\n", "condition/voorwaarde", "column"),
    ("datum;bedrag;categorie;notitie\n1-3-2025;35;Wonen;bel 06-12345678\n", "phone number", "household code"),
    ("datum;bedrag;categorie;door\n1-3-2025;35;Wonen;bsn 123.456.782\n", "by contains", "BSN"),
]


@pytest.mark.parametrize(("sheet", "needle", "also"), COLUMN_MISTAKES, ids=[n for _, n, _ in COLUMN_MISTAKES])
def test_import_errors_speak_of_columns_not_options(lcli: Cli, ledger_dir: Path, tmp_path: Path, sheet: str,
                                                   needle: str, also: str) -> None:
    f = write(tmp_path / "in.csv", sheet)
    before = snapshot(ledger_dir)
    res = lcli("import", "entries", str(f), "--team", "noord")
    assert res.code == 2 and needle in res.err and also in res.err
    row_lines = [line for line in res.err.splitlines() if "in.csv:2:" in line]
    assert row_lines and not re.search(r"--(?!team\b|allow-future\b)[a-z]", row_lines[0]), row_lines[0]
    assert snapshot(ledger_dir) == before


def test_a_rule_hit_in_a_row_names_the_second_opinion_column(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    toml = ledger_dir / "maatwerk.toml"
    toml.write_text(toml.read_text().replace("[rules]\n", "[rules]\nsecond_opinion_above = 100\n"))
    f = write(tmp_path / "in.csv", "datum;bedrag;categorie\n1-3-2025;350;Wonen\n")
    res = lcli("import", "entries", str(f), "--team", "noord")
    assert res.code == 2 and "second_opinion (tweede mening) column" in res.err
    assert "--second-opinion" not in res.err and "--reason" not in res.err
