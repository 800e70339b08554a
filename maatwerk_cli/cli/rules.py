"""Commands for rules of thumb, the knipkaart and household codes.

``maatwerk rules`` shows the rules in force and every override (learning material,
not blame); ``maatwerk knipkaart use|status`` records and shows exceptions to another
department's rules; ``maatwerk household new`` makes pseudonymous household codes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer

from ..core.dates import parse_date, parse_year, today
from ..core.errors import InputError
from ..core.money import format_eur
from ..render.formats import Column, Record, render_text
from ..render.redact import Redactor, redact_option
from .app import app, ledger, warn, warn_problems
from .output import check_format, format_option, output_option, show

knipkaart_app = typer.Typer(
    help="The knipkaart: a few exceptions a year to bend another department's rule.",
    no_args_is_help=True,
)
app.add_typer(knipkaart_app, name="knipkaart")
household_app = typer.Typer(help="Pseudonymous household codes.", no_args_is_help=True)
app.add_typer(household_app, name="household")


def _print_two(
    fmt: str,
    first: tuple[str, str, Sequence[Record], Sequence[Column], str],
    second: tuple[str, str, Sequence[Record], Sequence[Column], str],
) -> None:
    """Two tables as one output: (json key, title, records, columns, text when empty) each."""
    if fmt == "json":
        parts = [f'"{key}": {render_text("json", rows, cols).rstrip()}'
                 for key, _, rows, cols, _ in (first, second)]
        sys.stdout.write("{\n" + ",\n".join(parts) + "\n}\n")
    elif fmt == "markdown":
        for _, title, rows, cols, empty in (first, second):
            body = render_text("markdown", rows, cols) if rows else f"{empty}\n"
            sys.stdout.write(f"## {title}\n\n{body}\n")
    else:
        for _, title, rows, cols, empty in (first, second):
            show(rows, cols, "table", title=title, empty=empty)


# --------------------------------------------------------------------------- rules

RULE_COLUMNS = [
    Column("team"),
    Column("rule"),
    Column("category"),
    Column("value"),
    Column("meaning", wide=True),
    Column("source", wide=True),
]
OVERRIDE_COLUMNS = [
    Column("id"),
    Column("team", wide=True),
    Column("date", kind="date"),
    Column("amount", kind="money"),
    Column("category"),
    Column("rules"),
    Column("reason"),
    Column("by", wide=True),
    Column("second_opinion", wide=True),
    Column("voided", kind="bool", wide=True),
]

RULES_HELP = """\
List the rules of thumb (vuistregels) in force per team, and every spend recorded over
one with a reason: learning material, not blame.

