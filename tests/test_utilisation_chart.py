"""``maatwerk utilisation --chart``: bars against the pace, in the terminal, never a figure cut.

Drawn for the demo ledger (October 2026: pace 83,3%, oost behind, zuid over) and Rotterdam
2015 at many widths, piped and on a real pseudo-terminal.
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from collections.abc import Callable

import pytest

from conftest import ROOT, Result, assert_refused

Cli = Callable[..., Result]
DEMO = ("--ledgers", str(ROOT / "ledgers"), "utilisation", "--month", "2026-10")
ROTTERDAM = ("--ledgers", str(ROOT / "examples" / "rotterdam-2015"), "utilisation", "--as-of", "30-11-2015")


def records(cli: Cli, args: tuple[str, ...]) -> list[dict[str, object]]:
    result = cli(*args, "-f", "json")
    assert result.code == 0, result.err
    data: list[dict[str, object]] = json.loads(result.out)
    return data


def shown(line: str, value: object) -> bool:
    """The line ends with the whole percentage of ``value`` (JSON has four places, the chart one)."""
    figure = line.split()[-2]
    if not figure.endswith("%"):
        return False
    return abs(float(figure[:-1].replace(",", ".")) - float(value) * 100) <= 0.051  # type: ignore[arg-type]


def bar_lines(out: str, teams: list[str]) -> dict[str, str]:
    lines = {}
    for line in out.splitlines():
        head = line.split(" ", 1)[0]
        if head in teams or head == "totaal":
            lines[head] = line
    return lines


@pytest.mark.parametrize("args", [DEMO, ROTTERDAM], ids=["demo", "rotterdam"])
@pytest.mark.parametrize("width", ["40", "60", "80", "100", "120", "200", "piped"])
def test_every_figure_whole_and_every_line_fits(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                                args: tuple[str, ...], width: str) -> None:
    data = records(cli, args)
    if width == "piped":
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", width)
    result = cli(*args, "--chart")
    assert result.code == 0, result.err
    assert "\x1b[" not in result.out  # plain text when not on a terminal
    limit = 80 if width == "piped" else int(width)
    assert all(len(line) <= limit for line in result.out.splitlines()), result.out
    teams = [str(r["team"]) for r in data]
    lines = bar_lines(result.out, teams)
    assert set(lines) == {*teams, "totaal"}
    for r in data:
        line = lines[str(r["team"])]
        assert line.split()[-1] == r["status"] and shown(line, r["utilisation"]), line
    if limit >= 80:
        assert "too narrow" not in result.out
        assert all("│" in lines[t] for t in teams)


def test_the_bars_and_the_pace_marker_are_where_the_figures_say(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    data = {str(r["team"]): r for r in records(cli, DEMO)}
    out = cli(*DEMO, "--chart").out
    lines = bar_lines(out, list(data))
    start = len(max(data, key=len)) + 2
    bars = {t: line[start:].split("  ")[0] for t, line in lines.items()}
    width = len(bars["oost"])
    assert {len(b) for b in bars.values()} == {width}
    top = max(1.0, *(float(r["utilisation"]) for r in data.values()))  # type: ignore[arg-type]
    # The pace (83,3% of the year) marked in the same column on every bar and on the axis.
    pace = round(0.8333 * width / top)
    assert {b.index("│") for b in bars.values()} == {pace}
    axis = next(line for line in out.splitlines() if "pace 83,3%" in line)
    assert axis.index("│") == start + pace
    # Each bar as long as its share; zuid's goes past the budget (┆ at 100%).
    for team, r in data.items():
        filled = sum(1 for c in bars[team] if c in "█│┆") if team == "zuid" else bars[team].count("█")
        expected = round(float(r["utilisation"]) / top * width)  # type: ignore[arg-type]
        assert abs(filled - expected) <= 1, (team, filled, expected)
    assert bars["zuid"].index("┆") == round(width / top)
    assert bars["oost"].count("█") < bars["centrum"].count("█") / 2


def test_on_a_terminal_the_bars_are_in_colour() -> None:
    main, child = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "maatwerk_cli", *DEMO, "--chart"], stdout=child,
                            stderr=subprocess.PIPE, env=env, cwd=ROOT)
    os.close(child)
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=30)
    os.close(main)
    assert proc.returncode == 0
    text = out.decode()
    assert "\x1b[" in text  # colour on a terminal ...
    assert "oost" in text and "21,4%" in text


def test_the_chart_is_for_the_terminal(cli: Cli) -> None:
    assert_refused(cli(*DEMO, "--chart", "-f", "json"), "--chart")
    assert_refused(cli(*DEMO, "--chart", "-o", "x.xlsx"), "--chart")
