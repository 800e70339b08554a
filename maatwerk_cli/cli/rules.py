"""Commands for rules of thumb, the knipkaart and household codes.

``maatwerk rules`` shows the rules in force and every override (learning material,
not blame); ``maatwerk knipkaart use|status`` records and shows exceptions to another
department's rules; ``maatwerk household new`` makes pseudonymous household codes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import typer

from ..core.dates import parse_date, parse_year, today
from ..core.errors import InputError
from ..core.messages import N_, tr
from ..render.output import TEXT_FORMATS, emit, print_lines
from ..render.redact import Redactor
from .app import app, ledger, warn, warn_problems
from .options import FormatOpt, OutputOpt, RedactOpt, TextFormatOpt, out, redacted

knipkaart_app = typer.Typer(
    help="The knipkaart: a few exceptions a year to bend another department's rule.",
    no_args_is_help=True,
)
app.add_typer(knipkaart_app, name="knipkaart")
household_app = typer.Typer(help="Pseudonymous household codes.", no_args_is_help=True)
app.add_typer(household_app, name="household")


# --------------------------------------------------------------------------- rules

RULES_HELP = N_("""\
List the rules of thumb (vuistregels) in force per team, and every spend recorded over
one with a reason: learning material, not blame.

The rules are set under \\[rules] in maatwerk.toml and per team in teams/<team>.toml.
Table, markdown and json show both lists (json: {"rules": [...], "overrides": [...]});
csv, csv-nl and --output hold the overrides. A spend voided later is not an override
(--voided lists those too, marked). The plausibility rules (year_without_budget,
over_remaining_budget, times_largest_spend) and duplicate_days are on unless switched
off; their source is "default" then. times_largest_spend applies once a team has
times_largest_after spends (10): a young team's first large invoice is not refused.
duplicate_days (3; 0 switches it off) stops a spend with the same amount and method as
another of the team within that many days, as rule possible_duplicate: the same payment
entered twice? Given again with --reason, it is recorded.

