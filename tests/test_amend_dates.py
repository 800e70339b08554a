"""A corrected date and what depends on it (issue 24, item 1): money paid back is paid
after the spend, and a bank-linked spend was made by the day the bank booked it. Through
the real command line, on real files; refusals write nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Result, assert_refused, snapshot
from maatwerk_cli.store.journal import encode_line

Cli = Callable[..., Result]
HERE = Path(__file__).resolve().parent
ING_MARCH = HERE / "fixtures" / "bank_import" / "ing_noord_2025-03.csv"
DRUGSTORE_REF = "h:5873ecf5f6a17203"  # booked 14-03-2025, € 18,95


def ok(result: Result) -> str:
    assert result.code == 0, result.err
    return result.out.strip()


def date_of(lcli: Cli, entry_id: str) -> str:
    return next(r["date"] for r in json.loads(ok(lcli("entries", "-f", "json"))) if r["id"] == entry_id)


def test_a_date_after_a_repayment_is_refused(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    loan = ok(lcli("spend", "noord", "100", "-c", "Wonen", "-k", "loan", "-d", "1-3-2025"))
    paid = ok(lcli("repay", loan, "30", "-d", "5-3-2025"))
    before = snapshot(ledger_dir)
    assert_refused(lcli("amend", loan, "--date", "6-3-2025", "--reason", "x"), paid, "05-03-2025")
    sheet = tmp_path / "fix.csv"
    sheet.write_text(f"nummer;datum;reden\n{loan};6-3-2025;x\n", encoding="utf-8")
    res = lcli("import", "entries", str(sheet))
    assert res.code == 2 and paid in res.err
    assert snapshot(ledger_dir) == before
    # The day of the repayment itself, or earlier, is fine.
    ok(lcli("amend", loan, "--date", "5-3-2025", "--reason", "datum van de bon"))
    ok(lcli("amend", loan, "--date", "28-2-2025", "--reason", "toch eerder"))
    assert date_of(lcli, loan) == "2025-02-28"
    assert ok(lcli("check")).startswith("ok")


def test_a_bank_linked_spend_is_not_dated_after_the_booking(lcli: Cli, ledger_dir: Path) -> None:
    ok(lcli("import", "bank", str(ING_MARCH), "--team", "noord"))
    card = ok(lcli("spend", "noord", "18,95", "-c", "Gezondheid", "--bank-line", DRUGSTORE_REF[:10]))
    assert date_of(lcli, card) == "2025-03-14"
    before = snapshot(ledger_dir)
    assert_refused(lcli("amend", card, "--date", "15-3-2025", "--reason", "x"), DRUGSTORE_REF, "14-03-2025")
    assert snapshot(ledger_dir) == before
    ok(lcli("amend", card, "--date", "13-3-2025", "--reason", "betaald op de 13e, geboekt op de 14e"))
    assert date_of(lcli, card) == "2025-03-13"
    assert ok(lcli("check")).startswith("ok")


def test_check_finds_a_repayment_before_the_corrected_date(lcli: Cli, ledger_dir: Path) -> None:
    loan = ok(lcli("spend", "noord", "100", "-c", "Wonen", "-k", "loan", "-d", "1-3-2025"))
    paid = ok(lcli("repay", loan, "30", "-d", "5-3-2025"))
    path = ledger_dir / "teams" / "noord.csv"
    with path.open("a", encoding="utf-8", newline="") as fh:  # as a careless hand would
        fh.write(encode_line({"id": "noord-2025-0003", "type": "amend", "date": "2025-03-20", "ref": loan,
                              "reason": "hand", "extra": json.dumps({"amended": ["date"], "date": "2025-03-10"}),
                              "recorded_at": "2025-03-20T10:00:00Z"}))
    res = lcli("check")
    assert res.code == 1
    assert res.out.splitlines() == [
        f"ledgers/teams/noord.csv:3: {paid}: dated 2025-03-05, before {loan} was spent on 2025-03-10"]
