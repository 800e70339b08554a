"""The one cache: each journal's fold, kept while the journal is the same file, byte for byte.

The CSV journals stay the truth. Reading and checking a million lines takes seconds, and
what the reader and the fold make of the same bytes is always the same, so it is kept
in the user's cache folder (never in the ledger folder), one file per journal, and
served again while the journal is unchanged.

"Unchanged" is decided from what the file system says before the journal is read: its
identity (device, inode), its size, its modification and change time in nanoseconds
(a program cannot set the change time back, so an edit that keeps the size and the
modification time is seen too) and a hash of its last 64 KiB, where appends and most
edits land. A journal changed within two seconds of being read (when a coarse file-system
clock could hide a second change) is hashed whole, and that hash is checked on every
use. Anything in doubt means: read the journal again. An unreadable, damaged, foreign or
older cache file is ignored and replaced. Journals in an unfinished batch are never
cached.

A cache file holds the fold's arrays as raw bytes after a small header and a body (the
pickled fold without its arrays); they are mapped into memory, so a report reads only
the arrays it uses.

No text of a line is kept, so that the cache folder (on every PC that ran a report, outside
the ledger folder's access rights) holds nothing of the residents: no household code,
note, reason, condition, tegenprestatie, name in ``by``, bank reference or ``extra`` cell,
not even the unquoted copies the reader makes of lines with quoted cells (only where those
lines stand). What is kept is numbers (ids as integers, dates, amounts, line numbers and
places), the category, method, kind and status names, the journal's path and the reader's
problems. A view that needs a text reads it from the journal itself, after checking it is
still the same file. ``tests/test_cache_privacy.py`` writes such texts through every kind of
command and looks for them in every byte of the cache folder.

A cache file is derived, so one that fails its own checksums is never trusted. The
header and the body each carry a CRC-32, checked before either is unpickled; each array
carries its own, checked when a view first uses that array (an untouched array costs
nothing: a report reads a third of what is cached). An array that fails its checksum,
perhaps halfway through a report, makes the journal be read and folded again right
there, the bytes it had when it was stamped (checked to be the same file), and every
array not used yet comes from that fold; the ones used before passed their checksums, so
they are that fold's too. The new fold replaces the damaged file. CRC-32 is against
accidental damage (a bad disk, a partial copy), not against someone forging a file:
whoever can write the user's cache folder can run code as that user anyway.

Layout: the magic line, the header's length (8 bytes) and CRC-32 (4 bytes), the header
(versions, the journal's path and stamp, the body's length and CRC-32, and per array its
place, CRC-32, dtype and shape), the body, then the arrays, each aligned to 64 bytes.

``MAATWERK_NO_CACHE=1`` reads the journals every time; ``MAATWERK_CACHE_DIR`` keeps the
cache elsewhere. Deleting the cache folder is always safe.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import LedgerError
from ..core.messages import msg
from .atomic import overwrite_note, write_atomic

if TYPE_CHECKING:
    from .folded import Folded

#: Bump when what is cached changes shape; older cache files are then ignored.
FORMAT = 8  # 5: corrections; 6: the bank-undo line type; 7: no journal text kept; 8: import lines in place
TAIL = 64 * 1024
#: A journal changed this recently when it was read is hashed whole on every use.
RACY_NS = 2_000_000_000
#: The cache folder is kept under this size; the least recently used files go first.
KEEP_BYTES = 1 << 30
_MAGIC = b"maatwerk-book-cache\n"
#: Where the header starts: after the magic, its length (8 bytes) and its CRC-32 (4 bytes).
_HEAD_AT = len(_MAGIC) + 8 + 4
_ALIGN = 64


@dataclass(frozen=True, slots=True)
class Stamp:
    """What the file system says about a journal, taken before it is read.

    ino, dev, size, mtime_ns, ctime_ns: from ``stat``; tail: hash of the last 64 KiB;
    whole: hash of the whole file when it had just changed, else "".
    """

    ino: int
    dev: int
    size: int
    mtime_ns: int
    ctime_ns: int
    tail: str
    whole: str = ""


def enabled() -> bool:
    return os.environ.get("MAATWERK_NO_CACHE", "").strip().lower() not in ("1", "true", "yes", "on")


def cache_dir() -> Path:
    given = os.environ.get("MAATWERK_CACHE_DIR")
    if given:
        return Path(given)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("maatwerk", appauthor=False)) / "books"


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def stamp(path: Path, now_ns: int | None = None) -> Stamp | None:
    """The stamp of a journal as it is now (None when there is none).

    ``now_ns``: the moment of reading, to decide whether the journal changed so recently
    that it must be hashed whole; None leaves the whole-file hash out.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        st = os.fstat(fd)
        start = max(0, st.st_size - TAIL)
        os.lseek(fd, start, os.SEEK_SET)
        tail = _read_all(fd, st.st_size - start)
        whole = ""
        if now_ns is not None and now_ns - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
            os.lseek(fd, 0, os.SEEK_SET)
            whole = _hash(_read_all(fd, st.st_size))
    finally:
        os.close(fd)
    return Stamp(st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns, _hash(tail), whole)