The rules one sets: max_per_spend, max_per_household_year, max_per_household_total,
repeat_household_days, second_opinion_above, and \\[rules.categories] (a message shown
for a category); a new ledger's maatwerk.toml has each as a comment.
""")


@app.command("rules", help=RULES_HELP)
def rules_command(
    team: str | None = typer.Argument(None, help="Only this team."),
    year: int | None = typer.Option(None, "--year", help="Only overrides in this year (default: all)."),
    voided: bool = typer.Option(False, "--voided",
                                help="Also list overrides whose spend was voided later (marked)."),
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    from ..render import listings

    to = out(fmt, output)
    lg = ledger()
    y = parse_year(year) if year is not None else None
    slugs = [lg.team(team).slug] if team else lg.team_slugs()
    human = to.format in ("table", "vertical", "markdown")
    in_force = [r for slug in slugs for r in listings.rule_records(slug, lg.rules(slug), human)]
    found, problems = lg.overrides(team, year=y, voided=voided)
    warn_problems(problems)
    records = [{
        "id": o.id, "team": o.team, "date": o.date, "amount": o.amount, "category": o.category,
        "rules": list(o.rules) if to.format == "json" else ", ".join(o.rules),
        "reason": o.reason, "by": o.by, "second_opinion": o.second_opinion, "voided": o.voided,
    } for o in found]
    listed = listings.overrides(records, tr("Overrides {year}", year=y) if y else tr("Overrides"))
    if y:
        listed = replace(listed, period=f"afwijkingen in {y}")
    if redact:
        listed = redacted(listed)
    if to.path is not None or to.format in ("csv", "csv-nl"):
        emit(listed, to)
        return
    emit([listings.rules(in_force), listed], to)


# --------------------------------------------------------------------------- knipkaart

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
    lg = ledger()
    when = parse_date(date, what="date") if date else today()
    use_id = lg.knipkaart_use(team, reason=reason, date=when, force=force, by=by,
                              allow_personal_data=allow_personal_data)
    print_lines(use_id)
    card = lg.knipkaart_status(team, year=when.year)[0]
    if card.used > card.limit:
        warn(tr("{id} is beyond the card: use {used:count} with {limit:count} on the card for {year}",
                id=use_id, used=card.used, limit=card.limit, year=when.year))


@knipkaart_app.command("status")
def knipkaart_status(
    team: str | None = typer.Argument(None, help="Only this team (default: every wijkteam)."),
    year: int | None = typer.Option(None, "--year", help="Calendar year (default: this year)."),
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    redact: RedactOpt = False,
) -> None:
    """How many knipkaart uses each team has left, and what they were used for.

    The list of uses shows where the system itself fails residents. JSON gives per team
    team, year, used, limit, remaining, beyond and uses (id, date, reason, beyond, by);
    csv, csv-nl and --output give one row per team.
    """
    from ..render import listings

    to = out(fmt, output)
    y = parse_year(year if year is not None else today().year)
    cards = ledger().knipkaart_status(team, year=y)
    rows: list[dict[str, Any]] = []
    uses: list[dict[str, Any]] = []
    for c in cards:
        listed: list[dict[str, Any]] = [
            {"team": c.team, "id": u.id, "date": u.date, "reason": u.reason, "beyond": u.beyond, "by": u.by}
            for u in c.uses
        ]
        uses.extend(listed)
        rows.append({"team": c.team, "year": c.year, "used": c.used, "limit": c.limit,
                     "remaining": c.remaining, "beyond": c.beyond,
                     "uses": [{**u, "date": u["date"].isoformat()} for u in listed]})
    redactor = Redactor() if redact else None
    if redactor is not None:
        rows, uses = redactor.records(rows), redactor.records(uses)
    title = f"Knipkaart {y}"
    if to.format == "json" and to.path is None:
        emit(listings.knipkaart(rows, title, with_uses=True), to)
        return
    if to.path is not None or to.format in ("csv", "csv-nl"):
        emit(replace(listings.knipkaart(rows, title), period=f"het jaar {y}"), to)
        return
    uses_view = listings.knipkaart_uses(uses)
    if redactor is not None:
        uses_view = replace(uses_view, columns=redactor.columns(uses_view.columns),
                            table=redactor.columns(uses_view.shown))
    emit([listings.knipkaart(rows, title), uses_view], to)


# --------------------------------------------------------------------------- household codes


@household_app.command("new")
def household_new(
    prefix: str = typer.Option("H", "--prefix", help="1 to 4 letters before the hyphen."),
    count: int = typer.Option(1, "--count", "-n", help="How many codes (1 to 1000)."),
    length: int = typer.Option(6, "--length", help="Characters after the hyphen (4 to 10)."),
    fmt: TextFormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Print fresh random pseudonymous household codes, like H-7KXM4P, one per line.

    Codes are drawn at random from letters and digits that are hard to mix up; they
    are never made from a name, birth date or BSN, so they reveal nothing. JSON and CSV
    give them under the key household.
    """
    from ..core.privacy import new_household_code
    from ..render import listings

    to = out(fmt, output, TEXT_FORMATS)
    if not 1 <= count <= 1000:
        raise InputError(tr("--count must be 1 to 1000, not {count}", count=count))
    made: dict[str, None] = {}  # in the order made
    for _ in range(count):
        made[new_household_code(prefix, length, existing=made.keys())] = None
    emit(listings.households(list(made)), to)


# --------------------------------------------------------------------------- retention

ANONYMISE_HELP = N_("""\
Replace the personal text of old entries (retention, AVG art. 5(1)(e)).

Entries dated before the cut-off (--before, else today less retention_years in
maatwerk.toml) keep their ids, dates, amounts, categories, methods, kinds and statuses,
so every figure of every report stays the same to the cent. Their household codes
become ANON-0001 and on (one number per household; a household that also has an entry
on or after the cut-off keeps its code), and their notes, reasons, conditions,
tegenprestaties, names (--by, second opinion) get the placeholder \\[anoniem], in every
line of the entry, events and voids included; bank lines dated before the cut-off lose
their description and counterparty. All journals and bank files change together, or
none; each journal records it in a line of type anonymise. --dry-run lists what would
change and writes nothing.
""")


@app.command("anonymise", help=ANONYMISE_HELP)
def anonymise_command(
    before: str | None = typer.Option(None, "--before", help="The cut-off: entries dated before this day."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would change; write nothing."),
    by: str | None = typer.Option(None, "--by", help="Who did it."),
    fmt: TextFormatOpt = None,
    output: OutputOpt = None,
) -> None:
    from ..ledger import AnonymiseRequest
    from ..render import listings

    to = out(fmt, output, TEXT_FORMATS)
    day = parse_date(before, what="--before") if before is not None else None
    result = ledger().anonymise(AnonymiseRequest(day, dry_run=dry_run, by=by))
    emit(listings.anonymised(result), to)
