"""Concurrency: eight clerks record spends at once through the real command line.

Each of 8 workers starts ``python -m maatwerk_cli spend`` 200 times in a row, all on the
same team of the same ledger: 1,600 whole processes racing for the folder lock. Every
spend must be there exactly once, with the id its process printed, and ``check`` clean.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import run_process
from maatwerk_cli import Ledger

WORKERS = 8
PER_WORKER = 200


def worker(root: Path, number: int, printed: list[str], failures: list[str]) -> None:
    for i in range(PER_WORKER):
        amount = f"{number + 1},{i:02d}" if i < 100 else f"{number + 1}{i}"
        res = subprocess.run(
            [sys.executable, "-m", "maatwerk_cli", "--ledgers", str(root), "spend", "noord", amount,
             "-c", "Overig", "-d", f"{1 + i % 28}-{1 + number}-2025", "-n", f"w{number} i{i}",
             # Far more than the budget in total: the plausibility rules would ask for a reason.
             "--reason", "belastingproef", "--second-opinion", "teamleider"],
            capture_output=True, text=True, timeout=120,
        )
        if res.returncode != 0:
            failures.append(res.stderr)
        else:
            printed.append(f"{res.stdout.strip()} w{number} i{i}")


@pytest.mark.slow
def test_eight_processes_times_two_hundred_spends(ledger_dir: Path) -> None:
    printed: list[str] = []
    failures: list[str] = []
    threads = [threading.Thread(target=worker, args=(ledger_dir, n, printed, failures))
               for n in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    ids = [p.split()[0] for p in printed]
    assert len(ids) == WORKERS * PER_WORKER == 1600
    assert len(set(ids)) == 1600
    snap = Ledger(ledger_dir).read()
    assert snap.problems == ()
    assert len(snap.entries) == 1600
    by_id = {e.id: e for e in snap.entries}
    assert set(by_id) == set(ids)
    # Each id holds the spend of the process that printed it.
    for line in printed:
        entry_id, w, i = line.split()
        assert by_id[entry_id].note == f"{w} {i}"
    # Ids are handed out without gaps, in file order.
    seqs = [int(e.id.rsplit("-", 1)[1]) for e in snap.entries]
    assert seqs == list(range(1, 1601))
    assert sum((e.amount for e in snap.entries), Decimal(0)) > 0
    res = run_process("--ledgers", str(ledger_dir), "check")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.strip() == "ok: no problems found"


def test_writers_and_readers_at_once(ledger_dir: Path) -> None:
    """Readers running during writes never see a half line or a problem."""
    script = (
        "import sys, datetime as dt\nfrom decimal import Decimal\nfrom maatwerk_cli import Ledger\n"
        "lg = Ledger(sys.argv[1])\n"
        "for i in range(150):\n"
        "    lg.spend('zuid', Decimal(i + 1), category='Overig', date=dt.date(2025, 5, 1), reason='load')\n"
    )
    writers = [subprocess.Popen([sys.executable, "-c", script, str(ledger_dir)]) for _ in range(3)]
    lg = Ledger(ledger_dir)
    seen = 0
    while any(w.poll() is None for w in writers):
        snap = lg.read(["zuid"])
        assert snap.problems == ()
        assert len(snap.entries) >= seen
        seen = len(snap.entries)
    assert all(w.wait() == 0 for w in writers)
    assert len(lg.read(["zuid"]).entries) == 450
    assert lg.read(["zuid"]).rows[-1].date == dt.date(2025, 5, 1)
