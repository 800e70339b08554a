"""Plausibility as a rule of thumb (issue 12, item 2): an amount or a date that does not fit the
team is refused with the figures, and recorded when given again with --reason."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot

Cli = Callable[..., Result]


def ok(result: Result) -> str:
    assert result.code == 0, result.err
    return result.out.strip()


def refused(lcli: Cli, folder: Path, *args: str) -> str:
    before = snapshot(folder)
    res = lcli(*args)
    assert_refused(res)
    assert snapshot(folder) == before
    return res.err


def test_twelve_thousand_for_fifteen_euro_is_caught(lcli: Cli, ledger_dir: Path) -> None:
    for euros in range(1, 10):  # times_largest_spend waits for a history of 10 spends
        ok(lcli("spend", "noord", str(euros), "-c", "Levensmiddelen", "-d", "1-2-2025"))
    ok(lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "1-3-2025"))
    err = refused(lcli, ledger_dir, "spend", "noord", "12.505", "-c", "Vervoer", "-d", "2-3-2025")
    assert "rule times_largest_spend" in err and "€ 12.505,00" in err and "€ 35,00" in err
    assert "rule over_remaining_budget" in err and "€ 9.920,00 left" in err
    assert '--reason "why"' in err
    sid = ok(lcli("spend", "noord", "12.505", "-c", "Vervoer", "-d", "2-3-2025", "--reason", "dure verhuizing"))
    [override] = json.loads(ok(lcli("rules", "-f", "json")))["overrides"]
    assert override["id"] == sid
    assert override["rules"] == ["over_remaining_budget", "times_largest_spend"]
    assert override["reason"] == "dure verhuizing"


def test_more_than_the_budget_left(lcli: Cli, ledger_dir: Path) -> None:
    ok(lcli("spend", "zuid", "4.900", "-c", "Wonen", "-d", "1-3-2025"))
    ok(lcli("spend", "zuid", "100", "-c", "Wonen", "-d", "2-3-2025"))  # exactly what is left
    err = refused(lcli, ledger_dir, "spend", "zuid", "0,01", "-c", "Wonen", "-d", "3-3-2025")
    assert "€ 0,01 is more than the € 0,00 left of the 2025 budget of zuid (€ 5.000,00, € 5.000,00 spent)" in err
    # A voided spend gives its money back to the budget.
    ok(lcli("void", "zuid-2025-0002", "--reason", "dubbel"))
    ok(lcli("spend", "zuid", "50", "-c", "Wonen", "-d", "3-3-2025"))
    # 1.234.567,89 in a team with a budget of 1.000: the example.
    ok(lcli("team", "add", "klein", "--name", "Klein", "--budget", "1.000", "--year", "2025"))
    err = refused(lcli, ledger_dir, "spend", "klein", "1.234.567,89", "-c", "Wonen", "-d", "3-3-2025")
    assert "€ 1.234.567,89 is more than the € 1.000,00 left" in err


def test_a_year_without_budget(lcli: Cli, ledger_dir: Path) -> None:
    err = refused(lcli, ledger_dir, "spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2024")
    assert "rule year_without_budget: noord has no budget for 2024" in err
    assert "`maatwerk team budget noord AMOUNT --year 2024`" in err
    ok(lcli("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2024", "--reason", "oude bon"))
    ok(lcli("team", "budget", "noord", "8.000", "--year", "2024"))
    ok(lcli("spend", "noord", "36", "-c", "Wonen", "-d", "2-3-2024"))


def test_the_minimum_keeps_small_teams_from_being_nagged(lcli: Cli) -> None:
    ok(lcli("spend", "noord", "10", "-c", "Overig", "-d", "1-3-2025"))
    ok(lcli("spend", "noord", "999", "-c", "Overig", "-d", "1-3-2025"))  # 99 times, below € 1.000
    ok(lcli("spend", "noord", "1.000", "-c", "Overig", "-d", "1-3-2025"))  # about once the largest


def test_settings_switch_rules_off_or_change_them(lcli: Cli, ledger_dir: Path) -> None:
    toml = ledger_dir / "maatwerk.toml"
    toml.write_text(toml.read_text().replace(
        "[rules]\n", "[rules]\ntimes_largest_spend = 3\ntimes_largest_minimum = 100\ntimes_largest_after = 1\n"
                     "year_without_budget = false\n"))
    ok(lcli("spend", "noord", "40", "-c", "Overig", "-d", "1-3-2025"))
    err = refused(lcli, ledger_dir, "spend", "noord", "121", "-c", "Overig", "-d", "1-3-2025")
    assert "more than 3 times the largest spend of noord so far (€ 40,00)" in err
    ok(lcli("spend", "noord", "120", "-c", "Overig", "-d", "1-3-2025"))
    ok(lcli("spend", "noord", "5", "-c", "Overig", "-d", "1-3-2023"))  # switched off
    team = ledger_dir / "teams" / "noord.toml"
    team.write_text(team.read_text() + "\n[rules]\nover_remaining_budget = false\ntimes_largest_spend = false\n")
    ok(lcli("spend", "noord", "50.000", "-c", "Wonen", "-d", "2-3-2025"))
    listed = {r["rule"]: r for r in json.loads(ok(lcli("rules", "noord", "-f", "json")))["rules"]}
    assert "over_remaining_budget" not in listed and "times_largest_spend" not in listed
    table = ok(lcli("rules", "zuid"))
    assert "3 times" in table and "€ 100,00" in table


@pytest.mark.parametrize(("setting", "needle"), [
    ("times_largest_spend = 0.5", "1 or more"),
    ("times_largest_spend = true", "number of times"),
    ("year_without_budget = 1", "true or false"),
    ("times_largest_minimum = -5", "more than"),
])
def test_bad_settings_are_named(lcli: Cli, ledger_dir: Path, setting: str, needle: str) -> None:
    toml = ledger_dir / "maatwerk.toml"
    toml.write_text(toml.read_text().replace("[rules]\n", f"[rules]\n{setting}\n"))
    before = snapshot(ledger_dir)
    assert_refused(lcli("spend", "noord", "5", "-c", "Overig", "-d", "1-3-2025"), needle, "maatwerk.toml")
    assert snapshot(ledger_dir) == before


def test_an_import_counts_its_earlier_rows_against_the_budget(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text("datum;bedrag;categorie\n1-3-2025;3.000;Wonen\n2-3-2025;2.500;Wonen\n", encoding="utf-8")
    before = snapshot(ledger_dir)
    res = lcli("import", "entries", str(sheet), "--team", "zuid")
    assert res.code == 2 and "in.csv:3: rule over_remaining_budget" in res.err
    assert "give the row a reason in a reason column" in res.err and "--reason" not in res.err
    assert snapshot(ledger_dir) == before
    sheet.write_text("datum;bedrag;categorie;reden\n1-3-2025;3.000;Wonen;\n2-3-2025;2.500;Wonen;extra geld komt\n",
                     encoding="utf-8")
    assert ok(lcli("import", "entries", str(sheet), "--team", "zuid")).startswith("imported 2")


def test_card_payments_in_a_row_read_no_journal_and_load_no_numpy(ledger_dir: Path) -> None:
    """The figures come from the note the last spend left: a second process loads no numpy
    (nor pickle, which only the fold's cache needs)."""
    probe = (
        "import sys, datetime as dt\nfrom decimal import Decimal\nfrom maatwerk_cli import Ledger\n"
        "from maatwerk_cli.store import books, folder\n"
        "def no(*a, **k):\n    raise SystemExit('a journal was read')\n"
        "books.read_many = no\nfolder.read_many = no\n"
        "lg = Ledger(sys.argv[1])\n"
        "print(lg.spend('noord', Decimal(sys.argv[2]), category='Overig', date=dt.date(2025, 3, 1)))\n"
        "print('numpy' in sys.modules or 'pickle' in sys.modules)\n"
    )
    first = subprocess.run([sys.executable, "-c", probe, str(ledger_dir), "35"], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    for amount in ("36", "37"):
        again = subprocess.run([sys.executable, "-c", probe, str(ledger_dir), amount], capture_output=True,
                               text=True)
        assert again.returncode == 0, again.stderr
        assert again.stdout.split()[1] == "False"
    # The note knows the figures: 35 + 36 + 37 spent, 37 the largest.
    over = subprocess.run([sys.executable, "-c", probe, str(ledger_dir), "9893"], capture_output=True, text=True)
    assert over.returncode != 0 and "€ 9.892,00 left" in over.stderr


def test_a_stale_note_is_never_trusted(lcli: Cli, ledger_dir: Path) -> None:
    ok(lcli("spend", "zuid", "1.000", "-c", "Overig", "-d", "1-3-2025"))
    # A hand edit of the journal (a line appended by another tool): the note no longer fits.
    journal = ledger_dir / "teams" / "zuid.csv"
    from maatwerk_cli import Ledger

    Ledger(ledger_dir).folder.append("zuid", [{"type": "spend", "date": "2025-03-02", "amount": "3900.00",
                                              "category": "Overig", "method": "pin", "kind": "gift"}])
    assert journal.read_text().count("\n") == 3
    err = refused(lcli, ledger_dir, "spend", "zuid", "200", "-c", "Overig", "-d", "3-3-2025")
    assert "€ 100,00 left" in err and "€ 4.900,00 spent" in err
