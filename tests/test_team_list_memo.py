"""The list of team files is kept while the teams folder is unchanged, and never goes stale."""

from __future__ import annotations

import os
import time
from pathlib import Path

from maatwerk_cli import Ledger


def _age(folder: Path, seconds: int) -> None:
    """Make the folder look changed ``seconds`` ago (past the coarse-clock window)."""
    then = time.time() - seconds
    os.utime(folder, (then, then))


def test_a_team_added_by_another_writer_is_seen(tmp_path: Path) -> None:
    root = tmp_path / "ledgers"
    first = Ledger.init(root, municipality="Teststad", year=2025)
    first.add_team("noord", name="Noord", budget=1000, year=2025)
    _age(root / "teams", 60)
    assert first.folder.team_slugs() == ["noord"]
    assert first.folder.team_slugs() == ["noord"]  # kept: the folder is the same
    Ledger(root).add_team("zuid", name="Zuid", budget=500, year=2025)
    assert first.folder.team_slugs() == ["noord", "zuid"]
    (root / "teams" / "zuid.toml").rename(root / "teams" / "west.toml")
    _age(root / "teams", 60)
    assert first.folder.team_slugs() == ["noord", "west"]


def test_a_bad_team_file_added_later_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "ledgers"
    lg = Ledger.init(root, municipality="Teststad", year=2025)
    lg.add_team("noord", name="Noord", budget=1000, year=2025)
    _age(root / "teams", 60)
    assert lg.folder.team_slugs() == ["noord"]
    (root / "teams" / "Noord.toml").write_text('name = "Noord"\n', encoding="utf-8")
    _, problems = lg.folder.team_files()
    assert len(problems) == 1 and "differs only in case" in problems[0].message
