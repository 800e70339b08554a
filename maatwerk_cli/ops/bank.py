"""Bank statements in the ledger: importing them, linking their lines, reconciling.

A team's card account statement (read by :mod:`maatwerk_cli.formats.bank`) is kept per team in
``teams/<slug>.bank.csv``, one line per booked bank line, append-only with a checksum per
line like the journal. A line is stored once, keyed on its ``ref`` (the bank's own
reference, or the stable hash the parser gives lines without one), so importing the same
or an overlapping statement again adds nothing.

Each debit (money out) is linked to what the ledger says it was:

* a card spend (method ``pin``, not voided) or a cash withdrawal of the same amount, dated
  at most :data:`MATCH_DAYS` days apart and not linked yet: the import records a
  ``bank-link`` journal row (ref = the entry or withdrawal, note = the bank ref);
* otherwise it stays an *open* bank line, until the clerk records what it was with
  ``maatwerk spend ... --bank-line REF`` or ``maatwerk cash withdraw ... --bank-line REF``
  (the reference goes into that row's ``extra`` as ``bank_ref``), or explains why there is
  no entry (bank costs, say) with ``maatwerk bank explain``: a ``bank-link`` row without a
  ref, with status ``explained`` and the reason.

Credits (money in: top-ups of the budget, refunds) are stored and listed; they need no entry.
A link to an entry that is voided later lapses, so the bank line is open again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.dates import today
from ..core.errors import InputError, LedgerError, NotFoundError, Problem
from ..core.messages import Msg, Opt, msg
from ..core.money import ZERO, format_plain
from ..core.progress import advance
from ..core.records import Row
from ..formats.bank_common import same_account
from ..store.banklines import StoredLine
from ..store.folder import LedgerFolder, now_stamp
from .base import folder_of, team_slug

if TYPE_CHECKING:
    from ..core.fold import Book
    from ..formats.bank import BankLine

#: A debit and an entry of the same amount match when their dates are at most this far apart.
MATCH_DAYS = 3
#: In ``reconcile``, an open debit and an unlinked entry this close are one amount mismatch.
MISMATCH_DAYS = 1
MAX_CELL = 200
#: The start of a reference the clerk may type instead of all of it (``h:5873`` for ``h:5873ecf5...``).
MIN_PREFIX = 6
PROBLEMS = ("bank_without_entry", "entry_without_bank", "amount_mismatch", "not_on_a_statement_yet", "not_covered")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# ---------------------------------------------------------------------------- stored lines


def bank_path(folder: LedgerFolder, slug: str) -> Path:
    return folder.bank_path(slug)


def read_bank(folder: LedgerFolder, slug: str) -> tuple[list[StoredLine], list[Problem]]:
    """Every good line of a team's bank file, and a Problem for every line set aside
    (the lines of undone imports too: see :func:`live_bank`)."""
    return folder.bank_lines(slug)


def import_id(slug: str, stamp: str) -> str:
    """The short id of one import of a statement into a team (``imp-3fa9c1``), made from the
    team and the stamp that every bank line it stored carries; :func:`import_statement`
    keeps it unique per team, and the team in it makes imports of the same second into two
    teams differ."""
    return "imp-" + hashlib.blake2b(f"{slug}\n{stamp}".encode(), digest_size=3).hexdigest()


def import_ids(slug: str, lines: Iterable[StoredLine]) -> dict[str, str]:
    """Per ``imported_at`` stamp of a team's lines, its import id."""
    return {stamp: import_id(slug, stamp) for stamp in {s.imported_at for s in lines}}


def undone_imports(book: Book) -> dict[str, str]:
    """The imports a ``bank-undo`` line that stands took out: import id -> that line's id."""
    out: dict[str, str] = {}
    for row in book.rows(book.rows_of("bank-undo")):
        if row.note:
            out.setdefault(row.note, row.id)
    return out


def live_lines(slug: str, lines: Sequence[StoredLine], undone: Collection[str]) -> list[StoredLine]:
    """The team's lines whose import was not undone."""
    if not undone:
        return list(lines)
    ids = import_ids(slug, lines)
    return [s for s in lines if ids[s.imported_at] not in undone]


def live_bank(folder: LedgerFolder, slug: str) -> tuple[list[StoredLine], list[Problem], Book]:
    """A team's bank lines that count (those of undone imports left out), the problems of its
    bank file, and its folded journal."""
    lines, problems = read_bank(folder, slug)
    book = folder.book(slug).book
    return live_lines(slug, lines, undone_imports(book)), problems, book


# ---------------------------------------------------------------------------- links


@dataclass(frozen=True, slots=True)
class Link:
    """What a bank line is linked to.

    bank_ref: the bank line's ref.
    target: the entry or withdrawal id; ``""`` when the line was explained instead.
    kind: ``spend``, ``withdraw`` or ``explained``.
    amount: the target's amount (None when explained).
    row: the journal row that made the link (the link row, or the spend or withdrawal itself).
    reason: why there is no entry (explained lines).
    """

    bank_ref: str
    target: str
    kind: str
    amount: Decimal | None
    row: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Expected:
    """A journal row the bank statement should show: a card spend or a cash withdrawal.

    id, date, amount: as recorded; kind: ``spend`` or ``withdraw``; row: the journal row.
    """

    id: str
    date: dt.date
    amount: Decimal
    kind: str
    row: Row

    @property
    def text(self) -> Msg:
        """A short description for reconcile: what it was, and its note (a message, so that
        scripts read it in English and people in the run's language)."""
        what = (msg("bank.expected_card_payment", category=self.row.category) if self.kind == "spend"
                else msg("bank.expected_withdrawal"))
        return msg("bank.expected_with_note", what=what, note=self.row.note) if self.row.note else what


