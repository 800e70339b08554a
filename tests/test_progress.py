"""The progress bar: on a terminal for long work, never when piped, never for a quick command.

The command runs in a real process whose stderr is a pseudo-terminal; the bar's wait is
set to zero (MAATWERK_PROGRESS_AFTER) so that a small import counts as long work.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_process
from maatwerk_cli import Ledger

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def _sheet(tmp_path: Path, rows: int) -> Path:
    sheet = tmp_path / "invoer.csv"
    # Amounts repeat within days: a reason lets the rows past the duplicate rule.
    lines = ["datum;bedrag;categorie;reden"] + [f"{1 + n % 28}-3-2025;{10 + n % 7},50;Levensmiddelen;los"
                                                for n in range(rows)]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sheet


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run maatwerk with stderr on a pseudo-terminal; return code, stdout and what the terminal showed."""
    main, other = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "maatwerk_cli", *args], stdout=subprocess.PIPE,
                            stderr=other, env={**os.environ, **env, "TERM": "xterm", "COLUMNS": "100"})
    os.close(other)
    shown = b""
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the process closed its end
            break
        if not chunk:
            break
        shown += chunk
    out = proc.stdout.read().decode() if proc.stdout else ""
    code = proc.wait(timeout=60)
    os.close(main)
    return code, out, shown.decode(errors="replace")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "ledgers"
    lg = Ledger.init(root, municipality="Teststad", year=2025)
    lg.add_team("noord", name="Wijkteam Noord", budget=100_000, year=2025)
    return root


def test_a_long_import_shows_a_bar_on_a_terminal(folder: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, 1200)
    code, out, shown = _on_a_terminal(["--ledgers", str(folder), "import", "entries", str(sheet),
                                       "--team", "noord", "--dry-run"], {"MAATWERK_PROGRESS_AFTER": "0"})
    assert code == 0 and out == "would import 1200 entries\n"  # stdout stays clean of the bar
    assert "checking rows" in shown and "%" in shown


def test_no_bar_when_piped_or_quick(folder: Path, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, 1200)
    piped = run_process("--ledgers", str(folder), "import", "entries", str(sheet), "--team", "noord",
                        "--dry-run", env={"MAATWERK_PROGRESS_AFTER": "0"})
    assert piped.returncode == 0 and piped.stderr == ""
    # Done before the bar's delay: no bar. The delay is set long here, so that a machine
    # under load (the default is half a second) cannot make this test fail.
    code, out, shown = _on_a_terminal(["--ledgers", str(folder), "import", "entries", str(sheet),
                                       "--team", "noord", "--dry-run"], {"MAATWERK_PROGRESS_AFTER": "60"})
    assert code == 0 and "checking rows" not in shown
    code, out, shown = _on_a_terminal(["--ledgers", str(folder), "spend", "noord", "35", "-c", "Wonen",
                                       "-d", "1-3-2025"], {"MAATWERK_PROGRESS_AFTER": "0"})
    # A card payment shows no bar: only the echo of what was recorded.
    assert code == 0 and shown.strip().startswith("maatwerk: recorded noord-2025-"), shown
    # A terminal ends lines with \r\n; a bar would redraw with a bare \r.
    assert "\r" not in shown.replace("\r\n", "\n") and len(shown.strip().splitlines()) == 1, shown


def test_a_bank_import_shows_its_steps(folder: Path) -> None:
    statement = Path(__file__).parent / "fixtures" / "bank_import" / "ing_noord_2025-03.csv"
    code, out, shown = _on_a_terminal(["--ledgers", str(folder), "import", "bank", str(statement),
                                       "--team", "noord"], {"MAATWERK_PROGRESS_AFTER": "0"})
    assert code == 0, out
    assert "importing the statement" in shown
