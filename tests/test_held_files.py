"""A file another program holds (Excel has the journal open, a sync client the output): the
tool tries again for a moment, then refuses in one line that names the file, exit 3, and
nothing is half-written.

Linux has no sharing violations, so the file is made unwritable for real: ``chattr +i`` (an
immutable file or folder, which even root may not write) when the tests run as root, else
``chmod``. Both fail the open or the rename with a PermissionError, as Windows does for a
file Excel holds.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Result, snapshot
from maatwerk_cli.core.errors import BusyError
from maatwerk_cli.store.atomic import busy_wait, held
from maatwerk_cli.store.lock import held_by_another

Cli = Callable[..., Result]
Hold = Callable[[Path], Callable[[], None]]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="made unwritable with chmod or chattr (POSIX)")


@pytest.fixture(autouse=True)
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAATWERK_BUSY_WAIT", "0.2")


@pytest.fixture
def hold() -> Iterator[Hold]:
    """``hold(path)`` makes a file or folder unwritable; it returns the undo (also run at the end)."""
    undos: list[Callable[[], None]] = []

    def make(path: Path) -> Callable[[], None]:
        if os.geteuid() != 0:
            mode = path.stat().st_mode
            path.chmod(mode & ~0o222)

            def undo() -> None:
                path.chmod(mode)
        else:
            # root ignores modes: an immutable attribute is what stops it.
            chattr = shutil.which("chattr")
            if chattr is None:
                pytest.skip("running as root and chattr is not there: no real way to make a file unwritable")
            done = subprocess.run([chattr, "+i", str(path)], capture_output=True, text=True, check=False)
            if done.returncode != 0:
                pytest.skip(f"running as root and this file system takes no immutable flag: {done.stderr.strip()}")

            def undo() -> None:
                subprocess.run([chattr, "-i", str(path)], capture_output=True, check=False)
        undos.append(undo)
        return undo

    yield make
    for undo in reversed(undos):
        undo()


def assert_busy(result: Result, *needles: str) -> None:
    """Exit 3, one line on stderr that names the file and says to close it, nothing on stdout."""
    assert result.code == 3, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "close it there" in lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert result.out == ""


def test_a_held_journal_is_refused_and_left_as_it_was(lcli: Cli, ledger_dir: Path, hold: Hold) -> None:
    assert lcli("spend", "noord", "12", "-c", "Gezondheid", "-d", "14-3-2025").code == 0
    before = snapshot(ledger_dir)
    hold(ledger_dir / "teams" / "noord.csv")
    started = time.monotonic()
    journal = str(Path("ledgers", "teams", "noord.csv"))
    assert_busy(lcli("spend", "noord", "30", "-c", "Gezondheid", "-d", "14-3-2025"), journal)
    assert time.monotonic() - started < 5
    assert snapshot(ledger_dir) == before
    # a void appends too
    assert_busy(lcli("void", "noord-2025-0001", "--reason", "dubbel"), "noord.csv")
    assert snapshot(ledger_dir) == before


def test_a_batch_over_two_journals_one_held_writes_neither(ledger_dir: Path, hold: Hold) -> None:
    from maatwerk_cli.store.folder import LedgerFolder

    folder = LedgerFolder(ledger_dir)
    line = {"date": "2025-03-14", "type": "spend", "amount": "12.00", "category": "Wonen"}
    folder.append_batches({"noord": [line], "zuid": [line]})
    before = snapshot(ledger_dir)
    hold(ledger_dir / "teams" / "zuid.csv")
    with pytest.raises(BusyError, match="zuid.csv"):
        LedgerFolder(ledger_dir).append_batches({"noord": [line], "zuid": [line]})
    assert snapshot(ledger_dir) == before  # noord's line taken back, and no marker of the batch left


def test_a_held_team_file_is_refused(lcli: Cli, ledger_dir: Path, hold: Hold) -> None:
    before = snapshot(ledger_dir)
    hold(ledger_dir / "teams" / "noord.toml")
    assert_busy(lcli("team", "budget", "noord", "12000", "--year", "2025"), str(Path("ledgers", "teams", "noord.toml")))
    assert snapshot(ledger_dir) == before


def test_a_folder_that_takes_no_new_file_is_refused(lcli: Cli, ledger_dir: Path, hold: Hold) -> None:
    before = snapshot(ledger_dir)
    hold(ledger_dir / "teams")
    # a team's first entry makes its journal; a new team its file
    assert_busy(lcli("spend", "zuid", "30", "-c", "Gezondheid", "-d", "14-3-2025"), "zuid.csv")
    assert_busy(lcli("team", "add", "west", "--name", "West", "--budget", "100", "--year", "2025"), "west.toml")
    assert snapshot(ledger_dir) == before
    assert sorted(p.name for p in (ledger_dir / "teams").iterdir()) == ["noord.toml", "zuid.toml"]


@pytest.mark.parametrize("name", ["uit.csv", "uit.xlsx", "uit.json"])
def test_a_held_output_is_refused_and_left_as_it_was(lcli: Cli, ledger_dir: Path, tmp_path: Path,
                                                    hold: Hold, name: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert lcli("spend", "noord", "12", "-c", "Gezondheid", "-d", "14-3-2025").code == 0
    target = out / name
    assert lcli("entries", "-o", str(target)).code == 0
    written = target.read_bytes()
    assert lcli("spend", "noord", "13", "-c", "Gezondheid", "-d", "14-3-2025").code == 0
    hold(target)
    assert_busy(lcli("entries", "-o", str(target)), str(target))
    assert target.read_bytes() == written
    assert sorted(p.name for p in out.iterdir()) == [name]  # no temporary file left behind


@pytest.mark.parametrize("name", ["uit.csv", "uit.xlsx"])
def test_an_output_folder_that_takes_no_file_is_refused(lcli: Cli, tmp_path: Path, hold: Hold,
                                                        monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    out = tmp_path / "gedeeld"
    out.mkdir()
    hold(out)
    monkeypatch.chdir(tmp_path)
    assert_busy(lcli("entries", "-o", str(Path("gedeeld", name))), str(Path("gedeeld", name)))
    assert list(out.iterdir()) == []


def test_a_file_let_go_of_while_waiting_is_written(lcli: Cli, ledger_dir: Path, hold: Hold,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel closes the journal a moment later: the spend goes through, no error."""
    monkeypatch.setenv("MAATWERK_BUSY_WAIT", "10")
    assert lcli("spend", "noord", "12", "-c", "Gezondheid", "-d", "14-3-2025").code == 0
    undo = hold(ledger_dir / "teams" / "noord.csv")
    timer = threading.Timer(0.3, undo)
    timer.start()
    try:
        result = lcli("spend", "noord", "30", "-c", "Gezondheid", "-d", "14-3-2025")
    finally:
        timer.join()
    assert result.code == 0, result.err
    assert result.out.strip() == "noord-2025-0002"


