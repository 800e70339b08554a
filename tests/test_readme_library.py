"""The README's library example runs as written, in a copy of the repository's demo ledger."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def library_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## For scripts: the library", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found, "the README's library section has no python block"
    return found[1]


def test_the_readme_library_example_runs_as_written(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    before = (tmp_path / "ledgers" / "teams" / "noord.csv").read_bytes()
    # What the example made, printed after it, so the test sees it did its work.
    probe = library_block() + (
        "\nprint('ID', entry_id)"
        "\nprint('ROWS', len(frame), len(cents), len(teams), len(check.records))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                            "MAATWERK_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr
    new_id = re.search(r"^ID (noord-\d{4}-\d{4})$", done.stdout, re.M)
    assert new_id, done.stdout
    after = (tmp_path / "ledgers" / "teams" / "noord.csv").read_bytes()
    assert after.startswith(before) and new_id[1].encode() in after[len(before):]
    rows = re.search(r"^ROWS (\d+) (\d+) (\d+) (\d+)$", done.stdout, re.M)
    assert rows and all(int(n) > 0 for n in rows.groups()), done.stdout


def test_reports_over_one_spec_give_the_library_s_figures(tmp_path: Path) -> None:
    """What the README says of report_spec and snapshot: the same records as each report
    read on its own."""
    from maatwerk_cli import Ledger
    from maatwerk_cli.analysis import reports

    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    ledger = Ledger(tmp_path / "ledgers")
    spec = reports.report_spec(ledger, year=2026, month="2026-10")
    data = reports.snapshot(ledger, spec)
    pairs = [(reports.utilisation_of, reports.utilisation_report), (reports.compare_of, reports.compare_report),
             (reports.categories_of, reports.categories_report), (reports.outcomes_of, reports.outcomes_report),
             (reports.refusals_of, reports.refusals_report)]
    for of, alone in pairs:
        assert of(spec, data).records == alone(ledger, year=2026, month="2026-10").records
    assert reports.leadtime_of(spec, data).records == reports.leadtime_report(ledger, year=2026,
                                                                              month="2026-10").records
