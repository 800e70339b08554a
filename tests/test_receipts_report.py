"""The receipts report (issue 27 item 3: "the reports count spends without a receipt, per
team, and above a settable amount"): counted from the fold, so a receipt given later with
amend counts and one whose correction was voided does not; without a set amount the
columns about one are not shown as if the ledger knew them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from test_receipts import png

from conftest import Result, assert_refused, snapshot

Cli = Callable[..., Result]


def spend(lcli: Cli, amount: str, day: str, *more: str) -> str:
    done = lcli("spend", "noord", amount, "-c", "Wonen", "-d", day, *more)
    assert done.code == 0, done.err
    return done.out.strip()


def test_the_report_counts_what_the_fold_says(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    bon, other = tmp_path / "bon.png", tmp_path / "bon2.png"
    bon.write_bytes(png(1))
    other.write_bytes(png(2))
    spend(lcli, "40", "3-3-2025", "--receipt", str(bon))           # with a receipt
    later = spend(lcli, "600", "4-3-2025")                         # receipt given later
    taken = spend(lcli, "700", "5-3-2025")                         # given, then taken back
    spend(lcli, "800", "6-3-2025")                                 # none, above the limit
    voided = spend(lcli, "900", "7-3-2025")                        # voided: not counted
    assert lcli("amend", later, "--receipt", str(other), "--reason", "bon nagestuurd").code == 0
    fix = lcli("amend", taken, "--receipt", str(other), "--reason", "verkeerde bon")
    assert fix.code == 0, fix.err
    correction = fix.out.strip().split()[0]
    assert lcli("void", correction, "--reason", "toch niet deze bon").code == 0
    assert lcli("void", voided, "--reason", "twee keer").code == 0
    lcli("spend", "zuid", "15", "-c", "Wonen", "-d", "3-3-2025")

    rows = {r["team"]: r for r in json.loads(lcli("receipts", "--year", "2025", "--above", "500",
                                                  "-f", "json").out)}
    assert rows["noord"] == {"team": "noord", "spends": 4, "with_receipt": 2, "without_receipt": 2,
                             "amount_without_receipt": 1500.0, "above": 500.0, "without_receipt_above": 2,
                             "amount_without_receipt_above": 1500.0}
    assert rows["zuid"]["without_receipt"] == 1 and rows["zuid"]["without_receipt_above"] == 0
    # The counted spends are compare's: the same number, to the entry.
    compared = {r["team"]: r for r in json.loads(lcli("compare", "--year", "2025", "-f", "json").out)}
    assert compared["noord"]["spent"] == 40 + 600 + 700 + 800


def test_without_a_limit_no_figure_about_one_is_shown(lcli: Cli, ledger_dir: Path) -> None:
    spend(lcli, "800", "6-3-2025")
    rows = json.loads(lcli("receipts", "--year", "2025", "-f", "json").out)
    noord = next(r for r in rows if r["team"] == "noord")
    assert noord["above"] is None and noord["without_receipt_above"] is None
    table = lcli("receipts", "--year", "2025").out
    assert "above the limit" not in table and "receipt_required_above" in table
    # The setting gives the limit when --above does not.
    settings = ledger_dir / "maatwerk.toml"
    settings.write_text("receipt_required_above = 500\n" + settings.read_text(encoding="utf-8"), encoding="utf-8")
    noord = next(r for r in json.loads(lcli("receipts", "--year", "2025", "-f", "json").out) if r["team"] == "noord")
    assert noord["above"] == 500.0 and noord["without_receipt_above"] == 1


def test_a_wrong_amount_is_one_line_and_writes_nothing(lcli: Cli, ledger_dir: Path) -> None:
    before = snapshot(ledger_dir)
    assert_refused(lcli("receipts", "--above", "12,3,4"), "12,3,4")
    assert snapshot(ledger_dir) == before


def test_in_dutch(lcli: Cli) -> None:
    spend(lcli, "800", "6-3-2025")
    out = lcli("--lang", "nl", "receipts", "--year", "2025", "--above", "500").out
    assert "Bonnen 2025" in out and "zonder bon boven de grens" in out and "€ 500,00" in out
