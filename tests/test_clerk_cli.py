"""The clerk's commands through the real command line, on real files in a temporary folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger
from maatwerk_cli.core.dates import today

Cli = Callable[..., Result]


def entries_json(lcli: Cli, *args: str) -> list[dict[str, object]]:
    result = lcli("entries", *args, "--format", "json")
    assert result.code == 0, result.err
    data: list[dict[str, object]] = json.loads(result.out)
    return data


def test_new_user_story(lcli: Cli, ledger_dir: Path) -> None:
    """The README's walk-through: spend, loan, two repayments, a void, and the listing."""
    big = lcli("spend", "noord", "1.234,56", "--category", "Wonen", "--method", "factuur",
               "--date", "14-3-2025")
    assert big.code == 0, big.err
    assert big.out.strip() == "noord-2025-0001"
    food = lcli("spend", "noord", "35", "--category", "levensmiddelen", "--date", "15-3-2025",
                "--household", "H-7KXM4P", "--note", "boodschappen tot de uitkering komt")
    food_id = food.out.strip()
    assert lcli("mark", food_id, "loan", "--due", "29-3-2025").code == 0
    first = lcli("repay", food_id, "20", "--date", "20-3-2025")
    assert first.code == 0 and first.out.strip() == "noord-2025-0004"
    assert "still owed € 15,00" in first.err
    assert lcli("repay", food_id, "15,00", "--date", "28-3-2025").code == 0
    # The invoice entered twice is stopped (issue 24); a spend for the wrong team is voided.
    before = snapshot(ledger_dir)
    assert_refused(lcli("spend", "noord", "1.234,56", "-c", "Wonen", "-m", "factuur", "-d", "14-3-2025"),
                   "rule possible_duplicate", "noord-2025-0001 (14-03-2025")
    assert snapshot(ledger_dir) == before
    double = lcli("spend", "noord", "45", "-c", "Vervoer", "-d", "16-3-2025")
    assert lcli("void", double.out.strip(), "--reason", "hoort bij zuid").code == 0

    rows = {r["id"]: r for r in entries_json(lcli)}
    assert rows["noord-2025-0001"]["amount"] == 1234.56
    assert rows["noord-2025-0001"]["method"] == "factuur"
    assert rows[food_id]["kind"] == "loan"
    assert rows[food_id]["repaid"] == 35.0 and rows[food_id]["outstanding"] == 0.0
    assert rows[food_id]["household"] == "H-7KXM4P"
    assert rows[double.out.strip()]["voided"] is True
    assert rows["noord-2025-0001"]["voided"] is False
    table = lcli("entries", "noord")
    assert table.code == 0 and "1.234,56" in table.out and "total" in table.out
    assert lcli("check").code == 0


def test_json_entry_keys_and_exact_amounts(lcli: Cli) -> None:
    out = lcli("spend", "zuid", "12,5", "-c", "Vervoer", "--format", "json", "-d", "2-1-2025")
    assert json.loads(out.out) == {"id": "zuid-2025-0001"}
    raw = lcli("entries", "--format", "json").out
    assert '"amount": 12.50' in raw  # two decimals, exactly
    row = json.loads(raw)[0]
    for key in ("id", "team", "date", "amount", "category", "method", "kind", "household", "note",
                "repaid", "outstanding", "tegenprestatie", "voided"):
        assert key in row
    assert row["date"] == "2025-01-02"


