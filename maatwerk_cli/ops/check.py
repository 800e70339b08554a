"""``maatwerk check``: every problem in a ledger folder at once, with file and line.

The reader already sets aside torn and damaged lines, and the fold settles what each line
does; this module adds what needs the whole picture: unique ids in order, events that
refer to real entries, sums that add up, known categories and values, personal data in
free text, the cash box, bank links and the knipkaart, receipts (a file gone, changed, or
recorded by no line), and an unfinished-import marker that does not fit the journals.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.dates import quoted
from ..core.errors import MaatwerkError, Problem
from ..core.messages import Msg, msg
from ..core.money import ZERO
from ..core.records import KINDS, METHODS, OUTCOMES, TEGENPRESTATIE_STATUSES, Row, split_id
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
    """The lines in their order, as the fold read them: what does not add up."""
    from ..core.fold import REQUESTED, requested_day

    out: list[Problem] = []
    first_line: dict[str, int] = {}
    last_seq = 0
    paid_back: dict[str, Decimal] = {}
    voided: set[str] = set()
    kind_of: dict[str, str] = {}
    spends: dict[str, Row] = {}

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
            kind_of[row.id] = row.kind
            if row.amount is None or row.amount <= 0:
                bad(row, msg("check.spend_without_amount"))
            if fold_text(row.category) not in categories:
                bad(row, msg("check.unknown_category", category=repr(row.category)))
            if row.method not in METHODS:
                bad(row, msg("check.unknown_method", method=repr(row.method)))
            if row.kind not in KINDS:
                bad(row, msg("check.unknown_kind", kind=repr(row.kind)))
            if row.kind == "conditional" and not row.condition:
                bad(row, msg("check.conditional_without_condition"))
            if REQUESTED in row.extra:
                asked = requested_day(row.extra[REQUESTED])
                if asked is None:
                    bad(row, msg("check.requested_not_a_date", requested=quoted(row.extra[REQUESTED])))
                elif asked > row.date:
                    bad(row, msg("check.requested_after_paid", requested=asked.isoformat(),
                                 paid=row.date.isoformat()))
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
        if row.ref not in spends or book.entry_of[i] < 0:
            bad(row, msg("check.refers_to_no_spend", ref=row.ref or msg("check.nothing")))
            continue
        if row.ref in voided:
            bad(row, msg("check.refers_to_voided", ref=row.ref))
        if book.cancelled[i]:
            continue  # undone: its amount and kind do not count
        if row.type == "kind":
            if row.kind not in KINDS:
                bad(row, msg("check.unknown_kind", kind=repr(row.kind)))
            else:
                kind_of[row.ref] = row.kind
        elif row.type == "tegenprestatie" and row.status not in TEGENPRESTATIE_STATUSES:
            bad(row, msg("check.unknown_tegenprestatie_status", status=repr(row.status)))
        elif row.type == "outcome" and row.status not in OUTCOMES:
            bad(row, msg("check.unknown_outcome", outcome=repr(row.status)))
        elif row.type in ("repay", "recovered"):
            if row.amount is None or row.amount <= 0:
                bad(row, msg("check.event_without_amount", type=row.type))
                continue
            if row.type == "repay" and kind_of.get(row.ref) == "gift":
                bad(row, msg("check.repayment_on_gift", ref=row.ref))
            total = paid_back.get(row.ref, ZERO) + row.amount
            paid_back[row.ref] = total
            spent = spends[row.ref].amount or ZERO
            if total > spent:
                bad(row, msg("check.paid_back_more_than_spent", total=total, spent=spent))
    return out


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
