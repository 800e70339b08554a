"""The Dutch user guide: shipped in the package as in docs/, printed by the command, and
naming only commands that exist."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import Result

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "handleiding.md"
SHIPPED = ROOT / "maatwerk_cli" / "help" / "handleiding.md"


def test_the_package_ships_the_guide_as_it_is_in_docs() -> None:
    assert SHIPPED.read_bytes() == GUIDE.read_bytes(), "copy docs/handleiding.md to maatwerk_cli/help/"


def test_the_command_prints_the_guide(cli: Callable[..., Result]) -> None:
    done = cli("handleiding")
    assert done.code == 0 and done.out == GUIDE.read_text(encoding="utf-8")


def test_every_command_the_guide_shows_exists(cli: Callable[..., Result]) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```\n(.*?)```", text, re.S)
    lines = [line.split("#")[0].split() for block in blocks for line in block.splitlines()]
    commands = {tuple(words[1:3]) for words in lines if words[:1] == ["maatwerk"]}
    assert len(commands) > 10
    for words in sorted(commands):
        # A group's subcommand (team add) or a command with its first argument (spend noord).
        done = cli(*words, "--help")
        if done.code != 0:
            done = cli(words[0], "--help")
        assert done.code == 0, (words, done.err)


def test_the_readme_and_the_help_point_to_the_guide(cli: Callable[..., Result]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/handleiding.md" in readme.split("## Quick start")[0]
    assert "maatwerk handleiding" in cli("--help").out
