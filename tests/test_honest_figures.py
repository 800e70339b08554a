"""Figures a reader cannot misread (issue 24, the smaller ones): a voided marker that never
leaves its row, a total that says what it leaves out, loans and conditional grants apart in
``compare``, the cut-off in every report's title, and ``stories`` with a cut-off."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot

Cli = Callable[..., Result]


def ok(result: Result) -> Result:
    assert result.code == 0, (result.code, result.out, result.err)
    return result


@pytest.fixture
def booked(lcli: Cli, ledger_dir: Path) -> Path:
    """noord: a gift, a loan (100, 40 repaid on 20 March), a conditional grant (80), and a gift
    entered twice and voided; zuid: a gift in April."""
    note = "boodschappen tot de uitkering komt, met een lange notitie"
    ok(lcli("spend", "noord", "25", "-c", "Levensmiddelen", "-d", "3-3-2025", "-n", note))
    loan = ok(lcli("spend", "noord", "100", "-c", "Wonen", "-d", "5-3-2025", "-k", "loan", "--due", "1-6-2025",
                   "--household", "H-AB12")).out.strip()
    ok(lcli("spend", "noord", "80", "-c", "Opleiding en werk", "-d", "6-3-2025", "-k", "conditional",
            "--condition", "cursus afmaken"))
    twice = ok(lcli("spend", "noord", "60", "-c", "Vervoer", "-d", "7-3-2025", "-n", note)).out.strip()
    ok(lcli("void", twice, "--reason", "twee keer ingevoerd"))
    ok(lcli("repay", loan, "40", "-d", "20-3-2025"))
    ok(lcli("spend", "zuid", "45", "-c", "Levensmiddelen", "-d", "2-4-2025"))
    return ledger_dir


@pytest.mark.parametrize("width", ["80", "60", "40"])
def test_a_narrow_table_keeps_the_voided_marker_with_the_amount(
        booked: Path, lcli: Cli, monkeypatch: pytest.MonkeyPatch, width: str) -> None:
    monkeypatch.setenv("COLUMNS", width)
    out = ok(lcli("entries", "noord")).out
    header = next(line for line in out.splitlines() if "voided" in line and "id" in line)
    assert "amount" in header  # the marker and the figure it qualifies stay together
    void_row = next(line for line in out.splitlines() if "noord-2025-0004" in line)
    assert "60,00" in void_row and re.search(r"60,00\s+yes\b", void_row), void_row
    live_row = next(line for line in out.splitlines() if "noord-2025-0001" in line)
    assert not re.search(r"\byes\b", live_row)
    assert "voided" not in out.split("Not shown for lack of width:")[-1].split(".")[0]


def test_the_voided_marker_reads_ja_in_dutch(booked: Path, lcli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out = ok(lcli("--lang", "nl", "entries", "noord")).out
    void_row = next(line for line in out.splitlines() if "noord-2025-0004" in line)
    assert re.search(r"60,00\s+ja\b", void_row), void_row
    live_row = next(line for line in out.splitlines() if "noord-2025-0001" in line)
    assert not re.search(r"\bja\b", live_row)


def test_the_total_says_what_it_leaves_out(booked: Path, lcli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = ok(lcli("entries", "noord")).out
    # Rows shown: 25 + 100 + 80 + 60 (voided) = 265; the total counts 205 and says why.
    total = next(line for line in out.splitlines() if line.lstrip().startswith("total"))
    assert "€ 205,00" in total
    assert "The total does not count 1 voided entry (€ 60,00)." in out
    rows = json.loads(ok(lcli("entries", "noord", "-f", "json")).out)
    assert sum(Decimal(str(r["amount"])) for r in rows) == Decimal("265")
    # Without a voided row the total is the sum of the rows and no line is added.
    assert "does not count" not in ok(lcli("entries", "zuid")).out


def test_compare_counts_loans_and_conditional_grants_apart(booked: Path, lcli: Cli,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    rows = {r["team"]: r for r in json.loads(ok(lcli("compare", "--month", "2025-04", "-f", "json")).out)}
    noord = rows["noord"]
    # The existing key keeps its meaning: loans and conditional grants together, 60 + 80.
    assert noord["loans_outstanding"] == 140.0
    assert noord["loans_only_outstanding"] == 60.0 and noord["conditional_outstanding"] == 80.0
    assert list(noord)[-3:] == ["pace", "loans_only_outstanding", "conditional_outstanding"]  # added last
    assert rows["zuid"]["loans_only_outstanding"] == 0.0 and rows["zuid"]["conditional_outstanding"] == 0.0
    header = ok(lcli("compare", "--month", "2025-04", "-f", "csv")).out.splitlines()[0]
    assert header.endswith(",refusals,pace,loans_only_outstanding,conditional_outstanding")
    monkeypatch.setenv("COLUMNS", "250")
    table = ok(lcli("compare", "--month", "2025-04")).out
    noord_line = next(line for line in table.splitlines() if line.lstrip().startswith("noord"))
    assert "loans open" in table and "conditional open" in table
    assert "€ 60,00" in noord_line and "€ 80,00" in noord_line and "€ 140,00" not in noord_line
    turned = {r["field"]: r for r in json.loads(ok(lcli("compare", "--month", "2025-04", "--transpose",
                                                         "-f", "json")).out)}
    assert turned["conditional_outstanding"]["noord"] == 80.0 and turned["loans_outstanding"]["noord"] == 140.0


@pytest.mark.parametrize("command", ["compare", "categories", "outcomes", "utilisation", "leadtime"])
def test_every_report_title_names_its_cut_off(booked: Path, lcli: Cli, command: str) -> None:
    out = ok(lcli(command, "--month", "2025-03", "-f", "markdown")).out
    title = out.splitlines()[0]
    assert title.startswith("## ") and "as of 31-03-2025" in title, title
    out = ok(lcli(command, "--as-of", "15-4-2025", "-f", "markdown")).out
    assert "as of 15-04-2025" in out.splitlines()[0]


def test_stories_take_a_cut_off(booked: Path, lcli: Cli) -> None:
    every = ok(lcli("stories")).out
    assert every.startswith("# Cases in Teststad\n") and "4 cases." in every  # no cut-off: every spend
    march = ok(lcli("stories", "--month", "2025-03")).out
    assert march.startswith("# Cases in Teststad, as of 31-03-2025\n")
    assert "zuid" not in march and "3 cases" in march
    # Before the repayment of 20 March the loan is still owed whole.
    early = ok(lcli("stories", "--as-of", "10-3-2025")).out
    assert "€ 0,00 repaid, € 100,00 still owed" in early
    assert "€ 40,00 repaid, € 60,00 still owed" in march
    assert "zuid" in ok(lcli("stories", "--year", "2025")).out
    assert "Entry noord-2025-0001" not in ok(lcli("stories", "--as-of", "4-3-2025", "--since", "4-3-2025")).out


@pytest.mark.parametrize(("args", "needle"), [
    (["--as-of", "31-3-2025", "--month", "2025-03"], "not both"),
    (["--month", "2025-13"], "2025-13"),
    (["--as-of", "morgen"], "not a date"),
    (["--year", "20x5"], "not a year"),
])
def test_stories_refuse_a_bad_cut_off(booked: Path, lcli: Cli, args: list[str], needle: str) -> None:
    before = snapshot(booked)
    assert_refused(lcli("stories", *args), needle)
    assert snapshot(booked) == before


def test_the_new_words_in_dutch(booked: Path, lcli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAATWERK_LANG", "nl")
    monkeypatch.setenv("COLUMNS", "250")
    compare = ok(lcli("compare", "--month", "2025-04")).out
    assert "Teams vergeleken, 2025, peildatum 30-04-2025" in compare
    assert "leningen open" in compare and "voorwaardelijk open" in compare
    entries = ok(lcli("entries", "noord")).out
    assert "Het totaal telt 1 ingetrokken uitgave (€ 60,00) niet mee." in entries
    assert "# Casussen in Teststad, peildatum 31-03-2025" in ok(lcli("stories", "--month", "2025-03")).out
    for command in ("categories", "outcomes"):
        assert "peildatum 31-03-2025" in ok(lcli(command, "--month", "2025-03")).out
    english = ok(lcli("--lang", "en", "compare", "--month", "2025-04", "-f", "json")).out
    assert ok(lcli("compare", "--month", "2025-04", "-f", "json")).out == english
