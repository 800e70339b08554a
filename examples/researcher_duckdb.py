"""The researcher's questions in SQL, over every ledger at once: the Parquet dataset in DuckDB.

    python examples/researcher_duckdb.py                        # all example schemes
    python examples/researcher_duckdb.py ledgers examples/almere --dataset /tmp/maatwerk-data

The ledgers are exported the way `maatwerk export parquet DIR ROOT...` does it (to a
temporary folder, or to --dataset to keep it), and then only SQL is used:

1. which categories come back in most municipalities, and how much goes to them;
2. utilisation per team and year: spent (spends not voided plus cash written off) / budget;
3. how the cases turned out: evaluated, goal reached, partly, not, and avoided costs;
4. loans and conditional grants: lent, paid back, still owed.

Needs duckdb and pyarrow (pip install duckdb 'maatwerk-cli[parquet]').
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import duckdb

from maatwerk_cli.analysis.export import table_columns, tables
from maatwerk_cli.render.parquet import write_dataset
from maatwerk_cli.store.folder import LedgerFolder

HERE = Path(__file__).resolve().parent

QUESTIONS = {
    "Categories across municipalities (spends not voided)": """
        SELECT category,
               count(DISTINCT municipality) AS municipalities,
               count(*) AS spends,
               sum(amount) AS amount,
               round(100 * sum(amount) / sum(sum(amount)) OVER (), 1) AS share_pct
        FROM entries WHERE NOT voided
        GROUP BY category ORDER BY municipalities DESC, spends DESC LIMIT 12""",
    "Utilisation per team and year (lowest first)": """
        WITH money AS (
            SELECT municipality, year, team, amount FROM entries WHERE NOT voided AND date <= current_date
            UNION ALL
            SELECT municipality, year, team, amount FROM cash
            WHERE type = 'write-off' AND date <= current_date),
        spent AS (SELECT municipality, year, team, sum(amount) AS spent FROM money GROUP BY ALL)
        SELECT b.municipality, b.year, b.team, b.budget, coalesce(s.spent, 0) AS spent,
               round(100 * coalesce(s.spent, 0) / b.budget, 1) AS used_pct
        FROM budgets b LEFT JOIN spent s USING (municipality, year, team)
        WHERE b.budget > 0
        ORDER BY used_pct, b.municipality, b.team""",
    "Outcomes per municipality": """
        SELECT municipality,
               count(*) AS spends,
               count(*) FILTER (WHERE outcome <> '') AS evaluated,
               count(*) FILTER (WHERE outcome = 'reached') AS reached,
               count(*) FILTER (WHERE outcome = 'partial') AS partial,
               count(*) FILTER (WHERE outcome = 'not-reached') AS not_reached,
               round(100 * count(*) FILTER (WHERE outcome = 'reached')
                     / nullif(count(*) FILTER (WHERE outcome <> ''), 0), 1) AS reached_pct,
               coalesce(sum(avoided_cost), 0) AS avoided_cost,
               count(*) FILTER (WHERE avoided_cost > 0) AS cheaper
        FROM entries WHERE NOT voided
        GROUP BY municipality ORDER BY evaluated DESC, municipality""",
    "Loans and conditional grants": """
        SELECT municipality, kind, count(*) AS spends, sum(amount) AS lent,
               sum(repaid + recovered) AS paid_back, sum(outstanding) AS still_owed,
               round(100 * sum(repaid + recovered) / sum(amount), 1) AS paid_back_pct
        FROM entries WHERE NOT voided AND kind IN ('loan', 'conditional')
        GROUP BY ALL ORDER BY municipality, kind""",
}


def export(roots: list[Path], target: Path) -> None:
    """The dataset of these ledger folders (as `maatwerk export parquet` writes it)."""
    parts = []
    for root in roots:
        folder = LedgerFolder(root)
        folder.require()
        part = tables(folder)
        for problem in part.problems:  # journal lines set aside are left out of the figures
            print("warning:", problem)
        parts.append(part)
    write_dataset(target, parts, {t: table_columns(t) for t in parts[0].rows}, redacted=False)


def answer(dataset: Path) -> None:
    con = duckdb.connect()
    for table in ("entries", "cash", "budgets"):
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM "
                    f"read_parquet('{dataset / table}/**/*.parquet', hive_partitioning = true)")
    for title, sql in QUESTIONS.items():
        print(f"\n{title}")
        print(con.sql(sql))


def main() -> None:
    parser = argparse.ArgumentParser(description="The research questions in DuckDB SQL over many ledgers.")
    parser.add_argument("roots", nargs="*", type=Path, help="ledger folders (default: every example)")
    parser.add_argument("--dataset", type=Path, help="write the Parquet dataset here and keep it")
    args = parser.parse_args()
    roots = args.roots or sorted(p.parent for p in HERE.glob("*/maatwerk.toml"))
    if args.dataset is not None:
        export(roots, args.dataset)
        answer(args.dataset)
        return
    with tempfile.TemporaryDirectory() as tmp:
        dataset = Path(tmp) / "dataset"
        export(roots, dataset)
        answer(dataset)


if __name__ == "__main__":
    main()
