"""Crashes: writers killed with SIGKILL at random moments, and torn last lines.

What must hold after every kill: every id a writer printed (it prints only after the
line is fsynced) is in the journal; a torn last line is set aside by every reader and
reported by ``check`` with its file and line, never read as an entry; and the next write
after a torn line gets the next free id and reads back whole.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import crash_points, run_process
from maatwerk_cli import Ledger, check_ledger
from maatwerk_cli.store.journal import HEADER, MSG_TORN_CLOSED, MSG_TORN_LAST, read_journal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# A writer that records spends as fast as it can and prints each id once it is on disk.
# Amount and note are tied together, so any line read back with a wrong amount is caught.
SPEND_LOOP = """
import sys
from decimal import Decimal
import datetime as dt
from maatwerk_cli import Ledger
lg = Ledger(sys.argv[1])
start = int(sys.argv[2])
print("ready", flush=True)
for n in range(start, start + 100000):
    team = "noord" if n % 3 else "zuid"
    entry_id = lg.spend(team, Decimal(n % 997 + 1), category="Overig", note=f"n{n}",
                        date=dt.date(2025, 1 + n % 12, 1), reason="load")
    print(entry_id, n, flush=True)
"""

# A writer that appends one large batch to two journals (as `import entries` does), so a
# kill can land in the middle of a long write.
BATCH = """
import sys
from maatwerk_cli.store.folder import LedgerFolder
folder = LedgerFolder(sys.argv[1])
start, count = int(sys.argv[2]), int(sys.argv[3])
def cells(n):
    return {"type": "spend", "date": "2025-06-01", "amount": f"{n % 997 + 1}.00",
            "category": "Overig", "method": "pin", "kind": "gift", "note": f"n{n}" + "x" * 900}
batches = {team: [cells(n) for n in range(start + i * count, start + (i + 1) * count)]
           for i, team in enumerate(("noord", "zuid"))}
print("ready", flush=True)
for entry_id in folder.append_batches(batches):
    print(entry_id, flush=True)
"""


def expected_amount(note: str) -> Decimal:
    n = int(re.match(r"n(\d+)", note)[1])  # type: ignore[index]
    return Decimal(n % 997 + 1).quantize(Decimal("0.01"))


def assert_sound(root: Path, printed: set[str]) -> set[tuple[str, int]]:
    """Every printed id is there, nothing is misread; returns the lines set aside."""
    lg = Ledger(root)
    snap = lg.read()
    ids = {r.id for r in snap.rows}
    missing = printed - ids
    assert not missing, f"printed but lost: {sorted(missing)[:5]}"
    for row in snap.rows:
        if row.note.startswith("n"):
            assert row.amount == expected_amount(row.note), row
    set_aside = {(Path(p.file).name, p.line) for p in snap.problems}
    for p in snap.problems:
        # A torn line; an earlier torn line that a later write closed; or a journal the
        # writer created but died before writing to.
        assert any(w in p.message for w in ("torn", "damaged line", "file is empty")), p
    # `check` reports exactly the lines readers set aside, and nothing else.
    checked = {(Path(p.file).name, p.line) for p in check_ledger(lg)}
    assert checked == set_aside
    return set_aside


def torn_tail(root: Path) -> list[str]:
    return [t for t in ("noord", "zuid")
            if (p := root / "teams" / f"{t}.csv").exists() and not p.read_bytes().endswith(b"\n")]


def next_write_works(root: Path) -> None:
    """After a crash, recording goes on: the next id is above every id in the file (a torn
    line's too, which stays set aside for good), and the new line reads back whole."""
    lg = Ledger(root)
    for team in ("noord", "zuid"):
        path = lg.folder.journal_path(team)
        before = lg.folder.book(team)  # as every reader sees it: an unfinished batch left out
        torn_before = {p.line for p in before.problems if p.message == MSG_TORN_LAST}
        new_id = lg.spend(team, Decimal("1"), category="Overig", note="n0", date=dt.date(2025, 1, 1),
                          reason="na de crash")
        assert new_id == f"{team}-2025-{before.max_seq + 1:04d}"
        again = read_journal(path, team)
        assert again.rows[-1].id == new_id and again.rows[-1].amount == Decimal("1.00")
        assert path.read_bytes().endswith(b"\n")
        assert all(p.message != MSG_TORN_LAST for p in again.problems)
        # the line that was torn is still set aside, now closed
        assert torn_before <= {p.line for p in again.problems if p.message == MSG_TORN_CLOSED}


def kill(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return out


@pytest.mark.slow
def test_spend_loop_killed_at_random_moments(ledger_dir: Path) -> None:
    rng = random.Random(20251)
    printed: set[str] = set()
    start = 1
    for _ in range(20):
        proc = subprocess.Popen([sys.executable, "-c", SPEND_LOOP, str(ledger_dir), str(start)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        # Count from the writer's first spend, not from its start: on a busy machine the
        # imports and the first read of the journal alone can take longer than the time
        # before the kill, and a round that never wrote would test nothing.
        assert proc.stdout.readline().strip() == "ready"
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0.15, 0.45))
        out = first + kill(proc)
        lines = [line.split() for line in out.splitlines() if line.strip()]
        printed |= {parts[0] for parts in lines if len(parts) == 2}
        start += 100000
        assert_sound(ledger_dir, printed)
    assert len(printed) > 40  # every round wrote, and most more than once (a few ms a spend)
    next_write_works(ledger_dir)
    assert_sound(ledger_dir, printed)


@pytest.mark.slow
def test_cli_spend_killed_at_random_moments(ledger_dir: Path) -> None:
    rng = random.Random(7)
    printed: set[str] = set()
    for n in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-m", "maatwerk_cli", "--ledgers", str(ledger_dir), "spend", "noord",
             str(n % 997 + 1), "-c", "Overig", "-n", f"n{n}", "-d", "1-2-2025"],
            stdout=subprocess.PIPE, text=True,
        )
        time.sleep(rng.uniform(0.05, 0.2))
        printed |= set(kill(proc).split())
        assert_sound(ledger_dir, printed)
    next_write_works(ledger_dir)


