"""Safe text in export headers and titles (issue 16.8): a name from the ledger never becomes
a live formula in a CSV header or a workbook cell, and never breaks a Markdown table."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from maatwerk_cli import Ledger

Cli = Callable[..., Result]
FORMULA = '=HYPERLINK("http://x.example","klik")'


@pytest.fixture
def named(tmp_path: Path) -> Path:
    root = tmp_path / "ledgers"
    Ledger.init(root, municipality=FORMULA, year=2025)
    return root


@pytest.mark.parametrize("fmt", ["csv", "csv-nl"])
def test_a_municipality_name_is_never_a_formula_in_a_csv_header(cli: Cli, named: Path, fmt: str) -> None:
    result = cli("summary", str(named), "--year", "2025", "--transpose", "-f", fmt)
    assert result.code == 0, result.err
    header = next(csv.reader(io.StringIO(result.out), delimiter=";" if fmt == "csv-nl" else ","))
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in header), header


def test_a_municipality_name_is_never_a_formula_cell_in_a_workbook(cli: Cli, named: Path,
                                                                    tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "s.xlsx"
    assert cli("summary", str(named), "--year", "2025", "--transpose", "-o", str(out)).code == 0
    ws = load_workbook(out).active
    assert ws is not None
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_a_bar_in_a_name_keeps_a_markdown_table_whole(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "ledgers"
    Ledger.init(root, municipality="Stad | Dorp", year=2025)
    result = cli("summary", str(root), "--year", "2025", "--transpose", "-f", "markdown")
    rows = [line for line in result.out.splitlines() if line.startswith("|")]
    assert len({line.replace("\\|", "").count("|") for line in rows}) == 1, rows
