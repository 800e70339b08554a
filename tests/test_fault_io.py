"""I/O faults: a full disk or a failing disk at every write, fsync and rename of an operation.

The faults are injected at the OS boundary: ``os.write``, ``os.fsync`` and
``os.replace``/``os.rename`` are wrapped so that the k-th call on a file inside the ledger
folder raises ``OSError(ENOSPC)`` or ``OSError(EIO)``. Everything above that boundary (the
CLI, the ledger, the storage layer, real files in ``tmp_path``) is the real code. For
every k until the operation gets through without meeting the fault, the ledger folder
must afterwards be either byte-identical to before or hold the complete change, ``check``
must be clean, and the command line must have said what went wrong in one line.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import snapshot
from maatwerk_cli import Ledger, check_ledger
from maatwerk_cli.cli.app import run

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="finds the file behind a descriptor through /proc")

ERRORS = {"ENOSPC": errno.ENOSPC, "EIO": errno.EIO}
OPS = ("write", "fsync", "replace")


@dataclass
class Injector:
    """Fails the k-th ``op`` call on a file under ``root``.

    mode: ``once`` fails that call only (a transient error); ``sticky`` fails it and every
    later call of the same kind (a disk that stays full or broken); ``short`` (writes only)
    lets the k-th write put half its bytes on disk and fails the next one, as a disk that
    fills up in the middle of a write does.
    calls: how many calls of ``op`` on ledger files were seen; fired: whether a fault was raised.
    """

    root: str
    op: str
    k: int
    code: int
    mode: str = "once"
    calls: int = 0
    fired: bool = False
    real: dict[str, Any] = field(default_factory=dict)

    def _ours(self, target: str) -> bool:
        return target == self.root or target.startswith(self.root + os.sep)

    def _fd_path(self, fd: int) -> str:
        try:
            return os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return ""

    def _hit(self) -> bool:
        """Count one call on a ledger file; say whether it must fail."""
        self.calls += 1
        if self.mode == "sticky":
            return self.calls >= self.k
        if self.mode == "short":
            return self.calls == self.k + 1
        return self.calls == self.k

    def _raise(self, name: str) -> None:
        self.fired = True
        raise OSError(self.code, os.strerror(self.code))

    def write(self, fd: int, data: bytes) -> int:
        if self.op == "write" and self._ours(self._fd_path(fd)):
            if self._hit():
                self._raise("write")
            if self.mode == "short" and self.calls == self.k and len(data) > 1:
                return int(self.real["write"](fd, bytes(data)[: len(data) // 2]))
        return int(self.real["write"](fd, data))

    def fsync(self, fd: Any) -> None:
        number = fd if isinstance(fd, int) else fd.fileno()
        if self.op == "fsync" and self._ours(self._fd_path(number)) and self._hit():
            self._raise("fsync")
        self.real["fsync"](fd)

    def replace(self, src: Any, dst: Any, **kw: Any) -> None:
        if self.op == "replace" and self._ours(os.path.abspath(os.fspath(dst))) and self._hit():
            self._raise("replace")
        self.real["replace"](src, dst, **kw)

    def rename(self, src: Any, dst: Any, **kw: Any) -> None:
        if self.op == "replace" and self._ours(os.path.abspath(os.fspath(dst))) and self._hit():
            self._raise("rename")
        self.real["rename"](src, dst, **kw)


def inject(monkeypatch: pytest.MonkeyPatch, injector: Injector) -> None:
    for name in ("write", "fsync", "replace", "rename"):
        injector.real[name] = getattr(os, name)
        monkeypatch.setattr(os, name, getattr(injector, name))


@dataclass
class Outcome:
    code: int
    err: str
    injector: Injector


def fault_runs(
    template: Path,
    work: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: Callable[[Path], list[str]],
    op: str,
    code: int,
    mode: str,
) -> Iterator[tuple[Path, Outcome]]:
    """Run the command once per k on a fresh copy of ``template`` until no fault is met."""
    for k in range(1, 200):
        root = work / f"{op}-{mode}-{code}-{k}"
        shutil.copytree(template, root)
        injector = Injector(os.path.realpath(root), op, k, code, mode)
        capsys.readouterr()
        with monkeypatch.context() as patch:
            inject(patch, injector)
            exit_code = run(args(root))
        captured = capsys.readouterr()
        yield root, Outcome(exit_code, captured.err, injector)
        shutil.rmtree(root)
        if not injector.fired:
            return
    raise AssertionError("the operation never got through")


def assert_said_why(outcome: Outcome) -> None:
    """A fault that reached the user: exit 2, one line naming the OS error, no traceback."""
    lines = outcome.err.strip().splitlines()
    assert outcome.code == 2, (outcome.code, outcome.err)
    assert len(lines) == 1, outcome.err
    assert "Traceback" not in outcome.err
    assert os.strerror(outcome.injector.code) in lines[0], lines[0]


def without_lock(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if k != "maatwerk.lock"}


def new_lines(before: dict[str, bytes], after: dict[str, bytes], name: str) -> list[str]:
    old = before.get(name, b"")
    new = after.get(name, b"")
    assert new.startswith(old), f"{name}: earlier bytes changed"
    return new[len(old):].decode("utf-8").splitlines()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """Two teams; noord already has a journal, zuid and west have none yet."""
    root = tmp_path / "template"
    lg = Ledger.init(root, municipality="Teststad", year=2025)
    lg.add_team("noord", name="Wijkteam Noord", budget=Decimal("10000"), year=2025)
    lg.add_team("zuid", name="Wijkteam Zuid", budget=Decimal("5000"), year=2025)
    lg.add_team("west", name="Wijkteam West", budget=Decimal("5000"), year=2025)
    import datetime as dt

    for amount in ("10", "20"):
        lg.spend("noord", Decimal(amount), category="Wonen", date=dt.date(2025, 3, 1))
    return root


MATRIX = [(op, name, mode) for op in OPS for name in ERRORS for mode in ("once", "sticky")] + [
    ("write", name, "short") for name in ERRORS
]
MATRIX_IDS = [f"{op}-{name}-{mode}" for op, name, mode in MATRIX]


# --------------------------------------------------------------------------- spend


@pytest.mark.parametrize("team", ["noord", "zuid"], ids=["existing journal", "first line"])
@pytest.mark.parametrize(("op", "error", "mode"), MATRIX, ids=MATRIX_IDS)
def test_spend_under_io_faults(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], op: str, error: str, mode: str, team: str,
) -> None:
    before = without_lock(snapshot(template))
    journal = f"teams/{team}.csv"
    seen = 0
    for root, outcome in fault_runs(
        template, tmp_path, monkeypatch, capsys,
        lambda r: ["--ledgers", str(r), "spend", team, "35", "-c", "Wonen", "-d", "2-3-2025"],
        op, ERRORS[error], mode,
    ):
        seen += 1
        after = without_lock(snapshot(root))
        if outcome.injector.fired:
            assert_said_why(outcome)
            # No id was printed, so nothing may have been recorded: a retry must not
            # make a double entry.
            assert after == before
        else:
            assert outcome.code == 0, outcome.err
        if after != before:
            assert set(after) - set(before) <= {journal}, sorted(after)
            added = new_lines(before, after, journal)
            if journal not in before:
                added = added[1:]  # the header of a new journal
            assert len(added) == 1 and ",spend,2025-03-02,,35.00,Wonen," in added[0], added
        else:
            assert outcome.injector.fired, "a clean run must record the spend"
        assert check_ledger(Ledger(root)) == []
    assert seen >= 2 if op != "replace" else seen >= 1


def test_the_fault_matrix_reaches_every_call(template: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The injector sees the calls it is meant to break (else the tests above prove nothing)."""
    counts = {}
    for op in OPS:
        root = tmp_path / op
        shutil.copytree(template, root)
        injector = Injector(os.path.realpath(root), op, 10_000, errno.EIO)
        with monkeypatch.context() as patch:
            inject(patch, injector)
            assert run(["--ledgers", str(root), "team", "budget", "noord", "12.000", "--year", "2026"]) == 0
            assert run(["--ledgers", str(root), "spend", "zuid", "35", "-c", "Wonen", "-d", "1-3-2025"]) == 0
        counts[op] = injector.calls
    # team budget: one write, two fsyncs (file, folder), one rename; the first line of a
    # journal: its header as a new file (one write, two fsyncs, one rename), then the line
    # (one write, one fsync).
    assert counts == {"write": 3, "fsync": 5, "replace": 2}