def journal_rows(root: Path) -> dict[str, list[str]]:
    lg = Ledger(root)
    return {t: [r.id for r in lg.read([t]).rows] for t in ("noord", "zuid")}


@pytest.mark.slow
def test_large_batch_killed_mid_write_is_all_or_none(ledger_dir: Path, tmp_path: Path) -> None:
    """Kill as soon as the first journal starts to grow: the long write is often cut short.

    Readers then see the batch whole or not at all (never half of it, never a torn line),
    and the next write cuts off what the dead writer left.
    """
    rng = random.Random(99)
    Ledger(ledger_dir).spend("noord", Decimal("3"), category="Overig", note="n2", date=dt.date(2025, 1, 1))
    outcomes = {"none": 0, "all": 0, "torn": 0}
    for attempt in range(10):
        root = tmp_path / f"batch{attempt}"
        shutil.copytree(ledger_dir, root)
        before = journal_rows(root)
        journal = root / "teams" / "noord.csv"
        size = journal.stat().st_size
        proc = subprocess.Popen([sys.executable, "-c", BATCH, str(root), "3", "4000"],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and journal.stat().st_size == size:
            time.sleep(0.0002)
        time.sleep(rng.choice([0, 0, 0.001, 0.003, 0.01, 0.05]))
        printed = {line for line in kill(proc).split() if line != "ready"}
        outcomes["torn"] += bool(torn_tail(root))
        assert assert_sound(root, printed) == set()
        after = journal_rows(root)
        if after == before:
            outcomes["none"] += 1
            assert not printed
        else:
            outcomes["all"] += 1
            assert [len(after[t]) - len(before[t]) for t in after] == [4000, 4000]
        next_write_works(root)
        assert not (root / "maatwerk.pending").exists()
        assert check_ledger(Ledger(root)) == []
        assert not torn_tail(root)
        shutil.rmtree(root)
    print(f"batch kills: {outcomes}")


SHEET = "datum;bedrag;categorie;team\n" + "".join(
    f"{d}-4-2025;{d * 7},50;Levensmiddelen;{t}\n" for d, t in enumerate(["noord", "zuid", "west"] * 3, 1)
)


@pytest.fixture
def three_teams(ledger_dir: Path) -> Path:
    lg = Ledger(ledger_dir)
    lg.add_team("west", name="Wijkteam West", budget=Decimal("5000"), year=2025)
    lg.spend("noord", Decimal("10"), category="Wonen", date=dt.date(2025, 3, 1))
    return ledger_dir


@pytest.mark.slow
@pytest.mark.parametrize(("op", "when"), [("write", "before"), ("write", "half"), ("write", "after"),
                                          ("fsync", "before"), ("fsync", "after"),
                                          ("replace", "before"), ("replace", "after")])
def test_import_crashed_at_every_call_is_all_or_none(three_teams: Path, tmp_path: Path, op: str,
                                                     when: str) -> None:
    sheet = tmp_path / "invoer.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    before = {t: [r.id for r in Ledger(three_teams).read([t]).rows] for t in ("noord", "zuid", "west")}
    crashes = 0
    for root, code in crash_points(three_teams, tmp_path, ["import", "entries", str(sheet)], op, when):
        crashes += code < 0
        lg = Ledger(root)
        after = {t: [r.id for r in lg.read([t]).rows] for t in before}
        grown = [len(after[t]) - len(before[t]) for t in before]
        assert grown in ([0, 0, 0], [3, 3, 3]), (code, grown)
        assert code < 0 or grown == [3, 3, 3]
        assert lg.read().problems == () and check_ledger(lg) == []
        # The next write finishes the dead writer's business; nothing half remains.
        lg.spend("zuid", Decimal("1"), category="Overig", date=dt.date(2025, 5, 1))
        assert not (root / "maatwerk.pending").exists()
        assert check_ledger(lg) == []
        again = {t: [r.id for r in lg.read([t]).rows] for t in before}
        assert [len(again[t]) - len(after[t]) for t in before] == [0, 1, 0]
    # marker and three journals (two of them new): every one of those calls was a crash point
    assert crashes >= {"write": 4, "fsync": 7, "replace": 1}[op], crashes


@pytest.mark.slow
@pytest.mark.parametrize(("op", "when"), [("write", "before"), ("write", "half"), ("write", "after"),
                                          ("fsync", "before"), ("fsync", "after"),
                                          ("replace", "before"), ("replace", "after")])
def test_spend_and_budget_crashed_at_every_call(three_teams: Path, tmp_path: Path, op: str,
                                                when: str) -> None:
    for root, code in crash_points(three_teams, tmp_path,
                                   ["spend", "west", "35", "-c", "Wonen", "-d", "2-3-2025"], op, when):
        got = Ledger(root).read(["west"])
        assert [r.amount for r in got.rows] in ([], [Decimal("35.00")])
        assert code < 0 or len(got.rows) == 1
        assert all("torn" in p.message or "empty" in p.message for p in got.problems)
        Ledger(root).spend("west", Decimal("2"), category="Overig", date=dt.date(2025, 3, 3))
        assert Ledger(root).read(["west"]).rows[-1].amount == Decimal("2.00")
    for root, code in crash_points(three_teams, tmp_path,
                                   ["team", "budget", "noord", "12.000", "--year", "2026"], op, when):
        team = Ledger(root).team("noord")
        assert team.budget(2026) in (Decimal("0"), Decimal("12000"))
        assert code < 0 or team.budget(2026) == Decimal("12000")
        assert team.budget(2025) == Decimal("10000")
        assert check_ledger(Ledger(root)) == []


def test_every_cut_of_the_last_line_is_set_aside_never_misread(ledger_dir: Path) -> None:
    """A crash can cut the last line at any byte: readers must never take it for an entry."""
    lg = Ledger(ledger_dir)
    lg.spend("noord", Decimal("12.50"), category="Wonen", note="borg, \"kamer\"; één maand",
             date=dt.date(2025, 3, 1))
    lg.spend("noord", Decimal("1234.56"), category="Levensmiddelen", household="H-7KXM4P",
             note="boodschappen", date=dt.date(2025, 3, 2), kind="loan", due=dt.date(2025, 4, 1),
             reason="borg")
    path = lg.folder.journal_path("noord")
    whole = path.read_bytes()
    last_start = whole.rstrip(b"\n").rfind(b"\n") + 1
    for cut in range(last_start + 1, len(whole) - 1):
        path.write_bytes(whole[:cut])
        got = read_journal(path, "noord")
        assert [r.amount for r in got.rows] == [Decimal("12.50")], cut
        assert len(got.problems) == 1 and got.problems[0].line == 3, cut
        assert "torn" in got.problems[0].message
    # Cut exactly after a newline: a clean, shorter journal, nothing to report.
    path.write_bytes(whole[:last_start])
    assert read_journal(path, "noord").problems == ()
    # One cut, the next write, and `check` through the command line.
    path.write_bytes(whole[: last_start + 30])
    res = run_process("--ledgers", str(ledger_dir), "spend", "noord", "40", "-c", "Wonen", "-d", "3-3-2025")
    # the cut line's id (0002) stands in the file, set aside: it is never given again
    assert res.returncode == 0 and res.stdout.strip() == "noord-2025-0003"
    checked = run_process("--ledgers", str(ledger_dir), "check")
    assert checked.returncode == 1 and "noord.csv:3" in checked.stdout
    assert len(checked.stdout.strip().splitlines()) == 1
    amounts = [e.amount for e in Ledger(ledger_dir).read().entries]
    assert amounts == [Decimal("12.50"), Decimal("40.00")]


def test_cut_inside_a_multibyte_character_or_quoted_field(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    lg.spend("zuid", Decimal("5"), category="Overig", note="één, \"twee\"\ndrie", date=dt.date(2025, 1, 2))
    path = lg.folder.journal_path("zuid")
    whole = path.read_bytes()
    at = whole.index("één".encode()) + 1  # between the two bytes of "é"
    for cut in (at, whole.index(b'""') + 1):
        path.write_bytes(whole[:cut])
        got = read_journal(path, "zuid")
        assert got.rows == () and len(got.problems) == 1 and "torn" in got.problems[0].message
    assert HEADER.encode() == whole[: len(HEADER)]
    # Even the header can be torn, when a writer dies during a journal's first write; and a
    # writer can die after creating the file but before writing to it.
    for length in (len(HEADER) - 5, 1, 0):
        path.write_bytes(whole[:length])
        got = read_journal(path, "zuid")
        assert got.rows == () and len(got.problems) == 1 and got.problems[0].line == 1
        assert "torn" in got.problems[0].message or "empty" in got.problems[0].message
        # The next write starts the journal afresh: a good header and a readable line.
        assert lg.spend("zuid", Decimal("9"), category="Overig", date=dt.date(2025, 1, 3)) == "zuid-2025-0001"
        assert read_journal(path, "zuid").problems == ()
        assert path.read_bytes().startswith(HEADER.encode())
        assert check_ledger(lg) == []
