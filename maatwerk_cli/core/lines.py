"""A journal's good lines as columns: what the one reader gives and the one fold takes.

One row per line that passed every check, in file order. Numbers are numpy arrays (ids
and refs as integer keys, dates as day numbers, amounts as cents); the categorical cells
as small codes into name tuples; the free-text cells as the place of their line in the journal
itself (and, for lines the reader had to unquote, into ``aux``), decoded only when a
view asks for them. Nothing here reads files: :class:`Source` is handed the bytes, or a
way to get them, by the store.

numpy is imported here: keep this module off the clerk's path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .records import JOURNAL_COLUMNS, ROW_TYPES, Row, split_id

#: Row types in code order: ``type`` arrays hold indexes into this tuple.
TYPES: tuple[str, ...] = tuple(ROW_TYPES)
TYPE_CODE = {name: i for i, name in enumerate(TYPES)}
#: The free-text cells, decoded only when asked for (bits of ``Lines.filled``, in this order).
TEXT_COLUMNS = ("household", "condition", "tegenprestatie", "note", "reason", "by", "extra",
                "recorded_at")
TEXT_INDEX = {name: i for i, name in enumerate(TEXT_COLUMNS)}
_CELL_AT = {name: JOURNAL_COLUMNS.index(name) for name in TEXT_COLUMNS}
#: The cells factorised into codes (code 0 is always the empty cell).
CODED_COLUMNS = ("category", "method", "kind", "status")
#: ``due`` of a line without one.
NO_DATE = np.iinfo(np.int32).min
#: An id as one integer: ``year * ID_SCALE + sequence``; refs use the same key, -1 when empty.
ID_SCALE = 10**10
_EPOCH = dt.date(1970, 1, 1)


def id_key(year: int, seq: int) -> int:
    return year * ID_SCALE + seq


def make_id(team: str, year: int, seq: int) -> str:
    """The id as the tool writes it: ``noord-2025-0042`` (at least four digits)."""
    return f"{team}-{year}-{seq:04d}"


def key_to_id(team: str, key: int) -> str:
    return make_id(team, key // ID_SCALE, key % ID_SCALE)


def day(days: int) -> dt.date:
    """A day number (days since 1970-01-01) as a date."""
    return _EPOCH + dt.timedelta(days=int(days))


def day_number(value: dt.date) -> int:
    return (value - _EPOCH).days


class Source:
    """Where the text cells of one journal live: its bytes up to ``size``, then ``aux``.

    ``data`` is the journal's bytes when the reader has them in memory; otherwise
    ``load`` gets them (from the file, checked to be the same file) on first use.

    A source made for the cache (:meth:`hidden`) keeps no text at all: instead of ``aux``
    (unquoted copies of the quoted lines, residents' notes and household codes among them)
    it keeps where each of those lines stands, by line number, and makes ``aux`` again from
    the journal's bytes when a view first asks for a cell in it.
    """

    __slots__ = ("_aux", "_data", "_hidden", "_load", "_offset", "_quoted", "_tail", "size")

    def __init__(self, size: int, aux: bytes, data: bytes | bytearray | None = None,
                 load: Callable[[], bytes] | None = None) -> None:
        self.size = size
        self._aux: bytes | None = aux
        self._data = data
        self._offset = 0
        self._load = load
        # Of a hidden source: (line number, start, end in aux) of each quoted line as int64
        # bytes, how long the hidden part of aux is, and the known bytes after it.
        self._quoted = b""
        self._hidden = 0
        self._tail = b""

    @property
    def data(self) -> bytes | bytearray:
        if self._data is None:
            if self._load is None:  # pragma: no cover - the store always gives one
                raise RuntimeError("journal bytes are not available")
            self._data = self._load()
            self._offset = 0
        return self._data

    @property
    def aux(self) -> bytes:
        """The unquoted copies of the quoted lines (and of lines not written yet)."""
        if self._aux is None:
            self._aux = self._unquoted() + self._tail
        return self._aux

    @property
    def aux_size(self) -> int:
        """How long ``aux`` is, without making it."""
        return self._hidden + len(self._tail) if self._aux is None else len(self._aux)

    def _unquoted(self) -> bytes:
        """The hidden part of ``aux`` made again from the journal's bytes: each quoted line
        found by its number, unquoted as the reader does, where the reader put it."""
        import csv

        table = np.frombuffer(self._quoted, dtype=np.int64).reshape(-1, 3)
        out = bytearray(b"\n" * self._hidden)
        if not len(table):
            return bytes(out)
        data = self.data
        at = self._offset
        journal = np.frombuffer(data, dtype=np.uint8, count=self.size, offset=at)
        ends = np.flatnonzero(journal == 10)
        for number, start, end in table.tolist():
            a = at + (int(ends[number - 2]) + 1 if number > 1 else 0)
            b = at + int(ends[number - 1])
            raw = bytes(data[a:b])
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            cells = next(csv.reader([raw.decode("utf-8")]))
            copy = "\x1f".join(cells).encode("utf-8")
            if len(copy) != end - start:  # pragma: no cover - the loader checked the file
                raise RuntimeError("a quoted journal line is not what was read")
            out[start:end] = copy
        return bytes(out)

    def line(self, start: int, end: int) -> list[str]:
        """The cells of the line stored at ``start .. end``."""
        if start >= self.size:
            return self.aux[start - self.size : end - self.size].decode("utf-8").split("\x1f")
        data = self.data
        at = self._offset
        text = data[at + start : at + end].decode("utf-8")
        if '"' in text:  # a line of ``import entries``: read where it stands, its extra quoted
            import csv

            return next(csv.reader([text]))
        return text.split(",")

    def __getstate__(self) -> tuple[int, bytes | None, bytes, int, bytes]:
        # Never the journal's bytes: the journal itself keeps them.
        return self.size, self._aux, self._quoted, self._hidden, self._tail

    def __setstate__(self, state: tuple[int, bytes | None, bytes, int, bytes]) -> None:
        self.size, self._aux, self._quoted, self._hidden, self._tail = state
        self._data = None
        self._offset = 0
        self._load = None

    def set_loader(self, load: Callable[[], bytes]) -> None:
        """How to get the journal's bytes (read again from the file, checked) when needed;
        the bytes in memory, if any, are let go."""
        self._load = load
        self._data = None
        self._offset = 0

    def attach(self, data: bytes | bytearray, offset: int = 0) -> None:
        """Give the journal's bytes, when the reader has them in memory: ``data`` from
        ``offset`` on (several journals may share one buffer)."""
        self._data = data
        self._offset = offset

    def hidden(self, quoted: np.ndarray) -> Source:
        """The same cells without any text (for the cache): neither the journal's bytes
        nor ``aux``; ``quoted``: (line number, start, end) in ``aux`` of each quoted line."""
        more = Source(self.size, b"")
        more._aux = None
        more._quoted = np.ascontiguousarray(quoted, dtype=np.int64).tobytes()
        more._hidden = self.aux_size
        return more

    def extended(self, aux: bytes) -> Source:
        """The same cells with ``aux`` added after the current ones (lines not written yet)."""
        more = Source(self.size, b"", self._data, self._load)
        if self._aux is None:  # still hidden: made again when asked for, with these after it
            more._aux, more._quoted, more._hidden = None, self._quoted, self._hidden
            more._tail = self._tail + aux
        else:
            more._aux = self._aux + aux
        more._offset = self._offset  # the same bytes, or the same way to get them: no chain
        return more


@dataclass(frozen=True, slots=True)
class Lines:
    """The good lines of one journal, as columns; every array has one element per line.

    team: the journal's team slug.
    line: 1-based line number in the file (int32).
    key: the line's id as :func:`id_key` (int64); ref: the id it refers to, -1 when none.
    type: code into :data:`TYPES` (int8).
    date: day number (int32); due: day number or :data:`NO_DATE`.
    amount: cents (int64, 0 when the cell is empty); has_amount: the cell was filled.
    codes: per name of :data:`CODED_COLUMNS` an int32 array of codes into ``names[name]``.
    names: per coded column the values in code order, ``""`` first.
    span: (lines, 2) int64: where each line's cells stand in ``source``; the free-text
      cells (:data:`TEXT_COLUMNS`) are decoded from there when asked for.
    filled: uint8 bit mask: bit ``k`` is set when text cell ``TEXT_COLUMNS[k]`` is not empty.
    source: the journal's bytes (cells separated by commas; the lines of ``import entries``
      with their one quoted cell among them) and ``aux`` (copies of other quoted lines,
      unquoted, cells separated by U+001F).
    """

    team: str
    line: np.ndarray
    key: np.ndarray
    ref: np.ndarray
    type: np.ndarray
    date: np.ndarray
    due: np.ndarray
    amount: np.ndarray
    has_amount: np.ndarray
    codes: dict[str, np.ndarray]
    names: dict[str, tuple[str, ...]]
    span: np.ndarray
    filled: np.ndarray
    source: Source = field(repr=False)

    def __len__(self) -> int:
        return len(self.line)

    def id(self, i: int) -> str:
        return key_to_id(self.team, int(self.key[i]))

    def ids(self, rows: Sequence[int] | np.ndarray) -> list[str]:
        team = self.team
        return [make_id(team, k // ID_SCALE, k % ID_SCALE) for k in self.key[rows].tolist()]

    def cell(self, i: int, column: str) -> str:
        """One text cell (``note``, ``reason``, ...) or coded cell (``category``, ...)."""
        return self.cells([i], column)[0]

    def cells(self, rows: Sequence[int] | np.ndarray, column: str) -> list[str]:
        """A column's cells for some rows (-1 gives ``""``)."""
        idx = np.asarray(rows, dtype=np.int64)
        if column in self.codes:
            names = self.names[column]
            codes = self.codes[column]
            return [names[codes[i]] if i >= 0 else "" for i in idx.tolist()]
        k = TEXT_INDEX[column]
        at = _CELL_AT[column]
        bit = 1 << k
        safe = np.maximum(idx, 0)
        wanted = (idx >= 0) & ((self.filled[safe] & bit) != 0)
        out = [""] * len(idx)
        spans = self.span[safe[wanted]].tolist()
        line = self.source.line
        for n, (a, b) in zip(np.flatnonzero(wanted).tolist(), spans, strict=True):
            out[n] = line(a, b)[at]
        return out

    def filled_mask(self, column: str) -> np.ndarray:
        """Whether each line's text cell ``column`` is not empty (no decoding)."""
        mask: np.ndarray = (self.filled & (1 << TEXT_INDEX[column])) != 0
        return mask

    def of_type(self, name: str) -> np.ndarray:
        mask: np.ndarray = self.type == TYPE_CODE[name]
        return mask

    def code_of(self, column: str, value: str) -> int:
        """The code of ``value`` in a coded column, -1 when no line has it."""
        names = self.names[column]
        return names.index(value) if value in names else -1

    def detached(self) -> Lines:
        """The same lines without any text (for the cache): not the journal's bytes, nor the
        unquoted copies of its quoted lines (made again from the journal when asked for)."""
        size = self.source.size
        at = np.flatnonzero(self.span[:, 0] >= size)
        quoted = np.column_stack((self.line[at].astype(np.int64), self.span[at] - size))
        return Lines(self.team, self.line, self.key, self.ref, self.type, self.date, self.due,
                     self.amount, self.has_amount, self.codes, self.names, self.span,
                     self.filled, self.source.hidden(quoted))


