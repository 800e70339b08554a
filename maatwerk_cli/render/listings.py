"""The listings as views: entries, teams, cash, bank lines, reconcile, rules and overrides,
the knipkaart, refusals. Data columns keep their JSON/CSV keys; tables get Dutch titles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..core.messages import N_, tr
from .columns import Column, Record
from .output import View
from .views import ENTRY_TABLE, entry_columns, listing

#: What a listing of budget holders says when there are none.
NO_TEAMS = N_("no teams yet")

TEAM_DATA = [Column("team"), Column("name"), Column("kind"), Column("year", kind="year"),
             Column("budget", kind="money", total=True), Column("base", kind="money", total=True),
             Column("changes", kind="money", total=True), Column("start", kind="date"),
             Column("end", kind="date")]
TEAM_TABLE = [Column("team", N_("team")), Column("name", N_("name")), Column("kind", N_("kind")),
              Column("year", N_("year"), "year"), Column("budget", N_("budget"), "money", total=True)]
#: Shown when some budget has top-ups, cuts or its own period.
TEAM_CHANGES = [Column("base", N_("base"), "money", total=True),
                Column("changes", N_("top-ups and cuts"), "money", total=True),
                Column("start", N_("from"), "date"), Column("end", N_("until"), "date")]


def team_record(team: Any, year: int) -> dict[str, Any]:
    """A budget holder's budget of ``year``: the whole budget, its base, the top-ups less
    cuts, and the period it runs."""
    plan = team.budget_year(year)
    return {"team": team.slug, "name": team.name, "kind": team.kind, "year": year, "budget": plan.total,
            "base": plan.base, "changes": plan.total - plan.base, "start": plan.first, "end": plan.last}


def teams(title: str, records: Sequence[Record], *, total: bool = True, empty: str = "") -> View:
    plain = all(r.get("changes", 0) == 0 and r.get("start") in (None, dt.date(r["year"], 1, 1))
                and r.get("end") in (None, dt.date(r["year"], 12, 31)) for r in records)
    table = TEAM_TABLE if plain else [*TEAM_TABLE, *TEAM_CHANGES]
    return listing(title, records, TEAM_DATA, table=table, total=total, sheet="teams", empty=empty or tr(NO_TEAMS))


def entries(records: Sequence[Record], fmt: str) -> View:
    """Entries: tables show the essentials, machine formats every field."""
    data = entry_columns()
    table = ENTRY_TABLE if fmt in ("table", "vertical", "markdown") else data
    return listing(tr("Entries"), records, data, table=table, total=True, sheet="entries", empty=tr("no entries"),
                   styles=lambda r: "dim strike" if r.get("voided") else None)


CASH_DATA = [Column("team"), Column("cash_on_hand", kind="money", total=True),
             Column("withdrawn", kind="money", total=True), Column("spent_cash", kind="money", total=True),
             Column("written_off", kind="money", total=True), Column("deposited", kind="money", total=True)]
CASH_TABLE = [
    Column("team", N_("team")),
    Column("cash_on_hand", N_("cash on hand"), "money", total=True,
           meaning=N_("withdrawn minus spent in cash, written off and deposited")),
    Column("withdrawn", N_("withdrawn"), "money", total=True, meaning=N_("cash withdrawn from the card account")),
    Column("spent_cash", N_("spent in cash"), "money", total=True, meaning=N_("spends paid in cash, not voided")),
    Column("written_off", N_("written off"), "money", total=True, meaning=N_("small remainders written off as spent")),
    Column("deposited", N_("deposited"), "money", total=True, meaning=N_("remainders deposited back into the account")),
]


def cash(records: Sequence[Record]) -> View:
    return listing(tr("Cash box"), records, CASH_DATA, table=CASH_TABLE, total=len(records) > 1, sheet="cash",
                   empty=tr(NO_TEAMS))


BANK_DATA = [Column("ref", kind="id"), Column("date", kind="date"), Column("amount", kind="money"),
             Column("direction"), Column("status"), Column("id", kind="id"), Column("description"),
             Column("source"), Column("import", kind="id")]
BANK_TABLE = [Column("ref", N_("ref"), "id"), Column("date", N_("date"), "date"),
              Column("amount", N_("amount"), "money"), Column("direction", N_("direction"), wide=True),
              Column("status", N_("status")), Column("id", N_("id"), "id"),
              Column("description", N_("description"), wide=True), Column("source", N_("file"), wide=True),
              Column("import", N_("import"), "id", wide=True)]


def bank_lines(records: Sequence[Record], *, open_only: bool) -> View:
    return listing(tr("Bank lines"), records, BANK_DATA, table=BANK_TABLE, sheet="bank",
                   empty=tr("no open bank lines") if open_only else tr("no bank lines imported"))


IMPORTS_DATA = [Column("import", kind="id"), Column("imported_at"), Column("source"), Column("format"),
                Column("account"), Column("bank_lines", kind="int"), Column("first", kind="date"),
                Column("last", kind="date"), Column("status"), Column("undone_by", kind="id")]
IMPORTS_TABLE = [Column("import", N_("import"), "id"), Column("imported_at", N_("imported at"), wide=True),
                 Column("source", N_("file"), wide=True), Column("format", N_("format"), wide=True),
                 Column("account", N_("account"), wide=True),
                 Column("bank_lines", N_("lines"), "int"), Column("first", N_("first"), "date"),
                 Column("last", N_("last"), "date"), Column("status", N_("status")),
                 Column("undone_by", N_("undone by"), "id")]


def bank_imports(records: Sequence[Record]) -> View:
    """A team's imports of statements (``bank imports``)."""
    return listing(tr("Statement imports"), records, IMPORTS_DATA, table=IMPORTS_TABLE, sheet="imports",
                   empty=tr("no statements imported"))