The rules are set under \\[rules] in maatwerk.toml and per team in teams/<team>.toml.
Table, markdown and json show both lists (json: {"rules": [...], "overrides": [...]});
csv, csv-nl and --output hold the overrides.
"""


def _rule_value(value: Decimal | int | str, human: bool) -> Decimal | int | str:
    if isinstance(value, Decimal):
        return format_eur(value) if human else value
    if isinstance(value, int):
        return f"{value} days" if human else value
    return value


@app.command("rules", help=RULES_HELP)
def rules_command(
    team: str | None = typer.Argument(None, help="Only this team."),
    year: int | None = typer.Option(None, "--year", help="Only overrides in this year (default: all)."),
    fmt: str = format_option(),
    output: Path | None = output_option(),
    redact: bool = redact_option(),
) -> None:
    from ..ops.rules import RULE_HELP, load_rules, overrides

    fmt = check_format(fmt)
    lg = ledger()
    y = parse_year(year) if year is not None else None
    slugs = [lg.team(team).slug] if team else lg.team_slugs()
    human = fmt in ("table", "markdown")
    in_force: list[dict[str, Any]] = []
    for slug in slugs:
        rules = load_rules(lg, slug)
        for name, category, value in rules.listing():
            in_force.append({
                "team": slug, "rule": name, "category": category,
                "value": _rule_value(value, human), "meaning": RULE_HELP[name],
                "source": rules.source(name, category),
            })
    found, problems = overrides(lg, team, year=y)
    warn_problems(problems)
    records = [{
        "id": o.id, "team": o.team, "date": o.date, "amount": o.amount, "category": o.category,
        "rules": list(o.rules) if fmt == "json" else ", ".join(o.rules),
        "reason": o.reason, "by": o.by, "second_opinion": o.second_opinion, "voided": o.voided,
    } for o in found]
    columns: Sequence[Column] = OVERRIDE_COLUMNS
    if redact:
        records, columns = Redactor().redact(records, columns)
    title = f"Overrides {y}" if y else "Overrides"
    if output is not None or fmt in ("csv", "csv-nl"):
        show(records, columns, fmt, output=output, title=title)
        return
    _print_two(
        fmt,
        ("rules", "Rules of thumb in force", in_force, RULE_COLUMNS,
         "no rules of thumb set; add them under [rules] in maatwerk.toml (docs/rules.md)"),
        ("overrides", title, records, columns, "no overrides recorded"),
    )


# --------------------------------------------------------------------------- knipkaart

STATUS_COLUMNS = [
    Column("team"),
    Column("year", kind="int"),
    Column("used", kind="int", total=True),
    Column("limit", kind="int", total=True),
    Column("remaining", kind="int", total=True),
    Column("beyond", kind="int", total=True),
]
USE_COLUMNS = [
    Column("team"),
    Column("id"),
    Column("date", kind="date"),
    Column("reason"),
    Column("beyond", kind="bool"),
    Column("by", wide=True),
]


@knipkaart_app.command("use")
def knipkaart_use(
    team: str = typer.Argument(..., help="The team that uses its knipkaart."),
    reason: str = typer.Option(
        ..., "--reason", help="Which rule of which department is bent, and why."
    ),
    date: str | None = typer.Option(None, "--date", "-d", help="Date (default: today)."),
    force: bool = typer.Option(
        False, "--force", help="Record a use beyond the card's limit (marked as beyond)."
    ),
    by: str | None = typer.Option(None, "--by", help="Who decided (a name or role)."),
    allow_personal_data: bool = typer.Option(
        False, "--allow-personal-data", help="Record personal data in the reason anyway (recorded)."
    ),
) -> None:
    """Use one exception of the team's knipkaart and print its id.

    A team has \\[knipkaart] per_year uses (default 5) per calendar year; one more is
    refused unless --force, and is then recorded as beyond the card.
    """
    from ..ops.knipkaart import status, use

    lg = ledger()
    when = parse_date(date, what="date") if date else today()
    use_id = use(lg, team, reason=reason, date=when, force=force, by=by,
                 allow_personal_data=allow_personal_data)
    print(use_id)
    card = status(lg, team, year=when.year)[0]
    if card.used > card.limit:
        warn(f"{use_id} is beyond the card: use {card.used} with {card.limit} on the card "
             f"for {when.year}")


@knipkaart_app.command("status")
def knipkaart_status(
    team: str | None = typer.Argument(None, help="Only this team (default: every wijkteam)."),
    year: int | None = typer.Option(None, "--year", help="Calendar year (default: this year)."),
    fmt: str = format_option(),
    output: Path | None = output_option(),
    redact: bool = redact_option(),
) -> None:
    """How many knipkaart uses each team has left, and what they were used for.

    The list of uses shows where the system itself fails residents. JSON gives per team
    team, year, used, limit, remaining, beyond and uses (id, date, reason, beyond, by);
    csv, csv-nl and --output give one row per team.
    """
    from ..ops.knipkaart import status

    fmt = check_format(fmt)
    y = parse_year(year if year is not None else today().year)
    cards = status(ledger(), team, year=y)
    machine = output is not None or fmt in ("json", "csv", "csv-nl")
    rows: list[dict[str, Any]] = []
    uses: list[dict[str, Any]] = []
    for c in cards:
        listed: list[dict[str, Any]] = [
            {"team": c.team, "id": u.id, "date": u.date, "reason": u.reason, "beyond": u.beyond,
             "by": u.by}
            for u in c.uses
        ]
        uses.extend(listed)
        # A year is no quantity: tables would show 2025 as "2.025".
        shown_year: int | str = c.year if machine else str(c.year)
        rows.append({"team": c.team, "year": shown_year, "used": c.used, "limit": c.limit,
                     "remaining": c.remaining, "beyond": c.beyond,
                     "uses": [{**u, "date": u["date"].isoformat()} for u in listed]})
    redactor = Redactor() if redact else None
    if redactor is not None:
        rows, uses = redactor.records(rows), redactor.records(uses)
    use_columns = redactor.columns(USE_COLUMNS) if redactor else USE_COLUMNS
    title = f"Knipkaart {y}"
    if fmt == "json" and output is None:
        sys.stdout.write(render_text("json", rows, [*STATUS_COLUMNS, Column("uses")]))
        return
    if output is not None or fmt in ("csv", "csv-nl"):
        show(rows, STATUS_COLUMNS, fmt, output=output, title=title, total=True)
        return
    _print_two(
        fmt,
        ("cards", title, rows, STATUS_COLUMNS, "no teams yet"),
        ("uses", "What the exceptions were used for", uses, use_columns, "no uses this year"),
    )


# --------------------------------------------------------------------------- household codes


@household_app.command("new")
def household_new(
    prefix: str = typer.Option("H", "--prefix", help="1 to 4 letters before the hyphen."),
    count: int = typer.Option(1, "--count", "-n", help="How many codes (1 to 1000)."),
    length: int = typer.Option(6, "--length", help="Characters after the hyphen (4 to 10)."),
) -> None:
    """Print fresh random pseudonymous household codes, like H-7KXM4P.

    Codes are drawn at random from letters and digits that are hard to mix up; they
    are never made from a name, birth date or BSN, so they reveal nothing.
    """
    from ..core.privacy import new_household_code

    if not 1 <= count <= 1000:
        raise InputError(f"--count must be 1 to 1000, not {count}")
    made: set[str] = set()
    for _ in range(count):
        code = new_household_code(prefix, length, existing=made)
        made.add(code)
        print(code)
