"""Files replaced whole: temporary file in the same folder, fsync, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from ..core.errors import LedgerError

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (a no-op where unsupported)."""
    if sys.platform == "win32":  # pragma: no cover
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Replace ``path`` with ``text``: temp file in the same folder, fsync, rename.

    ``path`` itself is replaced, never a file a symbolic link there points to.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = text.encode("utf-8") if isinstance(text, str) else text
    # os-level calls, like the journal: no buffering in between, and every write and
    # fsync error reaches us (and the fault tests can inject them at the OS boundary).
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | NOFOLLOW
    try:
        fd = os.open(tmp, flags, 0o644)
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text`` (atomically; refuses to overwrite)."""
    if path.exists() or path.is_symlink():
        raise LedgerError(f"{path} exists already")
    write_atomic(path, text)