RECONCILE_DATA = [Column("problem"), Column("date", kind="date"), Column("amount", kind="money"),
                  Column("recorded", kind="money"), Column("ref", kind="id"), Column("id", kind="id"),
                  Column("description"), Column("until", kind="date")]
RECONCILE_TABLE = [Column("problem", N_("problem")), Column("date", N_("date"), "date"),
                   Column("until", N_("until"), "date", wide=True),
                   Column("amount", N_("amount"), "money"), Column("recorded", N_("recorded"), "money"),
                   Column("ref", N_("ref"), "id"), Column("id", N_("id"), "id"),
                   Column("description", N_("description"), wide=True)]


def mismatch_record(m: Any, human: bool) -> dict[str, Any]:
    """A :class:`~maatwerk_cli.ops.bank.Mismatch` as a record of :data:`RECONCILE_DATA`: its
    description in the run's language for people, in English for scripts (JSON and CSV are the
    same in every language)."""
    return {**{c.key: getattr(m, c.key) for c in RECONCILE_DATA}, "description": _meaning(m.description, human)}


def reconcile(records: Sequence[Record], covered: Sequence[Any] = ()) -> View:
    """The findings, with a line under them per own account saying which days its imported
    statements cover (:class:`~maatwerk_cli.ops.bank.Covered`): "agree" is only ever said of those."""
    # People read the problems as words (columns.word); scripts get the contract's names
    # (bank_without_entry, ...).
    footer = [tr("statements of {account} cover {first:date} to {last:date} (from the first to the last "
                 "bank line, {n:plural:line|lines})", account=c.account or tr("an account they do not name"),
                 first=c.first, last=c.last, n=c.bank_lines) for c in covered]
    # With nothing found the table is not shown, nor its footer: "agree" says of which days.
    return listing(tr("Reconcile"), records, RECONCILE_DATA, table=RECONCILE_TABLE, sheet="reconcile",
                   empty="\n".join([tr("bank and ledger agree"), *footer]), footer=footer)


RULE_DATA = [Column("team"), Column("rule"), Column("category"), Column("value"), Column("meaning"),
             Column("source")]