def _read_all(fd: int, size: int) -> bytes:
    parts = []
    while size > 0:
        chunk = os.read(fd, min(size, 1 << 24))
        if not chunk:
            break
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts)


def same_file(path: Path, old: Stamp) -> bool:
    """Whether a journal is byte for byte what it was when ``old`` was taken."""
    now = stamp(path)
    if now is None:
        return False
    same = (now.ino, now.dev, now.size, now.mtime_ns, now.ctime_ns, now.tail) == (
        old.ino, old.dev, old.size, old.mtime_ns, old.ctime_ns, old.tail)
    if same and old.whole:
        with open(path, "rb") as fh:
            same = _hash(fh.read()) == old.whole
    return same


def cache_file(journal: Path) -> Path:
    key = _hash(f"{FORMAT}\0{real_path(journal)}".encode())
    return cache_dir() / f"{key}.{FORMAT}{_SUFFIX}"


_SUFFIX = ".book"


def _stale(path: Path) -> bool:
    """A cache file of another FORMAT (older ones may hold texts): removed, never read."""
    return not path.name.endswith(f".{FORMAT}{_SUFFIX}")


def real_path(journal: Path) -> str:
    """The journal's path with every link resolved: its folder's, found once per folder,
    then the file's own name (resolved too when the file is a link, which check reports)."""
    if os.path.islink(journal):
        return str(journal.resolve())
    return os.path.join(_real_dir(str(journal.parent)), journal.name)


@functools.lru_cache(maxsize=64)
def _real_dir(folder: str) -> str:
    return os.path.realpath(folder)


def _versions() -> tuple[str, ...]:
    import numpy as np

    from .. import __version__

    return (str(FORMAT), __version__, np.__version__, sys.version.split()[0])


def reader_of(journal: Path, st: Stamp, size: int) -> Callable[[], bytes]:
    """How a book gets its journal's bytes when a view needs the text: read again, and checked
    to be the file that was read (``st`` taken before; ``size``: the bytes that count)."""

    def load() -> bytes:
        data = journal.read_bytes()
        # Lines appended since (a clerk recording meanwhile) change nothing before them;
        # anything else means the file is not the one that was read.
        try:
            now = os.stat(journal)
        except OSError:
            now = None
        same = (now is not None and (now.st_ino, now.st_dev) == (st.ino, st.dev)
                and len(data) >= max(size, st.size)
                and _hash(data[max(0, st.size - TAIL) : st.size]) == st.tail
                and (not st.whole or _hash(data[: st.size]) == st.whole))
        if not same:
            raise LedgerError(msg("journal.changed_while_read", journal=journal))
        return data[:size]

    return load


def _region(head_len: int, body_len: int) -> int:
    """Where the raw arrays start: after the header and the body, aligned."""
    end = _HEAD_AT + head_len + body_len
    return end + (-end) % _ALIGN


def _crc(data: bytes | memoryview) -> int:
    return zlib.crc32(data)


class _Damaged(Exception):
    """An array of a cache file that fails its checksum."""


#: Where one array of the fold stands in a cache file (start, end: counted from where the
#: arrays start), its CRC-32, dtype and shape. A plain tuple: 400 files of 40 arrays each
#: are unpickled in a fraction of the time dataclasses would take.
_Array = tuple[int, int, int, str, tuple[int, ...]]


class _Pending(int):
    """An array of a cached fold not taken from its file yet: its index there."""

    __slots__ = ()


