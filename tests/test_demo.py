"""`maatwerk demo [DIR]`: the demo ledger an installed copy carries, written anywhere, whole
or not at all; and an installed copy never points at a file it lacks (the repository's docs/)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, Result, assert_refused, snapshot
from maatwerk_cli import Ledger

PACKAGE = ROOT / "maatwerk_cli"
PACKAGED = PACKAGE / "demo"
REPO_ONLY = {"README.md", "generate.py"}  # about the demo, for the repository; not the ledger


def ledger_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.relative_to(folder).as_posix() not in REPO_ONLY}


def test_the_packaged_demo_is_the_repository_ledgers_byte_for_byte() -> None:
    packaged, repository = ledger_files(PACKAGED), ledger_files(ROOT / "ledgers")
    # `python ledgers/generate.py` writes both; a hand edit of one of them drifts.
    assert sorted(packaged) == sorted(repository)
    assert [n for n in packaged if packaged[n] != repository[n]] == []
    assert "maatwerk.toml" in packaged and "teams/oost.csv" in packaged


def test_demo_writes_the_ledger_and_the_readme_first_check_runs_on_it(
        cli: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "ergens anders" / "demo"  # a space, and a parent that is not there yet
    done = cli("demo", str(target))
    assert done.code == 0, done.err
    assert str(target) in done.out and "utilisation --month 2026-10" in done.out
    assert snapshot(target) == {str(Path(name)): data for name, data in ledger_files(PACKAGED).items()}
    assert sorted(p.name for p in target.parent.iterdir()) == ["demo"]  # no hidden folder left
    check = cli("--ledgers", str(target), "utilisation", "--month", "2026-10", "-f", "json")
    assert check.code == 0, check.err
    status = {row["team"]: row["status"] for row in json.loads(check.out)}
    assert status["oost"] == "under" and status["zuid"] == "over"
    assert cli("--ledgers", str(target), "check").code == 0


def test_demo_without_dir_writes_demo_here(cli: Callable[..., Result], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MAATWERK_LEDGERS", str(tmp_path / "echt"))  # never chooses DIR
    assert cli("demo").code == 0
    assert (tmp_path / "demo" / "maatwerk.toml").is_file()
    assert not (tmp_path / "echt").exists()


def test_demo_fills_an_empty_folder_even_the_working_folder(cli: Callable[..., Result], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "leeg"
    here.mkdir()
    inode = here.stat().st_ino
    monkeypatch.chdir(here)
    assert cli("demo", ".").code == 0
    assert here.stat().st_ino == inode  # filled where it is, not replaced under the shell
    assert os.listdir(".") and sorted(os.listdir(".")) == ["maatwerk.lock", "maatwerk.toml", "teams"]
    assert Ledger(here).team_slugs() == ["centrum", "doorbraakfonds", "noord", "oost", "west", "zuid"]


@pytest.mark.parametrize("case", ["not empty", "a ledger", "inside a ledger", "a file", "a link"])
def test_demo_refuses_and_writes_nothing(cli: Callable[..., Result], tmp_path: Path, case: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "notities.txt").write_text("van de coördinator\n", encoding="utf-8")
    if case == "not empty":
        target, needle = work, "is not empty"
    elif case == "a ledger":
        Ledger.init(tmp_path / "echt", municipality="Teststad", year=2026)
        target, needle = tmp_path / "echt", "is a ledger folder already"
    elif case == "inside a ledger":
        Ledger.init(tmp_path / "echt", municipality="Teststad", year=2026)
        target, needle = tmp_path / "echt" / "teams" / "demo", "inside the ledger folder"
    elif case == "a file":
        target, needle = work / "notities.txt", "is a file"
    else:
        (tmp_path / "leeg").mkdir()
        (tmp_path / "link").symlink_to(tmp_path / "leeg", target_is_directory=True)
        target, needle = tmp_path / "link", "symbolic link"
    before = snapshot(tmp_path)
    assert_refused(cli("demo", str(target)), str(target), needle)
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "echt" / "teams" / "demo").exists()


def test_a_failed_move_leaves_the_empty_folder_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Into an empty folder the entries are moved one by one, the settings file last: when
    that move fails, the ones moved before it are taken back."""
    target = tmp_path / "leeg"
    target.mkdir()
    real = os.rename

    def rename(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst) == target / "maatwerk.toml":
            raise OSError(5, "Input/output error (injected)")
        real(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="injected"):
        Ledger.demo(target)
    assert os.listdir(target) == []


# --------------------------------------------------------------------------- docs/

#: A path into the repository's docs folder, which an installed copy does not have.
DOCS = re.compile(r"\bdocs[/\\]")


def pointers_to_docs(package: Path) -> list[str]:
    """Every line of the package's code, catalogues and shipped files that names docs/."""
    return [f"{path.relative_to(package)}:{number}: {line.strip()}"
            for path in sorted(package.rglob("*"))
            if path.is_file() and path.suffix in (".py", ".po", ".toml", ".csv", ".md")
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if DOCS.search(line)]


def test_nothing_in_the_package_points_at_the_repository_docs() -> None:
    """A message, help text or file written by the tool that says `docs/x.md` sends the user
    of an installed copy to a file that is not there: point to `maatwerk CMD --help`."""
    assert pointers_to_docs(PACKAGE) == []


def test_the_docs_scan_finds_a_pointer(tmp_path: Path) -> None:
    (tmp_path / "cli").mkdir()
    (tmp_path / "cli" / "x.py").write_text('HELP = "see docs/reports.md"\n', encoding="utf-8")
    (tmp_path / "x.po").write_text('msgstr "(docs\\\\formats.md shows it)"\n', encoding="utf-8")
    assert [hit.split(":")[0] for hit in pointers_to_docs(tmp_path)] == [str(Path("cli/x.py")), "x.po"]