def test_every_mark_is_recorded_as_an_event(lcli: Cli, ledger_dir: Path) -> None:
    sid = lcli("spend", "noord", "650", "-c", "Opleiding en werk", "-d", "1-2-2025").out.strip()
    before = (ledger_dir / "teams" / "noord.csv").read_text()
    assert lcli("mark", sid, "conditional", "--condition", "cursus afmaken").code == 0
    assert lcli("mark", sid, "tegenprestatie", "helpt bij de buurtkamer", "--status", "done").code == 0
    assert lcli("mark", sid, "outcome", "reached", "--avoided-cost", "1.500").code == 0
    assert lcli("mark", sid, "recovered", "--from", "bijzondere bijstand", "--amount", "200",
                "--date", "1-3-2025").code == 0
    after = (ledger_dir / "teams" / "noord.csv").read_text()
    assert after.startswith(before)  # append-only: the old lines are untouched
    row = entries_json(lcli)[0]
    assert row["kind"] == "conditional" and row["condition"] == "cursus afmaken"
    assert row["tegenprestatie"] == "helpt bij de buurtkamer"
    assert row["tegenprestatie_status"] == "done"
    assert row["outcome"] == "reached" and row["avoided_cost"] == 1500.0
    assert row["recovered"] == 200.0 and row["recovered_from"] == "bijzondere bijstand"
    assert row["outstanding"] == 450.0
    assert lcli("mark", sid, "outcome", "not-reached", "--avoided-cost", "-7.414").code == 0
    assert entries_json(lcli)[0]["avoided_cost"] == -7414.0
    assert lcli("mark", sid, "gift").code == 0
    assert entries_json(lcli)[0]["kind"] == "gift"
    assert lcli("check").code == 0


def test_spend_with_every_option(lcli: Cli) -> None:
    assert lcli("team", "budget", "noord", "10.000", "--year", str(today().year)).code == 0
    assert lcli("cash", "withdraw", "noord", "50", "-d", "gisteren").code == 0
    res = lcli("spend", "noord", "€ 35", "-c", "Levensmiddelen", "-m", "contant", "-d", "gisteren",
               "--household", "h-7kxm4p", "-n", "boodschappen", "--kind", "lening", "--due", "1-1-2099",
               "--tegenprestatie", "klusjes", "--by", "teammanager")
    assert res.code == 0, res.err
    row = entries_json(lcli)[0]
    assert row["method"] == "contant" and row["kind"] == "loan" and row["due"] == "2099-01-01"
    assert row["household"] == "H-7KXM4P" and row["by"] == "teammanager"
    assert row["tegenprestatie"] == "klusjes" and row["outstanding"] == 35.0


def test_filters(lcli: Cli) -> None:
    lcli("spend", "noord", "10", "-c", "Wonen", "-d", "1-2-2025")
    lcli("spend", "noord", "20", "-c", "Huisdier", "-d", "1-3-2025", "--kind", "loan")
    lcli("spend", "zuid", "30", "-c", "Wonen", "-d", "1-4-2025", "--household", "H-ABCD")
    assert len(entries_json(lcli)) == 3
    assert len(entries_json(lcli, "zuid")) == 1
    assert len(entries_json(lcli, "--category", "wonen")) == 2
    assert len(entries_json(lcli, "--from", "15-2-2025", "--to", "2025-03-31")) == 1
    assert len(entries_json(lcli, "--kind", "loan")) == 1
    assert len(entries_json(lcli, "--household", "h-abcd")) == 1


def test_listing_formats(lcli: Cli, tmp_path: Path) -> None:
    lcli("spend", "noord", "1.234,56", "-c", "Wonen", "-d", "1-2-2025", "-n", "borg; kamer")
    csv_out = lcli("entries", "-f", "csv").out
    assert csv_out.splitlines()[0].startswith("id,team,date,amount")
    assert ",1234.56," in csv_out
    nl = lcli("entries", "-f", "csv-nl").out
    assert nl.startswith("id;team;date;amount") and ";1234,56;" in nl  # the BOM only in files
    md = lcli("entries", "-f", "markdown").out
    assert md.startswith("## Entries\n\n| id |") and "€ 1.234,56" in md
    out = tmp_path / "entries.xlsx"
    assert lcli("entries", "--output", str(out)).code == 0
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws is not None
    header = [c.value for c in ws[3]]  # a title, an empty row, then the titles (English in this suite)
    amount_cell = ws.cell(row=4, column=header.index("amount") + 1)
    assert amount_cell.value == pytest.approx(1234.56) and isinstance(amount_cell.value, float)
    assert amount_cell.number_format.startswith('"€"')