# --------------------------------------------------------------------------- events


@pytest.mark.parametrize(("op", "error", "mode"), MATRIX, ids=MATRIX_IDS)
def test_repay_and_void_under_io_faults(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], op: str, error: str, mode: str,
) -> None:
    before = without_lock(snapshot(template))
    for root, outcome in fault_runs(
        template, tmp_path, monkeypatch, capsys,
        lambda r: ["--ledgers", str(r), "void", "noord-2025-0001", "--reason", "dubbel ingevoerd"],
        op, ERRORS[error], mode,
    ):
        after = without_lock(snapshot(root))
        if outcome.injector.fired:
            assert_said_why(outcome)
            assert after == before
        if after != before:
            added = new_lines(before, after, "teams/noord.csv")
            pattern = r"noord-\d{4}-0003,void,\d{4}-\d\d-\d\d,noord-2025-0001,"
            assert len(added) == 1 and re.match(pattern, added[0])
        assert check_ledger(Ledger(root)) == []


# --------------------------------------------------------------------------- import


SHEET = (
    "datum;bedrag;categorie;team\n"
    + "".join(f"{d}-4-2025;{a};Levensmiddelen;{t}\n"
              for d, a, t in [(1, "12,50", "noord"), (2, "35", "zuid"), (3, "1.100", "west"),
                              (4, "7", "noord"), (5, "60", "zuid"), (6, "8", "west")])
)


