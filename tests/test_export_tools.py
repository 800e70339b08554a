"""The exports read by the real tools: hledger, ledger, bean-check/bean-query (and fava), DuckDB.

On the demo ledger and on every example, for each year with spends or budgets, each
team's expenses as the tool adds them up equal ``compare``'s spent to the cent, and the
Parquet dataset in DuckDB equals ``summary --by team``. A tool that cannot be had skips
its test and says why. The helpers here are used by the round-trip test as well.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, Result
from maatwerk_cli.analysis.reports import compare_report, summary_report
from maatwerk_cli.core.lines import day
from maatwerk_cli.render.journal_formats import account_part
from maatwerk_cli.store.folder import LedgerFolder

Cli = Callable[..., Result]

LEDGERS = [ROOT / "ledgers", *sorted(p.parent for p in (ROOT / "examples").glob("*/maatwerk.toml"))]
HOW_TO_GET = {
    "hledger": "hledger is not installed (apt-get install hledger)",
    "ledger": "ledger is not installed (apt-get install ledger)",
    "bean-check": "beancount is not installed (pip install beancount)",
    "bean-query": "bean-query is not installed (pip install beanquery)",
}


def need(tool: str) -> str:
    """The tool's path, or skip the test saying how to get it."""
    path = shutil.which(tool)
    if path is None:
        pytest.skip(HOW_TO_GET[tool])
    return path


def duckdb_or_skip() -> object:
    return pytest.importorskip("duckdb", reason="duckdb is not installed (pip install duckdb)")


def pyarrow_or_skip() -> None:
    pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'maatwerk-cli[parquet]')")


