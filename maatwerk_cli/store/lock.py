"""The folder lock: every write to a ledger folder holds it.

POSIX record locks (``lockf``) work across processes and, unlike ``flock``, over NFS;
the kernel drops them when a process dies, so a crash never leaves a stale lock. On
Windows a byte-range lock (``msvcrt.locking``) on the first byte of the lock file, which
an SMB share carries to the file server, so clerks on two PCs exclude each other.

A lock that is held is waited for (:data:`LOCK_TIMEOUT`, then a BusyError); a lock the
file system refuses for any other reason (a share or mount without lock support: ENOLCK,
EOPNOTSUPP, EINVAL) is refused at once: the tool never writes a ledger without its lock.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..core.errors import BusyError, LedgerError
from ..core.messages import msg
from .atomic import open_patiently

LOCK_TIMEOUT = 30.0
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: What a lock held by another process fails with: lockf says EACCES or EAGAIN; Windows'
#: msvcrt.locking EACCES (a lock violation) or EDEADLOCK.
HELD = frozenset({errno.EACCES, errno.EAGAIN, errno.EDEADLK, getattr(errno, "EDEADLOCK", errno.EDEADLK)})


def held_by_another(exc: OSError) -> bool:
    """Whether a failed lock attempt means another writer holds the lock (wait for it),
    rather than that the file system cannot lock at all (refuse: never write unlocked)."""
    return exc.errno in HELD or getattr(exc, "winerror", None) == 33  # ERROR_LOCK_VIOLATION


def create_lock_file(path: Path) -> None:
    """The empty lock file of a new ledger folder (never through a link)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | NOFOLLOW, 0o644))


class FolderLock:
    """An exclusive lock on the ledger folder, held while writing (re-entrant per object).

    ``guard``, when given, runs before the lock is first taken and may refuse the write by
    raising (the ledger folder refuses symbolic links so).
    """

    def __init__(self, path: Path, timeout: float = LOCK_TIMEOUT,
                 guard: Callable[[], None] | None = None) -> None:
        self.path = path
        self.timeout = timeout
        self.guard = guard
        self._fd: int | None = None
        self._depth = 0

    def __enter__(self) -> FolderLock:
        if self._fd is not None:
            self._depth += 1
            return self
        if self.guard is not None:
            self.guard()
        # A sync client or virus scanner may hold the lock file itself for a moment.
        fd = open_patiently(self.path, os.O_RDWR | os.O_CREAT | NOFOLLOW)
        deadline = time.monotonic() + self.timeout
        pause = 0.002
        while True:
            try:
                _lock_fd(fd)
                break
            except OSError as exc:
                if not held_by_another(exc):
                    os.close(fd)
                    raise LedgerError(msg("ledger.lock_unsupported", path=str(self.path),
                                          error=exc.strerror or exc)) from None
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise BusyError(msg("ledger.busy", seconds=self.timeout)) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
        self._fd = fd
        self._depth = 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            _unlock_fd(self._fd)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_fd(fd: int) -> None:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock_fd(fd: int) -> None:
        fcntl.lockf(fd, fcntl.LOCK_UN)