RULE_TABLE = [Column("team", N_("team")), Column("rule", N_("rule")), Column("category", N_("category")),
              Column("value", N_("value")), Column("meaning", N_("meaning"), wide=True),
              Column("source", N_("source"), wide=True)]
OVERRIDE_DATA = [Column("id", kind="id"), Column("team"), Column("date", kind="date"),
                 Column("amount", kind="money"), Column("category"), Column("rules"), Column("reason"),
                 Column("by"), Column("second_opinion"), Column("voided", kind="bool")]
OVERRIDE_TABLE = [
    Column("id", N_("id"), "id"), Column("team", N_("team"), wide=True), Column("date", N_("date"), "date"),
    Column("amount", N_("amount"), "money"), Column("category", N_("category")), Column("rules", N_("rules")),
    Column("reason", N_("reason")), Column("by", N_("by"), wide=True),
    Column("second_opinion", N_("second opinion"), wide=True), Column("voided", N_("voided"), "bool", wide=True),
]


def rules(records: Sequence[Record]) -> View:
    return listing(tr("Rules of thumb in force"), records, RULE_DATA, table=RULE_TABLE, sheet="rules", key="rules",
                   empty=tr("no rules of thumb set; add them under [rules] in maatwerk.toml "
                            "(`maatwerk rules --help` names them)"))


def overrides(records: Sequence[Record], title: str = "") -> View:
    return listing(title or tr("Overrides"), records, OVERRIDE_DATA, table=OVERRIDE_TABLE, sheet="overrides",
                   key="overrides", empty=tr("no overrides recorded"))


CARD_DATA = [Column("team"), Column("year", kind="year"), Column("used", kind="int", total=True),
             Column("limit", kind="int", total=True), Column("remaining", kind="int", total=True),
             Column("beyond", kind="int", total=True)]
CARD_TABLE = [Column("team", N_("team")), Column("year", N_("year"), "year"),
              Column("used", N_("used"), "int", total=True), Column("limit", N_("on the card"), "int", total=True),
              Column("remaining", N_("remaining"), "int", total=True),
              Column("beyond", N_("beyond the card"), "int", total=True)]
USE_DATA = [Column("team"), Column("id", kind="id"), Column("date", kind="date"), Column("reason"),
            Column("beyond", kind="bool"), Column("by")]
USE_TABLE = [Column("team", N_("team")), Column("id", N_("id"), "id"), Column("date", N_("date"), "date"),
             Column("reason", N_("reason")), Column("beyond", N_("beyond the card"), "bool"),
             Column("by", N_("by"), wide=True)]


def knipkaart(cards: Sequence[Record], title: str, *, with_uses: bool = False) -> View:
    data = [*CARD_DATA, Column("uses")] if with_uses else CARD_DATA
    return listing(title, cards, data, table=CARD_TABLE, total=True, sheet="knipkaart", key="cards",
                   empty=tr(NO_TEAMS))


def knipkaart_uses(uses: Sequence[Record]) -> View:
    return listing(tr("What the exceptions were used for"), uses, USE_DATA, table=USE_TABLE,
                   sheet="knipkaart uses", key="uses", empty=tr("no uses this year"))


REFUSAL_DATA = [Column("id", kind="id"), Column("team"), Column("date", kind="date"),
                Column("amount", kind="money"), Column("category"), Column("household", kind="id"),
                Column("reason"), Column("by")]
REFUSAL_TABLE = [Column("id", N_("id"), "id"), Column("team", N_("team")), Column("date", N_("date"), "date"),
                 Column("amount", N_("asked"), "money", meaning=N_("the amount asked for, where known")),
                 Column("category", N_("category")), Column("household", N_("household"), "id", wide=True),
                 Column("reason", N_("reason"), meaning=N_("why the request was refused")),
                 Column("by", N_("by"), wide=True)]


