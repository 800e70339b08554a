"""The one writer: every file the tool writes is made here, whole or not at all.

* :func:`write_atomic`: a temporary file in the same folder, written, fsynced, renamed over
  the target, and the folder fsynced where the platform allows. Settings, team files,
  outputs, the marker, cache files.
* :func:`write_via`: the same, for a library that writes a file by name (a workbook, a
  PDF, a Parquet part): it writes the temporary file, then it is fsynced and renamed.
* :func:`replace_folder`: a folder built beside its target (a Parquet dataset), every file
  in it fsynced, then renamed into place.
* :func:`fill_folder`: a new or empty folder given its files (the demo ledger), built hidden
  first, then renamed or moved into place.
* :func:`overwrite_note`: a small derived note overwritten in place with the hash of itself
  inside (a reader refuses a note that does not match it). No rename: a rename flushes the
  journal's folder on some file systems, which the clerk's card payment should not wait for.

Journals and bank files are not replaced but appended to, by their own store modules
(``store/folder.py``, ``store/banklines.py``), in whole lines, fsynced; they open their file
with :func:`open_patiently`.

A file another program holds open (Excel, a virus scanner, a sync client: on Windows a
sharing or lock violation) or that may not be written (a read-only file, a folder the user
may not write in) is tried again for a moment (:func:`patiently`), then refused with a
:class:`~maatwerk_cli.core.errors.BusyError` naming the file; nothing is half-written.
``MAATWERK_BUSY_WAIT`` sets that moment in seconds (default 2).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from ..core.errors import BusyError, LedgerError
from ..core.messages import msg

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
T = TypeVar("T")

#: Seconds a file held by another program is waited for (``MAATWERK_BUSY_WAIT`` overrides).
BUSY_WAIT = 2.0
#: Windows' ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION: another program has the file open.
_HELD_WINERRORS = (32, 33)
#: POSIX errors that mean the file is in use or may not be written by us now; a read-only
#: file system (EROFS) is not among them: waiting does not help there, it is a mistake.
_HELD_ERRNOS = (errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY)


def held(exc: OSError) -> bool:
    """Whether ``exc`` says another program holds the file, or it may not be written."""
    if getattr(exc, "winerror", None) in _HELD_WINERRORS:
        return True
    return exc.errno in _HELD_ERRNOS


def busy_wait() -> float:
    """How long to keep trying a held file: ``MAATWERK_BUSY_WAIT`` seconds, else :data:`BUSY_WAIT`."""
    given = os.environ.get("MAATWERK_BUSY_WAIT", "").strip()
    try:
        seconds = float(given) if given else BUSY_WAIT
    except ValueError:
        return BUSY_WAIT
    return seconds if 0 <= seconds < 3600 else BUSY_WAIT


def patiently(shown: str | os.PathLike[str], action: Callable[[], T]) -> T:
    """``action()``, tried again for :func:`busy_wait` seconds while the file is held
    (:func:`held`); then a BusyError naming ``shown`` (the file as the user knows it).
    Any other OSError goes through at once."""
    deadline = time.monotonic() + busy_wait()
    pause = 0.05
    while True:
        try:
            return action()
        except OSError as exc:
            if not held(exc):
                raise
            if time.monotonic() + pause > deadline:
                raise BusyError(msg("file.held", path=str(shown))) from None
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


def open_patiently(path: Path, flags: int, shown: str | None = None) -> int:
    """``os.open(path, flags, 0o644)`` (a file to write), patient with a held file."""
    return patiently(shown or str(path), lambda: os.open(path, flags, 0o644))


def _replace_patiently(tmp: Path, path: Path, shown: str) -> None:
    def replace() -> None:
        # POSIX renames over a read-only file; Windows does not, nor does the user expect it:
        # a file that may not be opened for writing is not replaced either.
        if os.path.isfile(path) and not os.path.islink(path) and not os.access(path, os.W_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        os.replace(tmp, path)

    patiently(shown, replace)


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
                 durable: bool = True, shown: str | None = None, patient: bool = True) -> None:
    """Replace ``path`` with ``text``: temp file in the same folder, fsync, rename.

    ``text`` may come in pieces (a large cache file is not joined in memory first).
    ``path`` itself is replaced, never a file a symbolic link there points to.
    ``durable=False`` skips the fsyncs, for a file that may be lost but never half-read
    (a cache file, which is checked before use and made again from the journal).
    A held file (see the module's note) is waited for and then refused, named as ``shown``
    (default ``path``); ``patient=False``: no waiting, the OSError goes through (a cache file).
    """
    tmp = _temp(path)
    name = shown or str(path)
    pieces = [text.encode("utf-8")] if isinstance(text, str) else [text] if isinstance(text, bytes) else text
    # os-level calls, like the journal: no buffering in between, and every write and
    # fsync error reaches us (and the fault tests can inject them at the OS boundary).
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY | NOFOLLOW
    try:
        fd = patiently(name, lambda: os.open(tmp, flags, mode)) if patient else os.open(tmp, flags, mode)
        try:
            for piece in pieces:
                _write_all(fd, piece)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if patient:
            _replace_patiently(tmp, path, name)
        else:
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if durable:
        fsync_dir(path.parent)


def write_via(path: Path, produce: Callable[[Path], None]) -> None:
    """Replace ``path`` with what ``produce`` writes to the temporary name it is given
    (a library that writes files by name); then fsync, rename, fsync the folder. A held
    ``path`` is waited for, then refused (see the module's note)."""
    tmp = _temp(path)
    try:
        tmp.unlink(missing_ok=True)
        # The folder must take the new file: tried here, where a held or unwritable one is
        # waited for and named, rather than inside the library.
        patiently(path, lambda: _probe(tmp))
        produce(tmp)
        if not tmp.is_file():
            raise LedgerError(msg("file.nothing_written", path=path))
        _fsync_file(tmp)
        _replace_patiently(tmp, path, str(path))
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def _probe(tmp: Path) -> None:
    """Make and remove the empty file ``tmp`` (an earlier one is replaced)."""
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY | NOFOLLOW, 0o644))
    os.unlink(tmp)


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
    # Windows refuses to rename a folder while another program holds a file in it.
    patiently(target, lambda: os.replace(target, old))
    try:
        os.replace(built, target)
    except BaseException:
        os.replace(old, target)
        raise
    fsync_dir(target.parent)
    shutil.rmtree(old, ignore_errors=True)


