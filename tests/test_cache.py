"""The frame cache: the same frame as reading the journals, and never a stale one."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, snapshot
from maatwerk_cli import Ledger
from maatwerk_cli.store import cache as frame_cache

pd = pytest.importorskip("pandas")
frames = pytest.importorskip("maatwerk_cli.analysis.frames")

Cli = Callable[..., Result]


class Truth:
    """Reads the journals every time (the cache switched off); counts what it was asked."""

    def __init__(self) -> None:
        self.asked: list[list[str] | None] = []

    def __call__(self, ledger: Ledger, teams: Sequence[str] | None) -> Any:
        self.asked.append(list(teams) if teams else None)
        return frames.read_frame(ledger, teams)


def same(got: Any, want: Any) -> None:
    pd.testing.assert_frame_equal(got[0], want[0])
    assert got[1] == want[1]


@pytest.fixture
def ledger(ledger_dir: Path) -> Ledger:
    """Three teams with spends, events, a refusal and a damaged line."""
    lg = Ledger(ledger_dir)
    lg.add_team("west", name="Wijkteam West", budget=Decimal("7000"), year=2025)
    for i in range(30):
        team = ("noord", "zuid", "west")[i % 3]
        sid = lg.spend(team, Decimal(10 + i), category=("Wonen", "Levensmiddelen", "Overig")[i % 3],
                       date=dt.date(2025, 1 + i % 12, 1), note=f"regel {i}, \"x\"" if i % 4 == 0 else None,
                       kind="loan" if i % 5 == 0 else "gift")
        if i % 5 == 0:
            lg.repay(sid, Decimal("5"), date=dt.date(2025, 12, 1))
    lg.refuse("zuid", reason="kerstpakket", date=dt.date(2025, 12, 2))
    path = lg.folder.journal_path("zuid")
    path.write_bytes(path.read_bytes().replace(b",14.00,", b",41.00,", 1))  # a hand edit
    return lg


def load(lg: Ledger, truth: Truth, teams: Sequence[str] | None = None) -> Any:
    return frame_cache.cached_frame(lg, teams, truth)


def test_cached_frame_is_the_frame_read_from_the_journals(ledger: Ledger) -> None:
    truth = Truth()
    first = load(ledger, truth)
    assert first[1] and "checksum" in first[1][0].message  # the hand edit is reported
    same(first, truth(ledger, None))
    truth.asked.clear()
    second = load(ledger, truth)
    assert truth.asked == []  # served from the cache
    same(second, truth(ledger, None))
    # other choices of teams, in another order, from the same cache
    for teams in (["zuid"], ["west", "noord"], ["noord", "zuid", "west"]):
        truth.asked.clear()
        same(load(ledger, truth, teams), truth(ledger, teams))
        assert truth.asked == [teams]  # only the comparison read the journals


def test_only_the_changed_journal_is_read_again(ledger: Ledger) -> None:
    truth = Truth()
    load(ledger, truth)
    truth.asked.clear()
    ledger.spend("west", Decimal("99"), category="Wonen", date=dt.date(2025, 6, 6))
    got = load(ledger, truth)
    assert truth.asked == [["west"]]
    same(got, truth(ledger, None))
    assert got[0]["amount_cents"].iloc[-1] == 9900 or 9900 in set(got[0]["amount_cents"])


def _edit_keeping_size_and_mtime(path: Path, old: bytes, new: bytes, at: str) -> None:
    assert len(old) == len(new)
    data = path.read_bytes()
    st = os.stat(path)
    where = data.index(old) if at == "first" else data.rindex(old)
    path.write_bytes(data[:where] + new + data[where + len(old):])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(path).st_size == st.st_size and os.stat(path).st_mtime_ns == st.st_mtime_ns


@pytest.mark.parametrize("at", ["first", "last"], ids=["far from the end", "in the last 64 KiB"])
def test_an_edit_that_keeps_size_and_mtime_is_never_served_stale(ledger: Ledger, at: str) -> None:
    lg = ledger
    # make noord's journal longer than the hashed tail, so "first" lies outside it
    lg.folder.append("noord", [{"type": "spend", "date": "2025-02-02", "amount": "1.00",
                                "category": "Overig", "method": "pin", "kind": "gift",
                                "note": "n" * 1000} for _ in range(80)])
    path = lg.folder.journal_path("noord")
    assert path.stat().st_size > frame_cache.TAIL
    truth = Truth()
    load(lg, truth)
    _edit_keeping_size_and_mtime(path, b",10.00,Wonen,", b",90.00,Wonen,", "first")
    _edit_keeping_size_and_mtime(path, b",1.00,Overig,", b",9.00,Overig,", at)
    truth.asked.clear()
    got = load(lg, truth)
    assert truth.asked == [["noord"]]
    same(got, truth(lg, None))
    assert any("checksum" in p.message for p in got[1] if p.file.endswith("noord.csv"))


def test_stamps_compare_every_part(ledger: Ledger, tmp_path: Path) -> None:
    """Each part of a stamp on its own decides: size, times, inode, the tail, the whole."""
    path = ledger.folder.journal_path("noord")
    old = frame_cache.stamp(path)
    assert frame_cache.still_valid(path, old)
    from dataclasses import replace

    for change in ({"size": old.size + 1}, {"mtime_ns": old.mtime_ns + 1}, {"ctime_ns": old.ctime_ns - 1},
                   {"ino": old.ino + 1}, {"tail": "0" * 32}, {"whole": "0" * 32}):
        assert not frame_cache.still_valid(path, replace(old, **change)), change
    assert not frame_cache.still_valid(tmp_path / "gone.csv", old)
    assert frame_cache.still_valid(tmp_path / "gone.csv", frame_cache.MISSING)
    # a journal changed just now is hashed whole, so a second change in the same clock tick shows
    import time

    fresh = frame_cache.stamp(path, time.time_ns())
    assert fresh.whole and frame_cache.still_valid(path, fresh)


@pytest.mark.parametrize("damage", [b"", b"garbage", b"maatwerk-frame-cache\n\x80\x05junk", "truncate"])
def test_a_damaged_cache_file_is_ignored_and_rebuilt(ledger: Ledger, damage: bytes | str) -> None:
    truth = Truth()
    load(ledger, truth)
    path = frame_cache.cache_file(ledger.root)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if damage == "truncate" else damage)  # type: ignore[arg-type]
    truth.asked.clear()
    same(load(ledger, truth), truth(ledger, None))
    assert truth.asked[0] is not None and len(truth.asked) == 2  # rebuilt, then compared
    truth.asked.clear()
    load(ledger, truth)
    assert truth.asked == []  # and good again


def test_load_frame_goes_through_the_cache(ledger: Ledger, own_cache_dir: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first = frames.load_frame(ledger)
    assert len(list(own_cache_dir.glob("*.pkl"))) == 1
    same(frames.load_frame(ledger), first)
    same(frames.load_frame(ledger, ["west", "zuid"]), frames.read_frame(ledger, ["west", "zuid"]))
    monkeypatch.setenv("MAATWERK_NO_CACHE", "1")
    same(frames.load_frame(ledger), first)


def test_switched_off_and_never_in_the_ledger_folder(ledger: Ledger, own_cache_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(ledger.root)
    truth = Truth()
    load(ledger, truth)
    load(ledger, truth)
    assert snapshot(ledger.root) == before
    assert len(list(own_cache_dir.glob("*.pkl"))) == 1
    frame_cache.clear()
    monkeypatch.setenv("MAATWERK_NO_CACHE", "1")
    same(load(ledger, truth), truth(ledger, None))
    assert list(own_cache_dir.glob("*.pkl")) == []


def test_unwritable_cache_folder_still_reads(ledger: Ledger, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("MAATWERK_CACHE_DIR", str(blocker / "cache"))
    truth = Truth()
    same(load(ledger, truth), truth(ledger, None))


def test_an_unfinished_batch_is_never_cached(ledger: Ledger) -> None:
    truth = Truth()
    load(ledger, truth)
    (ledger.root / "maatwerk.pending").write_text('{"noord": null}')
    truth.asked.clear()
    load(ledger, truth)
    assert truth.asked == [None]  # read directly


def test_teams_come_and_go(ledger: Ledger) -> None:
    truth = Truth()
    load(ledger, truth)
    ledger.add_team("oost", name="Oost", budget=Decimal("1"), year=2025)
    same(load(ledger, truth), truth(ledger, None))
    ledger.spend("oost", Decimal("3"), category="Wonen", date=dt.date(2025, 3, 3))
    same(load(ledger, truth), truth(ledger, None))
    ledger.folder.journal_path("oost").unlink()
    same(load(ledger, truth), truth(ledger, None))


def test_old_cache_files_are_evicted(ledger: Ledger, own_cache_dir: Path, tmp_path: Path) -> None:
    truth = Truth()
    for i in range(frame_cache.KEEP_FILES + 3):
        lg = Ledger.init(tmp_path / f"l{i}", year=2025)
        lg.add_team("noord", name="N", budget=Decimal("1"), year=2025)
        lg.spend("noord", Decimal("1"), category="Wonen", date=dt.date(2025, 1, 1))
        load(lg, truth)
    assert len(list(own_cache_dir.glob("*.pkl"))) == frame_cache.KEEP_FILES


def test_reports_through_the_command_line_see_every_change(lcli: Cli, ledger_dir: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    lcli("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025")
    first = lcli("compare", "--year", "2025", "--format", "json")
    assert first.code == 0, first.err
    again = lcli("compare", "--year", "2025", "--format", "json")
    assert again.out == first.out
    lcli("spend", "noord", "15", "-c", "Wonen", "-d", "2-3-2025")
    after = lcli("compare", "--year", "2025", "--format", "json")
    monkeypatch.setenv("MAATWERK_NO_CACHE", "1")
    assert after.out == lcli("compare", "--year", "2025", "--format", "json").out
    assert after.out != first.out and '"spent": 50.00' in after.out