def refusals(records: Sequence[Record], title: str, total: Record | None = None) -> View:
    return View(title=title, columns=REFUSAL_DATA, records=records, table=REFUSAL_TABLE, total=total,
                sheet="refusals", empty=tr("no refusals recorded"))


def rule_records(team: str, rules: Any, human: bool) -> list[dict[str, Any]]:
    """The rules of thumb in force for a team (its :class:`~maatwerk_cli.ops.rules.Rules`),
    one record each: values for people when ``human`` (``€ 1.500,00``, ``10 times``,
    ``30 days``), plain for scripts."""
    from decimal import Decimal

    from ..ops.rules import COUNT_RULES, FACTOR_RULES, RULE_HELP

    out: list[dict[str, Any]] = []
    for name, category, value in rules.listing():
        if name in FACTOR_RULES and isinstance(value, Decimal):
            # A number of times, not an amount: 10, not 10.00 (1,5 when it has a fraction).
            factor: object = int(value) if value == value.to_integral_value() else value.normalize()
            shown: object = tr("{n} times", n=str(factor).replace(".", ",")) if human else factor
        elif name in COUNT_RULES and isinstance(value, int):
            shown = tr("{n:plural:spend|spends}", n=value) if human else value
        else:
            shown = rule_value(value, human)
        out.append({"team": team, "rule": name, "category": category, "value": shown,
                    "meaning": _meaning(RULE_HELP[name], human), "source": rules.source(name, category)})
    return out


def _meaning(text: Any, human: bool) -> str:
    """What a rule says: in the run's language for people, in English for scripts (JSON and
    CSV are the same in every language)."""
    from ..core.messages import Msg

    return text.text("en") if isinstance(text, Msg) and not human else str(text)


def rule_value(value: Any, human: bool) -> Any:
    from decimal import Decimal

    from ..core.money import format_eur

    if isinstance(value, Decimal):
        return format_eur(value) if human else value
    if isinstance(value, int):
        return tr("{n} days", n=value) if human else value
    if human and value == "on":  # a rule that is on or off: the word in the run's language
        return tr("on")
    return value


# --------------------------------------------------------------------------- results of a command

PROBLEM_DATA = [Column("file"), Column("line", kind="int"), Column("message")]
PROBLEM_TABLE = [Column("file", N_("file")), Column("line", N_("line"), "int"),
                 Column("message", N_("problem"), meaning=N_("what is wrong, and how to fix it"))]


def problems(found: Sequence[Any]) -> View:
    """What ``check`` found: file, line and message; as text one line each (or ``ok``)."""
    none = tr("ok: no problems found")
    return View(tr("Problems"), PROBLEM_DATA,
                [{"file": p.file, "line": p.line, "message": p.message} for p in found],
                table=PROBLEM_TABLE, sheet="problems", key="problems", empty=none,
                text_lines=[str(p) for p in found] or [none])


HOUSEHOLD_DATA = [Column("household", N_("household"), "id")]


def households(codes: Sequence[str]) -> View:
    """Fresh household codes; as text, one per line."""
    return View(tr("Household codes"), HOUSEHOLD_DATA, [{"household": c} for c in codes], sheet="households",
                key="households", empty=tr("no codes"), text_lines=list(codes))


IMPORT_DATA = [Column("file"), Column("dry_run", kind="bool"), Column("count", kind="int"),
               Column("first_id", kind="id"), Column("last_id", kind="id")]
IMPORT_TABLE = [Column("file", N_("file"), wide=True), Column("dry_run", N_("dry run"), "bool"),
                Column("count", N_("lines"), "int", meaning=N_("the lines imported (or, in a dry run, that would be)")),
                Column("first_id", N_("first id"), "id"), Column("last_id", N_("last id"), "id")]
CORRECTED_DATA = [Column("row", kind="int"), Column("id", kind="id"), Column("correction", kind="id")]
CORRECTED_TABLE = [Column("row", N_("row"), "int", meaning=N_("the row in the sheet")),
                   Column("id", N_("id"), "id", meaning=N_("the spend the row corrects")),
                   Column("correction", N_("correction"), "id", meaning=N_("the correction line written"))]
