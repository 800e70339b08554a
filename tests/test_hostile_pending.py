"""A pending marker that cannot destroy (issue 16.1), through the command line.

Why: ``maatwerk.pending`` was trusted blindly. A marker left over from an earlier crash and
restored with the journals (from git or a backup), with a size below the journal, made the
next write to any team cut acknowledged entries off another team's journal; with a size
above it, the next write padded the journal with NUL bytes and left a damaged line.

Every stale marker here: readers leave nothing out and warn in one line; the next write
sets the marker aside (one warning line), cuts and pads nothing, and hands out fresh ids;
``check`` reports the set-aside file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result
from maatwerk_cli import Ledger, check_ledger
from maatwerk_cli.store.pending import PENDING_FILE, SET_ASIDE, marker_text, tail_hash

Cli = Callable[..., Result]
TEAMS = ("noord", "zuid")


@pytest.fixture
def restored(ledger_dir: Path) -> tuple[Path, bytes]:
    """A ledger with two acknowledged spends per team, and the marker of an import whose
    writer died when each journal held only its first spend (the batch's own lines long
    cut off), as a restore from git or a backup brings it back."""
    lg = Ledger(ledger_dir)
    for team in TEAMS:
        lg.spend(team, Decimal("10"), category="Wonen", date=dt.date(2025, 3, 1))
    cuts: dict[str, tuple[int | None, str]] = {}
    for team in TEAMS:
        data = lg.folder.journal_path(team).read_bytes()
        cuts[team] = (len(data), tail_hash(data, len(data)))
    marker = marker_text("0123456789abcdef", cuts).encode()
    for team in TEAMS:
        lg.spend(team, Decimal("20"), category="Wonen", date=dt.date(2025, 3, 2))
    return ledger_dir, marker


def journals(root: Path) -> dict[str, bytes]:
    return {t: (root / "teams" / f"{t}.csv").read_bytes() for t in TEAMS}


def ids(lcli: Cli) -> list[str]:
    result = lcli("entries", "-f", "json")
    assert result.code == 0, result.err
    return [e["id"] for e in json.loads(result.out)]


def one_warning(result: Result, *needles: str) -> None:
    assert "Traceback" not in result.err
    # The clerk's echo of what was recorded is no warning.
    lines = [line for line in result.err.strip().splitlines() if not line.startswith("maatwerk: recorded ")]
    assert len(lines) == 1 and lines[0].startswith("maatwerk: warning: "), result.err
    for needle in needles:
        assert needle in lines[0], lines[0]


def stale_marker_does_no_harm(lcli: Cli, root: Path, marker: bytes, why: str) -> None:
    lg = Ledger(root)
    acknowledged = ids(lcli)
    before = journals(root)
    (root / PENDING_FILE).write_bytes(marker)
    # Readers: nothing left out, one warning.
    listed = lcli("entries", "-f", "json")
    assert listed.code == 0
    assert [e["id"] for e in json.loads(listed.out)] == acknowledged
    one_warning(listed, PENDING_FILE, why, "nothing was left out")
    for report in (("utilisation", "--year", "2025", "-f", "json"),
                   ("compare", "--year", "2025", "-f", "json")):
        result = lcli(*report)
        assert result.code == 0
        one_warning(result, PENDING_FILE)
    spent = json.loads(lcli("utilisation", "--year", "2025", "-f", "json").out)
    assert sum(r["spent"] for r in spent) == 60.0
    checked = check_ledger(lg)
    assert [p.file for p in checked] == [lg.folder.display(root / PENDING_FILE)], checked
    # The next write, to one team: the marker set aside, nothing cut or padded anywhere.
    spend = lcli("spend", "noord", "5", "-c", "Wonen", "-d", "3-3-2025")
    assert spend.code == 0 and spend.out.strip() == "noord-2025-0003"
    one_warning(spend, PENDING_FILE, why, "set aside", "nothing was cut")
    after = journals(root)
    assert after["zuid"] == before["zuid"]
    assert after["noord"].startswith(before["noord"]) and after["noord"].count(b"\n") == \
        before["noord"].count(b"\n") + 1
    assert b"\x00" not in after["noord"] + after["zuid"]
    assert not (root / PENDING_FILE).exists()
    [moved] = sorted(root.glob(f"{SET_ASIDE}-*"))
    assert moved.read_bytes() == marker  # kept, for whoever wants to look at it
    now = ids(lcli)
    assert sorted(now) == sorted([*acknowledged, "noord-2025-0003"])  # every one, none twice
    checked = check_ledger(lg)
    assert [Path(p.file).name for p in checked] == [moved.name]
    assert "set aside" in checked[0].message
    # Quiet from then on.
    again = lcli("spend", "zuid", "5", "-c", "Wonen", "-d", "3-3-2025")
    assert again.code == 0 and again.out.strip() == "zuid-2025-0003"
    assert again.err.startswith("maatwerk: recorded zuid-2025-0003: spend") and "warning" not in again.err


def test_a_marker_restored_from_git_after_more_acknowledged_spends(lcli: Cli,
                                                                   restored: tuple[Path, bytes]) -> None:
    """The marker fits the bytes before its cuts, but acknowledged lines follow them."""
    root, marker = restored
    stale_marker_does_no_harm(lcli, root, marker, "not of this batch")


@pytest.mark.parametrize("shift", [-200, -1, 1, 50_000])
def test_an_old_format_marker_below_and_above_the_sizes(lcli: Cli, restored: tuple[Path, bytes],
                                                        shift: int) -> None:
    """The marker as older versions wrote it: only sizes, which were trusted blindly."""
    root, _ = restored
    sizes = {t: len(data) + shift for t, data in journals(root).items()}
    stale_marker_does_no_harm(lcli, root, json.dumps(sizes).encode(), "not written by this version")


@pytest.mark.parametrize("shift", [-30, 1, 50_000])
def test_a_marker_below_and_above_the_sizes(lcli: Cli, restored: tuple[Path, bytes], shift: int) -> None:
    root, _ = restored
    data = journals(root)
    cuts: dict[str, tuple[int | None, str]] = {
        t: (len(d) + shift, tail_hash(d, len(d) + shift)) for t, d in data.items()}
    why = "shorter" if shift > 0 else "not of this batch"
    stale_marker_does_no_harm(lcli, root, marker_text("feedfacecafebeef", cuts).encode(), why)


def test_a_marker_of_another_ledger(lcli: Cli, restored: tuple[Path, bytes]) -> None:
    """Sizes that fit, but the bytes before the cuts are not these journals'."""
    root, _ = restored
    cuts: dict[str, tuple[int | None, str]] = {t: (100, "0" * 32) for t in TEAMS}
    stale_marker_does_no_harm(lcli, root, marker_text("0000000000000001", cuts).encode(), "does not match")


