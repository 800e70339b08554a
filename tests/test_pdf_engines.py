"""Where the PDF's browser is looked for on Windows and macOS: their install folders, as a
pure function of the platform and the environment, so it is checked on Linux too."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from maatwerk_cli.render.pdf import install_candidates, installed, no_engine

EDGE = r"Microsoft\Edge\Application\msedge.exe"
CHROME = r"Google\Chrome\Application\chrome.exe"
WINDOWS = {"ProgramFiles": r"D:\Programma's", "ProgramFiles(x86)": r"C:\Program Files (x86)",
           "LocalAppData": r"C:\Users\Ann de Vries\AppData\Local"}


def test_windows_looks_in_program_files_and_local_app_data() -> None:
    found = install_candidates("win32", WINDOWS)
    assert found[0] == rf"C:\Program Files (x86)\{EDGE}"  # where Edge is on every Windows 10 and 11
    assert rf"D:\Programma's\{EDGE}" in found
    assert rf"D:\Programma's\{CHROME}" in found
    assert rf"C:\Users\Ann de Vries\AppData\Local\{CHROME}" in found
    assert r"C:\Users\Ann de Vries\AppData\Local\Chromium\Application\chrome.exe" in found


def test_windows_variable_names_are_read_in_any_case() -> None:
    # os.environ on Windows holds them upper-cased
    upper = {key.upper(): value for key, value in WINDOWS.items()}
    assert install_candidates("win32", upper) == install_candidates("win32", WINDOWS)


def test_a_folder_not_set_is_not_looked_in() -> None:
    found = install_candidates("win32", {"ProgramFiles": r"C:\Program Files", "LocalAppData": " "})
    assert found and all(path.startswith("C:\\Program Files\\") for path in found)
    assert install_candidates("win32", {}) == []


def test_macos_looks_in_applications_and_the_users_own() -> None:
    found = install_candidates("darwin", {"HOME": "/Users/ann"})
    assert "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" in found
    assert "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge" in found
    assert "/Applications/Chromium.app/Contents/MacOS/Chromium" in found
    assert "/Users/ann/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" in found
    assert install_candidates("linux", {"HOME": "/home/ann"}) == []


@pytest.mark.skipif(sys.platform == "win32", reason="builds a Windows path out of a POSIX file name")
def test_an_edge_in_the_given_program_files_is_found(tmp_path: Path) -> None:
    program_files = tmp_path / "Program Files"
    program_files.mkdir()
    # On Linux a backslash is an ordinary character: the Windows path string names this one
    # file, beside the folder, which is where the lookup finds it when it runs here.
    exe = tmp_path / f"Program Files\\{EDGE}"
    exe.write_text("#!/bin/sh\n")
    environ = {"ProgramFiles": str(program_files), "ProgramFiles(x86)": str(tmp_path / "elders")}
    assert installed("win32", environ) is None  # not a program yet
    exe.chmod(0o755)
    assert installed("win32", environ) == str(exe)
    assert installed("win32", {"ProgramFiles(x86)": str(tmp_path / "elders")}) is None


def test_a_chrome_in_the_users_applications_is_found(tmp_path: Path) -> None:
    exe = tmp_path / "Applications" / "Google Chrome.app" / "Contents" / "MacOS" / "Google Chrome"
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    assert installed("darwin", {"HOME": str(tmp_path)}) == str(exe)


def test_the_refusal_says_where_it_looked_and_how_to_set_one() -> None:
    assert "%ProgramFiles%" in no_engine("win32") and "MAATWERK_CHROMIUM" in no_engine("win32")
    assert "~/Applications" in no_engine("darwin")
    linux = no_engine("linux")
    assert "on the PATH" in linux and "apt-get install chromium" in linux and "MAATWERK_CHROMIUM" in linux
