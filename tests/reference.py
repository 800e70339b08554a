"""An independent, line-by-line reading and fold of journals, for the parity tests.

Nothing here uses the package's reader, fold or numpy: the journal rules are written out
again in plain Python (cell checks through the documented per-line parser
``parse_line``, which the vectorised reader must agree with), and the fold's rules from
``maatwerk_cli.core.fold``'s docstring are written out again as a loop. Tests compare the
package's every path against these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from maatwerk_cli.core.records import JOURNAL_COLUMNS, Row
from maatwerk_cli.store.journal import HEADER, parse_line

ZERO = Decimal("0.00")


def raw_line(cells: Mapping[str, str]) -> bytes:
    """A journal line with a right checksum, whatever its cells hold (control characters
    too, which the tool itself refuses to write): for crafting damaged ledgers."""
    values = [cells.get(name, "") for name in JOURNAL_COLUMNS[:-1]]
    values.append(hashlib.sha256("\x1f".join(values).encode("utf-8")).hexdigest()[:8])
    # Written by hand, not with the csv module: before Python 3.11 it refuses a NUL in a cell.
    every = any("\r" in v for v in values)

    def cell(value: str) -> str:
        if every or any(c in value for c in ',"\n\r'):
            return '"' + value.replace('"', '""') + '"'
        return value

    return (",".join(cell(v) for v in values) + "\n").encode("utf-8")


def read(data: bytes, team: str, name: str) -> tuple[list[Row], list[tuple[int, str]]]:
    """Good rows and (line, message) of every line set aside, line by line."""
    if not data:
        return [], [(1, "file is empty; the header line is missing")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    torn = lines[-1] != b""
    if not torn:
        lines.pop()
    header = lines[0][:-1] if lines[0].endswith(b"\r") else lines[0]
    if torn and len(lines) == 1 and HEADER.encode().startswith(header):
        return [], [(1, "header line is incomplete (torn write); no lines yet")]
    if header + b"\n" != HEADER.encode():
        return [], [(1, "header line is not the journal header; the file cannot be trusted")]
    rows: list[Row] = []
    problems: list[tuple[int, str]] = []
    for number, raw in enumerate(lines[1:], start=2):
        if torn and number == len(lines):
            problems.append((number, "last line is incomplete (torn write); it was set aside"))
            break
        got = parse_line(raw, team, number)
        if isinstance(got, str):
            problems.append((number, got))
        else:
            rows.append(got)
    return rows, problems


@dataclass
class State:
    """An entry as the reference fold leaves it."""

    row: Row
    kind: str
    due: dt.date | None
    condition: str
    tegenprestatie: str
    tegenprestatie_status: str
    repaid: Decimal = ZERO
    recovered: Decimal = ZERO
    recovered_from: str = ""
    voided: bool = False
    void_reason: str = ""
    outcome: str = ""
    avoided: Decimal | None = None
    bank_ref: str = ""

    @property
    def outstanding(self) -> Decimal:
        if self.voided or self.kind == "gift":
            return ZERO
        return max((self.row.amount or ZERO) - self.repaid - self.recovered, ZERO)


@dataclass
class Folded:
    """What the reference fold makes of a journal's rows."""

    entries: dict[str, State] = field(default_factory=dict)
    cancelled: set[str] = field(default_factory=set)
    counted: list[Row] = field(default_factory=list)  # rows that count: not repeats, not cancelled


def fold(rows: Sequence[Row]) -> Folded:
    seen: set[str] = set()
    kept: list[Row] = []
    for r in rows:  # a repeated id: the first line keeps it
        if r.id not in seen:
            seen.add(r.id)
            kept.append(r)
    position = {r.id: i for i, r in enumerate(kept)}
    by_id = {r.id: r for r in kept}

    def target(r: Row, i: int) -> Row | None:
        t = by_id.get(r.ref) if r.ref else None
        return t if t is not None and position[t.id] < i else None

    # voids from the end: a cancelled void cancels nothing
    cancelled: set[str] = set()
    for i in range(len(kept) - 1, -1, -1):
        r = kept[i]
        if r.type == "void" and r.id not in cancelled:
            t = target(r, i)
            if t is not None:
                cancelled.add(t.id)
    out = Folded(cancelled=cancelled)
    for i, r in enumerate(kept):
        if r.id not in cancelled:
            out.counted.append(r)
        if r.type == "spend":
            out.entries[r.id] = State(
                row=r, kind=r.kind or "gift", due=r.due, condition=r.condition,
                tegenprestatie=r.tegenprestatie, tegenprestatie_status=r.status if r.tegenprestatie else "",
                voided=r.id in cancelled,
            )
            continue
        if r.id in cancelled:
            continue
        t = target(r, i)
        if t is None or t.type != "spend":
            continue
        e = out.entries[t.id]
        if r.type == "kind":
            e.kind = r.kind or "gift"
            e.due = r.due if e.kind == "loan" else None
            e.condition = r.condition if e.kind == "conditional" else ""
        elif r.type == "tegenprestatie":
            e.tegenprestatie, e.tegenprestatie_status = r.tegenprestatie, r.status
        elif r.type == "outcome":
            e.outcome, e.avoided = r.status, r.amount
        elif r.type == "repay":
            e.repaid += r.amount or ZERO
        elif r.type == "recovered":
            e.recovered += r.amount or ZERO
            e.recovered_from = r.note
        elif r.type == "void":
            e.void_reason = r.reason
        elif r.type == "bank-link":
            e.bank_ref = r.note
    return out


def spent(folded: Folded, start: dt.date, end: dt.date) -> Decimal:
    """What utilisation counts as spent: spends not voided plus cash written off, in the stretch."""
    total = sum((e.row.amount or ZERO for e in folded.entries.values()
                 if not e.voided and start <= e.row.date <= end), ZERO)
    total += sum((r.amount or ZERO for r in folded.counted
                  if r.type == "settle" and r.method == "write-off" and start <= r.date <= end), ZERO)
    return total


def cash_on_hand(folded: Folded) -> Decimal:
    withdrawn = sum((r.amount or ZERO for r in folded.counted if r.type == "withdraw"), ZERO)
    settled = sum((r.amount or ZERO for r in folded.counted if r.type == "settle"), ZERO)
    cash = sum((e.row.amount or ZERO for e in folded.entries.values()
                if e.row.method == "contant" and not e.voided), ZERO)
    return withdrawn - settled - cash