@pytest.mark.parametrize("team", ["oost", "../noord", "NOORD", ""])
def test_a_marker_naming_an_unknown_team(lcli: Cli, restored: tuple[Path, bytes], team: str) -> None:
    root, _ = restored
    marker = marker_text("0000000000000002", {team: (0, tail_hash(b"", 0))}).encode()
    stale_marker_does_no_harm(lcli, root, marker, "names a team that does not exist")


@pytest.mark.parametrize("content", [b"", b"not json", b"\xff\xfe\x00garbage", b"[1, 2]", b'{"format": 2}',
                                     b'{"format": 2, "batch": "x", "journals": {"noord": {"size": -5}}}',
                                     b'{"format": 2, "batch": "x", "journals": {"noord": {"size": true}}}'])
def test_a_marker_that_is_not_the_tools(lcli: Cli, restored: tuple[Path, bytes], content: bytes) -> None:
    root, _ = restored
    why = "not JSON" if content in (b"", b"not json", b"\xff\xfe\x00garbage") else ""
    stale_marker_does_no_harm(lcli, root, content, why)


def test_an_import_sets_a_stale_marker_aside_too(lcli: Cli, restored: tuple[Path, bytes],
                                                 tmp_path: Path) -> None:
    root, marker = restored
    before = journals(root)
    (root / PENDING_FILE).write_bytes(marker)
    sheet = tmp_path / "invoer.csv"
    sheet.write_text("datum;bedrag;categorie;team\n4-3-2025;5;Wonen;noord\n4-3-2025;6;Wonen;zuid\n",
                     encoding="utf-8")
    result = lcli("import", "entries", str(sheet))
    assert result.code == 0 and "imported 2 entries" in result.out
    one_warning(result, PENDING_FILE, "set aside")
    after = journals(root)
    for team in TEAMS:
        assert after[team].startswith(before[team])
        assert after[team].count(b"\n") == before[team].count(b"\n") + 1
    assert not (root / PENDING_FILE).exists()
    assert len(ids(lcli)) == 6