class _BookFile:
    """One cache file, mapped: its arrays, each checked against its checksum when first used.

    When one fails, the journal is read and folded again right then (the bytes it had when
    the cache file was made, checked to be the same file) and every array not taken yet
    comes from that fold. The arrays taken before passed their checksums, so they are that
    fold's too: nothing of the damaged file is used. The new fold replaces the file.
    """

    __slots__ = ("arrays", "fresh", "journal", "region", "stamp", "team", "view")

    def __init__(self, view: memoryview, region: int, arrays: list[_Array], journal: Path,
                 st: Stamp) -> None:
        self.view = view
        self.region = region
        self.arrays = arrays
        self.journal = journal
        self.stamp = st
        self.team = ""
        self.fresh: Folded | None = None

    def array(self, index: int) -> Any:
        import numpy as np

        start, end, crc, dtype, shape = self.arrays[index]
        raw = self.view[self.region + start : self.region + end]
        if _crc(raw) != crc:
            raise _Damaged(index)
        return np.frombuffer(raw, dtype=np.dtype(dtype)).reshape(shape)

    def take(self, in_lines: bool, name: str, value: object) -> object:
        """The field ``name`` of the book (or of its lines), which holds pending arrays."""
        if self.fresh is None:
            try:
                if isinstance(value, _Pending):
                    return self.array(value)
                if isinstance(value, dict):
                    return {k: self.array(v) if isinstance(v, _Pending) else v for k, v in value.items()}
                raise _Damaged(name)  # pragma: no cover - only pending fields come here
            except Exception:  # noqa: BLE001 - a checksum that fails, or anything odd: the journal decides
                self.fresh = self._fold_again()
        book = self.fresh.book
        return getattr(book.lines if in_lines else book, name)

    def _fold_again(self) -> Folded:
        from .folded import fold_bytes

        st = self.stamp
        data = reader_of(self.journal, st, st.size)()  # refused when the journal is another file
        fresh = fold_bytes(self.team, str(self.journal), data)
        if fresh.size != st.size:  # pragma: no cover - the same bytes fold the same
            raise LedgerError(msg("journal.changed_while_read", journal=self.journal))
        store(self.journal, st, fresh)  # in place of the damaged file
        return fresh


def _taken(self: Any, name: str) -> object:
    """``__getattr__`` of a cached book or lines: a field left empty until now (its arrays
    pending) is taken from the cache file, and kept in its slot. ``_pending``: the file,
    whether this is the lines (else the book), and the pending fields."""
    file, in_lines, pending = object.__getattribute__(self, "_pending")
    if name not in pending:
        raise AttributeError(name)
    got = file.take(in_lines, name, pending[name])
    object.__setattr__(self, name, got)
    del pending[name]
    return got


def _as_plain(self: Any) -> tuple[type, tuple[object, ...]]:
    """``__reduce__`` of a cached book or lines: pickled as the plain Book or Lines, every
    field taken from the file first."""
    base = type(self).__mro__[1]
    return base, tuple(getattr(self, name) for name in _field_names(base))


@functools.lru_cache(maxsize=1)
def _cached_classes() -> tuple[type, type]:
    """The fold's Book and Lines with fields taken from the cache file on first use: such a
    field's slot stays empty until then (``__getattr__`` is asked only for an empty slot),
    so once taken it costs nothing more."""
    from ..core.fold import Book
    from ..core.lines import Lines

    return tuple(type(f"Cached{base.__name__}", (base,), {
        "__slots__": ("_pending",), "__getattr__": _taken, "__reduce__": _as_plain,
    }) for base in (Book, Lines))  # type: ignore[return-value]


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    got = _FIELD_NAMES.get(cls)
    if got is None:
        from dataclasses import fields

        got = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return got


def _lazy(obj: Any, cls: type, file: _BookFile, in_lines: bool) -> tuple[Any, int]:
    """A copy of a Book or Lines as ``cls``, its fields with pending arrays left empty; and
    how many arrays those hold."""
    out: Any = object.__new__(cls)
    pending: dict[str, object] = {}
    count = 0
    for name in _field_names(type(obj)):
        value = getattr(obj, name)
        n = 1 if isinstance(value, _Pending) else (
            sum(isinstance(v, _Pending) for v in value.values()) if isinstance(value, dict) else 0)
        if n:
            pending[name] = value
            count += n
        else:
            object.__setattr__(out, name, value)
    object.__setattr__(out, "_pending", (file, in_lines, pending))
    return out, count


def _lazy_folded(folded: Any, file: _BookFile) -> Folded | None:
    """The fold with its book and lines taking their arrays on first use; None when the
    arrays are not all in those two (then the cache file is not used)."""
    from dataclasses import replace

    from ..core.fold import Book
    from ..core.lines import Lines
    from .folded import Folded

    if type(folded) is not Folded or type(folded.book) is not Book or type(folded.book.lines) is not Lines:
        return None
    book_class, lines_class = _cached_classes()
    lines, in_lines = _lazy(folded.book.lines, lines_class, file, True)
    object.__setattr__(folded.book, "lines", lines)
    book, in_book = _lazy(folded.book, book_class, file, False)
    if in_lines + in_book != len(file.arrays):
        return None  # an array somewhere else: the fold changed shape without a FORMAT bump
    return replace(folded, book=book)


