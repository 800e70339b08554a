"""Random ledgers through every export: the per-team totals survive, checked by the real tools.

Hypothesis writes journals with spends of every kind and method, kind changes,
repayments (also more than owed), recoveries, voids (of spends, of events, of voids),
cash withdrawals, deposits and write-offs, over two years; the lines go through the
store's own writer. For each year, every export's per-team expenses must equal
``compare``'s spent, its income ``utilisation``'s repaid, and the claims what ``loans``
calls outstanding, by the model itself and by each tool that is installed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_export_tools import bean_check, bean_totals, duckdb_spent, hledger_totals, ledger_totals

from maatwerk_cli import Ledger
from maatwerk_cli.analysis import reports
from maatwerk_cli.analysis.export import journal_export, table_columns, tables
from maatwerk_cli.render.journal_formats import account_part, render
from maatwerk_cli.render.redact import Redactor
from maatwerk_cli.store.folder import LedgerFolder

TEAMS = ("noord", "zuid-oost", "3-west")
CATEGORIES = ("Levensmiddelen", "Financiën", "Water en energie", "Evides (water)", "Meerdere categorieën",
              "Straße & co")
YEARS = (2024, 2025)
START = dt.date(2024, 1, 1)
END = dt.date(2025, 12, 31)

cents = st.integers(min_value=1, max_value=400_000)
days = st.integers(min_value=0, max_value=(END - START).days)
pick = st.integers(min_value=0, max_value=10_000)
team = st.sampled_from(TEAMS)
op = st.one_of(
    st.tuples(st.just("spend"), team, days, cents, st.sampled_from(CATEGORIES),
              st.sampled_from(("pin", "factuur", "contant")),
              st.sampled_from(("gift", "loan", "conditional")), st.booleans()),
    st.tuples(st.just("repay"), team, pick, cents, pick),
    st.tuples(st.just("recovered"), team, pick, cents, pick),
    st.tuples(st.just("kind"), team, pick, st.sampled_from(("gift", "loan", "conditional"))),
    st.tuples(st.just("void"), team, pick),
    st.tuples(st.just("withdraw"), team, days,
              st.integers(min_value=1, max_value=30).map(lambda n: n * 1000)),
    st.tuples(st.just("settle"), team, days, st.integers(min_value=1, max_value=5_000),
              st.sampled_from(("deposit", "write-off"))),
)
budgets = st.dictionaries(st.sampled_from(YEARS), st.integers(min_value=0, max_value=50_000), max_size=2)


def _money(n: int) -> str:
    return f"{n // 100}.{n % 100:02d}"


def build(root: Path, plan: list[tuple[Any, ...]], money: dict[str, dict[int, int]]) -> LedgerFolder:
    """A ledger folder written through the store from a random plan."""
    lg = Ledger.init(root, municipality="Rondstad", year=2024)
    for slug in TEAMS:
        per_year = money.get(slug, {})
        first = min(per_year, default=2024)
        lg.add_team(slug, name=f"Team {slug}", budget=Decimal(per_year.get(first, 0)), year=first)
        for year, amount in per_year.items():
            if year != first:
                lg.set_budget(slug, Decimal(amount), year)
    folder = lg.folder
    spends: dict[str, list[tuple[str, dt.date]]] = defaultdict(list)
    lines: dict[str, list[str]] = defaultdict(list)

    def add(slug: str, cells: dict[str, str]) -> str:
        new = folder.append(slug, [cells])[0]
        lines[slug].append(new)
        return new

    for step in plan:
        what, slug = str(step[0]), str(step[1])
        if what == "spend":
            _, _, d, amount, category, method, kind, with_household = step
            when = START + dt.timedelta(days=int(d))
            cells = {"type": "spend", "date": when.isoformat(), "amount": _money(int(amount)),
                     "category": str(category), "method": str(method), "kind": str(kind),
                     "household": "H-7KXM4P" if with_household else "",
                     "note": "boodschappen; samen | gedaan"}
            if kind == "conditional":
                cells["condition"] = "cursus afmaken"
            spends[slug].append((add(slug, cells), when))
        elif what in ("repay", "recovered") and spends[slug]:
            _, _, target, amount, later = step
            ref, when = spends[slug][int(target) % len(spends[slug])]
            on = min(when + dt.timedelta(days=int(later) % 200), END)
            cells = {"type": what, "date": on.isoformat(), "ref": ref, "amount": _money(int(amount))}
            if what == "recovered":
                cells["note"] = "bijzondere bijstand"
            add(slug, cells)
        elif what == "kind" and spends[slug]:
            _, _, target, kind = step
            ref, when = spends[slug][int(target) % len(spends[slug])]
            cells = {"type": "kind", "date": when.isoformat(), "ref": ref, "kind": str(kind)}
            if kind == "conditional":
                cells["condition"] = "diploma halen"
            add(slug, cells)
        elif what == "void" and lines[slug]:
            _, _, target = step
            ref = lines[slug][int(target) % len(lines[slug])]
            add(slug, {"type": "void", "date": END.isoformat(), "ref": ref, "reason": "dubbel"})
        elif what == "withdraw":
            _, _, d, amount = step
            when = START + dt.timedelta(days=int(d))
            add(slug, {"type": "withdraw", "date": when.isoformat(), "amount": _money(int(amount)),
                       "method": "pin", "note": "kasgeld"})
        elif what == "settle":
            _, _, d, amount, method = step
            when = START + dt.timedelta(days=int(d))
            add(slug, {"type": "settle", "date": when.isoformat(), "amount": _money(int(amount)),
                       "method": str(method), "reason": "restant"})
    return folder


Figures = dict[str, Decimal]


def expected(folder: LedgerFolder, year: int) -> tuple[Figures, Figures, Figures]:
    """compare's spent, utilisation's repaid and loans' outstanding at year end, per team part."""
    compared = reports.compare_report(folder, year=year).records
    spent = {account_part(r["team"]): r["spent"] for r in compared}
    used = reports.utilisation_report(folder, year=year).records
    repaid = {account_part(r["team"]): r["repaid"] for r in used}
    owed: dict[str, Decimal] = {account_part(t): Decimal(0) for t in TEAMS}
    frame = reports.loans(folder, as_of=dt.date(year, 12, 31))
    for slug, left in zip(frame["team"], frame["outstanding"], strict=True):
        owed[account_part(slug)] += left
    return spent, repaid, owed