def write_beside(path: Path, data: bytes) -> None:
    """A new file ``path`` (refused if it exists) with ``data``, fsynced; the folder is not:
    for a file that waits beside its target until it is renamed (:mod:`maatwerk_cli.store.rewrite`)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY | NOFOLLOW, 0o644)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def rename_into(tmp: Path, target: Path) -> None:
    """A file written beside ``target`` renamed over it (the caller fsyncs the folder)."""
    os.replace(tmp, target)


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


def fill_folder(target: Path, files: Mapping[str, bytes], *, last: str) -> None:
    """Make ``target``, a new or empty folder, hold ``files`` (relative names with ``/``),
    whole or not at all.

    The files are written into a hidden folder first and fsynced. A new ``target`` is that
    folder renamed into place (:func:`replace_folder`). An empty one stays where it is (it
    may be the shell's working folder, which a rename would take away): the hidden folder
    is made inside it and its entries moved up, ``last`` at the end (the settings file,
    whose presence makes the folder a ledger), and moved back if a move fails.
    """
    new = not os.path.lexists(target)
    if new:
        target.parent.mkdir(parents=True, exist_ok=True)
    built = _temp(target) if new else target / f".{target.name or 'folder'}.{os.getpid()}.tmp"
    shutil.rmtree(built, ignore_errors=True)  # left by an earlier run of this process id
    os.mkdir(built)
    try:
        for name, data in files.items():
            path = built / name
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data, durable=False)  # fsynced below, all at once
        if new:
            replace_folder(built, target)
            return
        for folder, _, names in os.walk(built):
            for name in names:
                _fsync_file(Path(folder) / name)
            fsync_dir(Path(folder))
        entries = sorted((p.name for p in built.iterdir()), key=lambda name: name == last)
        moved: list[str] = []
        try:
            for name in entries:
                os.rename(built / name, target / name)
                moved.append(name)
        except BaseException:
            for name in reversed(moved):
                with contextlib.suppress(OSError):
                    os.rename(target / name, built / name)
            raise
        fsync_dir(target)
    finally:
        remove_folder(built)
