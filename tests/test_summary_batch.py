"""summary reads the journals of many folders in one pass: each folder's figures stay its
own (its teams share slugs with the others'), a damaged line is named in its own folder, and
one batch or a batch per folder give the same answer."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from maatwerk_cli import Ledger
from maatwerk_cli.analysis import reports

D = dt.date


def _folders(tmp_path: Path) -> list[Path]:
    """Three municipalities, each with teams ``noord`` and ``zuid``, different spends."""
    roots = []
    for k, town in enumerate(("Astad", "Bstad", "Cstad")):
        root = tmp_path / town.lower()
        lg = Ledger.init(root, municipality=town, year=2025)
        lg.add_team("noord", name="Noord", budget=Decimal("10000"), year=2025)
        lg.add_team("zuid", name="Zuid", budget=Decimal("5000"), year=2025)
        for n in range(k + 2):
            lg.spend("noord", Decimal(f"{100 + 10 * k + n}.25"), category="Wonen", date=D(2025, 3, 1 + n),
                     note=f"borg, deel {n}")
        lg.spend("zuid", Decimal(f"{7 * (k + 1)}.50"), category="Levensmiddelen", date=D(2025, 4, 2),
                 method="factuur" if k == 1 else "pin")
        roots.append(root)
    return roots


def _json(result) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    assert result.code == 0, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_each_folder_keeps_its_own_figures(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    roots = _folders(tmp_path)
    rows = _json(cli("summary", *map(str, roots), "--year", "2025", "--by", "team", "--format", "json"))
    assert [(r["municipality"], r["team"]) for r in rows] == [
        (t, s) for t in ("Astad", "Bstad", "Cstad") for s in ("noord", "zuid")]
    for root, town in zip(roots, ("Astad", "Bstad", "Cstad"), strict=True):
        own = _json(cli("--ledgers", str(root), "compare", "--year", "2025", "--format", "json"))
        mine = [r for r in rows if r["municipality"] == town]
        for want, got in zip(own, mine, strict=True):
            assert {k: got[k] for k in want} == want
    assert [r["spent"] for r in rows] == [201.5, 7.5, 333.75, 14.5, 487.0, 21.5]


def test_a_damaged_line_is_named_in_its_own_folder(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    roots = _folders(tmp_path)
    journal = roots[1] / "teams" / "noord.csv"
    data = journal.read_bytes()
    journal.write_bytes(data.replace(b"110.25", b"910.25"))  # the checksum no longer fits
    result = cli("summary", *map(str, roots), "--year", "2025", "--format", "json")
    rows = _json(result)
    assert [r["spent"] for r in rows] == [209.0, 238.0, 508.5]  # Bstad without its damaged line
    assert "bstad/teams/noord.csv:2: damaged line set aside" in result.err.replace("\\", "/")
    assert "astad" not in result.err and "cstad" not in result.err


def test_one_batch_or_one_per_folder_read_the_same(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    roots = _folders(tmp_path)
    args = ("summary", *map(str, roots), "--year", "2025", "--by", "team", "--format", "json")
    together = cli(*args)
    monkeypatch.setattr(reports, "SUMMARY_BATCH_BYTES", 1)  # every folder its own read
    apart = cli(*args)
    assert together.code == apart.code == 0
    assert together.out == apart.out


def test_a_note_said_of_many_folders_is_said_once(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Budgets for 2025 only: with no --year each folder's own default is 2025, and saying
    # so of every folder, one by one, made a warning as long as the list of folders.
    roots = _folders(tmp_path)
    for town in ("Dstad", "Estad"):
        lg = Ledger.init(tmp_path / town.lower(), municipality=town, year=2025)
        lg.add_team("noord", name="Noord", budget=Decimal("100"), year=2025)
        roots.append(tmp_path / town.lower())
    result = cli("summary", *map(str, roots), "--format", "json")
    rows = _json(result)
    if {r["year"] for r in rows} != {2025}:
        pytest.skip("the clock is in 2025: every folder's own year has a budget, nothing to say")
    warnings = [line for line in result.err.splitlines() if line.strip()]
    assert len(warnings) == 1, result.err
    assert "5 folders (Astad, Bstad, Cstad, ...)" in warnings[0]
    assert "Dstad" not in warnings[0] and "Estad" not in warnings[0]
    one = cli("summary", str(roots[0]), "--format", "json")
    assert "Astad: " in one.err and "folders" not in one.err
    given = cli("summary", *map(str, roots[:2]), "--year", "2026", "--format", "json")
    assert "2 folders (Astad, Bstad) have no budget for 2026" in given.err
