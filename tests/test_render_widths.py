"""Tables never crop a number: every report and listing at many terminal widths.

For the demo ledger and the examples, each table is drawn at 40, 60, 80, 100, 120 and 200
columns and piped; every token in it that looks like a number, percentage or date must be
the whole of a value the report holds (its JSON records or its totals row), no year may
be grouped like a count, and when columns are left out a line under the table names each.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Result

WIDTHS = ("40", "60", "80", "100", "120", "200", "piped")
LEDGERS = {
    "demo": (ROOT / "ledgers", "2026", "31-10-2026"),
    "rotterdam": (ROOT / "examples" / "rotterdam-2015", "2015", "30-11-2015"),
    "zaanstad": (ROOT / "examples" / "zaanstad-2015", "2015", "31-12-2015"),
    "almere": (ROOT / "examples" / "almere", None, None),
}
_NUMBER = re.compile(r"(?<![\w.,-])-?[0-9][0-9.]*(?:,[0-9]+)?%?(?![\w…]|[.,][0-9])")  # "12,5…": a shortened text cell
_DATE = re.compile(r"\b[0-9]{2}-[0-9]{2}-[0-9]{4}\b")


def commands(year: str | None, as_of: str | None) -> list[tuple[str, ...]]:
    y = ("--year", year) if year else ()
    a = ("--as-of", as_of) if as_of else ()
    return [
        ("utilisation", *y, *a), ("compare", *y, *a), ("compare", *y, *a, "--transpose"),
        ("categories", *y, *a), ("loans", *a), ("outcomes", *y, *a), ("entries",), ("team", "list", *y),
        ("cash", "status"), ("rules",), ("knipkaart", "status", *y),
    ]


def values_of(data: Any) -> set[str]:
    """Every number and date a report holds, written as a table writes it."""
    out: set[str] = set()

    def add(value: Any) -> None:
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, dict):
            for v in value.values():
                add(v)
        elif isinstance(value, list):
            for v in value:
                add(v)
        elif isinstance(value, (int, float, Decimal)):
            number = Decimal(str(value))
            out.add(_dutch(number))
            out.add(_dutch(number.quantize(Decimal("0.01"))))
            # JSON carries a share to four places; the table rounds the exact share to one.
            for rounding in (ROUND_FLOOR, ROUND_CEILING):
                share = (number * 100).quantize(Decimal("0.1"), rounding=rounding)
                out.add(f"{share}%".replace(".", ","))
            out.add(str(value))  # a year, a count
        elif isinstance(value, str):
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                out.add(dt.date.fromisoformat(value).strftime("%d-%m-%Y"))
            for token in _NUMBER.findall(value):  # numbers inside text cells (notes, ids)
                out.add(token)
            out.add(value)
    add(data)
    return out


def _dutch(number: Decimal) -> str:
    sign = "-" if number < 0 else ""
    whole, _, frac = f"{abs(number)}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + (f",{frac}" if frac else "")


def _body(text: str) -> list[str]:
    """The lines of a table (or of vertical blocks), without its title, legend and notes."""
    lines = text.splitlines()
    if any(line.startswith("── ") for line in lines):  # vertical blocks: every line but the legend
        return [line for line in lines if line.startswith(("── ", "   "))]
    if any("──" in line for line in lines):
        start = next(i for i, line in enumerate(lines) if "──" in line)
        end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip() and i > start + 1
                    and (i + 1 >= len(lines) or not lines[i + 1].startswith(" "))), len(lines))
        return [line for line in lines[start + 1 : end] if line.strip()]
    return []


@pytest.mark.parametrize("ledger", list(LEDGERS))
def test_no_table_crops_a_number(ledger: str, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    root, year, as_of = LEDGERS[ledger]
    for command in commands(year, as_of):
        data = cli("--ledgers", str(root), *command, "--format", "json")
        assert data.code == 0, (command, data.err)
        import json

        parsed = json.loads(data.out)
        known = values_of(parsed) | values_of(_totals(root, command))
        for width in WIDTHS:
            if width == "piped":
                monkeypatch.delenv("COLUMNS", raising=False)
            else:
                monkeypatch.setenv("COLUMNS", width)
            shown = cli("--ledgers", str(root), *command)
            assert shown.code == 0, (command, width, shown.err)
            for line in _body(shown.out):
                if width != "piped":
                    assert len(line.rstrip()) <= int(width), (command, width, line)
                cells = re.sub(r"^\s*──\s.*$", "", line)
                for token in _DATE.findall(cells):
                    assert token in known, (command, width, token, line)
                cells = _DATE.sub(" ", cells)
                for token in _NUMBER.findall(cells):
                    assert token in known or token.removeprefix("-") in known, (command, width, token, line)
                    assert not re.fullmatch(r"[12]\.[0-9]{3}", token) or token.replace(".", "") not in known \
                        or token in known, (command, width, "a grouped year", token)
            _left_out_are_named(shown.out, command, width)


def _totals(root: Path, command: tuple[str, ...]) -> Any:
    """The totals rows a table adds (JSON carries none): the same numbers, added up."""
    from maatwerk_cli import Ledger
    from maatwerk_cli.analysis import reports

    lg = Ledger(root)
    args: dict[str, Any] = {}
    if "--year" in command:
        args["year"] = int(command[command.index("--year") + 1])
    if "--as-of" in command:
        day, month, year = command[command.index("--as-of") + 1].split("-")
        args["as_of"] = dt.date(int(year), int(month), int(day))
    name = command[0]
    if name in ("utilisation", "compare", "categories", "outcomes"):
        return getattr(reports, f"{name}_report")(lg, **args).attrs["total"]
    if name == "loans":
        return reports.loans_report(lg, as_of=args.get("as_of")).attrs["total"]
    if name in ("entries", "cash", "team", "knipkaart"):
        from maatwerk_cli.render import listings, views
        from maatwerk_cli.render.columns import totals

        if name == "entries":
            from maatwerk_cli.core.fields import entry_record

            records = [entry_record(e) for e in lg.entries()]
            return totals(records, views.ENTRY_TABLE)
        if name == "cash":
            records = [s.record() for s in lg.cash_status()]
            return totals(records, listings.CASH_TABLE)
        if name == "team":
            year = args.get("year", dt.date.today().year)
            return totals([{"budget": t.budget(year)} for t in lg.teams()],
                          [listings.TEAM_TABLE[0], listings.TEAM_TABLE[-1]])
        from maatwerk_cli.ops.knipkaart import status

        cards = status(lg, year=args.get("year", dt.date.today().year))
        return {"used": sum(c.used for c in cards), "limit": sum(c.limit for c in cards),
                "remaining": sum(c.remaining for c in cards), "beyond": sum(c.beyond for c in cards)}
    return {}


def _left_out_are_named(text: str, command: tuple[str, ...], width: str) -> None:
    """When a line says columns were left out, each header not in the table is named there."""
    flat = " ".join(text.split())
    marker = "Not shown for lack of width:"
    if marker not in flat:
        return
    named = flat.split(marker, 1)[1].split(". See every column", 1)[0]
    assert named.strip(), (command, width)
    assert "-f vertical" in flat and "-f csv" in flat
