"""``maatwerk show ID``: one entry's whole story, every line about it in file order.

A view of the fold: the entry as it stands (:meth:`~maatwerk_cli.core.fold.Book.entry`),
and the lines that refer to it, the voids of those lines and the voids of those voids,
each marked when a void that stands cancels it. An id of an event shows the story of
its entry; an id of a line that is about no entry (a refusal, a withdrawal, a knipkaart
use) shows that line with its voids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..core.messages import Msg, Said, msg
from ..core.receipts import RECEIPT, receipt_of
from ..core.records import Entry, Row
from .record import find

if TYPE_CHECKING:
    from ..core.fold import Book
    from ..store.folder import LedgerFolder


@dataclass(frozen=True, slots=True)
class StoryLine:
    """One line of a story.

    id, type, date, ref, by, recorded_at: as recorded; amount: ``None`` when the line has
    none; details: what the line says, in a few words (English as a ``str``; for people in
    their language, :class:`~maatwerk_cli.core.messages.Said`); voided: a void that stands cancels
    it, and voided_by is that void's id; asked: the id the story was asked for.
    """

    id: str
    type: str
    date: dt.date
    amount: Decimal | None
    ref: str
    details: str
    by: str
    recorded_at: str
    voided: bool
    voided_by: str
    asked: bool

    def record(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in STORY_FIELDS}


STORY_FIELDS = ("id", "type", "date", "amount", "ref", "details", "by", "recorded_at", "voided",
                "voided_by", "asked")


@dataclass(frozen=True, slots=True)
class Story:
    """What ``show`` shows.

    id: the id asked for; team: its team; entry: the spend as it stands now (``None`` when
    the line is about no spend); lines: the spend (if any) and every line about it, in
    file order.
    """

    id: str
    team: str
    entry: Entry | None
    lines: tuple[StoryLine, ...]
    receipts: tuple[ReceiptLine, ...] = ()


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """A receipt of the entry, as ``show`` lists it.

    entry: the spend; line: the id of the line that recorded it; file: its path in the
    ledger folder (``bonnen/noord/...``); type, size (bytes), sha256: as recorded; state:
    ``ok``, ``missing`` or ``changed`` (the file's bytes no longer have that hash);
    current: the receipt that stands (an earlier one, replaced or voided, is listed too).
    """

    entry: str
    line: str
    file: str
    type: str
    size: int
    sha256: str
    state: str
    current: bool

    def record(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in RECEIPT_FIELDS}


RECEIPT_FIELDS = ("entry", "line", "file", "type", "size", "sha256", "state", "current")


def story(folder: LedgerFolder, line_id: str) -> Story:
    """The story of the line with this id (an entry, or any event)."""
    import numpy as np

    got = find(folder, line_id)
    book = got.folded.book
    root = got.line
    # A void's story is that of the line it (finally) cancels.
    while book.line_type(root) == "void" and book.target[root] >= 0:
        root = int(book.target[root])
    entry_index = int(book.entry_of[root])
    members = {root}
    if entry_index >= 0:
        members.add(int(book.spends[entry_index]))
        members.update(book.events(entry_index).tolist())
    while True:  # voids of these lines, and voids of those voids
        more = set(np.flatnonzero(np.isin(book.target, list(members)) & ~book.dup).tolist()) - members
        if not more:
            break
        members |= more
    at = sorted(members)
    rows = book.rows(at)
    ids = {i: r.id for i, r in zip(at, rows, strict=True)}
    asked = book.line_id(got.line)
    changes = book.corrections(entry_index) if entry_index >= 0 else {}
    out = []
    for i, row in zip(at, rows, strict=True):
        by = _standing_void(book, i)
        target = int(book.target[i])
        undoes = row.type == "void" and target >= 0 and book.line_type(target) == "void"
        out.append(StoryLine(
            id=row.id, type=row.type, date=row.date, amount=row.amount, ref=row.ref,
            details=details(row, undoes=undoes, changes=changes.get(i, ())), by=row.by, recorded_at=row.recorded_at,
            voided=bool(book.cancelled[i]), voided_by=ids.get(by, "") if by is not None else "",
            asked=row.id == asked,
        ))
    entry = book.entry(entry_index) if entry_index >= 0 else None
    return Story(asked, got.folded.team, entry, tuple(out),
                 _receipts(folder, book, entry_index) if entry_index >= 0 else ())


def _receipts(folder: LedgerFolder, book: Book, entry_index: int) -> tuple[ReceiptLine, ...]:
    """The receipts recorded for an entry, with the state of their files."""
    from ..core.receipts import RECEIPTS_DIR
    from ..store.receipts import path_of, sha256_of

    current = book.receipts().get(entry_index)
    out = []
    for i, e, receipt in book.receipt_lines():
        if e != entry_index or receipt is None:
            continue
        path = path_of(folder, book.team, receipt.name)
        state = "missing" if not path.is_file() else "ok" if sha256_of(path) == receipt.sha256 else "changed"
        out.append(ReceiptLine(receipt.entry, book.line_id(i), f"{RECEIPTS_DIR}/{book.team}/{receipt.name}",
                               receipt.type, receipt.size, receipt.sha256, state,
                               receipt == current and bool(book.live[i])))
    return tuple(out)


def _standing_void(book: Book, i: int) -> int | None:
    return book.voiding(i) if book.cancelled[i] else None


def details(row: Row, *, undoes: bool = False, changes: Sequence[tuple[str, object, object]] = ()) -> Said:
    """What a line says, in a few words: English for scripts (the contract of ``show -f
    json``), in their own language for people (:class:`~maatwerk_cli.core.messages.Said`).
    ``changes``: what a correction changed, (field, old, new) (:meth:`Book.corrections`)."""
    return Said(detail_parts(row, undoes, changes))


#: A corrected field as ``show`` names it.
FIELD_WORDS = {
    "category": msg("show.field_category"), "note": msg("show.field_note"), "date": msg("show.field_date"),
    "method": msg("show.field_method"), "kind": msg("show.field_kind"), "due": msg("show.field_due"),
    "condition": msg("show.field_condition"), "amount": msg("show.field_amount"),
    "receipt": msg("show.field_receipt"),
}


def _value(value: object) -> Msg | str:
    if value is None or value == "":
        return msg("show.no_value")
    if isinstance(value, Decimal):
        from ..core.money import format_eur

        return format_eur(value)
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    return str(value)


def _changed(changes: Sequence[tuple[str, object, object]]) -> list[Msg | str]:
    # No household code: ``show`` may be read aloud; it says only that the household changed.
    return [msg("show.household_corrected") if name == "household" else
            msg("show.corrected", field=FIELD_WORDS[name], old=_value(old), new=_value(new))
            for name, old, new in changes]


def detail_parts(row: Row, undoes: bool = False,
                 changes: Sequence[tuple[str, object, object]] = ()) -> tuple[Msg | str, ...]:
    """What a line says, as parts: the ledger's own text as it is, the tool's words as
    messages (in the reader's language where they are shown to people). No household
    code: ``show`` may be read aloud."""
    t = row.type
    parts: list[Msg | str]
    if t == "spend":
        parts = [row.category, row.method, msg("show.word", type=row.kind or "gift")]
        if row.due:
            parts.append(msg("show.due", due=row.due))
        if row.condition:
            parts.append(msg("show.condition", condition=row.condition))
        if row.tegenprestatie:
            parts.append(msg("show.tegenprestatie", tegenprestatie=row.tegenprestatie, type=row.status))
        if row.note:
            parts.append(row.note)
        own = receipt_of(row.id, row.extra.get(RECEIPT))
        if own is not None:
            parts.append(msg("show.receipt", file=own.name))
        elif row.extra.get("receipt_removed"):
            parts.append(msg("show.receipt_removed"))
        if row.reason:
            rules = row.extra.get("rules")
            if isinstance(rules, list) and rules:
                parts.append(msg("show.recorded_over", rules=[str(r) for r in rules], reason=row.reason))
            else:
                parts.append(msg("show.recorded", reason=row.reason))
    elif t == "kind":
        parts = [msg("show.now_conditional") if row.kind == "conditional" else msg("show.now_a", type=row.kind)]
        if row.due:
            parts.append(msg("show.due", due=row.due))
        if row.condition:
            parts.append(msg("show.condition", condition=row.condition))
    elif t == "tegenprestatie":
        parts = [msg("show.tegenprestatie_is", tegenprestatie=row.tegenprestatie, type=row.status)]
    elif t == "outcome":
        parts = [msg("show.word", type=row.status)]
        if row.amount is not None:
            parts.append(msg("show.avoided_cost", amount=row.amount))
    elif t == "repay":
        parts = [msg("show.repaid")]
    elif t == "recovered":
        parts = [msg("show.paid_back_by", by=row.note)]
    elif t == "void":
        parts = [msg("show.undoes" if undoes else "show.voids", ref=row.ref, reason=row.reason)]
    elif t == "refusal":
        parts = [row.reason, row.category]
    elif t == "withdraw":
        parts = [msg("show.cash_taken_out")] + ([row.note] if row.note else [])
    elif t == "settle":
        parts = [msg("show.cash_remainder", type=row.method)] + ([row.reason] if row.reason else [])
    elif t == "knipkaart":
        parts = [row.reason, msg("show.beyond_the_card") if row.status else ""]
    elif t == "amend":
        parts = [*_changed(changes), msg("show.correction", reason=row.reason)]
    elif t == "bank-link":
        parts = [msg("show.bank_line", ref=row.note), msg("show.explained", reason=row.reason) if row.reason else ""]
    elif t == "anonymise":
        parts = [msg("show.anonymised", before=str(row.extra.get("before", "")), lines=row.extra.get("lines", 0),
                     bank_lines=row.extra.get("bank_lines", 0))]
    elif t == "bank-undo":
        parts = [msg("show.import_undone", id=row.note), row.reason]
    else:  # pragma: no cover - every type is named above
        parts = [t]
    return tuple(p for p in parts if p)
