"""Windows' Python as far as Linux allows it, for CI (see docs/windows.md).

Python imports ``sitecustomize`` at start-up from the first folder of ``sys.path`` that has
one; with this folder on ``PYTHONPATH`` and ``MAATWERK_SIMULATE_WINDOWS=1`` every Python
process (pytest and each ``maatwerk`` it starts) then:

* gives maatwerk's own modules (``maatwerk_cli.*``), wherever they ``import os``, an ``os``
  without the functions and constants that Windows' ``os`` lacks (:data:`POSIX_ONLY`): a
  call to one ends in an AttributeError (exit 70 in the CLI, a failing test), and
  ``hasattr(os, ...)`` / ``getattr(os, ..., default)`` take their Windows branch; its
  ``supports_dir_fd`` and kin are as small as on Windows;
* runs the ``maatwerk`` command (the installed script, or ``python -m maatwerk_cli``) with
  redirected stdout and stderr in cp1252, as Windows' Python does when the console's code
  page is the Western one (a terminal keeps its encoding: Windows' console is UTF-8). Other
  Python processes keep UTF-8: the test that starts one decodes its output as Linux's
  locale says, where on Windows both sides would use cp1252. (The CLI run inside pytest
  gets cp1252 streams from tests/conftest.py.)

Only maatwerk's modules see the smaller ``os``: the libraries (numpy, platformdirs, Linux's
own subprocess) still see ``sys.platform == "linux"`` and take their Linux paths, which
need the POSIX functions. What stays Linux for maatwerk too: ``sys.platform``, ``os.sep``
and ``os.path`` (posixpath), and ``fcntl`` locking (there is no ``msvcrt`` here).

Without ``MAATWERK_SIMULATE_WINDOWS=1`` this file does nothing.
"""

from __future__ import annotations

import builtins
import os
import sys
import types
from typing import Any

#: The modules that get the smaller ``os``.
SCOPE = "maatwerk_cli"

#: Public names of Linux's ``os`` that Windows' ``os`` does not have: those typeshed
#: declares only for ``sys.platform != "win32"`` (found by type-checking ``os.NAME`` for
#: every name of ``dir(os)`` with ``mypy --platform win32``; Python 3.11), less
#: ``get_blocking``/``set_blocking`` (on Windows since 3.12) and ``abc``/``st`` (modules
#: ``os`` imports).
POSIX_ONLY = """
CLD_CONTINUED CLD_DUMPED CLD_EXITED CLD_KILLED CLD_STOPPED CLD_TRAPPED EFD_CLOEXEC EFD_NONBLOCK
EFD_SEMAPHORE EX_CANTCREAT EX_CONFIG EX_DATAERR EX_IOERR EX_NOHOST EX_NOINPUT EX_NOPERM EX_NOUSER
EX_OSERR EX_OSFILE EX_PROTOCOL EX_SOFTWARE EX_TEMPFAIL EX_UNAVAILABLE EX_USAGE F_LOCK F_TEST F_TLOCK
F_ULOCK GRND_NONBLOCK GRND_RANDOM MFD_ALLOW_SEALING MFD_CLOEXEC MFD_HUGETLB MFD_HUGE_16GB MFD_HUGE_16MB
MFD_HUGE_1GB MFD_HUGE_1MB MFD_HUGE_256MB MFD_HUGE_2GB MFD_HUGE_2MB MFD_HUGE_32MB MFD_HUGE_512KB
MFD_HUGE_512MB MFD_HUGE_64KB MFD_HUGE_8MB MFD_HUGE_MASK MFD_HUGE_SHIFT NGROUPS_MAX O_ACCMODE O_ASYNC
O_CLOEXEC O_DIRECT O_DIRECTORY O_DSYNC O_FSYNC O_LARGEFILE O_NDELAY O_NOATIME O_NOCTTY O_NOFOLLOW
O_NONBLOCK O_PATH O_RSYNC O_SYNC O_TMPFILE POSIX_FADV_DONTNEED POSIX_FADV_NOREUSE POSIX_FADV_NORMAL
POSIX_FADV_RANDOM POSIX_FADV_SEQUENTIAL POSIX_FADV_WILLNEED POSIX_SPAWN_CLOSE POSIX_SPAWN_DUP2
POSIX_SPAWN_OPEN PRIO_PGRP PRIO_PROCESS PRIO_USER P_ALL P_PGID P_PID P_PIDFD RTLD_DEEPBIND RTLD_GLOBAL
RTLD_LAZY RTLD_LOCAL RTLD_NODELETE RTLD_NOLOAD RTLD_NOW RWF_APPEND RWF_DSYNC RWF_HIPRI RWF_NOWAIT
RWF_SYNC SCHED_BATCH SCHED_FIFO SCHED_IDLE SCHED_OTHER SCHED_RESET_ON_FORK SCHED_RR SEEK_DATA SEEK_HOLE
SPLICE_F_MORE SPLICE_F_MOVE SPLICE_F_NONBLOCK ST_APPEND ST_MANDLOCK ST_NOATIME ST_NODEV ST_NODIRATIME
ST_NOEXEC ST_NOSUID ST_RDONLY ST_RELATIME ST_SYNCHRONOUS ST_WRITE WCONTINUED WCOREDUMP WEXITED
WEXITSTATUS WIFCONTINUED WIFEXITED WIFSIGNALED WIFSTOPPED WNOHANG WNOWAIT WSTOPPED WSTOPSIG WTERMSIG
WUNTRACED XATTR_CREATE XATTR_REPLACE
XATTR_SIZE_MAX chown chroot confstr confstr_names copy_file_range ctermid environb eventfd
eventfd_read eventfd_write fchdir fchmod fchown fdatasync fork forkpty fpathconf fstatvfs fwalk
getegid getenvb geteuid getgid getgrouplist getgroups getloadavg getpgid getpgrp getpriority getrandom
getresgid getresuid getsid getuid getxattr initgroups killpg lchown listxattr lockf login_tty major
makedev memfd_create minor mkfifo mknod nice openpty pathconf pathconf_names pidfd_open pipe2
posix_fadvise posix_fallocate posix_spawn posix_spawnp pread preadv pwrite pwritev readv
register_at_fork removexattr sched_get_priority_max sched_get_priority_min sched_getaffinity
sched_getparam sched_getscheduler sched_param sched_rr_get_interval sched_setaffinity sched_setparam
sched_setscheduler sched_yield sendfile setegid seteuid setgid setgroups setpgid setpgrp setpriority
setregid setresgid setresuid setreuid setsid setuid setxattr spawnlp spawnlpe spawnvp spawnvpe splice
statvfs sync sysconf sysconf_names tcgetpgrp tcsetpgrp ttyname uname wait wait3 wait4 waitid
waitid_result writev
""".split()  # noqa: SIM905 - a block of names is easier to compare with the docs than 240 strings