@pytest.mark.parametrize(("op", "error", "mode"), MATRIX, ids=MATRIX_IDS)
def test_import_is_all_or_none_under_io_faults(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], op: str, error: str, mode: str,
) -> None:
    sheet = tmp_path / "invoer.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    before = without_lock(snapshot(template))
    complete = 0
    for root, outcome in fault_runs(
        template, tmp_path, monkeypatch, capsys,
        lambda r: ["--ledgers", str(r), "import", "entries", str(sheet)],
        op, ERRORS[error], mode,
    ):
        after = without_lock(snapshot(root))
        if outcome.injector.fired:
            assert_said_why(outcome)
            assert after == before, "a failed import must leave every journal as it was"
        else:
            assert outcome.code == 0, outcome.err
            complete += 1
            assert len(new_lines(before, after, "teams/noord.csv")) == 2
            assert len(new_lines(before, after, "teams/zuid.csv")) == 3  # header + 2
            assert len(new_lines(before, after, "teams/west.csv")) == 3
        assert check_ledger(Ledger(root)) == []
    assert complete == 1


# --------------------------------------------------------------------------- TOML updates


@pytest.mark.parametrize(("op", "error", "mode"), MATRIX, ids=MATRIX_IDS)
def test_team_budget_under_io_faults(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], op: str, error: str, mode: str,
) -> None:
    path = template / "teams" / "noord.toml"
    path.write_text(path.read_text() + "# opmerking van de coördinator\n", encoding="utf-8")
    before = without_lock(snapshot(template))
    for root, outcome in fault_runs(
        template, tmp_path, monkeypatch, capsys,
        lambda r: ["--ledgers", str(r), "team", "budget", "noord", "12.500,50", "--year", "2026"],
        op, ERRORS[error], mode,
    ):
        after = without_lock(snapshot(root))
        if outcome.injector.fired:
            assert_said_why(outcome)
        assert set(after) == set(before), "no temporary file may be left behind"
        changed = {k for k in after if after[k] != before[k]}
        assert changed <= {"teams/noord.toml"}
        if changed:
            team = Ledger(root).team("noord")
            assert team.budget(2026) == Decimal("12500.50") and team.budget(2025) == Decimal("10000")
            assert "# opmerking van de coördinator" in after["teams/noord.toml"].decode()
        else:
            assert outcome.injector.fired
        assert check_ledger(Ledger(root)) == []


@pytest.mark.parametrize(("op", "error", "mode"), MATRIX, ids=MATRIX_IDS)
def test_team_add_under_io_faults(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], op: str, error: str, mode: str,
) -> None:
    before = without_lock(snapshot(template))
    for root, outcome in fault_runs(
        template, tmp_path, monkeypatch, capsys,
        lambda r: ["--ledgers", str(r), "team", "add", "oost", "--name", "Wijkteam Oost",
                   "--budget", "7.500", "--year", "2025"],
        op, ERRORS[error], mode,
    ):
        after = without_lock(snapshot(root))
        if outcome.injector.fired:
            assert_said_why(outcome)
        added = set(after) - set(before)
        assert added <= {"teams/oost.toml"}, added
        assert all(after[k] == before[k] for k in before)
        if added:
            assert Ledger(root).team("oost").budget(2025) == Decimal("7500")
        assert check_ledger(Ledger(root)) == []