def empty_lines(team: str, source: Source | None = None) -> Lines:
    z64 = np.zeros(0, dtype=np.int64)
    return Lines(
        team, np.zeros(0, dtype=np.int32), z64, z64.copy(), np.zeros(0, dtype=np.int8),
        np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), z64.copy(), np.zeros(0, dtype=bool),
        {c: np.zeros(0, dtype=np.int32) for c in CODED_COLUMNS}, {c: ("",) for c in CODED_COLUMNS},
        np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.uint8), source or Source(0, b""),
    )


def concat(team: str, parts: Sequence[Lines], source: Source) -> Lines:
    """Several chunks of one journal's lines as one (codes merged), in the order given."""
    if not parts:
        return empty_lines(team, source)
    if len(parts) == 1:
        p = parts[0]
        return Lines(team, p.line, p.key, p.ref, p.type, p.date, p.due, p.amount, p.has_amount,
                     p.codes, p.names, p.span, p.filled, source)
    names: dict[str, tuple[str, ...]] = {}
    codes: dict[str, np.ndarray] = {}
    for column in CODED_COLUMNS:
        merged: dict[str, int] = {"": 0}
        for p in parts:
            for name in p.names[column]:
                merged.setdefault(name, len(merged))
        names[column] = tuple(merged)
        codes[column] = np.concatenate([
            np.array([merged[n] for n in p.names[column]], dtype=np.int32)[p.codes[column]]
            for p in parts
        ])

    def cat(attr: str) -> Any:
        return np.concatenate([getattr(p, attr) for p in parts])

    return Lines(team, cat("line"), cat("key"), cat("ref"), cat("type"), cat("date"), cat("due"),
                 cat("amount"), cat("has_amount"), codes, names, cat("span"), cat("filled"), source)


