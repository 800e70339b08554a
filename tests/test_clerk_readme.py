"""The README's clerk section runs as written (issue 12: echo, show, void of several ids,
an import refused the second time and --new-only)."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from conftest import ROOT, run_process

MAART = "datum;bedrag;categorie;notitie\n3-3-2025;12,50;Vervoer;buskaart\n4-3-2025;60;Wonen;\n5-3-2025;25;Kleding;\n"


def clerk_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## For the clerk: recording", 1)[1].split("```", 2)[1]
    return [line.split("  #", 1)[0].strip() for line in block.strip().splitlines() if line.strip()]


def test_the_clerk_section_runs_as_written(tmp_path: Path) -> None:
    (tmp_path / "maart.csv").write_text(MAART, encoding="utf-8")
    (tmp_path / "maart-2.csv").write_text(MAART + "6-3-2025;40;Overig;\n", encoding="utf-8")
    env = {"MAATWERK_LEDGERS": str(tmp_path / "wijkteams"), "MAATWERK_CACHE_DIR": str(tmp_path / "cache")}
    commands = clerk_block()
    assert any(c.startswith("maatwerk show") for c in commands)
    assert any("--new-only" in c for c in commands)
    done = {}
    for command in commands:
        args = shlex.split(command)
        if args[0] == "export":
            continue
        assert args[0] == "maatwerk", command
        res = run_process(*args[1:], cwd=tmp_path, env=env)
        assert res.returncode == 0, (command, res.stderr)
        done[command] = res
    spend = done['maatwerk spend noord "1.234,56" --category Wonen --method factuur --date 14-3-2025']
    assert spend.stdout == "noord-2025-0001\n"
    assert spend.stderr == ("maatwerk: recorded noord-2025-0001: spend, team noord, € 1.234,56, Wonen, "
                            "factuur, gift, 14-03-2025\n")
    new_only = next(r for c, r in done.items() if "--new-only" in c)
    assert "imported 1 entries (noord-2025-0011 .. noord-2025-0011)" in new_only.stdout
    assert "skipped 3 row(s)" in new_only.stdout
    # The same sheet again is refused, naming when and which ids; the rows voided since
    # were never really imported.
    again = run_process("import", "entries", "maart.csv", "--team", "noord", cwd=tmp_path, env=env)
    assert again.returncode == 2 and "1 of 3 rows were imported before" in again.stderr
    assert "as noord-2025-0008)" in again.stderr
    story = json.loads(run_process("show", "noord-2025-0002", "-f", "json", cwd=tmp_path, env=env).stdout)
    assert [line["type"] for line in story["lines"]] == ["spend", "kind", "repay", "repay"]
    rows = {r["id"]: r for r in json.loads(run_process("entries", "-f", "json", cwd=tmp_path, env=env).stdout)}
    assert rows["noord-2025-0009"]["voided"] and rows["noord-2025-0010"]["voided"]
    assert not rows["noord-2025-0008"]["voided"] and rows["noord-2025-0006"]["voided"]
    assert run_process("check", cwd=tmp_path, env=env).returncode == 0
