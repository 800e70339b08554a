"""A team's bank lines on disk: ``teams/<slug>.bank.csv``, append-only like the journal.

One line per booked bank line with a checksum over its cells, so a torn, garbled or
hand-edited line is found by the reader and set aside. Lines are written whole in one
``write`` and fsynced, under the folder lock. An import writes its bank lines and its
journal links as one batch (:meth:`~maatwerk_cli.store.folder.LedgerFolder.append_batches`):
the pending marker then names the bank file's size before the batch too, so readers leave
out what lies beyond it and the next writer cuts it off should the importer die.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..core.errors import Problem
from ..core.messages import Msg, msg
from ..core.money import amount_from_file, format_plain
from .atomic import NOFOLLOW, append_whole, open_patiently, write_atomic
from .journal import checksum

#: Columns of ``teams/<slug>.bank.csv``, in file order.
BANK_COLUMNS = (
    "ref",
    "date",
    "amount",
    "direction",
    "description",
    "counterparty",
    "account",
    "format",
    "source",
    "imported_at",
    "checksum",
)
BANK_HEADER = ",".join(BANK_COLUMNS) + "\n"
BANK_SUFFIX = ".bank.csv"
#: Where ``imported_at`` stands in a line (the pending marker checks it after a cut).
IMPORTED_AT = BANK_COLUMNS.index("imported_at")


@dataclass(frozen=True, slots=True)
class StoredLine:
    """One bank line as kept in the team's bank file.

    ref: the bank's reference, or the parser's stable hash (``h:...``); unique per team.
    date: booking date; amount: positive, to the cent; direction: ``debit`` or ``credit``.
    description, counterparty: as the bank gave them, with personal data (IBAN, BSN,
        phone, e-mail) masked.
    account: the team's own account number as the statement gives it.
    format: the statement format (``ing``, ``camt053``, ...); source: the statement's file name.
    imported_at: when it was imported (UTC); line: its line in the bank file (0 before storing).
    """

    ref: str
    date: dt.date
    amount: Decimal
    direction: str
    description: str
    counterparty: str
    account: str
    format: str
    source: str
    imported_at: str
    line: int = 0

    def cells(self) -> list[str]:
        return [
            self.ref, self.date.isoformat(), format_plain(self.amount), self.direction,
            self.description, self.counterparty, self.account, self.format, self.source,
            self.imported_at,
        ]


def encode(line: StoredLine) -> str:
    values = line.cells()
    values.append(checksum(values))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def split_cells(raw: bytes) -> list[str]:
    """The cells of one raw line (ValueError, UnicodeDecodeError or csv.Error when it is none)."""
    return next(csv.reader([raw.decode("utf-8").rstrip("\r")]))


def parse(values: list[str], number: int) -> StoredLine:
    if len(values) != len(BANK_COLUMNS):
        raise ValueError(msg("bank_file.cells", count=len(values), expected=len(BANK_COLUMNS)))
    if checksum(values[:-1]) != values[-1]:
        raise ValueError(msg("bank_file.checksum"))
    c = dict(zip(BANK_COLUMNS, values, strict=True))
    if not c["ref"]:
        raise ValueError(msg("bank_file.no_ref"))
    if c["direction"] not in ("debit", "credit"):
        raise ValueError(msg("bank_file.direction", direction=repr(c["direction"])))
    amount = amount_from_file(c["amount"])
    if amount <= 0:
        raise ValueError(msg("bank_file.amount_not_positive"))
    return StoredLine(
        ref=c["ref"], date=dt.date.fromisoformat(c["date"]), amount=amount,
        direction=c["direction"], description=c["description"], counterparty=c["counterparty"],
        account=c["account"], format=c["format"], source=c["source"],
        imported_at=c["imported_at"], line=number,
    )


def read_lines(path: Path, name: str, cut: int | None = None) -> tuple[list[StoredLine], list[Problem]]:
    """Every good line of a bank file, and a Problem for every line set aside.

    ``cut``: the file's size before an unfinished batch; what lies beyond it is left out
    (the batch's writer died, or is still writing).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], []
    if cut is not None:
        data = data[:cut]
    if not data:
        return [], [] if cut is not None else [Problem(name, 1, msg("bank_file.empty"))]
    lines = data.split(b"\n")
    torn = lines[-1] != b""
    if not torn:
        lines.pop()
    if lines[0].rstrip(b"\r") + b"\n" != BANK_HEADER.encode():
        return [], [Problem(name, 1, msg("bank_file.bad_header"))]
    out: list[StoredLine] = []
    problems: list[Problem] = []
    for number, raw in enumerate(lines[1:], start=2):
        if torn and number == len(lines):
            problems.append(Problem(name, number, msg("bank_file.torn_last")))
            break
        try:
            out.append(parse(split_cells(raw), number))
        except (ValueError, UnicodeDecodeError, csv.Error, StopIteration) as exc:
            said = exc.args[0] if exc.args and isinstance(exc.args[0], Msg) else str(exc)
            problems.append(Problem(name, number, msg("bank_file.damaged_line", error=said)))
    return out, problems


def append_lines(path: Path, lines: Sequence[StoredLine], shown: str = "") -> None:
    """Append lines to a bank file (the caller holds the lock and has noted its size);
    ``shown``: the file as messages name it (default ``path``).

    Whole lines in one write, fsynced; on an I/O error whatever got written is taken back.
    """
    if not path.exists():
        # A new bank file appears with its header already in it, as a new journal does.
        write_atomic(path, BANK_HEADER, shown=shown or None)
    fd = open_patiently(path, os.O_RDWR | os.O_APPEND | NOFOLLOW, shown or None)
    try:
        size = os.fstat(fd).st_size
        prefix = ""
        if size == 0:
            prefix = BANK_HEADER
        else:
            os.lseek(fd, size - 1, os.SEEK_SET)
            if os.read(fd, 1) != b"\n":
                prefix = "\n"  # a writer died mid-line: end that line so ours stay whole
        append_whole(fd, (prefix + "".join(encode(line) for line in lines)).encode("utf-8"), size)
    finally:
        os.close(fd)