def test_team_commands(lcli: Cli, ledger_dir: Path) -> None:
    path = ledger_dir / "teams" / "noord.toml"
    path.write_text(path.read_text() + "# a comment the clerk wrote\n")
    assert lcli("team", "budget", "noord", "12.500,50", "--year", "2026").code == 0
    text = path.read_text()
    assert "# a comment the clerk wrote" in text and '2026 = "12500.50"' in text
    listing = json.loads(lcli("team", "list", "--year", "2026", "-f", "json").out)
    assert {r["team"]: r["budget"] for r in listing} == {"noord": 12500.5, "zuid": 0.0}
    shown = json.loads(lcli("team", "show", "noord", "-f", "json").out)
    assert [(r["year"], r["budget"]) for r in shown] == [(2025, 10000.0), (2026, 12500.5)]
    assert lcli("team", "add", "doorbraak", "--name", "Doorbraakfonds", "--budget", "250.000",
                "--year", "2025", "--fund").code == 0
    assert Ledger(ledger_dir).team("doorbraak").kind == "fund"


def test_refusal_is_kept(lcli: Cli, ledger_dir: Path) -> None:
    res = lcli("refuse", "noord", "--reason", "tweede aanvraag van hetzelfde gezin",
               "--household", "H-7KXM4P", "--amount", "150", "-d", "3-3-2025")
    assert res.code == 0
    snap = Ledger(ledger_dir).read()
    assert len(snap.refusals) == 1 and snap.refusals[0].amount == Decimal("150.00")
    assert snap.entries == ()


def test_ids_are_unique_and_readable_across_years(lcli: Cli) -> None:
    a = lcli("spend", "noord", "1", "-c", "Overig", "-d", "31-12-2024", "--reason", "2024").out.strip()
    b = lcli("spend", "noord", "2", "-c", "Overig", "-d", "1-1-2025").out.strip()
    assert (a, b) == ("noord-2024-0001", "noord-2025-0002")


def test_python_dash_m_and_env_folder(ledger_dir: Path) -> None:
    from conftest import run_process

    res = run_process("spend", "zuid", "7,50", "-c", "Kleding", "-d", "1-5-2025",
                      env={"MAATWERK_LEDGERS": str(ledger_dir)})
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "zuid-2025-0001"


# ----------------------------------------------------------------------------- bad input

BAD_CALLS = [
    (("spend", "noord", "-5", "-c", "Wonen"), "negative"),
    (("spend", "noord", "0", "-c", "Wonen"), "zero"),
    (("spend", "noord", "1,234.56", "-c", "Wonen"), "English"),
    (("spend", "noord", "12,345", "-c", "Wonen"), "decimals"),
    (("spend", "noord", "35", "-c", "Wonn"), "did you mean 'Wonen'"),
    (("spend", "nord", "35", "-c", "Wonen"), "did you mean 'noord'"),
    (("spend", "noord", "35", "-c", "Wonen", "-d", "31-2-2025"), "does not exist"),
    (("spend", "noord", "35", "-c", "Wonen", "-d", "1-1-2999"), "future"),
    (("spend", "noord", "35", "-c", "Wonen", "-m", "bitcoin"), "method"),
    (("spend", "noord", "35", "-c", "Wonen", "--kind", "present"), "kind"),
    (("spend", "noord", "35", "-c", "Wonen", "--due", "1-1-2026"), "--due is for loans"),
    (("spend", "noord", "35", "-c", "Wonen", "--kind", "conditional"), "needs --condition"),
    (("spend", "noord", "35", "-c", "Wonen", "--household", "Jan de Vries"), "household"),
    (("spend", "noord", "35", "-c", "Wonen", "-n", "x" * 3000), "characters"),
    (("spend", "noord", "35"), "--category"),
    (("spend", "noord", "35", "-c", "Wonen", "--bogus"), "extra argument"),
    (("spend", "noord", "35", "-c", "Wonen", "-f", "xml"), "format"),
    (("repay", "noord-2025-0001", "100"), "still owed"),
    (("repay", "noord-2025-0002", "5"), "gift"),
    (("repay", "noord-2025-0001", "-5"), "negative"),
    (("repay", "noord-2025-9999", "5"), "no entry"),
    (("repay", "geen-id", "5"), "not an entry id"),
    (("void", "noord-2025-0003", "--reason", "weg"), "voided"),
    (("void", "noord-2025-0001", "--reason", " "), "why"),
    (("mark", "noord-2025-0002", "tegenprestatie"), "needs a value"),
    (("mark", "noord-2025-0002", "outcome", "great"), "outcome"),
    (("mark", "noord-2025-0002", "loan", "--condition", "x"), "does not go with"),
    (("mark", "noord-2025-0002", "holiday"), "cannot mark"),
    (("mark", "noord-2025-0002", "recovered"), "--from"),
    (("mark", "noord-2025-0004", "loan"), "repay line"),
    (("refuse", "noord", "--reason", ""), "why"),
    (("team", "add", "Noord", "--name", "x", "--budget", "5"), "lowercase"),
    (("team", "add", "../etc", "--name", "x", "--budget", "5"), ""),
    (("team", "add", "noord", "--name", "x", "--budget", "5"), "exists"),
    (("team", "add", "west", "--name", "x", "--budget", "-5"), "negative"),
    (("team", "budget", "oost", "5"), "unknown team"),
    (("team", "show", "oost"), "unknown team"),
    (("entries", "--category", "Vakantie"), "unknown category"),
    (("entries", "-f", "pdf"), "format"),
    (("entries", "--output", "/nonexistent/x.xlsx"), "does not exist"),
    (("entries", "--output", "x.pdf"), "format"),
    (("init",), "exists already"),
    (("nosuchcommand",), "no such command"),
]


