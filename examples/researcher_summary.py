"""A researcher's batch: several ledger folders side by side, through the library.

    python examples/researcher_summary.py examples/rotterdam-2015 examples/zaanstad-2015 --year 2015
"""

import argparse

from maatwerk_cli.analysis.reports import summary

parser = argparse.ArgumentParser(description="Spending of several maatwerkbudget ledgers side by side.")
parser.add_argument("roots", nargs="+", help="ledger folders")
parser.add_argument("--year", type=int, help="budget year (default: this year)")
parser.add_argument("--by", choices=["municipality", "team"], default="municipality")
parser.add_argument("--csv", help="also save the whole table as CSV (amounts exact to the cent)")
args = parser.parse_args()

frame = summary(args.roots, year=args.year, by=args.by)  # a pandas DataFrame
for problem in frame.attrs["problems"]:  # journal lines set aside are left out of the figures
    print("warning:", problem)
print(frame[["municipality", "spent", "utilisation", "count", "average", "max", "top_category"]]
      .to_string(index=False))
if args.csv:
    frame.to_csv(args.csv, index=False)
