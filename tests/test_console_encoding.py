"""Output on a Windows console and its redirections (docs/windows.md, "Console and encodings").

Windows' Python writes redirected stdout in the ANSI code page, cp1252, which has no table
borders, no bar blocks and no BOM. Every format of the listings and reports, ``--chart``,
``--help`` and the clerk's echo are run as the installed command on such a stream, in the
two ways it happens:

* ``PYTHONIOENCODING=cp1252`` (an encoding the user chose): kept; ASCII borders and bars,
  a character cp1252 lacks shown as ``?``;
* the simulated Windows of tests/winsim (cp1252 because that is the code page): the CLI
  turns the redirected stream into UTF-8 and every character comes through.

Either way: exit 0, the text readable, and the csv-nl BOM only in files written with ``-o``.
"""

from __future__ import annotations

import codecs
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from conftest import ROOT, Result
from maatwerk_cli.cli.app import run
from maatwerk_cli.render.output import FORMATS

Cli = Callable[..., Result]
WINSIM = ROOT / "tests" / "winsim"
#: A note with a character cp1252 has (é) and one it has not (ő, in Hungarian names).
NOTE = "café ő"
COMMANDS = {"entries": ("entries",), "compare": ("compare", "--year", "2025")}


def maatwerk(*args: str, simulated: bool, stdout: IO[bytes] | int = subprocess.PIPE,
             ) -> subprocess.CompletedProcess[bytes]:
    """The installed ``maatwerk`` command (``python -m maatwerk_cli`` where it is not installed)
    with its output redirected: PYTHONIOENCODING=cp1252, or the simulated Windows."""
    script = Path(sys.executable).with_name("maatwerk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "maatwerk_cli"]
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    env.pop("MAATWERK_SIMULATE_WINDOWS", None)
    if simulated:
        env.update(PYTHONPATH=os.pathsep.join([str(WINSIM), *paths]), MAATWERK_SIMULATE_WINDOWS="1")
    else:
        env.update(PYTHONPATH=os.pathsep.join(paths), PYTHONIOENCODING="cp1252")
    return subprocess.run([*command, *args], stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=60,
                          check=False)


def readable(res: subprocess.CompletedProcess[bytes], encoding: str) -> tuple[str, str]:
    """Both streams as text: exit 0, no internal error, no BOM, every byte in ``encoding``."""
    assert res.returncode == 0, res.stderr.decode(encoding, "replace")
    err = res.stderr.decode(encoding)
    assert "internal error" not in err
    raw = res.stdout or b""  # None: stdout went into a file
    assert not raw.startswith(codecs.BOM_UTF8)
    out = raw.decode(encoding)
    assert not out.startswith("\ufeff")
    return out, err


@pytest.fixture
def noted(cli: Cli, ledger_dir: Path) -> Path:
    """The two-team ledger with a spend whose note has é and ő."""
    res = cli("--ledgers", str(ledger_dir), "spend", "noord", "1.234,56", "-c", "Wonen", "-d", "3-3-2025",
              "-n", NOTE)
    assert res.code == 0, res.err
    return ledger_dir


@pytest.mark.parametrize("simulated", [False, True], ids=["PYTHONIOENCODING", "winsim"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_format_on_a_cp1252_pipe(noted: Path, command: str, simulated: bool) -> None:
    encoding = "utf-8" if simulated else "cp1252"
    for fmt in FORMATS:
        out, _ = readable(maatwerk("--ledgers", str(noted), *COMMANDS[command], "-f", fmt, simulated=simulated),
                          encoding)
        assert "noord" in out, (fmt, out)
        if command == "entries" and fmt != "vertical":  # vertical shows no note when it must fit
            assert ("café ő" if simulated else "café ?") in out, (fmt, out)
        if fmt in ("table", "markdown", "vertical"):
            assert "€" in out, (fmt, out)
        if fmt == "table":  # borders cp1252 cannot show are drawn in ASCII
            assert ("─" in out) == simulated and "?" not in out.replace("café ?", ""), out
        if fmt == "vertical":
            assert ("── noord" if simulated else "-- noord") in out, out


@pytest.mark.parametrize("simulated", [False, True], ids=["PYTHONIOENCODING", "winsim"])
def test_csv_nl_redirected_into_a_file_has_no_bom_and_with_output_it_has(noted: Path, tmp_path: Path,
                                                                        simulated: bool) -> None:
    encoding = "utf-8" if simulated else "cp1252"
    redirected = tmp_path / "okt-redirected.csv"
    with redirected.open("wb") as stdout:  # `maatwerk compare -f csv-nl > okt.csv`
        res = maatwerk("--ledgers", str(noted), "compare", "--year", "2025", "-f", "csv-nl", simulated=simulated,
                       stdout=stdout)
    readable(res, encoding)
    text = redirected.read_bytes().decode(encoding)
    assert text.startswith("team;") and ";1234,56;" in text and "\ufeff" not in text
    written = tmp_path / "okt.csv"
    res = maatwerk("--ledgers", str(noted), "compare", "--year", "2025", "-f", "csv-nl", "-o", str(written),
                   simulated=simulated)
    out, err = readable(res, encoding)
    assert out == "" and "wrote" in err
    assert written.read_bytes().startswith(codecs.BOM_UTF8 + b"team;")


@pytest.mark.parametrize("simulated", [False, True], ids=["PYTHONIOENCODING", "winsim"])
def test_the_chart_and_the_help_on_a_cp1252_pipe(simulated: bool) -> None:
    encoding = "utf-8" if simulated else "cp1252"
    chart, _ = readable(maatwerk("--ledgers", str(ROOT / "ledgers"), "utilisation", "--month", "2026-10",
                                 "--chart", simulated=simulated), encoding)
    zuid = next(line for line in chart.splitlines() if line.startswith("zuid"))
    assert zuid.split()[-2:] == ["106,8%", "over"]
    assert ("█" in zuid) == simulated and ("#" in zuid) != simulated and "?" not in chart
    helped, _ = readable(maatwerk("--help", simulated=simulated), encoding)
    assert "Usage: maatwerk" in helped and "?" not in helped


@pytest.mark.parametrize("simulated", [False, True], ids=["PYTHONIOENCODING", "winsim"])
def test_the_clerks_echo_with_an_e_acute_in_the_note(ledger_dir: Path, simulated: bool) -> None:
    encoding = "utf-8" if simulated else "cp1252"
    out, err = readable(maatwerk("--ledgers", str(ledger_dir), "spend", "noord", "35", "-c", "Levensmiddelen",
                                 "-d", "4-3-2025", "-n", "boodschappen voor het café", simulated=simulated),
                        encoding)
    assert out.strip() == "noord-2025-0001"
    assert "recorded noord-2025-0001: spend, team noord, € 35,00, Levensmiddelen" in err
    shown, _ = readable(maatwerk("--ledgers", str(ledger_dir), "show", "noord-2025-0001", simulated=simulated),
                        encoding)
    assert "boodschappen voor het café" in shown


def test_a_redirected_cp1252_stream_becomes_utf8_in_process(ledger_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                            ) -> None:
    """run() itself, on streams as Windows hands them to a redirected process."""
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    out, err = io.BytesIO(), io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="cp1252", write_through=True))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(err, encoding="cp1252", write_through=True))
    code = run(["--ledgers", str(ledger_dir), "spend", "zuid", "12,50", "-c", "Wonen", "-d", "5-3-2025",
                "-n", NOTE])
    assert code == 0, err.getvalue()
    assert run(["--ledgers", str(ledger_dir), "entries", "-f", "vertical"]) == 0
    text = out.getvalue().decode("utf-8")
    assert "── zuid-2025-0001" in text and NOTE in text and "€ 12,50" in text
    assert "€ 12,50" in err.getvalue().decode("utf-8")