def run_tool(*args: str) -> str:
    done = subprocess.run(list(args), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done.stdout


def _amount(text: str) -> Decimal:
    value = text.replace("EUR", "").strip()
    return Decimal(value) if value else Decimal(0)


def _by_team(rows: dict[str, Decimal], root: str) -> dict[str, Decimal]:
    """Tool output keyed by ``Root:Maatwerk:<Team>`` as {team part: amount}."""
    out: dict[str, Decimal] = {}
    for account, value in rows.items():
        parts = account.split(":")
        if len(parts) == 3 and parts[0] == root and parts[1] == "Maatwerk":
            out[parts[2]] = out.get(parts[2], Decimal(0)) + value
    return out


def hledger_totals(path: Path, start: dt.date, end: dt.date, root: str = "Expenses") -> dict[str, Decimal]:
    """Per team part, what ``hledger bal`` gives under ``root`` from ``start`` to ``end``."""
    out = run_tool(need("hledger"), "-f", str(path), "bal", f"^{root}:Maatwerk:", "--depth", "3",
                   "-O", "csv", "-b", start.isoformat(), "-e", (end + dt.timedelta(days=1)).isoformat())
    rows = {r[0]: _amount(r[1]) for r in csv.reader(io.StringIO(out))
            if r and r[0] not in ("account", "total")}
    return _by_team(rows, root)


def hledger_budgets(path: Path, year: int) -> dict[str, tuple[Decimal, Decimal]]:
    """Per team part, (actual, budget) from ``hledger bal --budget`` for the year."""
    out = run_tool(need("hledger"), "-f", str(path), "bal", "--budget", "-Y", "^Expenses:Maatwerk",
                   "--depth", "3", "-O", "csv", "-p", str(year))
    found: dict[str, tuple[Decimal, Decimal]] = {}
    for row in csv.reader(io.StringIO(out)):
        parts = row[0].split(":") if row else []
        if len(parts) == 3 and parts[:2] == ["Expenses", "Maatwerk"]:
            found[parts[2]] = (_amount(row[1]), _amount(row[2]))
    return found


def ledger_totals(path: Path, start: dt.date, end: dt.date, root: str = "Expenses") -> dict[str, Decimal]:
    """Per team part, what ``ledger bal`` gives under ``root`` from ``start`` to ``end``."""
    out = run_tool(need("ledger"), "-f", str(path), "bal", f"^{root}:Maatwerk:", "--depth", "3", "--no-total",
                   "-b", start.isoformat(), "-e", (end + dt.timedelta(days=1)).isoformat(),
                   "--format", "%(account)|%(quantity(scrub(display_total)))\n")
    rows = dict(line.split("|") for line in out.splitlines() if "|" in line)
    return _by_team({k: _amount(v) for k, v in rows.items()}, root)


def bean_totals(path: Path, start: dt.date, end: dt.date, root: str = "Expenses") -> dict[str, Decimal]:
    """Per team part, what bean-query sums under ``root`` from ``start`` to ``end``."""
    query = (f"SELECT root(account, 3) AS team, sum(number) AS total WHERE account ~ '^{root}:Maatwerk:' "
             f"AND date >= {start.isoformat()} AND date <= {end.isoformat()} GROUP BY team")
    out = run_tool(need("bean-query"), "-f", "csv", str(path), query)
    rows = {r[0]: _amount(r[1]) for r in csv.reader(io.StringIO(out)) if r and r[0] != "team"}
    return _by_team(rows, root)


def bean_check(path: Path) -> None:
    run_tool(need("bean-check"), str(path))


def years_of(root: Path) -> list[int]:
    """The years with spends or budgets in a ledger folder (up to this year)."""
    folder = LedgerFolder(root)
    years = {int(y) for t in folder.load_teams() for y, b in t.budgets.items() if b}
    for folded in folder.books().values():
        years |= {day(int(d)).year for d in folded.book.dates().tolist()}
    return sorted(y for y in years if y <= dt.date.today().year)


def spent(root: Path, year: int) -> tuple[dict[str, Decimal], dt.date]:
    """compare's spent per team part, and the as-of date compare counts up to."""
    report = compare_report(LedgerFolder(root), year=year)
    return {account_part(r["team"]): r["spent"] for r in report.records}, report.attrs["as_of"]


def same(got: dict[str, Decimal], want: dict[str, Decimal]) -> None:
    """Equal per team; a team the tool does not list (nothing spent) counts as zero."""
    teams = set(got) | set(want)
    assert {t: got.get(t, Decimal(0)) for t in teams} == {t: want.get(t, Decimal(0)) for t in teams}


def export(cli: Cli, root: Path, tool: str, out: Path, *options: str) -> Path:
    result = cli("--ledgers", str(root), "export", tool, "-o", str(out), *options)
    assert result.code == 0, result.err
    assert result.out == ""
    return out


NAMES = [p.name if p.parent.name == "examples" else "demo" for p in LEDGERS]


@pytest.mark.parametrize("root", LEDGERS, ids=NAMES)
def test_hledger_per_team_equals_compare(cli: Cli, root: Path, tmp_path: Path) -> None:
    need("hledger")
    every = export(cli, root, "hledger", tmp_path / "all.journal")
    for year in years_of(root):
        want, as_of = spent(root, year)
        same(hledger_totals(every, dt.date(year, 1, 1), as_of), want)
        one = export(cli, root, "hledger", tmp_path / f"{year}.journal", "--year", str(year))
        same(hledger_totals(one, dt.date(year, 1, 1), as_of), want)


@pytest.mark.parametrize("root", LEDGERS, ids=NAMES)
def test_hledger_budget_report_shows_each_teams_budget(cli: Cli, root: Path, tmp_path: Path) -> None:
    need("hledger")
    every = export(cli, root, "hledger", tmp_path / "all.journal")
    checked = 0
    for year in years_of(root):
        shown = hledger_budgets(every, year)
        for team in LedgerFolder(root).load_teams():
            budget = team.budget(year)
            if budget:
                assert shown[account_part(team.slug)][1] == budget, (team.slug, year)
                checked += 1
    assert checked


@pytest.mark.parametrize("root", LEDGERS, ids=NAMES)
def test_ledger_per_team_equals_compare(cli: Cli, root: Path, tmp_path: Path) -> None:
    need("ledger")
    every = export(cli, root, "ledger", tmp_path / "all.ledger")
    for year in years_of(root):
        want, as_of = spent(root, year)
        same(ledger_totals(every, dt.date(year, 1, 1), as_of), want)
    # ledger's own budget report reads the periodic transactions.
    year = years_of(root)[-1]
    out = run_tool(need("ledger"), "-f", str(every), "budget", "^Expenses:Maatwerk", "-p", str(year))
    budgets = [t.budget(year) for t in LedgerFolder(root).load_teams() if t.budget(year)]
    assert f"{sum(budgets, Decimal(0)):.2f} EUR" in out


@pytest.mark.parametrize("root", LEDGERS, ids=NAMES)
def test_beancount_checks_and_bean_query_equals_compare(cli: Cli, root: Path, tmp_path: Path) -> None:
    need("bean-check")
    need("bean-query")
    every = export(cli, root, "beancount", tmp_path / "all.beancount")
    bean_check(every)
    for year in years_of(root):
        want, as_of = spent(root, year)
        same(bean_totals(every, dt.date(year, 1, 1), as_of), want)
        one = export(cli, root, "beancount", tmp_path / f"{year}.beancount", "--year", str(year), "--redact")
        bean_check(one)
        same(bean_totals(one, dt.date(year, 1, 1), as_of), want)


@pytest.mark.parametrize("root", LEDGERS, ids=NAMES)
def test_beancount_budgets_are_custom_budget_entries(cli: Cli, root: Path, tmp_path: Path) -> None:
    loader = pytest.importorskip("beancount.loader", reason=HOW_TO_GET["bean-check"])
    every = export(cli, root, "beancount", tmp_path / "all.beancount")
    entries, errors, _ = loader.load_file(str(every))
    assert not errors
    found = {(e.values[0].value, e.date.year): e.values[2].value.number
             for e in entries if type(e).__name__ == "Custom" and e.type == "budget"}
    for team in LedgerFolder(root).load_teams():
        for year, budget in team.budgets.items():
            if budget:
                assert found[(f"Expenses:Maatwerk:{account_part(team.slug)}", int(year))] == budget


def test_fava_reads_the_budgets(cli: Cli, tmp_path: Path) -> None:
    core = pytest.importorskip("fava.core", reason="fava is not installed (pip install fava)")
    root = ROOT / "ledgers"
    every = export(cli, root, "beancount", tmp_path / "all.beancount")
    fava = core.FavaLedger(str(every))
    assert not fava.errors
    year = years_of(root)[-1]
    for team in LedgerFolder(root).load_teams():
        if team.budget(year):
            got = fava.budgets.calculate(f"Expenses:Maatwerk:{account_part(team.slug)}",
                                         dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
            assert round(got["EUR"], 2) == team.budget(year)


def duckdb_spent(dataset: Path, year: int, as_of: dt.date) -> dict[tuple[str, str], Decimal]:
    """What SQL over the dataset says each team spent: spends not voided plus cash written off."""
    duckdb = duckdb_or_skip()
    sql = f"""
        WITH money AS (
            SELECT municipality, team, amount FROM read_parquet('{dataset}/entries/**/*.parquet',
                hive_partitioning = true) WHERE year = {year} AND NOT voided AND date <= DATE '{as_of}'
            UNION ALL
            SELECT municipality, team, amount FROM read_parquet('{dataset}/cash/**/*.parquet',
                hive_partitioning = true)
            WHERE year = {year} AND type = 'write-off' AND date <= DATE '{as_of}')
        SELECT municipality, team, sum(amount) FROM money GROUP BY ALL"""
    con = duckdb.connect()  # type: ignore[attr-defined]
    return {(m, t): v for m, t, v in con.sql(sql).fetchall()}


def test_duckdb_over_the_dataset_equals_summary_by_team(cli: Cli, tmp_path: Path) -> None:
    pyarrow_or_skip()
    duckdb_or_skip()
    dataset = tmp_path / "dataset"
    result = cli("export", "parquet", str(dataset), *map(str, LEDGERS))
    assert result.code == 0, result.err
    years = sorted({y for root in LEDGERS for y in years_of(root)})
    checked = 0
    for year in years:
        report = summary_report(LEDGERS, year=year, by="team")
        got = duckdb_spent(dataset, year, report.attrs["as_of"])
        want = {(r["municipality"], r["team"]): r["spent"] for r in report.records}
        assert {k: got.get(k, Decimal(0)) for k in want} == want, year
        assert set(got) <= set(want)
        checked += sum(1 for v in want.values() if v)
    assert checked >= 50  # team-years with money spent: the comparison is not an empty one


def test_duckdb_budgets_and_refusals_tables(cli: Cli, tmp_path: Path) -> None:
    pyarrow_or_skip()
    duckdb = duckdb_or_skip()
    dataset = tmp_path / "dataset"
    assert cli("export", "parquet", str(dataset), *map(str, LEDGERS)).code == 0
    con = duckdb.connect()  # type: ignore[attr-defined]
    budgets = dict(con.sql(
        f"SELECT municipality || '/' || team || '/' || year, budget FROM "
        f"read_parquet('{dataset}/budgets/**/*.parquet', hive_partitioning = true)").fetchall())
    want = {}
    refusals = 0
    for root in LEDGERS:
        folder = LedgerFolder(root)
        for team in folder.load_teams():
            for year, amount in team.budgets.items():
                want[f"{folder.settings.municipality}/{team.slug}/{year}"] = amount
        refusals += sum(len(f.book.refusals()) for f in folder.books().values())
    assert budgets == want
    count = con.sql(f"SELECT count(*) FROM read_parquet('{dataset}/refusals/**/*.parquet')").fetchall()[0]
    assert count is not None and count[0] == refusals > 0
    kinds = con.sql(f"DESCRIBE SELECT amount, date FROM "
                    f"read_parquet('{dataset}/entries/**/*.parquet')").fetchall()
    assert [k[1] for k in kinds] == ["DECIMAL(18,2)", "DATE"]


def test_researcher_duckdb_script_answers_over_all_examples(tmp_path: Path) -> None:
    pyarrow_or_skip()
    duckdb_or_skip()
    keep = tmp_path / "dataset"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    script = ROOT / "examples" / "researcher_duckdb.py"
    done = subprocess.run([sys.executable, str(script), "--dataset", str(keep)],
                          capture_output=True, text=True, timeout=300, env=env, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for title in ("Categories across municipalities", "Utilisation per team and year",
                  "Outcomes per municipality", "Loans and conditional grants"):
        assert title in out
    # Zaanstad's evaluation of 20 cases: 16 reached, 3 partly, 1 not; 7 cheaper than doing nothing.
    zaanstad = next(line for line in out.splitlines() if line.startswith("│ Zaanstad"))
    assert [c.strip() for c in zaanstad.split("│")[2:7]] == ["68", "20", "16", "3", "1"]
    assert zaanstad.split("│")[-2].strip() == "7"
    folders = {p.name for p in (keep / "entries").iterdir()}
    assert folders >= {"municipality=Rotterdam", "municipality=Zaanstad"}
