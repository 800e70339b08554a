"""``maatwerk check``: every problem in a ledger folder at once, with file and line.

The reader already sets aside torn and damaged lines, and the fold settles what each line
does; this module adds what needs the whole picture: unique ids in order, events that
refer to real entries, sums that add up, known categories and values, personal data in
free text, the cash box, bank links and the knipkaart, receipts (a file gone, changed, or
recorded by no line), and an unfinished-import marker that does not fit the journals.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.dates import quoted
from ..core.errors import MaatwerkError, Problem
from ..core.messages import Msg, msg
from ..core.money import ZERO
from ..core.records import AMENDABLE, KINDS, METHODS, OUTCOMES, TEGENPRESTATIE_STATUSES, Row, split_id
from ..core.text import fold_text
from .base import folder_of

if TYPE_CHECKING:
    from ..core.fold import Book
    from ..store.folder import LedgerFolder


def check_ledger(ledger: Any) -> list[Problem]:
    """All problems in the folder; an empty list means clean."""
    from ..store.folder import LINK_FIX
    from ..store.pending import set_aside_files

    folder: LedgerFolder = folder_of(ledger)
    problems: list[Problem] = []
    try:
        settings = folder.settings
    except MaatwerkError as exc:
        return list(exc.problems) or [_problem(folder.display(folder.settings_path), str(exc))]
    categories = {fold_text(c) for c in settings.categories}
    for link in folder.links():
        problems.append(Problem(folder.display(link), 0, str(msg("check.symbolic_link", fix=LINK_FIX))))
    try:
        from ..core.privacy import household_pattern

        household_pattern(settings.raw, folder.display(folder.settings_path))
    except MaatwerkError as exc:
        problems.append(Problem(folder.display(folder.settings_path), 0, str(exc)))
    slugs, bad_names = folder.team_files()
    problems.extend(bad_names)
    if folder.teams_dir.is_dir():
        stems = {p.name.removesuffix(".toml") for p in folder.teams_dir.glob("*.toml")}
        for csv_path in sorted(folder.teams_dir.glob("*.csv")):
            # teams/<slug>.csv is a journal, teams/<slug>.bank.csv its bank lines.
            owner = csv_path.name.removesuffix(".csv").removesuffix(".bank")
            if owner not in stems:
                code = "check.bank_file_without_team" if csv_path.name.endswith(".bank.csv") \
                    else "check.journal_without_team"
                problems.append(Problem(folder.display(csv_path), 0, str(msg(code, team=owner))))
    for moved in set_aside_files(folder.root):
        problems.append(Problem(folder.display(moved), 0, str(msg("check.marker_set_aside"))))
    with folder.lenient():
        problems.extend(_check_teams(folder, slugs, categories))
    return problems


def _check_teams(folder: LedgerFolder, slugs: list[str], categories: set[str]) -> list[Problem]:
    """The team files and journals of the valid teams."""
    from .bank import check_bank
    from .cash import check_cash
    from .knipkaart import check_rows as check_knipkaart
    from .rules import check_team_rules

    problems: list[Problem] = []
    good = []
    for slug in slugs:
        try:
            folder.load_team(slug)
            good.append(slug)
        except MaatwerkError as exc:
            problems.extend(exc.problems or [_problem(folder.display(folder.team_path(slug)), str(exc))])
    books = folder.books(good)
    problems.extend(books.notes)
    scan = folder.settings.section("privacy").get("scan", True) is not False
    aged = _aged(folder, good)
    for slug in good:
        folded = books[slug]
        name = folded.file
        book = folded.book
        problems.extend(folded.problems)
        rows = _rows(book)
        problems.extend(_check_rows(book, rows, name, categories))
        if scan:
            problems.extend(_check_privacy(rows, name))
        problems.extend(aged.get(slug, []))
        problems.extend(check_cash(book, name))
        problems.extend(check_bank(folder, slug, book, name))
        problems.extend(check_team_rules(folder, slug))
        problems.extend(check_knipkaart(folder, slug, book, name))
    from .receipts import check_receipts, check_required

    team_books = {slug: books[slug].book for slug in good}
    files = {slug: books[slug].file for slug in good}
    problems.extend(check_receipts(folder, team_books, files))
    problems.extend(check_required(folder, team_books, files))
    return problems


def _aged(folder: LedgerFolder, slugs: list[str]) -> dict[str, list[Problem]]:
    """Personal text kept longer than ``retention_years``: per team one finding for its
    journal and one for its bank file."""
    from .anonymise import RETENTION_KEY, old_personal

    try:
        found = old_personal(folder, slugs)
    except MaatwerkError as exc:
        return {slugs[0]: [_problem(folder.display(folder.settings_path), str(exc))]} if slugs else {}
    if found is None:
        return {}
    day, per_team = found
    out: dict[str, list[Problem]] = {}
    for slug, (lines, first, bank) in per_team.items():
        if lines:
            out.setdefault(slug, []).append(Problem(folder.display(folder.journal_path(slug)), first, str(msg(
                "check.retention_journal", lines=lines, before=day.isoformat(), key=RETENTION_KEY))))
        if bank:
            out.setdefault(slug, []).append(Problem(folder.display(folder.bank_path(slug)), 0, str(msg(
                "check.retention_bank", lines=bank, before=day.isoformat(), key=RETENTION_KEY))))
    return out


def _problem(file: str, message: str) -> Problem:
    """A whole-file problem; the message of a LedgerError often names the file already."""
    return Problem(file, 0, message.removeprefix(f"{file}: "))


def _rows(book: Book) -> list[Row]:
    return book.rows()


def _check_rows(book: Book, rows: Sequence[Row], name: str, categories: set[str]) -> list[Problem]:
    """The lines in their order, as the fold read them: what does not add up.

    An entry is judged as the fold leaves it (:meth:`~maatwerk_cli.core.fold.Book.entries`):
    its corrected amount, date, category, method and kind. A value that is wrong is
    reported on the line it comes from: the spend, or the correction (``amend``) that set
    it last. A correction is a line too: it needs a reason, an earlier spend that was not
    voided when it was written, and fields the fold knows.
    """
    from ..core.fold import REQUESTED, requested_day

    out: list[Problem] = []
    first_line: dict[str, int] = {}
    last_seq = 0
    paid_back: dict[str, Decimal] = {}
    voided: set[str] = set()
    spends: dict[str, Row] = {}
    entries = {e.id: e for e in book.entries()}
    source = _sources(book, rows)

    def bad(row: Row, message: Msg) -> None:
        out.append(Problem(name, row.line, str(msg("check.line", id=row.id, message=message))))

    for i, row in enumerate(rows):
        if book.dup[i]:
            bad(row, msg("check.id_used_before", line=first_line[row.id]))
            continue
        first_line[row.id] = row.line
        _, year, seq = split_id(row.id)
        if seq <= last_seq:
            bad(row, msg("check.id_out_of_order"))
        last_seq = max(last_seq, seq)
        if year != row.date.year:
            bad(row, msg("check.id_year_mismatch", year=year, date=row.date.isoformat()))
        if row.type == "spend":
            spends[row.id] = row
            continue
        if row.type == "refusal":
            if not row.reason:
                bad(row, msg("check.refusal_without_reason"))
            continue
        if row.type == "void":
            if book.target[i] < 0:
                bad(row, msg("check.refers_to_no_line", ref=row.ref or msg("check.nothing")))
            elif row.ref in voided:
                bad(row, msg("check.refers_to_voided", ref=row.ref))
            elif not book.cancelled[i]:
                voided.add(row.ref)  # a void undone later (a void of this void) voids nothing
            continue
        if row.type in ("withdraw", "settle", "knipkaart", "bank-link", "anonymise", "bank-undo"):
            continue  # checked by their own modules
        if row.type == "amend" and not row.reason:
            bad(row, msg("check.amend_without_reason"))
        if row.ref not in spends or book.entry_of[i] < 0:
            bad(row, msg("check.refers_to_no_spend", ref=row.ref or msg("check.nothing")))
            continue
        if row.ref in voided:
            bad(row, msg("check.refers_to_voided", ref=row.ref))
        if book.cancelled[i]:
            continue  # undone: its amount and kind do not count
        entry = entries[row.ref]
        if row.type == "kind":
            if row.kind not in KINDS:
                bad(row, msg("check.unknown_kind", kind=repr(row.kind)))
        elif row.type == "amend":
            for problem in _amend_fields(row):
                bad(row, problem)
        elif row.type == "tegenprestatie" and row.status not in TEGENPRESTATIE_STATUSES:
            bad(row, msg("check.unknown_tegenprestatie_status", status=repr(row.status)))
        elif row.type == "outcome" and row.status not in OUTCOMES:
            bad(row, msg("check.unknown_outcome", outcome=repr(row.status)))
        elif row.type in ("repay", "recovered"):
            if row.amount is None or row.amount <= 0:
                bad(row, msg("check.event_without_amount", type=row.type))
                continue
            if row.type == "repay" and entry.kind == "gift":
                bad(row, msg("check.repayment_on_gift", ref=row.ref))
            if row.date < entry.date:
                bad(row, msg("check.paid_back_before_spent", date=row.date.isoformat(), ref=row.ref,
                             spent=entry.date.isoformat()))
            total = paid_back.get(row.ref, ZERO) + row.amount
            paid_back[row.ref] = total
            if total > entry.amount:
                bad(row, msg("check.paid_back_more_than_spent", total=total, spent=entry.amount))
    # Each entry as it stands, its values told on the line that gave them.
    for entry_id, spend in spends.items():
        entry = entries[entry_id]
        at = source.get(entry_id, {})

        def where(field: str, spend: Row = spend, at: dict[str, Row] = at) -> Row:
            return at.get(field, spend)

        if entry.amount <= 0:
            bad(where("amount"), msg("check.spend_without_amount"))
        if fold_text(entry.category) not in categories:
            bad(where("category"), msg("check.unknown_category", category=repr(entry.category)))
        if entry.method not in METHODS:
            bad(where("method"), msg("check.unknown_method", method=repr(entry.method)))
        if where("kind").type != "kind":  # a kind event is checked on its own line
            if entry.kind not in KINDS:
                bad(where("kind"), msg("check.unknown_kind", kind=repr(entry.kind)))
            elif entry.kind == "conditional" and not entry.condition:
                bad(where("kind"), msg("check.conditional_without_condition"))
        if REQUESTED in spend.extra:
            asked = requested_day(spend.extra[REQUESTED])
            if asked is None:
                bad(spend, msg("check.requested_not_a_date", requested=quoted(spend.extra[REQUESTED])))
            elif asked > entry.date:
                bad(where("date"), msg("check.requested_after_paid", requested=asked.isoformat(),
                                       paid=entry.date.isoformat()))
    out.sort(key=lambda p: p.line)
    return out


def _sources(book: Book, rows: Sequence[Row]) -> dict[str, dict[str, Row]]:
    """Per entry with corrections or kind events that stand: the line that last set each
    field (the fold's answer, :meth:`~maatwerk_cli.core.fold.Book.corrections`); a field
    not listed comes from the spend itself."""
    import numpy as np

    about = np.union1d(book.rows_of("amend"), book.rows_of("kind"))
    about = about[book.entry_of[about] >= 0]
    out: dict[str, dict[str, Row]] = {}
    for e in np.unique(book.entry_of[about]).tolist():
        spend = rows[int(book.spends[e])]
        setters: dict[int, tuple[str, ...]] = {
            j: tuple(f for f, _, _ in changes) for j, changes in book.corrections(e).items() if book.live[j]}
        for j in book.standing_events(e):
            if book.line_type(j) == "kind":
                setters[j] = ("kind", "due", "condition")
        fields: dict[str, Row] = {}
        for j in sorted(setters):
            fields.update(dict.fromkeys(setters[j], rows[j]))
        out[spend.id] = fields
    return out


def _amend_fields(row: Row) -> list[Msg]:
    """What is wrong with the fields a correction names (its values are judged on the
    entry they make, above)."""
    from ..core.fold import requested_day
    from ..core.receipts import RECEIPT

    fields = row.extra.get("amended")
    known = (*AMENDABLE, RECEIPT)  # a receipt given later: ops/receipts.py checks its file
    if not isinstance(fields, list) or not fields or any(f not in known for f in fields):
        named = ", ".join(map(_shown, fields)) if isinstance(fields, list) and fields else _shown(fields)
        return [msg("check.amend_fields", fields=quoted(named), choices=known)]
    if "date" in fields and requested_day(row.extra.get("date")) is None:
        return [msg("check.amend_date_not_a_date", date=quoted(_shown(row.extra.get("date"))))]
    return []


def _shown(value: object) -> str:
    """A value from a line's extra cell as a message shows it: text as it is, else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _check_privacy(rows: Sequence[Row], name: str) -> list[Problem]:
    from ..core.privacy import check_fields

    out: list[Problem] = []
    for row in rows:
        if row.extra.get("personal_data_allowed"):
            continue
        fields = {
            "note": row.note,
            "reason": row.reason,
            "tegenprestatie": row.tegenprestatie,
            "condition": row.condition,
            "household": row.household,
            "by": row.by,
            "second opinion": str(row.extra.get("second_opinion", "")),
        }
        for field, finding in check_fields(fields):
            out.append(Problem(name, row.line, str(msg("check.line", id=row.id, message=msg(
                "check.personal_data", field=field, finding=finding.masked)))))
    return out