@dataclass(frozen=True, slots=True)
class LedgerSide:
    """What the journal says about the bank, for one team.

    links: live links by bank ref (first one wins; ``check`` reports doubles).
    expected: card spends (not voided) and withdrawals, in file order.
    linked: ids of expected rows that have a live link.
    """

    links: Mapping[str, Link]
    expected: tuple[Expected, ...]
    linked: frozenset[str]


def ledger_side(book: Book, live: Collection[str] | None = None) -> LedgerSide:
    """Links and expected rows from a team's folded journal (voided lines do not count).

    ``live``: the refs of the bank lines that count; a link to any other line (one of an
    undone import) lapses while its line is out.
    """
    from dataclasses import replace

    import numpy as np

    standing = np.flatnonzero(~book.voided)
    spends = book.spends[standing]
    withdrawals = book.rows_of("withdraw")
    links_at = book.rows_of("bank-link")
    at = sorted({*spends.tolist(), *withdrawals.tolist(), *links_at.tolist()})
    rows = dict(zip(at, book.rows(at), strict=True))
    # A spend as it stands (the fold's answer), not as first written.
    for i, e in zip(spends.tolist(), book.entries(standing), strict=True):
        rows[i] = replace(rows[i], date=e.date, amount=e.amount, category=e.category, method=e.method,
                          note=e.note, household=e.household)
    targets: dict[str, Row] = {}
    expected: list[Expected] = []
    links: dict[str, Link] = {}

    def add(link: Link) -> None:
        if live is None or link.bank_ref in live:
            links.setdefault(link.bank_ref, link)

    for i in at:
        r = rows[i]
        if r.type not in ("spend", "withdraw"):
            continue
        targets[r.id] = r
        if r.type == "withdraw":
            expected.append(Expected(r.id, r.date, r.amount or ZERO, "withdraw", r))
        elif r.method == "pin":
            expected.append(Expected(r.id, r.date, r.amount or ZERO, "spend", r))
        ref = r.extra.get("bank_ref")
        if isinstance(ref, str) and ref:
            add(Link(ref, r.id, r.type, r.amount, r.id))
    for i in links_at.tolist():
        r = rows[i]
        if not r.note:
            continue
        if not r.ref and r.status == "explained":
            add(Link(r.note, "", "explained", None, r.id, r.reason))
        elif r.ref in targets:
            target = targets[r.ref]
            add(Link(r.note, target.id, target.type, target.amount, r.id))
    linked = frozenset(link.target for link in links.values() if link.target)
    return LedgerSide(links, tuple(expected), linked)


def find_line(lines: Sequence[StoredLine], ref: str, slug: str) -> StoredLine:
    """A stored bank line by its ref, or by the start of it when that is unique."""
    key = ref.strip()
    if not key:
        raise InputError(msg("bank.empty_ref"))
    if not lines:
        raise NotFoundError(msg("bank.none_imported", team=slug, option=Opt("team")))
    for line in lines:
        if line.ref == key:
            return line
    hits = [line for line in lines if line.ref.startswith(key)] if len(key) >= MIN_PREFIX else []
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise InputError(msg("bank.ambiguous_ref", ref=repr(key), count=len(hits)))
    raise NotFoundError(msg("bank.no_such_line", ref=repr(key), team=slug, option=Opt("open")))


def claim_bank_line(
    folder: LedgerFolder, slug: str, ref: str, amount: Decimal, *, what: str = "spend"
) -> StoredLine:
    """The open debit ``ref`` that a new spend or withdrawal of ``amount`` completes.

    Refused when the line does not exist, is money in, is linked already, or has another
    amount. The caller holds the folder lock while it checks and writes.
    """
    lines, _, book = live_bank(folder, slug)
    line = find_line(lines, ref, slug)
    if line.direction != "debit":
        raise InputError(msg("bank.credit_not_payment", ref=line.ref, amount=line.amount))
    side = ledger_side(book, {s.ref for s in lines})
    link = side.links.get(line.ref)
    if link is not None:
        raise InputError(msg("bank.explained_already_why", ref=line.ref, reason=link.reason)
                         if link.kind == "explained" else
                         msg("bank.linked_already", ref=line.ref, target=link.target))
    if amount != line.amount:
        raise InputError(msg("bank.withdrawal_amount_differs" if what == "withdrawal" else "bank.spend_amount_differs",
                             ref=line.ref, bank=line.amount, amount=amount))
    return line


def _pairs(
    debits: Sequence[StoredLine],
    candidates: Sequence[Expected],
    *,
    days: int,
    same_amount: bool,
) -> list[tuple[StoredLine, Expected]]:
    """One-to-one pairs of debits and expected rows, closest dates first (then closest amounts).

    Greedy on the sorted list of every possible pair: a clear same-day match is never
    taken away by a looser one. Ties go to the earlier line and the earlier entry, so the
    same files always give the same links.
    """
    order = {c.id: i for i, c in enumerate(candidates)}
    by_date: dict[dt.date, list[Expected]] = {}
    for c in candidates:
        by_date.setdefault(c.date, []).append(c)
    possible: list[tuple[int, Decimal, int, int, StoredLine, Expected]] = []
    for i, d in enumerate(debits):
        near = (c for shift in range(-days, days + 1)
                for c in by_date.get(d.date + dt.timedelta(days=shift), ()))
        for c in near:
            gap = abs((d.date - c.date).days)
            if same_amount and c.amount != d.amount:
                continue
            if not same_amount and c.amount == d.amount:
                continue
            possible.append((gap, abs(c.amount - d.amount), i, order[c.id], d, c))
    possible.sort(key=lambda p: p[:4])
    used_d: set[str] = set()
    used_c: set[str] = set()
    out: list[tuple[StoredLine, Expected]] = []
    for *_, d, c in possible:
        if d.ref in used_d or c.id in used_c:
            continue
        used_d.add(d.ref)
        used_c.add(c.id)
        out.append((d, c))
    return out


