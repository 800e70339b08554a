"""kill -9 of an import between its journals (issue 16): every report, not only ``entries``,
shows the batch all or none; every acknowledged entry stays, no id is given twice."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result
from maatwerk_cli import Ledger, check_ledger
from maatwerk_cli.store.pending import PENDING_FILE

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/fd; SIGKILL is POSIX")

Cli = Callable[..., Result]

# Runs the command line, and kills itself (SIGKILL) just after the k-th journal's lines are
# durable: the import's marker is on disk, some journals hold their part, others not yet.
KILL_AFTER_JOURNAL = """
import os, signal, sys
root, k = os.path.realpath(sys.argv[1]), int(sys.argv[2])
done = 0
real_fsync = os.fsync
def fsync(fd):
    global done
    real_fsync(fd)
    try:
        name = os.readlink(f"/proc/self/fd/{fd}")
    except (OSError, TypeError):
        return
    if name.startswith(os.path.join(root, "teams") + os.sep) and name.endswith(".csv") \\
            and not name.endswith(".bank.csv"):
        done += 1
        if done == k:
            os.kill(os.getpid(), signal.SIGKILL)
os.fsync = fsync
from maatwerk_cli.cli.app import run
sys.exit(run(sys.argv[3:]))
"""

# Loans (loans report), cash (cash status), notes (stories), three teams, one of them new.
SHEET = "datum;bedrag;categorie;team;soort;vervaldatum;betaalwijze;notitie\n" + "".join(
    f"{d}-4-2025;{d * 7},50;Levensmiddelen;{t};lening;1-12-2025;{m};verhaal {d}\n"
    for d, (t, m) in enumerate([("noord", "contant"), ("zuid", "pin"), ("west", "pin")] * 2, 1)
)

REPORTS: list[tuple[str, ...]] = [
    ("entries", "-f", "json"),
    ("utilisation", "--year", "2025", "--as-of", "31-12-2025", "-f", "json"),
    ("compare", "--year", "2025", "-f", "json"),
    ("categories", "--year", "2025", "-f", "json"),
    ("loans", "-f", "json"),
    ("stories", "--since", "1-1-2025"),
    ("cash", "status", "-f", "json"),
]


@pytest.fixture
def template(ledger_dir: Path) -> Path:
    lg = Ledger(ledger_dir)
    lg.add_team("west", name="Wijkteam West", budget=Decimal("5000"), year=2025)
    lg.spend("noord", Decimal("10"), category="Wonen", date=dt.date(2025, 3, 1))
    lg.spend("zuid", Decimal("20"), category="Wonen", note="borg", date=dt.date(2025, 3, 2))
    lg.withdraw("noord", Decimal("100"), date=dt.date(2025, 3, 3))
    return ledger_dir


def reports(cli: Cli, root: Path) -> dict[str, str]:
    out = {}
    for args in [*REPORTS, ("summary", str(root), "--year", "2025", "-f", "json")]:
        result = cli("--ledgers", str(root), *args) if args[0] != "summary" else cli(*args)
        assert result.code == 0 and result.err == "", (args, result.err)
        out[" ".join(args[:2])] = result.out
    return out


def line_ids(root: Path) -> list[str]:
    return [r.id for r in Ledger(root).read().rows]


@pytest.mark.slow
@pytest.mark.parametrize("k", [1, 2])
def test_an_import_killed_between_its_journals(cli: Cli, template: Path, tmp_path: Path, k: int) -> None:
    root = tmp_path / f"killed-{k}"
    shutil.copytree(template, root)
    sheet = tmp_path / "invoer.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    before = reports(cli, root)
    acknowledged = line_ids(root)
    proc = subprocess.run([sys.executable, "-c", KILL_AFTER_JOURNAL, str(root), str(k),
                           "--ledgers", str(root), "import", "entries", str(sheet)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9, proc.stderr
    assert proc.stdout == ""  # nothing was acknowledged
    assert (root / PENDING_FILE).exists()
    grown = [n for n in ("noord", "zuid") if (root / "teams" / f"{n}.csv").read_bytes().count(b"\n") > 2]
    assert len(grown) >= 1  # the first journal holds its part of the batch: the kill was in between
    # Every report: none of the batch.
    assert reports(cli, root) == before
    assert check_ledger(Ledger(root)) == []
    # The next write cuts off the dead writer's part, quietly; ids go on from the acknowledged.
    spend = cli("--ledgers", str(root), "spend", "zuid", "1", "-c", "Overig", "-d", "5-5-2025")
    assert spend.code == 0 and spend.out.strip() == "zuid-2025-0002"
    assert spend.err.startswith("maatwerk: recorded zuid-2025-0002: spend") and "warning" not in spend.err
    assert not (root / PENDING_FILE).exists()
    ids = line_ids(root)
    assert sorted(ids) == sorted([*acknowledged, "zuid-2025-0002"])  # every one, none twice
    # The same import run through: every report shows all of it.
    done = cli("--ledgers", str(root), "import", "entries", str(sheet))
    assert done.code == 0 and "imported 6 entries" in done.out
    after = reports(cli, root)
    changed = [name for name in before if after[name] != before[name]]
    assert changed == list(before), [n for n in before if n not in changed]
    ids = line_ids(root)
    assert len(ids) == len(acknowledged) + 7 == len(set(ids))
    assert len(json.loads(after["entries -f"])) == len(json.loads(before["entries -f"])) + 7