@functools.lru_cache(maxsize=1)
def _unpickler() -> type:
    import pickle

    class Unpickler(pickle.Unpickler):
        """Unpickles a cached fold's body; its arrays stay pending (see :class:`_BookFile`)."""

        def __init__(self, data: memoryview, arrays: int) -> None:
            super().__init__(io.BytesIO(data))
            self.arrays = arrays

        def persistent_load(self, pid: object) -> object:
            if type(pid) is not int or not 0 <= pid < self.arrays:
                raise pickle.UnpicklingError("not an array of this file")
            return _Pending(pid)

    return Unpickler


def load(journal: Path) -> tuple[Stamp, Folded] | None:
    """The cached fold of a journal, if there is one that is still true; else None.

    The header and the body are checked against their checksums here, each array when it
    is first used (:class:`_BookFile`).
    """
    # Here, not at the top: the clerk's card path loads this module for its notes only.
    import mmap
    import pickle

    path = cache_file(journal)
    try:
        with open(path, "rb") as fh:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    try:
        view = memoryview(mapped)
        if bytes(view[: len(_MAGIC)]) != _MAGIC:
            return None
        at = len(_MAGIC)
        head_len = int.from_bytes(view[at : at + 8], "little")
        head_crc = int.from_bytes(view[at + 8 : _HEAD_AT], "little")
        head = view[_HEAD_AT : _HEAD_AT + head_len]
        if len(head) != head_len or _crc(head) != head_crc:
            return None
        versions, where, st, body_len, body_crc, arrays = pickle.loads(head)
        if versions != _versions() or where != real_path(journal) or not isinstance(st, Stamp):
            return None
        region = _region(head_len, body_len)
        if len(view) != (region + arrays[-1][1] if arrays else _HEAD_AT + head_len + body_len):
            return None  # cut short, or more than was written
        if not same_file(journal, st):
            return None
        body = view[_HEAD_AT + head_len : _HEAD_AT + head_len + body_len]
        if _crc(body) != body_crc:
            return None
        file = _BookFile(view, region, arrays, journal, st)
        folded = _lazy_folded(_unpickler()(body, len(arrays)).load(), file)
        if folded is None:
            return None
        file.team = folded.team
        source = folded.book.lines.source
        source.set_loader(reader_of(journal, st, source.size))
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by the eviction
        return st, folded
    except Exception:  # a damaged cache is only a slower start: read the journal again
        return None


def store(journal: Path, st: Stamp, folded: Folded) -> None:
    """Keep a journal's fold; a cache that cannot be written is simply skipped (it is speed)."""
    import pickle

    import numpy as np

    path = cache_file(journal)
    raws: list[memoryview] = []
    arrays: list[_Array] = []
    offset = 0

    class Pickler(pickle.Pickler):
        """The fold's arrays are kept out of the body, as raw bytes with a checksum each."""

        def persistent_id(self, obj: object) -> int | None:
            nonlocal offset
            if type(obj) is not np.ndarray or obj.dtype.hasobject:
                return None
            raw = np.ascontiguousarray(obj).reshape(-1).view(np.uint8).data
            offset += (-offset) % _ALIGN
            arrays.append((offset, offset + raw.nbytes, _crc(raw), obj.dtype.str, obj.shape))
            raws.append(raw)
            offset += raw.nbytes
            return len(arrays) - 1

    from dataclasses import replace

    from ..core.fold import detached

    out = io.BytesIO()
    # Without any text: see the module's note.
    Pickler(out, protocol=5).dump(replace(folded, book=detached(folded.book)))
    body = out.getvalue()
    head = pickle.dumps((_versions(), real_path(journal), st, len(body), _crc(body), arrays), protocol=5)
    region = _region(len(head), len(body))
    def pieces() -> Iterator[bytes | memoryview]:
        yield _MAGIC
        yield len(head).to_bytes(8, "little")
        yield _crc(head).to_bytes(4, "little")
        yield head
        yield body
        at = _HEAD_AT + len(head) + len(body)
        for raw, (start, end, *_) in zip(raws, arrays, strict=True):
            yield b"\0" * (region + start - at)
            yield raw
            at = region + end

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Not fsynced: a cache file lost in a power cut is made again from the journal,
        # and one cut short fails its checksums.
        write_atomic(path, pieces(), mode=0o600, durable=False, patient=False)
    except OSError:
        return
    _evict(path.parent, keep=path)