# ---------------------------------------------------------------------------- import


@dataclass(frozen=True, slots=True)
class BankImport:
    """What importing a statement did (or, with ``dry_run``, would do).

    team: the team's slug; format: the statement format; source: the file's name.
    added: new bank lines stored; known: lines that were there already (skipped).
    elsewhere: those of the known lines that were stored from another download of the same
        days, under another ref (same date, direction and amount); counted in ``known``.
    linked: (bank line, entry or withdrawal id) links made, for new and earlier open lines.
    open: debits without an entry after this import (new and earlier ones), by date.
    credits: new lines of money in (listed; they need no entry).
    problems: damaged lines set aside in the team's bank file.
    dry_run: nothing was written.
    layout: what exactly was read (bank, kind of file, variant), for people.
    note: "" when every line was checked against the statement's balances; else why not
        (the file states none, a statement lacks its closing balance, ...).
    warnings: lines of the file read in a way it did not quite ask for (NUL bytes inside a
        field read as spaces), each naming its line.
    import_id: the id of this import (``imp-3fa9c1``), which ``bank undo`` takes; "" when
        nothing was stored (no new lines, or a dry run).
    """

    team: str
    format: str
    source: str
    added: tuple[StoredLine, ...]
    known: int
    linked: tuple[tuple[StoredLine, str], ...]
    open: tuple[StoredLine, ...]
    credits: tuple[StoredLine, ...]
    problems: tuple[Problem, ...]
    dry_run: bool
    layout: str = ""
    note: str = ""
    elsewhere: tuple[StoredLine, ...] = ()
    warnings: tuple[Problem, ...] = ()
    import_id: str = ""


def _new_lines(
    incoming: Sequence[StoredLine], stored: Sequence[StoredLine]
) -> tuple[list[StoredLine], list[StoredLine]]:
    """The lines of a statement not stored yet, and those stored before from another file.

    A line is known by its ref. The same booking read from another kind of download (MT940
    after CSV, English headers after Dutch, camt.053 after TXT) has another ref, though. A
    statement holds every booking of the days it has lines for, so a stored line of such a
    day whose ref this file does not have is one of this file's lines under another ref: per
    date, direction and amount, that many of the file's new lines are taken as imported.
    """
    in_file = {s.ref for s in incoming}
    known = {s.ref for s in stored}
    days = {s.date for s in incoming}
    unmatched = Counter(
        (s.date, s.direction, s.amount) for s in stored if s.date in days and s.ref not in in_file
    )
    added: list[StoredLine] = []
    elsewhere: list[StoredLine] = []
    for line in incoming:
        if line.ref in known:
            continue
        key = (line.date, line.direction, line.amount)
        if unmatched[key]:
            unmatched[key] -= 1
            elsewhere.append(line)
        else:
            added.append(line)
    return added, elsewhere


def _cell(text: str, limit: int = MAX_CELL) -> str:
    """Bank text as stored: one line, no control characters, not too long."""
    return " ".join(_CONTROL.sub(" ", text).split())[:limit]


def _masked(text: str) -> str:
    """Bank text with IBANs, BSNs, phone numbers and e-mail addresses masked."""
    if not text:
        return text
    from ..core.privacy import find_personal_data

    for finding in sorted(find_personal_data(text), key=lambda f: f.start, reverse=True):
        text = text[: finding.start] + finding.masked + text[finding.end :]
    return text


def _accounts(accounts: Iterable[str]) -> list[str]:
    """The own accounts named, each once however it is spelled (the first spelling kept)."""
    found: list[str] = []
    for account in dict.fromkeys(accounts):  # every stored line names it: compare each spelling once
        spelled = re.sub(r"\s+", "", account).upper()
        if spelled and not any(same_account(spelled, seen) for seen in found):
            found.append(spelled)
    return sorted(found)


def _stored(line: BankLine, fmt: str, source: str, stamp: str) -> StoredLine:
    return StoredLine(
        ref=_cell(line.ref), date=line.date, amount=line.amount, direction=line.direction,
        description=_cell(_masked(_cell(line.description))),
        counterparty=_cell(_masked(_cell(line.counterparty))),
        account=_cell(line.account, 60), format=fmt, source=source, imported_at=stamp,
    )


#: What :func:`~maatwerk_cli.core.progress.advance` says during :func:`import_statement`:
#: read, compared with the ledger, linked, written.
IMPORTING = "importing the statement"


