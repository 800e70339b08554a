"""The figures cache: the numbers the figure reports count with, never stale, never trusted blindly."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from conftest import snapshot
from maatwerk_cli import Ledger
from maatwerk_cli.analysis import figures as fig
from maatwerk_cli.analysis import reports
from maatwerk_cli.ops.cash import settle, withdraw


@pytest.fixture
def ledger(ledger_dir: Path) -> Ledger:
    """Three teams with loans, repayments, cash, a void, outcomes, a refusal and a damaged line."""
    lg = Ledger(ledger_dir)
    lg.add_team("west", name="Wijkteam West", budget=Decimal("7000"), year=2025)
    withdraw(lg, "west", Decimal("50"), date=dt.date(2025, 1, 2))
    lg.spend("west", Decimal("43.60"), category="Levensmiddelen", method="contant", date=dt.date(2025, 1, 3))
    settle(lg, "west", "write-off", date=dt.date(2025, 1, 4))
    for i in range(30):
        team = ("noord", "zuid", "west")[i % 3]
        sid = lg.spend(team, Decimal(10 + i), category=("Wonen", "Levensmiddelen", "Overig")[i % 3],
                       date=dt.date(2025, 1 + i % 12, 1), kind="loan" if i % 5 == 0 else "gift",
                       tegenprestatie="helpt mee" if i % 4 == 0 else None)
        if i % 5 == 0:
            lg.repay(sid, Decimal("5"), date=dt.date(2025, 12, 1))
        if i % 7 == 0:
            lg.mark_outcome(sid, "reached" if i % 2 else "partial", avoided_cost=Decimal(i * 3 - 20))
        if i == 11:
            lg.void(sid, reason="dubbel")
    lg.refuse("zuid", reason="kerstpakket", date=dt.date(2025, 12, 2))
    path = lg.folder.journal_path("zuid")
    path.write_bytes(path.read_bytes().replace(b",14.00,", b",41.00,", 1))  # a hand edit
    return lg


def same(a: fig.Figures, b: fig.Figures) -> None:
    assert (a.teams, a.categories, a.problems) == (b.teams, b.categories, b.problems)
    for group in ("entries", "paybacks", "rows"):
        x, y = getattr(a, group), getattr(b, group)
        assert set(x) == set(y)
        for name in x:
            assert np.array_equal(x[name], y[name]), (group, name)


def no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> fig.Figures:
        raise AssertionError("the journals were read again")

    monkeypatch.setattr(fig, "build", refuse)
    monkeypatch.setattr(fig, "build_teams", refuse)


def test_served_from_the_cache_while_nothing_changed(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    first = fig.load(ledger)
    same(first, fig.build(ledger, ledger.folder.team_slugs()))
    assert first.problems and "zuid.csv" in first.problems[0].file  # the hand edit is reported
    no_build(monkeypatch)
    same(fig.load(ledger), first)


def test_every_change_is_seen(ledger: Ledger) -> None:
    before = fig.load(ledger)
    ledger.spend("noord", Decimal("12.34"), category="Wonen", date=dt.date(2025, 6, 6))
    after = fig.load(ledger)
    assert after.count == before.count + 1
    same(after, fig.build(ledger, ledger.folder.team_slugs()))
    # An edit that keeps the size and the modification time is seen too.
    path = ledger.folder.journal_path("noord")
    st = path.stat()
    data = path.read_bytes()
    path.write_bytes(data.replace(b",12.34,", b",43.21,"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    edited = fig.load(ledger)
    same(edited, fig.build(ledger, ledger.folder.team_slugs()))
    assert edited.problems != after.problems  # the edited line is now set aside


def test_a_choice_of_teams_comes_from_the_same_cache(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = fig.load(ledger)
    no_build(monkeypatch)
    part = fig.load(ledger, ["zuid", "noord"])
    assert part.teams == ("zuid", "noord")
    monkeypatch.undo()
    same(part, fig.build(ledger, ["zuid", "noord"]))
    same(fig.load(ledger), whole)


def test_only_the_changed_journal_is_read_again(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    fig.load(ledger)
    ledger.spend("west", Decimal("7"), category="Wonen", date=dt.date(2025, 7, 7))
    asked: list[list[str]] = []
    real = fig.build_teams

    def counting(lg: Ledger, slugs: list[str]) -> dict[str, fig.Figures]:
        asked.append(list(slugs))
        return real(lg, slugs)

    monkeypatch.setattr(fig, "build_teams", counting)
    got = fig.load(ledger)
    assert asked == [["west"]]
    monkeypatch.undo()
    same(got, fig.build(ledger, ledger.folder.team_slugs()))


@pytest.mark.parametrize("damage", ["garbage", "truncate", "out-of-range", "short-array"])
def test_a_damaged_cache_file_is_rebuilt(ledger: Ledger, own_cache_dir: Path, damage: str) -> None:
    truth = fig.load(ledger)
    (path,) = own_cache_dir.glob("*.fig.pkl")
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"maatwerk-figures-cache\n\x80\x05junk")
    elif damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    else:
        with open(path, "rb") as fh:
            magic = fh.read(len(b"maatwerk-figures-cache\n"))
            head = pickle.load(fh)
            stored = pickle.load(fh)
        stamp, (categories, entries, paybacks, rows, problems) = stored["noord"]
        entries = dict(entries)
        if damage == "out-of-range":
            entries["category"] = entries["category"] + 7
        else:
            entries["cents"] = entries["cents"][:-1]
        stored["noord"] = (stamp, (categories, entries, paybacks, rows, problems))
        with open(path, "wb") as fh:
            fh.write(magic)
            pickle.dump(head, fh)
            pickle.dump(stored, fh)
    same(fig.load(ledger), truth)


def test_reports_are_the_same_with_and_without_the_cache(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    def everything() -> list[object]:
        return [
            reports.utilisation_report(ledger, year=2025, month="2025-06").records,
            reports.compare_report(ledger, year=2025).records,
            reports.compare_report(ledger, year=2025).attrs["total"],
            reports.categories_report(ledger, year=2025).records,
            reports.outcomes_report(ledger, year=2025).records,
            reports.summary_report([ledger.root], year=2025, by="team").records,
        ]

    cold = everything()
    warm = everything()
    monkeypatch.setenv("MAATWERK_NO_CACHE", "1")
    assert cold == warm == everything()
    frame = reports.compare(ledger, year=2025)
    assert list(frame.columns) == list(reports.COMPARE_COLUMNS + reports.COMPARE_EXTRA)
    assert frame["spent"].tolist() == [r["spent"] for r in cold[1]]  # type: ignore[index]


def test_the_cache_lives_outside_the_ledger(ledger: Ledger, own_cache_dir: Path) -> None:
    before = snapshot(ledger.root)
    fig.load(ledger)
    fig.load(ledger)
    assert snapshot(ledger.root) == before
    assert len(list(own_cache_dir.glob("*.fig.pkl"))) == 1


def test_a_warm_report_does_not_import_pandas(ledger: Ledger, own_cache_dir: Path) -> None:
    program = (
        "import sys\n"
        "from maatwerk_cli.cli import run\n"
        f"code = run(['--ledgers', {str(ledger.root)!r}, 'compare', '--year', '2025', '-f', 'json'])\n"
        "print(code, 'pandas' in sys.modules)\n"
    )
    env = {**os.environ, "MAATWERK_CACHE_DIR": str(own_cache_dir)}

    def run() -> list[str]:
        done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env,
                              check=True)
        return done.stdout.strip().splitlines()

    cold = run()
    warm = run()
    assert cold[-1] == "0 True"  # the journals were read: pandas parsed them
    assert warm[-1] == "0 False"
    assert json.loads("\n".join(cold[:-1])) == json.loads("\n".join(warm[:-1]))
