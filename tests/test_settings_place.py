"""A setting of the whole ledger written below a table of maatwerk.toml (appended at the end
of the file, after ``[cash]``) belongs to that table in TOML and would do nothing: every
command refuses it with one line that says where to move it, and check reports it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger
from maatwerk_cli.core.privacy import PATTERN_KEY
from maatwerk_cli.core.records import TOP_SETTINGS
from maatwerk_cli.ops.anonymise import RETENTION_KEY
from maatwerk_cli.ops.receipts import MAX_KEY, REQUIRED_KEY

VALUES = {"municipality": '"Teststad"', "locale": '"nl_NL"', "language": '"nl"', "first_year": "2025",
          "categories": '["Wonen"]',
          "household_pattern": "'C-[0-9]{6}'", "receipt_max_mb": "5", "receipt_required_above": "50",
          "retention_years": "7"}


def test_every_ledger_setting_is_known() -> None:
    assert {PATTERN_KEY, RETENTION_KEY, MAX_KEY, REQUIRED_KEY} <= set(TOP_SETTINGS)
    assert set(VALUES) == set(TOP_SETTINGS)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    lg = Ledger.init(tmp_path / "ledgers", municipality="Teststad", year=2025)
    lg.add_team("noord", name="Noord", budget=Decimal("1000"), year=2025)
    return tmp_path / "ledgers"


@pytest.mark.parametrize("key", TOP_SETTINGS)
def test_a_ledger_setting_below_a_table_is_refused(cli, root: Path, key: str) -> None:  # type: ignore[no-untyped-def]
    settings = root / "maatwerk.toml"
    text = settings.read_text(encoding="utf-8")
    last = [line for line in text.splitlines() if line.startswith("[")][-1]
    with settings.open("a", encoding="utf-8") as fh:
        fh.write(f"\n{key} = {VALUES[key]}\n")
    before = snapshot(root)
    spent: Result = cli("--ledgers", str(root), "spend", "noord", "5", "-c", "Wonen")
    assert_refused(spent, key, f"table {last}", "move it above")
    checked: Result = cli("--ledgers", str(root), "check")
    assert checked.code == 1 and f"{key} stands in the table {last}" in checked.out + checked.err
    assert snapshot(root) == before


def test_the_same_setting_above_the_tables_counts(cli, root: Path) -> None:  # type: ignore[no-untyped-def]
    settings = root / "maatwerk.toml"
    settings.write_text("receipt_required_above = 50\n" + settings.read_text(encoding="utf-8"), encoding="utf-8")
    assert cli("--ledgers", str(root), "spend", "noord", "60", "-c", "Wonen", "-d", "1-3-2025").code == 0
    got = cli("--ledgers", str(root), "receipts", "--year", "2025", "--format", "json")
    assert got.code == 0, got.err
    row = json.loads(got.out)[0]
    assert row["above"] == 50.0 and row["without_receipt_above"] == 1  # the threshold is read


def test_a_table_of_the_same_name_inside_rules_is_no_mistake(cli, root: Path) -> None:  # type: ignore[no-untyped-def]
    settings = root / "maatwerk.toml"
    with settings.open("a", encoding="utf-8") as fh:
        fh.write('\n[rules.categories]\n"Wonen" = "Kijk eerst naar de bijzondere bijstand."\n')
    assert cli("--ledgers", str(root), "check").code == 0