SKIPPED_DATA = [Column("row", kind="int"), Column("id", kind="id"), Column("recorded_at")]
SKIPPED_TABLE = [Column("row", N_("row"), "int", meaning=N_("the row in the sheet")),
                 Column("id", N_("id"), "id", meaning=N_("the entry the row became before")),
                 Column("recorded_at", N_("imported"), meaning=N_("when the row was imported before"))]


def entries_import(result: Any, file: str, *, dry_run: bool) -> list[View]:
    """What ``import entries`` did (or would do): a summary, and the rows skipped as
    imported before (``--new-only``)."""
    from ..ops.fingerprint import when

    if dry_run:
        lines = [tr("would import {n} entries", n=result.count)]
    elif result.first_id:
        lines = [tr("imported {n} entries ({first} .. {last})", n=result.count, first=result.first_id,
                    last=result.last_id)]
    else:
        lines = [tr("imported {n} entries", n=result.count)]
    if result.corrected:
        lines.append(tr("would correct {n} entries:", n=len(result.corrected)) if dry_run
                     else tr("corrected {n} entries:", n=len(result.corrected)))
        lines.extend("  " + (tr("row {row}: {id}", row=c.row, id=c.id) if dry_run else
                             tr("row {row}: {id} (correction {correction})", row=c.row, id=c.id,
                                correction=c.correction))
                     for c in result.corrected)
    if result.skipped:
        lines.append(tr("skipped {n} row(s) imported before:", n=len(result.skipped)))
        lines.extend("  " + tr("row {row}: {id} ({when})", row=s.row, id=s.known.id, when=when(s.known.recorded_at))
                     for s in result.skipped)
    summary = View(tr("Import of {file}", file=file), IMPORT_DATA, [{
        "file": file, "dry_run": dry_run, "count": result.count, "first_id": result.first_id,
        "last_id": result.last_id}], table=IMPORT_TABLE, sheet="import", single=True, text_lines=lines)
    skipped = View(tr("Rows imported before, skipped"), SKIPPED_DATA,
                   [{"row": s.row, "id": s.known.id, "recorded_at": s.known.recorded_at} for s in result.skipped],
                   table=SKIPPED_TABLE, sheet="skipped", key="skipped", empty=tr("no rows skipped"))
    corrected = View(tr("Rows with an id: corrections"), CORRECTED_DATA,
                     [{"row": c.row, "id": c.id, "correction": c.correction} for c in result.corrected],
                     table=CORRECTED_TABLE, sheet="corrected", key="corrected", empty=tr("no corrections"))
    return [summary, skipped, corrected]


BANK_IMPORT_DATA = [Column("team"), Column("format"), Column("source"), Column("dry_run", kind="bool"),
                    Column("added", kind="int"), Column("added_debits", kind="int"),
                    Column("added_credits", kind="int"), Column("already_imported", kind="int"),
                    Column("layout"), Column("note"), Column("import", kind="id")]
BANK_IMPORT_TABLE = [
    Column("team", N_("team")), Column("source", N_("file"), wide=True), Column("layout", N_("layout"), wide=True),
    Column("dry_run", N_("dry run"), "bool"), Column("added", N_("new"), "int", meaning=N_("new bank lines")),
    Column("added_debits", N_("payments"), "int", meaning=N_("new payments (money out)")),
    Column("added_credits", N_("credits"), "int", meaning=N_("new lines of money in")),
    Column("already_imported", N_("already imported"), "int", meaning=N_("lines that had been imported before")),
    Column("import", N_("import"), "id"),
]
BANK_IMPORT_LINE = [Column("ref", kind="id"), Column("date", kind="date"), Column("amount", kind="money"),
                    Column("direction"), Column("description")]
