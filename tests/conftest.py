"""Shared test helpers: a real ledger folder in tmp_path, the CLI run in-process, snapshots."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from maatwerk_cli import Ledger
from maatwerk_cli.cli.app import run

ROOT = Path(__file__).resolve().parents[1]
REAL_INPUTS = ROOT.parent / "shared" / "real-inputs"

#: CI's simulated Windows (tests/winsim, docs/windows.md): maatwerk's modules see Windows'
#: ``os``, and the CLI run in this process writes into cp1252 streams as well.
SIMULATED_WINDOWS = os.environ.get("MAATWERK_SIMULATE_WINDOWS") == "1"


def posix_only(why: str) -> pytest.MarkDecorator:
    """A test of what only POSIX has (a fork, ...): skipped under the simulation, saying why
    (the list is in docs/windows.md)."""
    return pytest.mark.skipif(SIMULATED_WINDOWS, reason=f"POSIX only: {why}")



def pytest_configure(config: pytest.Config) -> None:
    if not SIMULATED_WINDOWS:
        return
    if not hasattr(sys.modules.get("sitecustomize"), "WINDOWS_OS"):
        pytest.exit("MAATWERK_SIMULATE_WINDOWS=1 needs tests/winsim first on PYTHONPATH", returncode=4)
    # pytest's own report goes to the real stdout, which the simulation made cp1252: a test
    # name or diff it cannot encode is shown escaped rather than stop the run.
    if hasattr(sys.__stdout__, "reconfigure"):
        sys.__stdout__.reconfigure(errors="backslashreplace")


@dataclass
class Result:
    """What one CLI call did: exit code and both streams."""

    code: int
    out: str
    err: str


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove nothing was written."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(autouse=True)
def own_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test its own, empty cache folder (never the user's), with the cache on; and
    the command line in English, which the suite's expected texts are written in (the
    Dutch that people get by default is tested in test_language.py)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("MAATWERK_LANG", "en")
    monkeypatch.setenv("MAATWERK_CACHE_DIR", str(folder))
    monkeypatch.delenv("MAATWERK_NO_CACHE", raising=False)
    return folder


#: Every CLI call the suite makes with what it wrote on stderr: (args, exit code, stderr).
#: ``test_clerk_hints`` checks that each option a message names exists (it runs last).
MESSAGES: list[tuple[tuple[str, ...], int, str]] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``run_last`` (a function attribute) run after all others."""
    items.sort(key=lambda item: bool(getattr(getattr(item, "function", None), "run_last", False)))


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``maatwerk ARGS`` in this process through the real entry point."""

    def call(*args: str) -> Result:
        capsys.readouterr()
        if SIMULATED_WINDOWS:  # capsys's streams as Windows would hand them over: cp1252
            _encode_streams("cp1252")
        try:
            code = run([str(a) for a in args])
        finally:
            if SIMULATED_WINDOWS:  # what was written stays as written: bytes in cp1252 fail below
                _encode_streams("utf-8")
        captured = capsys.readouterr()
        if captured.err:
            MESSAGES.append((tuple(str(a) for a in args), code, captured.err))
        return Result(code, captured.out, captured.err)

    return call


def _encode_streams(encoding: str) -> None:
    sys.stdout.reconfigure(encoding=encoding, errors="strict")  # type: ignore[union-attr]
    sys.stderr.reconfigure(encoding=encoding, errors="backslashreplace")  # type: ignore[union-attr]


@pytest.fixture
def ledger_dir(tmp_path: Path) -> Path:
    """A ledger folder with two teams: noord (10.000 in 2025) and zuid (5.000 in 2025)."""
    root = tmp_path / "ledgers"
    lg = Ledger.init(root, municipality="Teststad", year=2025)
    lg.add_team("noord", name="Wijkteam Noord", budget=Decimal("10000"), year=2025)
    lg.add_team("zuid", name="Wijkteam Zuid", budget=Decimal("5000"), year=2025)
    return root


@pytest.fixture
def lcli(cli: Callable[..., Result], ledger_dir: Path) -> Callable[..., Result]:
    """The CLI bound to the ``ledger_dir`` folder."""

    def call(*args: str) -> Result:
        return cli("--ledgers", str(ledger_dir), *args)

    return call


def assert_refused(result: Result, *needles: str) -> None:
    """A user mistake: exit 2, exactly one line on stderr, no traceback, nothing on stdout."""
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    for needle in needles:
        assert needle.lower() in result.err.lower(), result.err


def run_process(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
                timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The command line of this checkout in a fresh process.

    PYTHONPATH names this checkout: an editable install may point at another worktree, and
    from a temporary working folder that one would be imported instead.
    """
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "maatwerk_cli", *args],
        capture_output=True, text=True, env=full_env, cwd=cwd, timeout=timeout,
    )


# A writer that runs one command and kills itself at the k-th write, fsync or rename on a
# ledger file: just before the call, just after it, or half-way through a write.
CRASH_AT = """
import os, signal, sys
root, op, k, when = os.path.realpath(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
calls = 0
real = {name: getattr(os, name) for name in ("write", "fsync", "replace", "rename")}
def ours(fd_or_path):
    try:
        target = os.readlink(f"/proc/self/fd/{fd_or_path}") if isinstance(fd_or_path, int) \
            else os.path.abspath(fd_or_path)
    except OSError:
        return False
    return target == root or target.startswith(root + os.sep)
def wrap(name):
    def call(*args, **kw):
        global calls
        kind = "replace" if name == "rename" else name
        target = args[1] if kind == "replace" else args[0]
        if kind == op and ours(target):
            calls += 1
            if calls == k:
                if when == "half" and name == "write" and len(args[1]) > 1:
                    real["write"](args[0], bytes(args[1])[: len(args[1]) // 2])
                if when != "after":
                    os.kill(os.getpid(), signal.SIGKILL)
                result = real[name](*args, **kw)
                os.kill(os.getpid(), signal.SIGKILL)
        return real[name](*args, **kw)
    return call
for name in real:
    setattr(os, name, wrap(name))
from maatwerk_cli.cli.app import run
code = run(sys.argv[5:])
sys.stderr.write(f"CALLS={calls}\\n")
sys.exit(code)
"""


def crash_points(template: Path, work: Path, args: list[str], op: str, when: str):  # type: ignore[no-untyped-def]
    """Yield (folder, exit code) for a crash at every k until the command runs through."""
    for k in range(1, 60):
        root = work / f"{op}-{when}-{k}"
        shutil.copytree(template, root)
        res = subprocess.run([sys.executable, "-c", CRASH_AT, str(root), op, str(k), when,
                              "--ledgers", str(root), *args], capture_output=True, text=True, timeout=60)
        yield root, res.returncode
        shutil.rmtree(root)
        if res.returncode >= 0:  # not killed: the command got past every crash point
            assert res.returncode == 0, res.stderr
            return
    raise AssertionError("never ran through")