def import_statement(
    ledger: Any,
    path: str | os.PathLike[str],
    team: str,
    *,
    fmt: str = "auto",
    account: str | None = None,
    dry_run: bool = False,
) -> BankImport:
    """Import a team's card account statement: store new lines, link debits to entries.

    All or nothing: the bank file and the journal links are written together under the
    folder lock, or (after any error) neither. A statement that does not balance, or is
    for another account than the team's earlier statements, is refused.
    ``account`` picks one account from a statement that holds several (the reader keeps
    only that account's lines and checks them against that account's balances).
    """
    from ..formats.bank import parse_statement

    folder = folder_of(ledger)
    slug = team_slug(folder, team)
    _ = folder.settings
    advance(IMPORTING, 0, 3)
    statement = parse_statement(path, fmt, account=account)
    advance(IMPORTING, 1, 3)
    source = _cell(Path(path).name, 100)
    lines = list(statement.lines)
    accounts = _accounts(ln.account for ln in lines)
    if not account and len(accounts) > 1:
        raise InputError(msg("bank.several_accounts", source=source, count=len(accounts), accounts=accounts,
                             option=Opt("account")))
    with folder.lock():
        every, problems = read_bank(folder, slug)
        book = folder.book(slug).book
        stored = live_lines(slug, every, undone_imports(book))
        stamp = _fresh_stamp(slug, every)
        incoming: list[StoredLine] = []
        seen: set[str] = set()
        for ln in lines:
            one = _stored(ln, statement.format, source, stamp)
            if one.ref not in seen:  # the parser keeps refs unique; stay safe if it ever does not
                seen.add(one.ref)
                incoming.append(one)
        _refuse_accounts(folder, slug, _accounts(s.account for s in incoming), stored, source)
        _refuse_before_start(incoming, stored, card_accounts(folder, slug), slug, source)
        added, elsewhere = _new_lines(incoming, stored)
        side = ledger_side(book, {s.ref for s in [*stored, *added]})
        open_debits = [
            s for s in [*stored, *added] if s.direction == "debit" and s.ref not in side.links
        ]
        free = [e for e in side.expected if e.id not in side.linked]
        advance(IMPORTING, 2, 3)
        pairs = sorted(_pairs(open_debits, free, days=MATCH_DAYS, same_amount=True),
                       key=lambda p: (p[0].date, p[0].ref))
        link_cells = [
            {"type": "bank-link", "date": d.date.isoformat(), "ref": e.id,
             "amount": format_plain(d.amount), "note": d.ref}
            for d, e in pairs
        ]
        if not dry_run and (added or link_cells):
            _write(folder, slug, added, link_cells, stamp)
    advance(IMPORTING, 3, 3)
    paired = {d.ref for d, _ in pairs}
    return BankImport(
        team=slug,
        format=statement.format,
        source=source,
        added=tuple(added),
        known=len(incoming) - len(added),
        linked=tuple((d, e.id) for d, e in pairs),
        open=tuple(sorted((d for d in open_debits if d.ref not in paired), key=lambda s: (s.date, s.ref))),
        credits=tuple(sorted((s for s in added if s.direction == "credit"), key=lambda s: (s.date, s.ref))),
        problems=tuple(problems),
        dry_run=dry_run,
        layout=statement.layout,
        note=statement.note,
        elsewhere=tuple(elsewhere),
        warnings=statement.warnings,
        import_id=import_id(slug, stamp) if added and not dry_run else "",
    )


def _fresh_stamp(slug: str, lines: Iterable[StoredLine]) -> str:
    """The stamp of a new import: now, to the second; finer when an import of this team
    already has that id (two imports in one second)."""
    taken = set(import_ids(slug, lines).values())
    stamp = now_stamp()
    while import_id(slug, stamp) in taken:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return stamp


def _refuse_accounts(
    folder: LedgerFolder, slug: str, accounts: Sequence[str], stored: Sequence[StoredLine], source: str
) -> None:
    """Refuse lines of ``accounts`` for a team whose statements that count (``stored``) are
    for another account, or, for a team's first statement, an account of another team."""
    declared = card_accounts(folder, slug)
    earlier = _other_than_earlier(accounts, stored, declared)
    if earlier:
        raise InputError(msg("bank.other_account", source=source, accounts=list(accounts), team=slug,
                             earlier=earlier, option=Opt("team")))
    taken = _other_teams_account(folder, slug, accounts, stored)
    if taken is not None:
        raise InputError(msg("bank.account_of_other_team", source=source, accounts=taken[1], team=taken[0],
                             option=Opt("team")))


def _refuse_before_start(lines: Sequence[StoredLine], stored: Sequence[StoredLine], declared: Sequence[CardAccount],
                         slug: str, source: str) -> None:
    """Lines of an account the team file names from a day, dated before that day, are refused
    (unless the team's statements that count are for that account already)."""
    for card in declared:
        if any(same_account(card.account, s.account) for s in stored):
            continue
        early = [s for s in lines if same_account(card.account, s.account) and s.date < card.start]
        if early:
            first = min(s.date for s in early)
            raise InputError(msg("bank.before_card_account", source=source, account=card.account, first=first,
                                 start=card.start, team=slug))


def _other_than_earlier(accounts: Sequence[str], stored: Sequence[StoredLine],
                        declared: Sequence[CardAccount] = ()) -> list[str]:
    """The team's accounts (those of its statements that count, and those its team file
    names), when ``accounts`` are not all among them; else an empty list."""
    earlier = _accounts([*(s.account for s in stored), *(c.account for c in declared)])
    if earlier and accounts and not all(any(same_account(a, b) for b in earlier) for a in accounts):
        return earlier
    return []


def _other_teams_account(
    folder: LedgerFolder, slug: str, accounts: Sequence[str], stored: Sequence[StoredLine]
) -> tuple[str, list[str]] | None:
    """For a team's first statement (``stored`` empty): another team whose statements that
    count, or whose team file, name one of ``accounts``, and those accounts."""
    if stored or not accounts:
        return None
    for other in folder.team_slugs():
        if other == slug:
            continue
        named = [c.account for c in card_accounts(folder, other)]
        if not named and not bank_path(folder, other).exists():
            continue
        theirs = _accounts([*(s.account for s in live_bank(folder, other)[0]), *named])
        shared = [a for a in accounts if any(same_account(a, t) for t in theirs)]
        if shared:
            return other, shared
    return None


