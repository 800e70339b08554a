"""Paths as Windows users write them: drive letters, UNC shares, backslashes, spaces, long
paths. Messages name a path as the user gave it; the checks that keep outputs out of a
ledger folder understand Windows paths (tested with PureWindowsPath, on any platform)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger
from maatwerk_cli.render.output import inside, windows_name_problem

Cli = Callable[..., Result]

UNC = r"\\server\share\wijkteams"
DRIVE = r"H:\Wijkteams Gemeente\ledgers"


@pytest.mark.parametrize("given", [UNC, DRIVE, r"\\?\UNC\server\share\wijkteams", "C:/Users/ann/wijk"])
@pytest.mark.parametrize("command", [("utilisation",), ("entries",), ("spend", "noord", "12", "-c", "Wonen")])
def test_a_ledger_folder_that_is_not_there_is_named_as_given(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             given: str, command: tuple[str, ...]) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("--ledgers", given, *command)
    assert_refused(result, "no ledger folder")
    assert f"at {given} (" in result.err  # verbatim: no doubled backslashes, not made absolute
    assert [p.name for p in tmp_path.iterdir() if p.name != "cache"] == []  # nothing made


def test_the_environment_variable_is_named_as_given_too(cli: Cli, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MAATWERK_LEDGERS", UNC)
    result = cli("utilisation")
    assert_refused(result, f"at {UNC} (")


def test_an_output_folder_that_is_not_there_is_named_as_given(lcli: Cli, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = lcli("entries", "-o", str(Path("Rapporten oktober", "okt.csv")))
    assert_refused(result, f"folder {Path('Rapporten oktober')} does not exist")


def test_an_output_inside_another_ledger_names_it_as_given(lcli: Cli, ledger_dir: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "Gemeente B"
    Ledger.init(other, municipality="B", year=2025)
    before = snapshot(other)
    monkeypatch.chdir(tmp_path)
    given = str(Path("Gemeente B", "teams", "okt.csv"))
    result = lcli("entries", "-o", given)
    assert_refused(result, f"{given} is inside the ledger folder Gemeente B;")
    assert str(tmp_path) not in result.err  # not the resolved, absolute form
    assert snapshot(other) == before


@pytest.mark.skipif(sys.platform == "win32", reason="a backslash is a separator there")
def test_a_ledger_whose_path_holds_backslashes_and_spaces_works(cli: Cli, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    given = r"wijk teams\2025"  # one folder name on POSIX
    assert cli("--ledgers", given, "init", "--municipality", "Teststad", "--year", "2025").code == 0
    assert cli("--ledgers", given, "team", "add", "noord", "--name", "Noord", "--budget", "1000",
               "--year", "2025").code == 0
    assert cli("--ledgers", given, "spend", "noord", "12", "-c", "Wonen", "-d", "14-3-2025").code == 0
    out = tmp_path / r"uit\map met spatie"
    out.mkdir()
    assert cli("--ledgers", given, "entries", "-o", str(Path(out.name, "okt.csv"))).code == 0
    assert "noord-2025-0001" in (out / "okt.csv").read_text(encoding="utf-8-sig")
    result = cli("--ledgers", given, "entries", "-o", str(Path(given, "okt.csv")))
    assert_refused(result, f"inside the ledger folder {given};")


def test_a_long_path_is_written_and_named_whole(lcli: Cli, tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*[f"map nummer {n:02d}" for n in range(20)])  # well past Windows' old 260
    deep.mkdir(parents=True)
    assert len(str(deep / "okt.csv")) > 260
    assert lcli("entries", "-o", str(deep / "okt.csv")).code == 0
    assert (deep / "okt.csv").is_file()
    missing = deep / "nog niet" / "okt.csv"
    assert_refused(lcli("entries", "-o", str(missing)), f"folder {missing.parent} does not exist")


W = PureWindowsPath


def test_inside_compares_windows_paths_as_windows_does() -> None:
    assert inside(W(r"C:\Wijkteams\teams\okt.csv"), W(r"c:\wijkteams"))  # any case
    assert inside(W(r"\\?\C:\wijkteams\teams\okt.csv"), W(r"C:\wijkteams"))  # long-path prefix
    assert inside(W(r"C:\wijkteams\okt.csv"), W(r"\\?\C:\WIJKTEAMS"))
    assert inside(W(r"\\?\UNC\server\share\wijkteams\x.csv"), W(UNC))
    assert inside(W(r"\\SERVER\Share\Wijkteams\teams"), W(UNC))
    assert inside(W(UNC), W(UNC))
    assert not inside(W(r"C:\wijkteams2\okt.csv"), W(r"C:\wijkteams"))
    assert not inside(W(r"D:\wijkteams\okt.csv"), W(r"C:\wijkteams"))
    assert not inside(W(r"\\server\other\wijkteams\x.csv"), W(UNC))
    # POSIX paths stay case-sensitive
    assert not inside(PurePosixPath("/data/Wijk/x.csv"), PurePosixPath("/data/wijk"))
    assert inside(PurePosixPath("/data/wijk/x.csv"), PurePosixPath("/data/wijk"))


@pytest.mark.parametrize("path", ["okt.csv", r"H:\rapporten\okt.csv", r"\\server\share\okt 2025.xlsx",
                                  "console.csv", "nullen.json", "C:okt.csv"])
def test_names_windows_keeps(path: str) -> None:
    assert windows_name_problem(path) == ""


@pytest.mark.parametrize(("path", "why"), [
    (r"H:\wijkteams:okt.csv", "colon"),
    (r"H:\wijkteams\maatwerk.toml:okt.csv", "colon"),
    ("nul.csv", "nul is a device"),
    (r"C:\rapporten\CON.xlsx", "CON is a device"),
    ("com1.json", "com1 is a device"),
    ("LPT9", "LPT9 is a device"),
])
def test_names_windows_would_not_keep(path: str, why: str) -> None:
    assert why in windows_name_problem(path)