BANK_IMPORT_LINES = [Column("result"), *BANK_IMPORT_LINE, Column("id", kind="id")]
BANK_IMPORT_LINES_TABLE = [Column("result", N_("result")), Column("ref", N_("ref"), "id"),
                           Column("date", N_("date"), "date"),
                           Column("amount", N_("amount"), "money"), Column("direction", N_("direction"), wide=True),
                           Column("description", N_("description"), wide=True), Column("id", N_("id"), "id")]
#: Lines listed as imported from another download before the summary says how many more.
LISTED = 10


def _bank_line(line: Any, **more: str) -> dict[str, Any]:
    return {"ref": line.ref, "date": line.date, "amount": line.amount, "direction": line.direction,
            "description": line.description, **more}


def bank_import(result: Any, fmt: str) -> list[View]:
    """What ``import bank`` did (or would do): as text the lines it always printed; as JSON
    the summary's fields with the lists ``linked``, ``open``, ``credits`` and
    ``from_other_download``; as CSV every line with its ``result`` (``linked``, ``open``,
    ``credit``, ``other_download``); else a summary and the lines."""
    debits = sum(1 for s in result.added if s.direction == "debit")
    summary = View(tr("Bank statement {source}", source=result.source), BANK_IMPORT_DATA, [{
        "team": result.team, "format": result.format, "source": result.source, "dry_run": result.dry_run,
        "added": len(result.added), "added_debits": debits, "added_credits": len(result.credits),
        "already_imported": result.known, "layout": result.layout, "note": result.note,
        "import": result.import_id}],
        table=BANK_IMPORT_TABLE, sheet="statement", single=True, text_lines=_bank_import_text(result, debits),
        footer=[tr("note: {note}", note=result.note)] if result.note else [])
    groups = {
        "linked": [_bank_line(line, id=target) for line, target in result.linked],
        "open": [_bank_line(line) for line in result.open],
        "credits": [_bank_line(line) for line in result.credits],
        "from_other_download": [_bank_line(line) for line in result.elsewhere],
    }
    if fmt == "json":
        return [summary, *(View(key, [*BANK_IMPORT_LINE, Column("id", kind="id")] if key == "linked"
                                else BANK_IMPORT_LINE, rows, key=key) for key, rows in groups.items())]
    words = {"linked": "linked", "open": "open", "credits": "credit", "from_other_download": "other_download"}
    lines = View(tr("Bank lines"), BANK_IMPORT_LINES,
                 [{"result": words[key], "id": "", **row} for key, rows in groups.items() for row in rows],
                 table=BANK_IMPORT_LINES_TABLE, sheet="lines", empty=tr("no bank lines to list"))
    return [lines] if fmt in ("csv", "csv-nl") else [summary, lines]