def take(lines: Lines, order: np.ndarray) -> Lines:
    """The lines at ``order`` (e.g. sorted by line number)."""
    return Lines(lines.team, lines.line[order], lines.key[order], lines.ref[order],
                 lines.type[order], lines.date[order], lines.due[order], lines.amount[order],
                 lines.has_amount[order], {c: v[order] for c, v in lines.codes.items()},
                 lines.names, lines.span[order], lines.filled[order], lines.source)


def appended(lines: Lines, cells: Sequence[Mapping[str, str]]) -> Lines:
    """The lines with some not yet written after them, given as the cells a write appends
    (``ref`` an id, ``date`` and ``due`` ISO dates, ``amount`` plain euros). Each gets an id
    above every id in the journal; nothing is checked (the writer checks them)."""
    from decimal import Decimal

    if not cells:
        return lines
    n = len(cells)
    top = int(lines.key.max()) + 1 if len(lines) else id_key(dt.date.today().year, 1)
    first_line = int(lines.line.max()) + 1 if len(lines) else 2

    def ref_key(text: str) -> int:
        try:
            team, year, seq = split_id(text)
        except ValueError:
            return -1
        return id_key(year, seq) if team == lines.team else -1

    def days(text: str) -> int:
        return day_number(dt.date.fromisoformat(text)) if text else int(NO_DATE)

    names = dict(lines.names)
    new_codes: dict[str, np.ndarray] = {}
    for column in CODED_COLUMNS:
        known = {name: i for i, name in enumerate(names[column])}
        for c in cells:
            known.setdefault(c.get(column, ""), len(known))
        names[column] = tuple(known)
        new_codes[column] = np.array([known[c.get(column, "")] for c in cells], dtype=np.int32)
    aux = bytearray()
    span = np.zeros((n, 2), dtype=np.int64)
    filled = np.zeros(n, dtype=np.uint8)
    for k, c in enumerate(cells):
        start = lines.source.size + lines.source.aux_size + len(aux)
        aux += "\x1f".join(c.get(col, "") for col in JOURNAL_COLUMNS).encode("utf-8")
        span[k] = (start, lines.source.size + lines.source.aux_size + len(aux))
        filled[k] = sum(1 << i for i, col in enumerate(TEXT_COLUMNS) if c.get(col, ""))
    amounts = [c.get("amount", "") for c in cells]
    more = Lines(
        lines.team, np.arange(first_line, first_line + n, dtype=np.int32),
        np.arange(top, top + n, dtype=np.int64),
        np.array([ref_key(c.get("ref", "")) for c in cells], dtype=np.int64),
        np.array([TYPE_CODE[c["type"]] for c in cells], dtype=np.int8),
        np.array([days(c["date"]) for c in cells], dtype=np.int32),
        np.array([days(c.get("due", "")) for c in cells], dtype=np.int32),
        np.array([int(Decimal(a).scaleb(2)) if a else 0 for a in amounts], dtype=np.int64),
        np.array([bool(a) for a in amounts], dtype=bool), new_codes, names, span, filled,
        lines.source)

    def cat(attr: str) -> Any:
        return np.concatenate([getattr(lines, attr), getattr(more, attr)])

    codes = {c: np.concatenate([lines.codes[c], new_codes[c]]) for c in CODED_COLUMNS}
    return Lines(lines.team, cat("line"), cat("key"), cat("ref"), cat("type"), cat("date"), cat("due"),
                 cat("amount"), cat("has_amount"), codes, names, cat("span"), cat("filled"),
                 lines.source.extended(bytes(aux)))


