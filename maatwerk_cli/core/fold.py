"""The one fold: a journal's lines turned into entries and the state events gave them.

:func:`fold` is the only place where the rules of events live. Every listing, record,
DataFrame, report figure and check is a view of the :class:`Book` it returns.

The rules, in order:

* A line whose id was used by an earlier line is left out of everything (nothing is
  counted twice); ``check`` reports it.
* A line refers (``ref``) to an earlier line of the same journal by its id; a reference
  to anything else refers to nothing and is left out.
* A ``void`` cancels the line it refers to: a spend (which stays listed, marked voided)
  or any event, withdrawal, settlement, refusal or knipkaart use (which then no longer
  counts). A void can itself be voided, which undoes it. Voids are settled from the end of
  the file backwards, as each can only refer to earlier lines.
* Events that stand (not cancelled) apply to the spend they refer to, in file order:
  ``kind`` sets the kind (a loan keeps the event's due date, a conditional grant its
  condition), ``tegenprestatie`` and ``outcome`` replace what was recorded before, ``repay``
  and ``recovered`` add up, ``bank-link`` links a bank line. Events on a voided spend
  still apply; the spend owes nothing.
* An ``amend`` that stands corrects the fields its ``extra["amended"]`` names
  (:data:`~maatwerk_cli.core.records.AMENDABLE`) with the values in its own cells (the
  date in ``extra["date"]``); per field the last one wins. One that names the kind, the
  due date or the condition counts as a ``kind`` event (it carries all three). Voiding it
  undoes it. Every view reads the corrected values: nothing else reads a spend's cells.
* A receipt (*bon*) is recorded in the ``extra`` cell of its spend, or of an ``amend`` that
  names field ``receipt``; the one that stands is the last of those that stand
  (:meth:`Book.receipts`). Voiding the correction brings the earlier one back.
* What a loan or conditional grant still owes: its amount less repayments and recoveries,
  never below zero; a gift or a voided spend owes nothing.
* The day a spend was requested is the ``requested`` key of its ``extra`` cell (a date as
  ``2026-03-14``); read only here (:func:`requested_day`).

numpy is imported here: keep this module off the clerk's path.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

import numpy as np

from .lines import NO_DATE, TYPE_CODE, TYPES, Lines, appended, day, day_number, make_id, rows_of
from .receipts import RECEIPT, Receipt, receipt_of
from .records import AMENDABLE, OUTCOMES, Entry, Refusal, Row

#: ``outcome`` codes: 0 none recorded, then :data:`~maatwerk_cli.core.records.OUTCOMES` in order.
OUTCOME_CODES = {"": 0, **{name: i + 1 for i, name in enumerate(OUTCOMES)}}
_CENT = Decimal("0.01")


#: The key in a spend's ``extra`` cell that holds the day the request came.
REQUESTED = "requested"


def requested_day(value: object) -> dt.date | None:
    """A spend's ``requested`` as written in its extra cell; None when absent or not a date
    in ledger form (``maatwerk check`` reports those)."""
    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _money(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2).quantize(_CENT)


class Coded(NamedTuple):
    """A categorical answer per entry: ``codes`` index ``names`` (``""`` is code 0)."""

    codes: np.ndarray
    names: tuple[str, ...]

    def used(self) -> set[str]:
        # bincount, not np.unique: that one imports numpy.ma (9 ms) on a report's first call.
        seen = np.bincount(self.codes, minlength=len(self.names)) if len(self.codes) else np.zeros(0, np.int64)
        return {self.names[c] for c in np.flatnonzero(seen).tolist()}

    def used_of(self, rows: np.ndarray) -> set[str]:
        """The names that the entries picked by ``rows`` (a mask or indices) have."""
        return Coded(self.codes[rows], self.names).used()

    def code(self, name: str) -> int:
        """The code of ``name``, -1 when no line has it."""
        return self.names.index(name) if name in self.names else -1


#: What a cash move is: ``Moves.kind`` of :meth:`Book.cash_moves` indexes this.
CASH_MOVES = ("withdraw", "deposit", "write-off", "spend")


class Moves(NamedTuple):
    """Lines that count, in file order: line index, ``kind`` (what the asker named), day
    number, cents, and whether it is a settle that wrote off."""

    at: np.ndarray
    kind: np.ndarray
    date: np.ndarray
    cents: np.ndarray
    write_off: np.ndarray

    def balance(self) -> np.ndarray:
        """For :meth:`Book.cash_moves`: the cash box after each move (withdrawals add)."""
        got: np.ndarray = np.cumsum(np.where(self.kind == 0, self.cents, -self.cents))
        return got


@dataclass(frozen=True, slots=True)
class CashBox:
    """A team's cash box in cents: withdrawn less cash spends (not voided), written off and
    deposited is what should be on hand."""

    withdrawn: int
    spent: int
    written_off: int
    deposited: int

    @property
    def on_hand(self) -> int:
        return self.withdrawn - self.spent - self.written_off - self.deposited


@dataclass(frozen=True, slots=True)
class Book:
    """One journal folded (see the module's rules); arrays per line or per spend.

    lines: the reader's good lines, in file order.
    dup: per line: repeats an earlier line's id, and is left out of everything.
    target: per line: the index of the earlier line its ``ref`` names, -1 when none.
    cancelled: per line: undone by a void that stands.
    live: per line: counts (not a repeated id, not cancelled).
    spends: line indexes of the spends, in file order (entry ``i`` is line ``spends[i]``).
    entry_of: per line: the entry it is (a spend) or applies to (an event), -1 when none.
    kinds: kind names; ``kind`` holds codes into it (an empty kind cell reads as gift).
    The per-entry state, one element per spend: ``kind``; ``due`` (day number or
    NO_DATE); ``condition_at``, ``tegenprestatie_at``, ``recovered_at``, ``void_at``,
    ``bank_at``, ``outcome_at``: the line that holds the current condition,
    tegenprestatie (and its status), pot that paid back, void reason, bank link and
    outcome, -1 when none; ``has_tegenprestatie``; ``outcome`` (:data:`OUTCOME_CODES`);
    ``avoided`` (cents) and ``costed`` (an avoided cost was recorded); ``repaid`` and
    ``recovered`` (cents); ``voided``; ``outstanding`` (cents); and what corrections
    (``amend``) may change: ``cents`` and ``day`` (amount and date), ``category_code`` and
    ``method_code`` (codes into the journal's names), ``household_at`` and ``note_at`` (the
    line that holds the current household code and note).

    Everything else asks the methods below, never ``lines`` (``tests/test_layers.py``
    holds every layer above store to that): per entry, :meth:`dates`, :meth:`amounts`,
    :meth:`categories`, :meth:`methods`, :meth:`kind_is`, :meth:`households`, :meth:`ids`,
    :meth:`requested`, :meth:`extra_values`, :meth:`overpaid` and whole :meth:`entries`;
    the cash box (:meth:`cash`, :meth:`cash_moves`, :meth:`cash_lowest`); the other lines
    that count (:meth:`rows_of`, :meth:`moves`, :meth:`paybacks`, :meth:`paid`); and, to
    list or name lines as written, :meth:`rows`, :meth:`line_type`, :meth:`line_id`,
    :meth:`line_day` and :meth:`line_texts`. A check before a write asks the book
    :func:`fold_with` the lines it would append.
    """

    lines: Lines
    dup: np.ndarray
    target: np.ndarray
    cancelled: np.ndarray
    live: np.ndarray
    spends: np.ndarray
    entry_of: np.ndarray
    kinds: tuple[str, ...]
    kind: np.ndarray
    due: np.ndarray
    condition_at: np.ndarray
    tegenprestatie_at: np.ndarray
    has_tegenprestatie: np.ndarray
    outcome: np.ndarray
    outcome_at: np.ndarray
    avoided: np.ndarray
    costed: np.ndarray
    repaid: np.ndarray
    recovered: np.ndarray
    recovered_at: np.ndarray
    voided: np.ndarray
    void_at: np.ndarray
    bank_at: np.ndarray
    outstanding: np.ndarray
    cents: np.ndarray
    day: np.ndarray
    category_code: np.ndarray
    method_code: np.ndarray
    household_at: np.ndarray
    note_at: np.ndarray
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def team(self) -> str:
        return self.lines.team

    def __len__(self) -> int:
        return len(self.spends)

    # -- numbers for the reports

    # -- what each entry is: arrays (or lists) over entries, in file order

    def amounts(self) -> np.ndarray:
        """Each entry's amount in cents (as corrected)."""
        got: np.ndarray = self.cents
        return got

    def dates(self) -> np.ndarray:
        """Each entry's date (the day the money was spent) as a day number."""
        got: np.ndarray = self.day
        return got

    def categories(self) -> Coded:
        """Each entry's category, as codes into names."""
        return Coded(self.category_code, self.lines.names["category"])

    def methods(self) -> Coded:
        """Each entry's payment method, as codes into names."""
        return Coded(self.method_code, self.lines.names["method"])

    def households(self, which: Sequence[int] | np.ndarray | None = None) -> list[str]:
        """The household code of each entry (all, or those at ``which``); ``""`` when none."""
        at = self.household_at if which is None else self.household_at[np.asarray(which, dtype=np.int64)]
        return self.lines.cells(at, "household")

    def has_household(self) -> np.ndarray:
        """Per entry: a household is recorded (nothing decoded)."""
        mask: np.ndarray = self.lines.filled_mask("household")[self.household_at]
        return mask

    def ids(self, which: Sequence[int] | np.ndarray | None = None) -> list[str]:
        """The id of each entry (all, or those at ``which``)."""
        return self.lines.ids(self._rows(which))

    def recorded_at(self, which: Sequence[int] | np.ndarray | None = None) -> list[str]:
        """When each entry (all, or those at ``which``) was written, as the journal says."""
        return self.lines.cells(self._rows(which), "recorded_at")

    def extra_values(self, key: str) -> dict[int, Any]:
        """Per entry whose ``extra`` holds ``key``: its value (entries in file order)."""
        rows = self.spends
        have = np.flatnonzero(self.lines.filled_mask("extra")[rows])
        quoted = json.dumps(key)
        out: dict[int, Any] = {}
        for n, text in zip(have.tolist(), self.lines.cells(rows[have], "extra"), strict=True):
            if quoted in text:  # most cells: no need to parse them
                found = json.loads(text)
                if key in found:
                    out[n] = found[key]
        return out

    def receipt_lines(self) -> list[tuple[int, int, Receipt | None]]:
        """Every line that records a receipt (a spend, or an ``amend`` of field ``receipt``),
        cancelled ones too, not repeated ids: (line index, entry, the receipt; None when the
        cell is not in the tool's form), in file order. See :mod:`~maatwerk_cli.core.receipts`."""
        got = self._memo.get("receipt_lines")
        if got is None:
            types = self.lines.type
            at = np.flatnonzero(~self.dup & (self.entry_of >= 0) & self.lines.filled_mask("extra")
                                & ((types == TYPE_CODE["spend"]) | (types == TYPE_CODE["amend"])))
            quoted = json.dumps(RECEIPT)
            got = []
            for i, text in zip(at.tolist(), self.lines.cells(at, "extra"), strict=True):
                if quoted not in text:
                    continue
                found = json.loads(text)
                if not isinstance(found, dict) or RECEIPT not in found:
                    continue
                if types[i] == TYPE_CODE["amend"]:
                    named = found.get("amended")
                    if not isinstance(named, list) or RECEIPT not in named:
                        continue
                e = int(self.entry_of[i])
                got.append((i, e, receipt_of(self.line_id(int(self.spends[e])), found[RECEIPT])))
            self._memo["receipt_lines"] = got
        out: list[tuple[int, int, Receipt | None]] = got
        return out

    def receipts(self) -> dict[int, Receipt]:
        """Per entry with a receipt: the one that stands (the spend's own, unless a later
        correction of field ``receipt`` that stands gives another; the last one wins)."""
        out: dict[int, Receipt] = {}
        for i, e, receipt in self.receipt_lines():
            if receipt is not None and self.live[i]:
                out[e] = receipt
        return out

    def overpaid(self) -> np.ndarray:
        """Per entry, the cents repaid and recovered beyond its amount (0 when within it)."""
        got: np.ndarray = np.maximum(self.repaid + self.recovered - self.amounts(), 0)
        return got

    def _rows(self, which: Sequence[int] | np.ndarray | None) -> np.ndarray:
        if which is None:
            return self.spends
        got: np.ndarray = self.spends[np.asarray(which, dtype=np.int64)]
        return got

    def requested(self) -> np.ndarray:
        """Each entry's request day as a day number; NO_DATE when none is recorded (or what
        is recorded is not a date: ``check`` reports that)."""
        got = self._memo.get("requested")
        if got is None:
            got = np.full(len(self.spends), NO_DATE, dtype=np.int32)
            for n, value in self.extra_values(REQUESTED).items():
                found = requested_day(value)
                if found is not None:
                    got[n] = day_number(found)
            self._memo["requested"] = got
        out: np.ndarray = got
        return out

    def kind_is(self, *names: str) -> np.ndarray:
        codes = [self.kinds.index(n) for n in names if n in self.kinds]
        mask: np.ndarray = np.isin(self.kind, codes)
        return mask

    def method_is(self, name: str) -> np.ndarray:
        code = self.lines.code_of("method", name)
        mask: np.ndarray = self.method_code == code
        return mask

    # -- lines: what the events and the other line types say

    def rows_of(self, *types: str) -> np.ndarray:
        """Line indexes of the lines of these types that count (live), in file order."""
        codes = [TYPE_CODE[t] for t in types]
        got: np.ndarray = np.flatnonzero(self.live & np.isin(self.lines.type, codes))
        return got

    def all_of(self, *types: str) -> np.ndarray:
        """Line indexes of the lines of these types, cancelled ones too (not repeated ids)."""
        codes = [TYPE_CODE[t] for t in types]
        got: np.ndarray = np.flatnonzero(~self.dup & np.isin(self.lines.type, codes))
        return got

    def moves(self, *types: str) -> Moves:
        """The lines of these types that count, in file order; ``kind`` indexes ``types``."""
        at = self.rows_of(*types)
        kind = np.zeros(len(at), dtype=np.int8)
        line_types = self.lines.type[at]
        for k, name in enumerate(types):
            kind[line_types == TYPE_CODE[name]] = k
        off = self.lines.code_of("method", "write-off")
        write_off = (line_types == TYPE_CODE["settle"]) & (self.lines.codes["method"][at] == off)
        return Moves(at, kind, self.lines.date[at], self.lines.amount[at], write_off)

    def cash_moves(self) -> Moves:
        """What went into and out of the cash box and counts, in file order: ``kind`` indexes
        :data:`CASH_MOVES` (a settle that does not write off puts the money back)."""
        box = self.moves("withdraw", "settle")
        kind = np.where(box.kind == 0, 0, np.where(box.write_off, 2, 1)).astype(np.int8)
        paid = self.method_is("contant") & ~self.voided
        cash = self.spends[paid]
        at = np.concatenate([box.at, cash])
        order = np.argsort(at, kind="stable")
        kind = np.concatenate([kind, np.full(len(cash), 3, dtype=np.int8)])[order]
        days = np.concatenate([box.date, self.day[paid]])[order]
        cents = np.concatenate([box.cents, self.cents[paid]])[order]
        return Moves(at[order], kind, days, cents, kind == 2)

    def cash(self, until: int | None = None) -> CashBox:
        """The cash box from the moves dated up to the day number ``until`` (default: all)."""
        m = self.cash_moves()
        keep = m.date <= until if until is not None else np.ones(len(m.at), dtype=bool)
        withdrawn, deposited, written_off, spent = (int(m.cents[keep & (m.kind == k)].sum())
                                                    for k in range(len(CASH_MOVES)))
        return CashBox(withdrawn, spent, written_off, deposited)

    def cash_lowest(self) -> tuple[int, int]:
        """The lowest the cash box went, counted line by line in file order, and the line
        where it first did: (cents, line index); (0, -1) when it never went below zero."""
        m = self.cash_moves()
        balance = m.balance()
        if not len(balance) or balance.min() >= 0:
            return 0, -1
        low = int(np.argmin(balance))
        return int(balance[low]), int(m.at[low])

    def line_type(self, i: int) -> str:
        """The type of line ``i`` (``spend``, ``repay``, ``void``, ...)."""
        return TYPES[int(self.lines.type[i])]

    def line_id(self, i: int) -> str:
        return self.lines.id(i)

    def line_ids(self, at: Sequence[int] | np.ndarray) -> list[str]:
        return self.lines.ids(at)

    def line_day(self, i: int) -> dt.date:
        """The date written on line ``i``."""
        return day(int(self.lines.date[i]))

    def line_texts(self, at: Sequence[int] | np.ndarray, column: str) -> list[str]:
        """A free-text cell (``note``, ``reason``, ``by``) of some lines, for listing them; an
        entry's state comes from the answers above, never from its line."""
        if column not in ("note", "reason", "by"):
            raise ValueError(f"{column} is not a free-text cell of a line")
        return self.lines.cells(at, column)

    def rows(self, at: Sequence[int] | np.ndarray | None = None) -> list[Row]:
        """Lines (all, or those at ``at``) as written, as :class:`~maatwerk_cli.core.records.Row`."""
        return rows_of(self.lines, at)

    def voiding(self, i: int) -> int | None:
        """The void line that stands and cancels line ``i``, if any."""
        hits = np.flatnonzero((self.target == i) & self.live & (self.lines.type == TYPE_CODE["void"]))
        return int(hits[-1]) if len(hits) else None

    def standing_events(self, i: int) -> list[int]:
        """The lines about entry ``i`` that still count (voids left out), in file order."""
        void = TYPE_CODE["void"]
        return [j for j in self.events(i).tolist() if self.live[j] and int(self.lines.type[j]) != void]

    def paid(self, kind: str, until: int | None = None) -> np.ndarray:
        """Per entry, the cents of the standing ``repay`` or ``recovered`` events (those dated up
        to the day number ``until``, when given)."""
        at = self.rows_of(kind)
        at = at[self.entry_of[at] >= 0]
        if until is not None:
            at = at[self.lines.date[at] <= until]
        got: np.ndarray = np.bincount(self.entry_of[at], weights=self.lines.amount[at], minlength=len(self))
        cents: np.ndarray = got.round().astype(np.int64)
        return cents

    def paybacks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Repayments and recoveries that count: (entry, day number, cents), file order."""
        at = self.rows_of("repay", "recovered")
        at = at[self.entry_of[at] >= 0]
        return self.entry_of[at], self.lines.date[at], self.lines.amount[at]

    # -- records

    def entry(self, i: int) -> Entry:
        return self.entries([i])[0]

    def entries(self, which: Sequence[int] | np.ndarray | None = None) -> list[Entry]:
        """Entries (all, or those at ``which``) as :class:`~maatwerk_cli.core.records.Entry`."""
        idx = np.arange(len(self.spends)) if which is None else np.asarray(which, dtype=np.int64)
        if not len(idx):
            return []
        lines = self.lines
        rows = self.spends[idx]
        text = {name: lines.cells(rows, name) for name in ("by", "reason", "extra")}
        text["household"] = lines.cells(self.household_at[idx], "household")
        text["note"] = lines.cells(self.note_at[idx], "note")
        category_names, method_names = lines.names["category"], lines.names["method"]
        condition = lines.cells(self.condition_at[idx], "condition")
        teg_at = self.tegenprestatie_at[idx]
        teg = lines.cells(teg_at, "tegenprestatie")
        teg_status = lines.cells(teg_at, "status")
        pot = lines.cells(self.recovered_at[idx], "note")
        reason = lines.cells(self.void_at[idx], "reason")
        bank = lines.cells(self.bank_at[idx], "note")
        ids = lines.ids(rows)
        outcomes = ("", *OUTCOMES)
        receipts = self.receipts()
        out: list[Entry] = []
        for n, i in enumerate(idx.tolist()):
            extra: dict[str, Any] = json.loads(text["extra"][n]) if text["extra"][n] else {}
            second = str(extra.pop("second_opinion", ""))
            requested = requested_day(extra.pop(REQUESTED, None))
            allowed = bool(extra.pop("personal_data_allowed", False))
            if self.bank_at[i] >= 0:
                extra["bank_ref"] = bank[n]
            extra.pop(RECEIPT, None)
            if i in receipts:
                extra[RECEIPT] = receipts[i].cell()
            due = int(self.due[i])
            out.append(Entry(
                id=ids[n], team=lines.team, date=day(int(self.day[i])),
                amount=_money(self.cents[i]), category=category_names[int(self.category_code[i])],
                method=method_names[int(self.method_code[i])], kind=self.kinds[int(self.kind[i])],
                household=text["household"][n], note=text["note"][n], by=text["by"][n],
                requested=requested, due=day(due) if due != NO_DATE else None, condition=condition[n],
                tegenprestatie=teg[n], tegenprestatie_status=teg_status[n] if teg[n] else "",
                repaid=_money(self.repaid[i]), recovered=_money(self.recovered[i]),
                recovered_from=pot[n], outstanding=_money(self.outstanding[i]),
                voided=bool(self.voided[i]), void_reason=reason[n],
                outcome=outcomes[int(self.outcome[i])],
                avoided_cost=_money(self.avoided[i]) if self.costed[i] else None,
                override_reason=text["reason"][n], second_opinion=second,
                personal_data_allowed=allowed, extra=extra, line=int(lines.line[rows[n]]),
            ))
        return out

    def find(self, entry_id: str) -> int | None:
        """The line index of an id, or None."""
        index = self._memo.get("index")
        if index is None:
            index = self._memo["index"] = {k: i for i, k in
                                           enumerate(self.lines.key.tolist()) if not self.dup[i]}
        from .lines import ID_SCALE

        team = self.lines.team
        if not entry_id.startswith(team + "-"):
            return None
        rest = entry_id[len(team) + 1 :]
        year, _, seq = rest.partition("-")
        if not (year.isascii() and year.isdigit() and seq.isascii() and seq.isdigit()):
            return None
        if make_id(team, int(year), int(seq)) != entry_id:
            return None
        found = index.get(int(year) * ID_SCALE + int(seq))
        return int(found) if found is not None else None

    def events(self, i: int) -> np.ndarray:
        """Line indexes of every line about entry ``i`` after the spend itself (voids of
        those lines included), in file order."""
        spend = int(self.spends[i])
        about = np.flatnonzero((self.entry_of == i) & ~self.dup)
        about = about[about != spend]
        voids = np.flatnonzero(np.isin(self.target, about) & (self.lines.type == TYPE_CODE["void"]))
        got: np.ndarray = np.union1d(about, voids)
        return got

    def corrections(self, i: int) -> dict[int, tuple[tuple[str, object, object], ...]]:
        """Per ``amend`` line about entry ``i`` (cancelled ones too): what it corrects, as
        (field, old, new) in :data:`~maatwerk_cli.core.records.AMENDABLE` order; old is the
        value just before it, from the spend and the lines before it that stand (``kind``
        events and corrections). Values: ``str``, ``Decimal`` (amount), ``date`` or None."""
        spend = int(self.spends[i])
        at = [spend, *(j for j in self.events(i).tolist()
                       if int(self.lines.type[j]) in (TYPE_CODE["kind"], TYPE_CODE["amend"]))]
        rows = rows_of(self.lines, at)
        first = rows[0]
        state: dict[str, object] = {
            "category": first.category, "note": first.note, "household": first.household,
            "date": first.date, "method": first.method, "kind": first.kind or "gift", "due": first.due,
            "condition": first.condition,
            "amount": first.amount.quantize(_CENT) if first.amount is not None else None,
        }
        own = receipt_of(first.id, first.extra.get(RECEIPT))
        state[RECEIPT] = own.name if own is not None else None
        out: dict[int, tuple[tuple[str, object, object], ...]] = {}
        for j, row in zip(at[1:], rows[1:], strict=True):
            if row.type == "kind":
                if self.live[j]:
                    state.update(kind=row.kind or "gift", due=row.due, condition=row.condition)
                continue
            fields = row.extra.get("amended")
            names = [f for f in AMENDABLE if isinstance(fields, list) and f in fields]
            new: dict[str, object] = {
                "category": row.category, "note": row.note, "household": row.household,
                "date": requested_day(row.extra.get("date")), "method": row.method,
                "kind": row.kind or "gift", "due": row.due, "condition": row.condition,
                "amount": row.amount.quantize(_CENT) if row.amount is not None else None,
            }
            if {"kind", "due", "condition"} & set(names):
                names = [f for f in AMENDABLE if f in names or f in ("kind", "due", "condition")]
            given = fields if isinstance(fields, list) else []
            said = [(f, state[f], new[f]) for f in names if state[f] != new[f] or f in given]
            if RECEIPT in given:
                got = receipt_of(first.id, row.extra.get(RECEIPT))
                said.append((RECEIPT, state[RECEIPT], got.name if got is not None else None))
                if self.live[j]:
                    state[RECEIPT] = got.name if got is not None else None
            out[j] = tuple(said)
            if self.live[j]:
                state.update({f: new[f] for f in names})
        return out

    def refusals(self) -> list[Refusal]:
        at = self.rows_of("refusal")
        lines = self.lines
        ids = lines.ids(at)
        cells = {name: lines.cells(at, name) for name in ("reason", "household", "category", "by")}
        return [
            Refusal(id=ids[n], team=lines.team, date=day(int(lines.date[i])), reason=cells["reason"][n],
                    household=cells["household"][n],
                    amount=_money(lines.amount[i]) if lines.has_amount[i] else None,
                    category=cells["category"][n], by=cells["by"][n], line=int(lines.line[i]))
            for n, i in enumerate(at.tolist())
        ]


def fold(lines: Lines) -> Book:
    """The :class:`Book` of one journal's lines (see the module's rules)."""
    n = len(lines)
    idx = np.arange(n, dtype=np.int64)
    key = lines.key
    # Repeated ids: the first line with an id keeps it.
    order = np.argsort(key, kind="stable")
    dup = np.zeros(n, dtype=bool)
    if n > 1:
        dup[order[1:]] = key[order[1:]] == key[order[:-1]]
    # References: to an earlier line (not a repeat) with that id.
    own = order[~dup[order]]
    own_keys = key[own]
    ref = lines.ref
    has_ref = (ref >= 0) & ~dup
    pos = np.searchsorted(own_keys, ref)
    pos = np.minimum(pos, max(len(own_keys) - 1, 0))
    target = np.full(n, -1, dtype=np.int32)
    if len(own_keys):
        hit = has_ref & (own_keys[pos] == ref)
        target[hit] = own[pos[hit]]
    target[target >= idx] = -1
    types = lines.type
    # Voids, from the end backwards: a void that is itself cancelled cancels nothing.
    cancelled = np.zeros(n, dtype=bool)
    voids = np.flatnonzero((types == TYPE_CODE["void"]) & (target >= 0))
    for v in voids[::-1].tolist():
        if not cancelled[v]:
            cancelled[target[v]] = True
    live = ~dup & ~cancelled
    spends = np.flatnonzero((types == TYPE_CODE["spend"]) & ~dup).astype(np.int32)
    m = len(spends)
    entry_of = np.full(n, -1, dtype=np.int32)
    entry_of[spends] = np.arange(m, dtype=np.int32)
    at_target = target >= 0
    entry_of[at_target] = np.where(types[target[at_target]] == TYPE_CODE["spend"],
                                   entry_of[target[at_target]], -1)
    entry_of[dup] = -1
    events = live & (entry_of >= 0) & (types != TYPE_CODE["spend"])

    def last(kind: str, mask: np.ndarray | None = None) -> np.ndarray:
        """Per entry the last standing event of this type (a line index), -1 when none."""
        sel = events & (types == TYPE_CODE[kind]) if mask is None else events & mask
        out = np.full(m, -1, dtype=np.int32)
        at = np.flatnonzero(sel)
        out[entry_of[at]] = at  # later lines overwrite earlier ones
        return out

    def total(kind: str) -> np.ndarray:
        at = np.flatnonzero(events & (types == TYPE_CODE[kind]))
        return np.bincount(entry_of[at], weights=lines.amount[at], minlength=m).round().astype(np.int64) \
            if len(at) else np.zeros(m, dtype=np.int64)

    # Kind: names as the journal spells them, an empty cell read as a gift.
    kinds = list(lines.names["kind"])
    for name in ("gift", "loan", "conditional"):
        if name not in kinds:
            kinds.append(name)
    kind_codes = lines.codes["kind"]
    gift = kinds.index("gift")
    loan = kinds.index("loan")
    conditional = kinds.index("conditional")
    kind = kind_codes[spends].astype(np.int32)
    kind[kind == kinds.index("")] = gift
    due = lines.due[spends].copy()
    condition_at = np.where(lines.filled_mask("condition")[spends], spends, -1).astype(np.int32)
    # Corrections: per field, the last amend that stands and names it.
    am_at = np.flatnonzero(events & (types == TYPE_CODE["amend"]))
    named, new_day = _amend_fields(lines, am_at)

    def amended(name: str) -> np.ndarray:
        out = np.full(m, -1, dtype=np.int32)
        at = am_at[named[name]]
        out[entry_of[at]] = at
        return out

    kindish = np.zeros(n, dtype=bool)
    kindish[am_at[named["kind"] | named["due"] | named["condition"]]] = True
    k_at = last("kind", (types == TYPE_CODE["kind"]) | kindish) if len(am_at) else last("kind")
    changed = k_at >= 0
    new_kind = kind_codes[k_at[changed]].astype(np.int32)
    new_kind[new_kind == kinds.index("")] = gift
    kind[changed] = new_kind
    due[changed] = np.where(new_kind == loan, lines.due[k_at[changed]], NO_DATE)
    condition_at[changed] = np.where(new_kind == conditional, k_at[changed], -1)
    # Tegenprestatie: the spend's own, unless a later event says otherwise.
    teg_filled = lines.filled_mask("tegenprestatie")
    teg_at = np.where(teg_filled[spends], spends, -1).astype(np.int32)
    t_at = last("tegenprestatie")
    teg_at = np.where(t_at >= 0, t_at, teg_at)
    has_teg = (teg_at >= 0) & teg_filled[np.maximum(teg_at, 0)]
    # Outcome and the cost it avoided.
    o_at = last("outcome")
    status_names = lines.names["status"]
    status_code = np.array([OUTCOME_CODES.get(s, 0) for s in status_names], dtype=np.int8)
    safe = np.maximum(o_at, 0)
    outcome = np.where(o_at >= 0, status_code[lines.codes["status"][safe]], 0).astype(np.int8)
    costed = (o_at >= 0) & lines.has_amount[safe]
    avoided = np.where(costed, lines.amount[safe], 0)
    repaid = total("repay")
    recovered = total("recovered")
    recovered_at = last("recovered")
    bank_at = last("bank-link")
    # Voided: a void that stands refers to the spend; its reason is the last one's.
    void_lines = np.flatnonzero((types == TYPE_CODE["void"]) & live & (target >= 0))
    void_at = np.full(m, -1, dtype=np.int32)
    hit = void_lines[types[target[void_lines]] == TYPE_CODE["spend"]]
    void_at[entry_of[target[hit]]] = hit
    voided = cancelled[spends]
    owes = ~voided & (kind != gift)
    cents = lines.amount[spends].copy()
    day_ = lines.date[spends].copy()
    category_code = lines.codes["category"][spends].copy()
    method_code = lines.codes["method"][spends].copy()
    household_at = spends.astype(np.int32)
    note_at = spends.astype(np.int32)
    if len(am_at):
        day_of_line = np.full(n, NO_DATE, dtype=np.int32)
        day_of_line[am_at] = new_day
        for name, values, source in (("amount", cents, lines.amount), ("date", day_, day_of_line),
                                     ("category", category_code, lines.codes["category"]),
                                     ("method", method_code, lines.codes["method"]),
                                     ("household", household_at, None), ("note", note_at, None)):
            got = amended(name)
            hit = got >= 0
            values[hit] = got[hit] if source is None else source[got[hit]]
    outstanding = np.where(owes, np.maximum(cents - repaid - recovered, 0), 0)
    return Book(
        lines=lines, dup=dup, target=target, cancelled=cancelled, live=live, spends=spends,
        entry_of=entry_of, kinds=tuple(kinds), kind=kind, due=due, condition_at=condition_at,
        tegenprestatie_at=teg_at, has_tegenprestatie=has_teg, outcome=outcome, outcome_at=o_at,
        avoided=avoided, costed=costed, repaid=repaid, recovered=recovered,
        recovered_at=recovered_at, voided=voided, void_at=void_at, bank_at=bank_at,
        outstanding=outstanding, cents=cents, day=day_, category_code=category_code,
        method_code=method_code, household_at=household_at, note_at=note_at,
    )


def _amend_fields(lines: Lines, at: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """For the amend lines at ``at``: per field of AMENDABLE, which of them name it, and the
    day number each gives as the new date (NO_DATE when none). Few lines: decoded here."""
    named = {name: np.zeros(len(at), dtype=bool) for name in AMENDABLE}
    new_day = np.full(len(at), NO_DATE, dtype=np.int32)
    for k, text in enumerate(lines.cells(at, "extra")):
        extra = json.loads(text) if text else {}
        fields = extra.get("amended") if isinstance(extra, dict) else None
        if not isinstance(fields, list):
            continue
        for name in fields:
            if name in named:
                named[name][k] = True
        if named["date"][k]:
            when = requested_day(extra.get("date"))
            if when is None:
                named["date"][k] = False  # not a date in ledger form: ``check`` says so
            else:
                new_day[k] = day_number(when)
    return named, new_day


def fold_with(book: Book, cells: Sequence[Mapping[str, str]]) -> Book:
    """The book as it would be with these lines appended (the cells a write would add):
    checks before a write ask this instead of re-implementing the rules."""
    return fold(appended(book.lines, cells))


def detached(book: Book) -> Book:
    """The same book with its lines detached from the journal's bytes (for the cache)."""
    from dataclasses import replace

    return replace(book, lines=book.lines.detached(), _memo={})