def _write(
    folder: LedgerFolder, slug: str, added: Sequence[StoredLine], link_cells: Sequence[Mapping[str, str]],
    stamp: str,
) -> None:
    """Bank lines and journal links together, as one batch: both or neither, also across a crash."""
    folder.append_batches({slug: link_cells}, bank={slug: added}, bank_stamp=stamp)


# ---------------------------------------------------------------------------- the clerk's follow-up


def explain_bank_line(
    ledger: Any, team: str, ref: str, *, reason: str, by: str | None = None
) -> str:
    """Close an open debit that has no entry (bank costs, a refund reversed) with a reason."""
    from ..core.privacy import guard as guard_personal_data
    from ..core.text import clean_text

    folder = folder_of(ledger)
    slug = team_slug(folder, team)
    why = clean_text(reason, "reason")
    if not why:
        raise InputError(msg("bank.explain_no_reason", option=Opt("reason")))
    guard_personal_data({"reason": why, "by": clean_text(by, "by", limit=100)}, False)
    with folder.lock():
        lines, _, book = live_bank(folder, slug)
        line = find_line(lines, ref, slug)
        if line.direction != "debit":
            raise InputError(msg("bank.credit_needs_no_explanation", ref=line.ref))
        link = ledger_side(book, {s.ref for s in lines}).links.get(line.ref)
        if link is not None:
            raise InputError(msg("bank.explained_already", ref=line.ref) if link.kind == "explained" else
                             msg("bank.linked_already", ref=line.ref, target=link.target))
        cells = {
            "type": "bank-link", "date": line.date.isoformat(), "amount": format_plain(line.amount),
            "note": line.ref, "status": "explained", "reason": why,
            "by": clean_text(by, "by", limit=100),
        }
        return folder.append(slug, [cells], locked=True)[0]


# ---------------------------------------------------------------------------- a team's card accounts

#: The team file's blocks that name the team's card account from a date (``team account``).
CARD_ACCOUNT = "card_account"
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{4,30}")


@dataclass(frozen=True, slots=True)
class CardAccount:
    """A card account the team file names: account (as written, no spaces), and the day
    its statements count from (``start``)."""

    account: str
    start: dt.date


def card_accounts(folder: LedgerFolder, slug: str) -> list[CardAccount]:
    """The card accounts a team file names (``[[card_account]]``: ``iban``, ``from``), in file
    order; a block that is not one is refused, naming the file."""
    raw = folder.load_team(slug).raw.get(CARD_ACCOUNT, [])
    where = folder.display(folder.team_path(slug))
    out: list[CardAccount] = []
    for item in raw if isinstance(raw, list) else [raw]:
        iban = item.get("iban") if isinstance(item, dict) else None
        start = item.get("from") if isinstance(item, dict) else None
        if (not isinstance(iban, str) or not _IBAN.fullmatch(re.sub(r"\s+", "", iban).upper())
                or not isinstance(start, dt.date) or isinstance(start, dt.datetime)):
            raise LedgerError(msg("bank.card_account_damaged", where=where))
        out.append(CardAccount(re.sub(r"\s+", "", iban).upper(), start))
    return out


def set_card_account(ledger: Any, team: str, account: str, start: dt.date) -> CardAccount:
    """Record in the team file that the team's card account is ``account`` from ``start``
    (a new card, a new bank): statements of it are accepted from then on, and the team's
    earlier statements still count. Refused when another team's statements or team file
    name the account, or the team file names it already."""
    from .setup import _edit_team

    folder = folder_of(ledger)
    slug = team_slug(folder, team)
    spelled = re.sub(r"\s+", "", account).upper()
    if not _IBAN.fullmatch(spelled):
        raise InputError(msg("bank.not_an_account", account=repr(account.strip())))
    with folder.lock():
        known = next((c for c in card_accounts(folder, slug) if same_account(c.account, spelled)), None)
        if known is not None:
            raise InputError(msg("bank.card_account_known", account=spelled, team=slug, start=known.start))
        theirs = _other_teams_account(folder, slug, [spelled], [])
        if theirs is not None:
            raise InputError(msg("bank.card_account_of_other_team", account=spelled, team=theirs[0]))
        block = (f"\n[[{CARD_ACCOUNT}]]  # the team's card account from this day, recorded {today().isoformat()}\n"
                 f"iban = \"{spelled}\"\nfrom = {start.isoformat()}\n")
        _edit_team(folder, slug, lambda text: (text if not text or text.endswith("\n") else text + "\n") + block)
    return CardAccount(spelled, start)


# ---------------------------------------------------------------------------- imports, and undoing one


@dataclass(frozen=True, slots=True)
class StatementImport:
    """One import of a statement into a team's bank file, as its lines tell it.

    id: the import's id (``imp-3fa9c1``); imported_at: when (UTC); source: the file's name;
    format: the statement format; accounts: the own accounts its lines are for;
    bank_lines: how many bank lines it stored; first, last: the dates of its first and last line;
    undone_by: the id of the ``bank-undo`` line that took it out ("" while it counts).
    """

    id: str
    imported_at: str
    source: str
    format: str
    accounts: tuple[str, ...]
    bank_lines: int
    first: dt.date
    last: dt.date
    undone_by: str = ""

    def record(self) -> dict[str, Any]:
        return {"import": self.id, "imported_at": self.imported_at, "source": self.source,
                "format": self.format, "account": ", ".join(self.accounts), "bank_lines": self.bank_lines,
                "first": self.first, "last": self.last, "status": "undone" if self.undone_by else "in-use",
                "undone_by": self.undone_by}