@pytest.mark.parametrize(("args", "needle"), BAD_CALLS, ids=[" ".join(a)[:40] for a, _ in BAD_CALLS])
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    lcli: Cli, ledger_dir: Path, args: tuple[str, ...], needle: str
) -> None:
    loan = lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "1-3-2025", "--kind", "loan").out
    assert loan.strip() == "noord-2025-0001"
    lcli("spend", "noord", "10", "-c", "Overig", "-d", "1-3-2025")  # 0002, a gift
    voided = lcli("spend", "noord", "10", "-c", "Overig", "-d", "1-3-2025",
                  "--reason", "twee keer").out.strip()  # 0003
    lcli("void", voided, "--reason", "dubbel")  # 0004 is a void line; next is a repay line:
    lcli("repay", "noord-2025-0001", "5", "-d", "2-3-2025")
    if args[0] == "mark" and args[1] == "noord-2025-0004":
        args = ("mark", "noord-2025-0005", *args[2:])
    before = snapshot(ledger_dir)
    result = lcli(*args)
    assert_refused(result, needle)
    assert snapshot(ledger_dir) == before


def test_no_ledger_folder(cli: Cli, tmp_path: Path) -> None:
    result = cli("--ledgers", str(tmp_path / "nothing"), "entries")
    assert_refused(result, "maatwerk init")
    assert not (tmp_path / "nothing").exists()


def test_read_only_commands_leave_the_folder_byte_identical(lcli: Cli, ledger_dir: Path) -> None:
    lcli("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025")
    before = snapshot(ledger_dir)
    for args in (("entries",), ("entries", "-f", "json"), ("team", "list"), ("check",),
                 ("team", "show", "noord")):
        assert lcli(*args).code == 0
    assert snapshot(ledger_dir) == before


def test_voided_entries_are_listed_but_not_totalled(lcli: Cli) -> None:
    lcli("spend", "noord", "100", "-c", "Wonen", "-d", "1-3-2025")
    double = lcli("spend", "noord", "100", "-c", "Wonen", "-d", "1-3-2025").out.strip()
    lcli("void", double, "--reason", "dubbel")
    out = lcli("entries", "-f", "markdown").out
    assert double in out
    total = next(line for line in out.splitlines() if line.startswith("| total"))
    assert "€ 100,00" in total and "€ 200,00" not in total
