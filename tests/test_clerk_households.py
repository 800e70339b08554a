"""Household codes from other systems (issue 12, item 7): ``household_pattern`` in maatwerk.toml."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot

Cli = Callable[..., Result]


def set_pattern(folder: Path, pattern: str) -> None:
    toml = folder / "maatwerk.toml"
    toml.write_text(f"household_pattern = '{pattern}'\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")


def spend(lcli: Cli, code: str, *more: str) -> Result:
    return lcli("spend", "noord", "5", "-c", "Wonen", "-d", "1-3-2025", "--household", code, *more)


def test_by_default_0_and_1_typed_by_hand_are_fine(lcli: Cli) -> None:
    assert spend(lcli, "h-10k0p1").code == 0
    rows = json.loads(lcli("entries", "--household", "H-10K0P1", "-f", "json").out)
    assert [r["household"] for r in rows] == ["H-10K0P1"]


def test_a_municipalitys_own_client_numbers(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    set_pattern(ledger_dir, "C-[0-9]{6}")
    assert spend(lcli, "C-100234").code == 0
    # Stored upper case, matched ignoring case (the same € 5 again: given a reason).
    assert spend(lcli, "c-100234", "--reason", "tweede kaartje").code == 0
    assert lcli("refuse", "noord", "--reason", "x", "--household", "C-100235", "-d", "1-3-2025").code == 0
    sheet = tmp_path / "in.csv"
    sheet.write_text("datum;bedrag;categorie;huishouden\n2-3-2025;7;Wonen;C-100236\n", encoding="utf-8")
    assert lcli("import", "entries", str(sheet), "--team", "noord").code == 0
    rows = json.loads(lcli("entries", "--household", "c-100234", "-f", "json").out)
    assert len(rows) == 2 and {r["household"] for r in rows} == {"C-100234"}
    before = snapshot(ledger_dir)
    res = spend(lcli, "H-7KXM4P")
    assert_refused(res, "household code 'H-7KXM4P' is not valid", "household_pattern = 'C-[0-9]{6}'")
    assert snapshot(ledger_dir) == before
    assert lcli("check").code == 0


def test_personal_data_is_refused_whatever_the_pattern(lcli: Cli, ledger_dir: Path) -> None:
    set_pattern(ledger_dir, "[0-9]{9}")
    assert spend(lcli, "123456789").code == 0  # fails the 11-proef: a client number
    before = snapshot(ledger_dir)
    assert_refused(spend(lcli, "123456782"), "household code looks like a BSN (****.**.782)")
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize(("line", "needle"), [
    ("household_pattern = '[A-Z'", "is not a regular expression"),
    ("household_pattern = 5", "in quotes"),
    ("household_pattern = ''", "in quotes"),
])
def test_a_bad_pattern_is_named(lcli: Cli, ledger_dir: Path, line: str, needle: str) -> None:
    toml = ledger_dir / "maatwerk.toml"
    toml.write_text(line + "\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    before = snapshot(ledger_dir)
    assert_refused(spend(lcli, "H-7KXM4P"), needle, "maatwerk.toml")
    assert snapshot(ledger_dir) == before
    # A spend without a household code does not need the pattern; check reports it.
    checked = lcli("check", "-f", "json")
    assert checked.code == 1 and needle in checked.out