def _imports(slug: str, lines: Sequence[StoredLine], undone: Mapping[str, str]) -> list[StatementImport]:
    ids = import_ids(slug, lines)
    held: dict[str, list[StoredLine]] = {}
    for s in lines:
        held.setdefault(ids[s.imported_at], []).append(s)
    return [StatementImport(key, group[0].imported_at, group[0].source, group[0].format,
                            tuple(_accounts(s.account for s in group)), len(group),
                            min(s.date for s in group), max(s.date for s in group), undone.get(key, ""))
            for key, group in held.items()]


def statement_imports(ledger: Any, team: str) -> tuple[list[StatementImport], list[Problem]]:
    """A team's imports of statements, in the order they were made (undone ones too)."""
    folder = folder_of(ledger)
    slug = team_slug(folder, team)
    lines, problems = read_bank(folder, slug)
    return _imports(slug, lines, undone_imports(folder.book(slug).book)), problems


def _find_import(found: Sequence[StatementImport], key: str, slug: str) -> StatementImport:
    wanted = key.strip().lower()
    if not wanted:
        raise InputError(msg("bank.empty_import_id"))
    if not found:
        raise NotFoundError(msg("bank.none_imported", team=slug, option=Opt("team")))
    for one in found:
        if one.id == wanted:
            return one
    raise NotFoundError(msg("bank.no_such_import", id=repr(key.strip()), team=slug))


@dataclass(frozen=True, slots=True)
class ImportUndone:
    """What ``bank undo`` did: id: the ``bank-undo`` line written; team; the import undone;
    links: how many links of its lines to entries lapse with it (they stand again once the
    undo is voided)."""

    id: str
    team: str
    undone: StatementImport
    links: int


def undo_import(ledger: Any, team: str, key: str, *, reason: str, by: str | None = None) -> ImportUndone:
    """Take an import of a statement out of a team's accounts: a ``bank-undo`` line names it.

    Its bank lines stay in the bank file, but count no more: not in matching, not in
    ``bank lines`` or ``reconcile``, not as the team's account. Voiding the ``bank-undo``
    line brings them back (:func:`refuse_restore` says when that cannot be).
    """
    from ..core.privacy import guard as guard_personal_data
    from ..core.text import clean_text

    folder = folder_of(ledger)
    slug = team_slug(folder, team)
    why = clean_text(reason, "reason")
    if not why:
        raise InputError(msg("bank.undo_no_reason", option=Opt("reason")))
    who = clean_text(by, "by", limit=100)
    guard_personal_data({"reason": why, "by": who}, False)
    with folder.lock():
        lines, _ = read_bank(folder, slug)
        book = folder.book(slug).book
        undone = undone_imports(book)
        one = _find_import(_imports(slug, lines, undone), key, slug)
        if one.undone_by:
            raise InputError(msg("bank.import_undone_already", id=one.id, by=one.undone_by))
        live = live_lines(slug, lines, undone)
        refs = {s.ref for s in live if s.imported_at == one.imported_at}
        links = sum(1 for ref in ledger_side(book, {s.ref for s in live}).links if ref in refs)
        cells = {"type": "bank-undo", "date": today().isoformat(), "note": one.id, "reason": why, "by": who}
        written = folder.append(slug, [cells], locked=True)[0]
    return ImportUndone(written, slug, one, links)


def refuse_restore(folder: LedgerFolder, slug: str, book: Book, line: int) -> None:
    """Refuse to void the ``bank-undo`` line at ``line`` when bringing its import back would
    store a bank line twice (its lines were imported again since) or give the team an
    account it may not have (another team's, or another than its statements that count)."""
    row = book.rows([line])[0]
    lines, _ = read_bank(folder, slug)
    undone = undone_imports(book)
    if undone.get(row.note) != row.id:
        return  # another undo of the same import stands too, or it names no import: nothing comes back
    ids = import_ids(slug, lines)
    back = [s for s in lines if ids[s.imported_at] == row.note]
    others = [s for s in live_lines(slug, lines, undone) if ids[s.imported_at] != row.note]
    taken = {s.ref: ids[s.imported_at] for s in others}
    again = next((s for s in back if s.ref in taken), None)
    if again is not None:
        raise InputError(msg("bank.restore_imported_again", id=row.note, again=taken[again.ref], undo=row.id,
                                 team=slug))
    accounts = _accounts(s.account for s in back)
    earlier = _other_than_earlier(accounts, others, card_accounts(folder, slug))
    if earlier:
        raise InputError(msg("bank.restore_other_account", id=row.note, accounts=accounts, team=slug,
                             earlier=earlier))
    theirs = _other_teams_account(folder, slug, accounts, others)
    if theirs is not None:
        raise InputError(msg("bank.restore_account_of_other_team", id=row.note, accounts=theirs[1],
                             team=theirs[0]))


BANK_LINE_FIELDS = ("ref", "date", "amount", "direction", "status", "id", "description", "source", "import")