def test_what_counts_as_held() -> None:
    assert held(PermissionError(errno.EACCES, "Permission denied"))
    assert held(PermissionError(errno.EPERM, "Operation not permitted"))
    assert held(OSError(errno.EBUSY, "Device or resource busy"))
    assert held(OSError(errno.ETXTBSY, "Text file busy"))
    # a read-only share is a mistake to fix, not something to wait for
    assert not held(OSError(errno.EROFS, "Read-only file system"))
    assert not held(OSError(errno.ENOSPC, "No space left on device"))
    for winerror in (32, 33):  # Windows: sharing violation, lock violation
        exc = OSError(errno.EINVAL, "The process cannot access the file")
        exc.winerror = winerror  # type: ignore[attr-defined]
        assert held(exc)


def test_the_wait_is_set_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAATWERK_BUSY_WAIT", "0.5")
    assert busy_wait() == 0.5
    for wrong in ("", "soon", "-1", "nan"):
        monkeypatch.setenv("MAATWERK_BUSY_WAIT", wrong)
        assert busy_wait() == 2.0


def test_a_lock_refused_for_another_reason_than_a_holder_is_not_waited_for() -> None:
    for code in (errno.EACCES, errno.EAGAIN):  # lockf: another process has it
        assert held_by_another(OSError(code, os.strerror(code)))
    for code in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.EBADF):  # the share cannot lock
        assert not held_by_another(OSError(code, os.strerror(code)))