def _bank_import_text(result: Any, debits: int) -> list[str]:
    from ..core.money import format_eur
    from ..formats.bank import FORMAT_NAMES

    def text(line: Any) -> str:
        return f"{line.date.strftime('%d-%m-%Y')}  {format_eur(line.amount):>12}  {line.description[:60]}"

    dry_run = result.dry_run
    values = {"layout": result.layout or FORMAT_NAMES.get(result.format, result.format), "source": result.source,
              "team": result.team, "n": len(result.added), "payments": debits, "credits": len(result.credits),
              "known": result.known}
    out = [tr("{layout} {source} for {team}: would add {n} line(s) ({payments} payments, {credits} credits); "
              "{known} already imported", **values) if dry_run else
           tr("{layout} {source} for {team}: added {n} line(s) ({payments} payments, {credits} credits); "
              "{known} already imported", **values)]
    if result.import_id:
        out.append(tr("import {id}; to take it out again: maatwerk bank undo {team} {id} --reason TEXT",
                      id=result.import_id, team=result.team))
    if result.note:
        out.append(tr("note: {note}", note=result.note))
    if result.elsewhere:
        out.append(tr("already imported from another download of these days ({n}, "
                      "same date and amount under another reference):", n=len(result.elsewhere)))
        out.extend(f"  {text(line)}" for line in result.elsewhere[:LISTED])
        if len(result.elsewhere) > LISTED:  # a whole month again in another format: all in --json
            out.append("  " + tr("... and {n} more (--json lists them all)", n=len(result.elsewhere) - LISTED))
    if result.linked:
        out.append(tr("would link {n}:", n=len(result.linked)) if dry_run
                   else tr("linked {n}:", n=len(result.linked)))
        out.extend(f"  {text(line)}  -> {target}" for line, target in result.linked)
    if result.credits:
        out.append(tr("money in ({n}), needs no entry:", n=len(result.credits)))
        out.extend(f"  {text(line)}" for line in result.credits)
    if result.open:
        out.append(tr("open: {n} payment(s) without an entry:", n=len(result.open)))
        out.extend(f"  {text(line)}  ref {line.ref}" for line in result.open)
        first = result.open[0]
        amount = format_eur(first.amount, symbol=False)
        out.append(tr("complete them with: maatwerk spend {team} {amount} -c CATEGORY --bank-line {ref}",
                      team=result.team, amount=amount, ref=first.ref) + "\n  "
                   + tr("(a cash withdrawal: maatwerk cash withdraw {team} {amount} --bank-line REF; "
                        "no entry at all: maatwerk bank explain {team} REF --reason TEXT)",
                        team=result.team, amount=amount))
    if dry_run:
        out.append(tr("dry run: nothing was written"))
    return out


ANON_DATA = [Column("before", kind="date"), Column("dry_run", kind="bool"), Column("lines", kind="int"),
             Column("bank_lines", kind="int"), Column("households", kind="int")]
ANON_TEAM_DATA = [Column("team"), Column("lines", kind="int"), Column("bank_lines", kind="int"),
                  Column("first_id", kind="id"), Column("last_id", kind="id"), Column("event", kind="id")]
ANON_TEAM_TABLE = [Column("team", N_("team")),
                   Column("lines", N_("lines"), "int", total=True,
                          meaning=N_("journal lines whose personal text is (or would be) replaced")),
                   Column("bank_lines", N_("bank lines"), "int", total=True,
                          meaning=N_("bank lines whose description and counterparty are (or would be) replaced")),
                   Column("first_id", N_("first id"), "id"), Column("last_id", N_("last id"), "id"),
                   Column("event", N_("recorded as"), "id", meaning=N_("the journal line that records it"))]


def anonymised(result: Any) -> list[View]:
    """What ``anonymise`` did (or would do): a summary, and per team the lines changed."""
    before = result.before
    teams = [{"team": t.team, "lines": len(t.changed), "bank_lines": t.bank_lines,
              "first_id": t.changed[0][1] if t.changed else "", "last_id": t.changed[-1][1] if t.changed else "",
              "event": t.event} for t in result.teams]
    would = N_("would anonymise {lines} journal line(s) and {bank} bank line(s) dated before {before:date}")
    did = N_("anonymised {lines} journal line(s) and {bank} bank line(s) dated before {before:date}")
    said = would if result.dry_run else did
    lines = [tr(said, lines=result.line_count, bank=result.bank_lines, before=before)]
    for t in result.teams:
        ids = [i for _, i, _ in t.changed]
        lines.append("  " + tr("{team}: {lines} line(s) ({first} .. {last}), {bank} bank line(s)", team=t.team,
                               lines=len(ids), first=ids[0] if ids else "-", last=ids[-1] if ids else "-",
                               bank=t.bank_lines))
    summary = View(tr("Anonymised"), ANON_DATA, [{
        "before": before, "dry_run": result.dry_run, "lines": result.line_count, "bank_lines": result.bank_lines,
        "households": result.households}], sheet="anonymised", single=True, text_lines=lines)
    per_team = View(tr("Per team"), ANON_TEAM_DATA, teams, table=ANON_TEAM_TABLE, total=None, sheet="teams",
                    key="teams", empty=tr("nothing to anonymise"))
    return [summary, per_team]