def _evict(folder: Path, keep: Path) -> None:
    """Keep the cache folder small: drop the least recently used files beyond KEEP_BYTES,
    and every file of another FORMAT."""
    with contextlib.suppress(OSError):
        files = []
        for p in folder.glob(f"*{_SUFFIX}"):
            if _stale(p):
                with contextlib.suppress(OSError):
                    p.unlink()
                continue
            st = p.stat()
            files.append((st.st_mtime_ns, st.st_size, p))
        files.sort(reverse=True)
        total = 0
        for _, size, p in files:
            total += size
            if total > KEEP_BYTES and p != keep:
                p.unlink(missing_ok=True)


def now_ns() -> int:
    return time.time_ns()


def forget(journal: Path) -> None:
    """Drop the cached fold of a journal that was replaced whole (anonymising): its stamp
    would not match the new file anyway, this makes sure nothing of it is served."""
    with contextlib.suppress(OSError):
        cache_file(journal).unlink(missing_ok=True)


def clear() -> int:
    """Delete every cache file; returns how many there were."""
    count = 0
    with contextlib.suppress(OSError):
        for path in [*cache_dir().glob("*.book"), *cache_dir().glob("*.json")]:
            path.unlink(missing_ok=True)
            count += 1
    return count



# ---------------------------------------------------------------------------- small notes


def note_file(journal: Path, name: str) -> Path:
    key = _hash(f"{FORMAT}\0{name}\0{_resolved(journal)}".encode())
    return cache_dir() / f"{key}.{name}.json"


@functools.lru_cache(maxsize=256)
def _resolved(journal: Path) -> str:
    return str(journal.resolve())


def load_note(journal: Path, name: str) -> dict[str, object] | None:
    """A small note about a journal kept by :func:`store_note`, while the journal is still the
    file it was about (same identity, size, times and last 64 KiB); else None.

    Notes let a writer that must stay light (the clerk's card payment) know a few figures
    of a journal without reading it; whoever writes the note took them from the fold.
    Notes are read and written under the folder lock only.
    """
    import json

    if not enabled():
        return None
    try:
        raw = note_file(journal, name).read_bytes()
        body, _, check = raw.rpartition(b"\n")
        if _hash(body) != check.decode("ascii"):
            return None  # cut short or mixed with an older note: not trusted
        data = json.loads(body)
        st = Stamp(**data["stamp"])
        value = data["value"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if data.get("journal") != _resolved(journal) or not isinstance(value, dict):
        return None
    if not (same_file(journal, Stamp(st.ino, st.dev, st.size, st.mtime_ns, st.ctime_ns, st.tail))
            or _torn_after(journal, st)):
        return None
    return value


def _torn_after(journal: Path, st: Stamp) -> bool:
    """Whether the journal is the file of ``st`` with only an unfinished line after it (a
    writer died mid-line): readers set that line aside, so what was true of the file still is."""
    try:
        fd = os.open(journal, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        now = os.fstat(fd)
        if (now.st_ino, now.st_dev) != (st.ino, st.dev) or now.st_size <= st.size:
            return False
        if now.st_size - st.size > TAIL:
            return False  # far more than a line: read it
        start = max(0, st.size - TAIL)
        os.lseek(fd, start, os.SEEK_SET)
        data = _read_all(fd, now.st_size - start)
    finally:
        os.close(fd)
    before, after = data[: st.size - start], data[st.size - start :]
    return _hash(before) == st.tail and b"\n" not in after


def store_note(journal: Path, name: str, value: dict[str, object]) -> None:
    """Keep a note about the journal as it is now (skipped when it cannot be written).

    Written in place, not renamed or truncated to nothing first (on ext4 either costs a
    flush to disk): only holders of the folder lock read or write notes, and the note ends
    in a hash of itself, so one cut short or mixed with the one before is ignored.
    """
    import json
    from dataclasses import asdict

    if not enabled():
        return
    st = stamp(journal)
    if st is None:
        return
    path = note_file(journal, name)
    body = json.dumps({"journal": _resolved(journal), "stamp": asdict(st), "value": value}).encode("utf-8")
    data = body + b"\n" + _hash(body).encode("ascii")
    try:
        try:
            overwrite_note(path, data, flags=NOFOLLOW_NOTE)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            overwrite_note(path, data, flags=NOFOLLOW_NOTE)
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink()


NOFOLLOW_NOTE = getattr(os, "O_NOFOLLOW", 0)