def bank_lines(
    ledger: Any, team: str, *, open_only: bool = False
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """A team's stored bank lines with their status: ``linked``, ``explained``, ``open`` or ``credit``."""
    folder = folder_of(ledger)
    slug = team_slug(folder, team)
    lines, problems, book = live_bank(folder, slug)
    side = ledger_side(book, {s.ref for s in lines})
    ids = import_ids(slug, lines)
    out: list[dict[str, Any]] = []
    for s in sorted(lines, key=lambda s: (s.date, s.line)):
        link = side.links.get(s.ref)
        if s.direction == "credit":
            status = "credit"
        elif link is None:
            status = "open"
        else:
            status = "explained" if link.kind == "explained" else "linked"
        if open_only and status != "open":
            continue
        out.append({
            "ref": s.ref, "date": s.date, "amount": s.amount, "direction": s.direction,
            "status": status, "id": link.target if link else "",
            "description": s.description if status != "explained" or not link else
            f"{s.description} (explained: {link.reason})",
            "source": s.source, "import": ids[s.imported_at],
        })
    return out, problems


# ---------------------------------------------------------------------------- reconcile


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One thing the bank and the ledger disagree on, or one stretch the bank is silent on.

    problem: ``bank_without_entry`` (a debit with no card spend or withdrawal),
        ``entry_without_bank`` (a card spend or withdrawal the statements do not show),
        ``amount_mismatch`` (a debit and an entry that belong together by date, with
        different amounts), ``not_on_a_statement_yet`` (a card spend or withdrawal on a day
        no imported statement covers, or in the last :data:`MATCH_DAYS` days of one: its
        booking may be on the next statement), or ``not_covered`` (days that no imported
        statement covers: from ``date`` to ``until``).
    date: the bank line's date, else the entry's, else the first day not covered; amount: the
        bank's amount, else the entry's (None for days not covered).
    description: the bank's text, or what the entry is; for a mismatch, both amounts (the
      tool's own words a :class:`Msg`: ``str()`` in the run's language, ``.text("en")`` for scripts).
    ref: the bank line (when there is one); id: the entry or withdrawal (when there is one).
    recorded: the amount in the ledger, for ``amount_mismatch``.
    until: the last day not covered, for ``not_covered``.
    """

    problem: str
    date: dt.date
    amount: Decimal | None
    description: str | Msg
    ref: str = ""
    id: str = ""
    recorded: Decimal | None = None
    until: dt.date | None = None


RECONCILE_FIELDS = ("problem", "date", "amount", "recorded", "ref", "id", "description", "until")


@dataclass(frozen=True, slots=True)
class Covered:
    """The days one own account's imported statements cover: from the first bank line's
    date to the last one's (the statements' stated periods are not kept), and how many lines."""

    account: str
    first: dt.date
    last: dt.date
    bank_lines: int


def coverage(lines: Sequence[StoredLine]) -> list[Covered]:
    """Per own account (each spelling of it once), the days its imported lines span."""
    spans: dict[str, list[StoredLine]] = {}
    for s in lines:
        key = next((k for k in spans if same_account(k, s.account)), s.account)
        spans.setdefault(key, []).append(s)
    return sorted((Covered(account, min(x.date for x in held), max(x.date for x in held), len(held))
                   for account, held in spans.items()), key=lambda c: (c.first, c.account))


def statement_coverage(ledger: Any, team: str) -> list[Covered]:
    """What a team's imported statements cover, per own account (empty before any import)."""
    folder = folder_of(ledger)
    return coverage(live_bank(folder, team_slug(folder, team))[0])


