"""The one writer: every file the tool writes is made here, whole or not at all.

* :func:`write_atomic`: a temporary file in the same folder, written, fsynced, renamed over
  the target, and the folder fsynced where the platform allows. Settings, team files,
  outputs, the marker, cache files.
* :func:`write_via`: the same, for a library that writes a file by name (a workbook, a
  PDF, a Parquet part): it writes the temporary file, then it is fsynced and renamed.
* :func:`replace_folder`: a folder built beside its target (a Parquet dataset), every file
  in it fsynced, then renamed into place.
* :func:`overwrite_note`: a small derived note overwritten in place with the hash of itself
  inside (a reader refuses a note that does not match it). No rename: a rename flushes the
  journal's folder on some file systems, which the clerk's card payment should not wait for.

Journals and bank files are not replaced but appended to, by their own store modules
(``store/folder.py``, ``store/banklines.py``), in whole lines, fsynced.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from ..core.errors import LedgerError
from ..core.messages import msg

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (a no-op where unsupported)."""
    if sys.platform == "win32":  # pragma: no cover - Windows cannot open a folder to fsync it
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | _BINARY)  # Windows flushes a file only if it is open for writing
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data).cast("B")
    written = 0
    while written < len(view):
        written += os.write(fd, view[written:])


def write_atomic(path: Path, text: str | bytes | Iterable[bytes | memoryview], *, mode: int = 0o644,
                 durable: bool = True) -> None:
    """Replace ``path`` with ``text``: temp file in the same folder, fsync, rename.

    ``text`` may come in pieces (a large cache file is not joined in memory first).
    ``path`` itself is replaced, never a file a symbolic link there points to.
    ``durable=False`` skips the fsyncs, for a file that may be lost but never half-read
    (a cache file, which is checked before use and made again from the journal).
    """
    tmp = _temp(path)
    pieces = [text.encode("utf-8")] if isinstance(text, str) else [text] if isinstance(text, bytes) else text
    # os-level calls, like the journal: no buffering in between, and every write and
    # fsync error reaches us (and the fault tests can inject them at the OS boundary).
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY | NOFOLLOW
    try:
        fd = os.open(tmp, flags, mode)
        try:
            for piece in pieces:
                _write_all(fd, piece)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if durable:
        fsync_dir(path.parent)


def write_via(path: Path, produce: Callable[[Path], None]) -> None:
    """Replace ``path`` with what ``produce`` writes to the temporary name it is given
    (a library that writes files by name); then fsync, rename, fsync the folder."""
    tmp = _temp(path)
    try:
        tmp.unlink(missing_ok=True)
        produce(tmp)
        if not tmp.is_file():
            raise LedgerError(msg("file.nothing_written", path=path))
        _fsync_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def replace_folder(built: Path, target: Path) -> None:
    """Move the folder ``built`` (beside ``target``) into place: every file in it fsynced
    first, then renamed; an earlier ``target`` is renamed aside and removed once the new
    one is in place, or put back if the move fails."""
    for folder, _, files in os.walk(built):
        for name in files:
            _fsync_file(Path(folder) / name)
        fsync_dir(Path(folder))
    if not target.exists():
        os.replace(built, target)
        fsync_dir(target.parent)
        return
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    os.replace(target, old)
    try:
        os.replace(built, target)
    except BaseException:
        os.replace(old, target)
        raise
    fsync_dir(target.parent)
    shutil.rmtree(old, ignore_errors=True)


def move_aside(path: Path, target: Path) -> None:
    """Rename a file out of the way (a stale marker), durably."""
    os.replace(path, target)
    fsync_dir(path.parent)


def remove_folder(path: Path) -> None:
    """A folder this writer built that is not wanted after all (an error half-way)."""
    shutil.rmtree(path, ignore_errors=True)


def overwrite_note(path: Path, data: bytes, *, flags: int = 0) -> None:
    """Write a small self-checking note over ``path`` in place (see the module's note).

    The note carries a hash of itself, so a reader that finds a mix of the old and new
    bytes (a crash half-way, a longer old note) refuses it; ``flags``: more ``os.open``
    flags (refusing links where the platform can).
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | _BINARY | flags, 0o600)
    try:
        # os.pwrite is POSIX only: seek and write does the same on every platform.
        os.lseek(fd, 0, os.SEEK_SET)
        _write_all(fd, data)
        os.ftruncate(fd, len(data))  # an older, longer note leaves nothing behind
    finally:
        os.close(fd)


def append_whole(fd: int, payload: bytes, size: int, *, before_sync: Callable[[], None] | None = None,
                 new_in: Path | None = None) -> None:
    """Append ``payload`` (whole lines) to an append-only file open on ``fd`` that was
    ``size`` bytes long, and fsync it; ``new_in``: the folder of a file just made, fsynced
    too. On a disk-full or I/O error whatever part got written is taken back.

    ``before_sync`` runs once the bytes are written, before the sync (which takes longest):
    its OSError is ignored."""
    try:
        _write_all(fd, payload)
        if before_sync is not None:
            with contextlib.suppress(OSError):
                before_sync()
        os.fsync(fd)
        if new_in is not None:
            fsync_dir(new_in)
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
            os.fsync(fd)
        raise


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text`` (atomically; refuses to overwrite)."""
    if path.exists() or path.is_symlink():
        raise LedgerError(msg("file.exists", path=path))
    write_atomic(path, text)