class WindowsOs(types.ModuleType):
    """``os`` as Windows' Python has it, as far as names go; everything else is the real one
    (looked up on each use, so a test that patches ``os.replace`` patches this one too)."""

    def __getattr__(self, name: str) -> Any:
        if name in GONE:
            raise AttributeError(f"module 'os' has no attribute {name!r} (not on Windows: simulated)")
        if name in WINDOWS_SUPPORTS:
            return WINDOWS_SUPPORTS[name]
        return getattr(os, name)

    def __dir__(self) -> list[str]:
        return [n for n in dir(os) if n not in GONE]


GONE = frozenset(POSIX_ONLY)
#: Windows: no function takes a dir_fd, only stat and truncate a file descriptor, only stat
#: follows links or not, and there are no effective ids.
WINDOWS_SUPPORTS: dict[str, Any] = {
    "supports_dir_fd": set(),
    "supports_effective_ids": set(),
    "supports_fd": {os.stat, os.truncate},
    "supports_follow_symlinks": {os.stat},
}
WINDOWS_OS = WindowsOs("os")
_real_import = builtins.__import__


def _import(name: str, globals: dict[str, Any] | None = None, locals: Any = None,  # noqa: A002
            fromlist: Any = (), level: int = 0) -> Any:
    module = _real_import(name, globals, locals, fromlist, level)
    if module is os and globals is not None and str(globals.get("__name__", "")).startswith(SCOPE):
        return WINDOWS_OS
    return module


def _is_maatwerk() -> bool:
    """Whether this process is the ``maatwerk`` command."""
    argv = getattr(sys, "orig_argv", sys.argv)
    script = os.path.basename(argv[1] if len(argv) > 1 else "")
    return script.startswith("maatwerk") or any(
        a == "-m" and b.startswith("maatwerk_cli") for a, b in zip(argv, argv[1:], strict=False))


def _simulate() -> None:
    builtins.__import__ = _import
    if not _is_maatwerk():
        return
    # Redirected output in the ANSI code page, strict on stdout, backslashreplace on stderr
    # (Windows' defaults); a terminal keeps its encoding, as Windows' console is UTF-8.
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        if stream is not None and not stream.isatty():
            stream.reconfigure(encoding="cp1252", errors=errors)  # type: ignore[union-attr]


if os.environ.get("MAATWERK_SIMULATE_WINDOWS") == "1":
    _simulate()