def _joined(spans: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Periods as few as can be: overlapping or adjoining ones made one."""
    out: list[tuple[dt.date, dt.date]] = []
    for first, last in sorted(spans):
        if out and first <= out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return out


Span = tuple[dt.date, dt.date]


def _uncovered(first: dt.date, last: dt.date, spans: Sequence[Span]) -> list[Span]:
    """The stretches of ``first``..``last`` that none of ``spans`` (joined, in order) covers."""
    out: list[Span] = []
    day = first
    for a, b in spans:
        if b < day:
            continue
        if a > last:
            break
        if a > day:
            out.append((day, a - dt.timedelta(days=1)))
        day = b + dt.timedelta(days=1)
    if day <= last:
        out.append((day, last))
    return out


def reconcile(ledger: Any, team: str, month: tuple[int, int] | None = None) -> list[Mismatch]:
    """Where a team's bank statements and its journal disagree (optionally in one month).

    Card spends and withdrawals are expected on the statement; invoices and cash spends
    are not. An entry counts as missing from the bank only within the period the imported
    statements cover, and not in its last :data:`MATCH_DAYS` days (its booking may fall
    after the statement ends): such an entry, and one on a day no statement covers, is
    ``not_on_a_statement_yet``. An open debit and an unlinked entry at most
    :data:`MISMATCH_DAYS` day apart with different amounts are reported once, as an
    ``amount_mismatch``; so is a link whose two sides differ. Days no statement covers are
    ``not_covered``: with ``month``, those of the month; without, gaps between the periods
    of two accounts. So an empty answer means every day looked at was on a statement and
    nothing is open.
    """
    import calendar

    folder = folder_of(ledger)
    slug = team_slug(folder, team)
    lines, _, book = live_bank(folder, slug)
    if not lines:
        raise InputError(msg("bank.none_imported", team=slug, option=Opt("team")))
    side = ledger_side(book, {s.ref for s in lines})
    spans = _joined((c.first, c.last) for c in coverage(lines))
    out: list[Mismatch] = []
    for s in lines:
        link = side.links.get(s.ref)
        if link and link.target and link.amount is not None and link.amount != s.amount:
            out.append(_mismatch(s, link.target, link.amount))
    open_debits = [s for s in lines if s.direction == "debit" and s.ref not in side.links]
    free = [e for e in side.expected if e.id not in side.linked]
    near = _pairs(open_debits, free, days=MISMATCH_DAYS, same_amount=False)
    out.extend(_mismatch(d, e.id, e.amount) for d, e in near)
    paired_d = {d.ref for d, _ in near}
    paired_e = {e.id for _, e in near}
    out.extend(
        Mismatch("bank_without_entry", s.date, s.amount, s.description, ref=s.ref)
        for s in open_debits if s.ref not in paired_d
    )
    first, last = spans[0][0], spans[-1][1]
    for e in free:
        if e.id in paired_e:
            continue
        if any(a <= e.date <= b - dt.timedelta(days=MATCH_DAYS) for a, b in spans):
            out.append(Mismatch("entry_without_bank", e.date, e.amount, e.text, id=e.id))
        else:
            said = msg("bank.not_on_a_statement_yet", what=e.text, first=first, last=last)
            out.append(Mismatch("not_on_a_statement_yet", e.date, e.amount, said, id=e.id))
    if month is not None:
        start = dt.date(month[0], month[1], 1)
        end = dt.date(month[0], month[1], calendar.monthrange(*month)[1])
        gaps = _uncovered(start, end, spans)
    else:
        gaps = _uncovered(first, last, spans)
    out.extend(Mismatch("not_covered", a, None, _not_covered(a, b, first, last), until=b) for a, b in gaps)
    if month is not None:
        out = [m for m in out if (m.date.year, m.date.month) == month]
    return sorted(out, key=lambda m: (m.date, PROBLEMS.index(m.problem), m.ref, m.id))


def _not_covered(a: dt.date, b: dt.date, first: dt.date, last: dt.date) -> Msg:
    if b < first:
        return msg("bank.not_covered_before", first_day=a, last_day=b, first=first)
    if a > last:
        return msg("bank.not_covered_after", first_day=a, last_day=b, last=last)
    return msg("bank.not_covered_between", first_day=a, last_day=b)


def _mismatch(line: StoredLine, target: str, recorded: Decimal) -> Mismatch:
    text = msg("bank.amount_mismatch", bank=line.amount, recorded=recorded, id=target, description=line.description)
    return Mismatch("amount_mismatch", line.date, line.amount, text, ref=line.ref, id=target,
                    recorded=recorded)


def mismatch_record(m: Mismatch) -> dict[str, Any]:
    return {**{name: getattr(m, name) for name in RECONCILE_FIELDS}, "description": str(m.description)}


# ---------------------------------------------------------------------------- checks


def check_bank(folder: LedgerFolder, slug: str, book: Book, name: str) -> list[Problem]:
    """``maatwerk check``: the bank file is whole, and every link points at something real.

    A ``bank-link`` row must name a bank line of this team that is money out, and either an
    earlier card spend or withdrawal of this team (not voided), or be an explained line
    with a reason; no bank line and no entry may be linked twice. Voided links do not count.
    """
    import numpy as np

    rows = book.rows(np.union1d(book.all_of("spend", "withdraw"), book.rows_of("bank-link", "void")))
    every, problems = read_bank(folder, slug)
    undone = undone_imports(book)
    lines = live_lines(slug, every, undone)
    out = list(problems)
    try:
        card_accounts(folder, slug)
    except LedgerError:
        # The problem names the file already: the message says only what is wrong in it.
        out.append(Problem(folder.display(folder.team_path(slug)), 0, msg("check.card_account_damaged")))
    bank_name = folder.display(bank_path(folder, slug))
    known = set(import_ids(slug, every).values())
    for row in book.rows(book.rows_of("bank-undo")):
        if row.note not in known:
            out.append(Problem(name, row.line, str(msg("check.line", id=row.id, message=msg(
                "bank.undo_of_unknown_import", id=row.note or msg("check.nothing"), file=bank_name)))))
    out_of_use = {s.ref for s in every} - {s.ref for s in lines}  # lines of undone imports
    by_ref: dict[str, StoredLine] = {}
    for s in lines:
        if s.ref in by_ref:
            out.append(Problem(bank_name, s.line,
                               str(msg("bank.stored_twice", ref=s.ref, line=by_ref[s.ref].line))))
        else:
            by_ref[s.ref] = s

    def bad(row: Row, message: Msg) -> None:
        out.append(Problem(name, row.line, str(msg("check.line", id=row.id, message=message))))

    targets: dict[str, Row] = {}
    voided: set[str] = set()
    bank_used: dict[str, tuple[str, str]] = {}  # bank ref -> (linking row, target)
    target_used: dict[str, str] = {}  # target -> linking row

    def use(row: Row, bank_ref: str, target: str) -> None:
        if bank_ref in out_of_use:
            return  # its import is undone: the link lapses while it is
        line = by_ref.get(bank_ref)
        if line is None:
            bad(row, msg("bank.link_not_in_file", ref=bank_ref, file=bank_name))
        elif line.direction != "debit":
            bad(row, msg("bank.link_to_credit", ref=bank_ref))
        if bank_ref in bank_used:
            bad(row, msg("bank.line_linked_twice", ref=bank_ref, by=bank_used[bank_ref][0]))
        bank_used[bank_ref] = (row.id, target)
        if target:
            if target in target_used:
                bad(row, msg("bank.target_linked_twice", id=target, by=target_used[target]))
            target_used[target] = row.id

    for row in rows:
        if row.type == "void" and row.ref in targets:
            voided.add(row.ref)
            # A voided entry frees its bank line: it may be linked again.
            for used_ref, (_, target) in list(bank_used.items()):
                if target == row.ref:
                    del bank_used[used_ref]
            target_used.pop(row.ref, None)
        elif row.type in ("spend", "withdraw"):
            targets[row.id] = row
            ref = row.extra.get("bank_ref")
            if ref:
                use(row, str(ref), row.id)
        elif row.type == "bank-link":
            if not row.note:
                bad(row, msg("bank.link_without_line"))
                continue
            if not row.ref:
                if row.status != "explained" or not row.reason:
                    bad(row, msg("bank.link_unexplained"))
                use(row, row.note, "")
                continue
            if row.ref not in targets:
                bad(row, msg("bank.link_to_unknown", ref=row.ref))
                continue
            if row.ref in voided:
                bad(row, msg("check.refers_to_voided", ref=row.ref))
                continue
            use(row, row.note, row.ref)
    return out