def cents_of(values: dict[str, int]) -> dict[str, Decimal]:
    return {account_part(k): Decimal(v).scaleb(-2) for k, v in values.items()}


def equal(got: dict[str, Decimal], want: dict[str, Decimal]) -> None:
    keys = set(got) | set(want)
    assert {k: got.get(k, Decimal(0)) for k in keys} == {k: want.get(k, Decimal(0)) for k in keys}


def negated(values: dict[str, Decimal]) -> dict[str, Decimal]:
    return {k: -v for k, v in values.items()}


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=st.lists(op, min_size=1, max_size=30), money=st.dictionaries(team, budgets), redact=st.booleans())
def test_random_ledgers_round_trip_through_every_export(
    plan: list[tuple[Any, ...]], money: dict[str, dict[int, int]], redact: bool,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        folder = build(base / "ledger", plan, money)
        assert folder.books().problems == ()
        have = {tool: shutil.which(tool) is not None
                for tool in ("hledger", "ledger", "bean-check", "bean-query")}
        every = journal_export(folder, redactor=Redactor() if redact else None)
        files = {}
        for tool in ("hledger", "ledger", "beancount"):
            files[tool] = base / f"all.{tool}"
            files[tool].write_text(render(tool, every), encoding="utf-8")
        if have["bean-check"]:
            bean_check(files["beancount"])
        for year in YEARS:
            spent, repaid, owed = expected(folder, year)
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
            one = journal_export(folder, year=year, redactor=Redactor() if redact else None)
            # The model itself: expenses are spent, income is repaid.
            equal(cents_of(one.totals("Expenses")), spent)
            equal(cents_of(one.totals("Income")), negated(repaid))
            path = base / f"{year}.journal"
            path.write_text(render("hledger", one), encoding="utf-8")
            if have["hledger"]:
                equal(hledger_totals(files["hledger"], start, end), spent)
                equal(hledger_totals(files["hledger"], start, end, "Income"), negated(repaid))
                equal(hledger_totals(path, start, end), spent)
                # The claims: from the start of the ledger, and in the one-year file with its
                # opening balance, both what the loans report says is owed at year end.
                equal(_claims(files["hledger"], START, end), owed)
                equal(_claims(path, start, end), owed)
            if have["ledger"]:
                equal(ledger_totals(files["ledger"], start, end), spent)
            if have["bean-query"]:
                equal(bean_totals(files["beancount"], start, end), spent)
                equal(bean_totals(files["beancount"], start, end, "Income"), negated(repaid))
        _parquet(folder, base / "dataset", redact)


def _claims(path: Path, start: dt.date, end: dt.date) -> dict[str, Decimal]:
    """Per team, the balance of its Vorderingen account (hledger), from ``start`` to ``end``."""
    from test_export_tools import need, run_tool

    out = run_tool(need("hledger"), "-f", str(path), "bal", r"^Assets:Maatwerk:[^:]+:Vorderingen$",
                   "-O", "csv", "-b", start.isoformat(), "-e", (end + dt.timedelta(days=1)).isoformat())
    got: dict[str, Decimal] = {}
    for line in out.splitlines()[1:]:
        account, value = (c.strip('"') for c in line.split('","'))
        if account != "total":
            got[account.split(":")[2]] = Decimal(value.replace("EUR", "").strip() or "0")
    return got


def _parquet(folder: LedgerFolder, target: Path, redact: bool) -> None:
    """The dataset, read back by DuckDB: spent per team equals compare for each year."""
    try:
        import duckdb  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        return
    from maatwerk_cli.render.parquet import write_dataset

    redactor = Redactor() if redact else None
    part = tables(folder, redactor)
    write_dataset(target, [part], {t: table_columns(t, redactor) for t in part.rows}, redacted=redact)
    for year in YEARS:
        want = {("Rondstad", r["team"]): r["spent"] for r in
                reports.summary_report([folder.root], year=year, by="team").records}
        got = duckdb_spent(target, year, dt.date(year, 12, 31))
        assert {k: got.get(k, Decimal(0)) for k in want} == want


@pytest.mark.parametrize("tool", ["hledger", "ledger", "beancount"])
def test_round_trip_of_one_hand_made_ledger(tool: str, tmp_path: Path) -> None:
    """A fixed plan with every event kind, so a failure here reads without Hypothesis."""
    plan: list[tuple[Any, ...]] = [
        ("spend", "noord", 10, 3500, "Levensmiddelen", "pin", "loan", True),
        ("repay", "noord", 0, 2000, 5),
        ("repay", "noord", 0, 9000, 9),  # more than owed: the claim stops at zero
        ("spend", "noord", 400, 48000, "Opleiding", "factuur", "conditional", False),
        ("recovered", "noord", 1, 10000, 30),
        ("spend", "zuid-oost", 20, 4360, "Financiën", "contant", "gift", True),
        ("withdraw", "zuid-oost", 15, 5000),
        ("settle", "zuid-oost", 21, 640, "write-off"),
        ("spend", "zuid-oost", 30, 123456, "Water en energie", "factuur", "gift", False),
        ("void", "zuid-oost", 3),  # the last spend
        ("kind", "noord", 0, "gift"),
    ]
    folder = build(tmp_path / "ledger", plan, {"noord": {2024: 10_000}, "zuid-oost": {2025: 5_000}})
    text = render(tool, journal_export(folder))
    assert "1234.56" not in text  # voided
    assert "Expenses:Maatwerk:Zuid-oost:Financien" in text
    assert "Expenses:Maatwerk:Zuid-oost:Kasgeld-afgeschreven" in text
    for year in YEARS:
        spent, _, _ = expected(folder, year)
        equal(cents_of(journal_export(folder, year=year).totals()), spent)