def rows_of(lines: Lines, rows: Sequence[int] | np.ndarray | None = None) -> list[Row]:
    """Lines as :class:`~maatwerk_cli.core.records.Row` records (all, or those at ``rows``)."""
    import json
    from decimal import Decimal

    idx = np.arange(len(lines)) if rows is None else np.asarray(rows, dtype=np.int64)
    team = lines.team
    cells = {name: lines.cells(idx, name) for name in (*CODED_COLUMNS, *TEXT_COLUMNS)}
    ids = lines.ids(idx)
    out: list[Row] = []
    for n, i in enumerate(idx.tolist()):
        ref = int(lines.ref[i])
        due = int(lines.due[i])
        extra = cells["extra"][n]
        out.append(Row(
            id=ids[n], type=TYPES[int(lines.type[i])], date=day(int(lines.date[i])),
            ref=key_to_id(team, ref) if ref >= 0 else "",
            amount=Decimal(int(lines.amount[i])).scaleb(-2) if lines.has_amount[i] else None,
            category=cells["category"][n], method=cells["method"][n], kind=cells["kind"][n],
            household=cells["household"][n], due=day(due) if due != NO_DATE else None,
            condition=cells["condition"][n], tegenprestatie=cells["tegenprestatie"][n],
            status=cells["status"][n], note=cells["note"][n], reason=cells["reason"][n],
            by=cells["by"][n], extra=json.loads(extra) if extra else {},
            recorded_at=cells["recorded_at"][n], team=team, line=int(lines.line[i]),
        ))
    return out
