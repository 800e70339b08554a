"""The marker of a batch being written over several journals: all of it, or none.

``maatwerk.pending`` exists only while a batch is being written (an import, a void of
several lines, any write of more than one line), or after its writer died. It names the
batch and, per journal, the size before the batch and a hash of the bytes just before that
cut; every line the batch writes carries the batch's id in its ``extra``. A bank import
names its team's bank file the same way (format 3), with the ``imported_at`` stamp every
bank line of the batch carries. Readers leave out what lies beyond a cut; the next writer
cuts it off.

A marker is only trusted when it fits the journals: each journal at least as long as the
cut, the bytes before the cut as hashed, and every whole line after it one of the batch's.
A marker that does not fit (left over from an older crash and restored from a backup or
git, written by an older version, damaged, or naming an unknown team) is stale: nothing is
cut or left out, readers warn, the next writer sets it aside (renames it) and ``check``
reports it. So a marker can never take away a line that was acknowledged outside its
batch, nor pad a journal.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..core.messages import Msg, msg
from .atomic import move_aside
from .banklines import IMPORTED_AT, split_cells
from .journal import TORN_END, checksum, id_seq, parse_line

PENDING_FILE = "maatwerk.pending"
SET_ASIDE = "maatwerk.pending.set-aside"
#: A marker over journals only; one that names bank files too (older versions, which do not
#: know bank files, see a format they do not know and cut nothing).
FORMAT = 2
FORMAT_BANK = 3
#: Bytes before a cut point that the marker hashes.
BEFORE = 4096
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?")


@dataclass(frozen=True, slots=True)
class Pending:
    """What the marker says, once checked against the journals.

    batch: the batch's id ("" when there is no marker, or it is stale).
    cuts: per journal the size before the batch (None: the batch made the journal).
    bank: per bank file (by team) the size before the batch (None: the batch made it).
    stale: why the marker cannot be trusted ("" when it can, or there is none).
    """

    batch: str = ""
    cuts: Mapping[str, int | None] = field(default_factory=dict)
    stale: str | Msg = ""
    bank: Mapping[str, int | None] = field(default_factory=dict)


def tail_hash(data: bytes, size: int) -> str:
    return hashlib.blake2b(data[max(0, size - BEFORE) : size], digest_size=16).hexdigest()


def marker_text(batch: str, cuts: Mapping[str, tuple[int | None, str]],
                bank: Mapping[str, tuple[int | None, str]] | None = None, stamp: str = "") -> str:
    """The marker for a batch: per journal (size before, hash of the bytes before it), and
    the same per bank file with the stamp of the batch's bank lines."""
    journals = {slug: {"size": size, "tail": tail} for slug, (size, tail) in cuts.items()}
    marker: dict[str, object] = {"format": FORMAT, "batch": batch, "journals": journals}
    if bank:
        marker.update(format=FORMAT_BANK, stamp=stamp,
                      bank={slug: {"size": size, "tail": tail} for slug, (size, tail) in bank.items()})
    return json.dumps(marker, sort_keys=True)


def read_marker(root: Path, journal_path: Callable[[str], Path], has_team: Callable[[str], bool],
                bank_path: Callable[[str], Path] | None = None) -> Pending:
    """The marker in ``root``, checked against the journals and bank files (see the module's rules)."""
    path = root / PENDING_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Pending()
    except OSError as exc:
        return Pending(stale=msg("pending.unreadable", error=exc.strerror))
    try:
        loaded = json.loads(data)
    except ValueError:
        return Pending(stale=msg("pending.not_json"))
    if not isinstance(loaded, dict) or loaded.get("format") not in (FORMAT, FORMAT_BANK):
        return Pending(stale=msg("pending.other_version"))
    batch = loaded.get("batch")
    journals = loaded.get("journals")
    banks = loaded.get("bank", {}) if loaded.get("format") == FORMAT_BANK else {}
    stamp = loaded.get("stamp", "")
    if (not isinstance(batch, str) or not batch or not isinstance(journals, dict) or not isinstance(banks, dict)
            or not isinstance(stamp, str) or (banks and (not stamp or bank_path is None))):
        return Pending(stale=msg("pending.damaged"))
    cuts: dict[str, dict[str, int | None]] = {"journals": {}, "bank": {}}
    for part, entries in (("journals", journals), ("bank", banks)):
        for slug, entry in entries.items():
            if not isinstance(slug, str) or not _SLUG.fullmatch(slug) or not has_team(slug):
                return Pending(stale=msg("pending.unknown_team", team=repr(slug)))
            if not isinstance(entry, dict):
                return Pending(stale=msg("pending.damaged"))
            size, tail = entry.get("size"), entry.get("tail")
            if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
                return Pending(stale=msg("pending.damaged"))
            if part == "journals":
                why = _fits(journal_path(slug), slug, batch, size, tail)
            else:
                assert bank_path is not None
                why = _fits(bank_path(slug), slug, batch, size, tail, stamp=stamp)
            if why:
                return Pending(stale=why)
            cuts[part][slug] = size
    return Pending(batch, cuts["journals"], bank=cuts["bank"])


def _bank_line_of(raw: bytes, stamp: str) -> bool:
    """Whether a raw line is a whole bank line written with this stamp."""
    try:
        values = split_cells(raw)
    except (ValueError, UnicodeDecodeError, StopIteration, csv.Error):
        return False
    return (len(values) > IMPORTED_AT + 1 and values[IMPORTED_AT] == stamp
            and checksum(values[:-1]) == values[-1])


def _fits(path: Path, slug: str, batch: str, size: int | None, tail: object, *, stamp: str = "") -> Msg | None:
    """Why the journal (or, with ``stamp``, the bank file) does not fit the marker (None when it does)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None if size is None else msg("pending.no_journal", team=slug)
    if size is None:
        start = data.find(b"\n") + 1
        if start == 0:
            return None  # only (part of) a header: the batch had just begun
    else:
        if len(data) < size:
            return msg("pending.journal_shorter", team=slug, size=size)
        if tail != tail_hash(data, size):
            return msg("pending.journal_differs", team=slug)
        start = size
    rest = data[start:].split(b"\n")
    rest.pop()  # the last one may be unfinished: the batch's writer died in it
    if stamp:
        for raw in rest:
            if raw and not _bank_line_of(raw, stamp):
                return msg("pending.bank_lines_after_cut", team=slug)
        return None
    for raw in rest:
        row = parse_line(raw, slug, 0)
        if isinstance(row, str) or row.extra.get("batch") != batch or raw.endswith(TORN_END):
            seq = id_seq(raw, slug)
            if seq:
                return msg("pending.journal_lines_after_cut_id", team=slug, seq=f"{seq:04d}")
            return msg("pending.journal_lines_after_cut", team=slug)
    return None


def set_aside(root: Path) -> Path:
    """Rename a stale marker out of the way (the caller holds the lock); returns its new path."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = root / f"{SET_ASIDE}-{stamp}"
    n = 1
    while target.exists():
        n += 1
        target = root / f"{SET_ASIDE}-{stamp}-{n}"
    move_aside(root / PENDING_FILE, target)
    return target


def set_aside_files(root: Path) -> list[Path]:
    return sorted(root.glob(f"{SET_ASIDE}-*"))

