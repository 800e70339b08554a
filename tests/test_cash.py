"""The cash box: withdrawals, cash spends refused when the box is short, settling, checks."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import InputError, Ledger, check_ledger
from maatwerk_cli.ops import cash as cash_module
from maatwerk_cli.ops.cash import CashStatus, cash_frame, cash_status, tally, write_off_limit

Cli = Callable[..., Result]


def status(lcli: Cli, team: str = "noord") -> dict[str, object]:
    result = lcli("cash", "status", team, "--format", "json")
    assert result.code == 0, result.err
    rows: list[dict[str, object]] = json.loads(result.out)
    assert len(rows) == 1
    return rows[0]


def journal(ledger_dir: Path, team: str = "noord") -> list[str]:
    return (ledger_dir / "teams" / f"{team}.csv").read_text(encoding="utf-8").splitlines()


# --------------------------------------------------------------------------- the new user's story


def test_withdraw_spend_and_write_off_the_remainder(lcli: Cli, ledger_dir: Path) -> None:
    """€ 50 out of the machine, € 43,60 spent in cash: € 6,40 on hand, written off, recorded."""
    out = lcli("cash", "withdraw", "noord", "50", "--date", "3-3-2025")
    assert out.code == 0, out.err
    assert out.out == "noord-2025-0001\n"  # the bare id; the echo is on stderr
    assert "€ 50,00" in out.err and "cash on hand € 50,00" in out.err
    assert "warning" not in out.err  # a multiple of € 10: no warning
    assert lcli("spend", "noord", "20", "-c", "Levensmiddelen", "-m", "contant", "-d", "3-3-2025").code == 0
    assert lcli("spend", "noord", "23,60", "-c", "Vervoer", "-m", "cash", "-d", "4-3-2025").code == 0

    assert status(lcli) == {"team": "noord", "cash_on_hand": 6.40, "withdrawn": 50.00,
                            "spent_cash": 43.60, "written_off": 0.00, "deposited": 0.00}
    raw = lcli("cash", "status", "noord", "--format", "json").out
    assert '"cash_on_hand": 6.40' in raw  # exact cents, as written
    table = lcli("cash", "status", "noord")
    assert "6,40" in table.out

    done = lcli("cash", "settle", "noord", "--write-off", "--date", "5-3-2025", "--reason", "restgeld")
    assert done.code == 0, done.err
    assert "€ 6,40 written off" in done.out
    settle_line = journal(ledger_dir)[-1].split(",")
    assert settle_line[1:5] == ["settle", "2025-03-05", "", "6.40"]
    assert settle_line[6] == "write-off" and "restgeld" in settle_line
    assert status(lcli) == {"team": "noord", "cash_on_hand": 0.00, "withdrawn": 50.00,
                            "spent_cash": 43.60, "written_off": 6.40, "deposited": 0.00}
    assert lcli("check").code == 0


def test_deposit_the_remainder(lcli: Cli, ledger_dir: Path) -> None:
    lcli("cash", "withdraw", "noord", "50", "-d", "3-3-2025")
    lcli("spend", "noord", "43,60", "-c", "Levensmiddelen", "-m", "contant", "-d", "4-3-2025")
    done = lcli("cash", "settle", "noord", "--deposit", "-d", "10-3-2025")
    assert done.code == 0, done.err
    assert "€ 6,40 deposited" in done.out
    assert status(lcli)["deposited"] == 6.40 and status(lcli)["cash_on_hand"] == 0.0
    assert journal(ledger_dir)[-1].split(",")[1:7] == ["settle", "2025-03-10", "", "6.40", "", "deposit"]


def test_a_large_remainder_is_deposited_not_written_off(lcli: Cli, ledger_dir: Path) -> None:
    lcli("cash", "withdraw", "noord", "100", "-d", "3-3-2025")
    lcli("spend", "noord", "60", "-c", "Levensmiddelen", "-m", "contant", "-d", "4-3-2025")
    before = snapshot(ledger_dir)
    refused = lcli("cash", "settle", "noord", "--write-off")
    assert_refused(refused, "€ 40,00", "€ 10,00", "--deposit")
    assert snapshot(ledger_dir) == before
    assert lcli("cash", "settle", "noord", "--deposit").code == 0


def test_write_off_limit_from_settings_and_team_file(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    assert write_off_limit(lg.settings, lg.team("noord")) == Decimal("10")  # from maatwerk.toml
    settings = ledger_dir / "maatwerk.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("write_off_limit = 10",
                                                                     "write_off_limit = 2.5"),
                        encoding="utf-8")
    team_file = ledger_dir / "teams" / "zuid.toml"
    team_file.write_text(team_file.read_text(encoding="utf-8") + '\n[cash]\nwrite_off_limit = "25,00"\n',
                         encoding="utf-8")
    lg = Ledger(ledger_dir)
    assert write_off_limit(lg.settings, lg.team("noord")) == Decimal("2.50")
    assert write_off_limit(lg.settings, lg.team("zuid")) == Decimal("25.00")


def test_per_team_write_off_limit_is_used_by_settle(lcli: Cli, ledger_dir: Path) -> None:
    team_file = ledger_dir / "teams" / "zuid.toml"
    team_file.write_text(team_file.read_text(encoding="utf-8") + "\n[cash]\nwrite_off_limit = 25\n",
                         encoding="utf-8")
    lcli("cash", "withdraw", "zuid", "50", "-d", "3-3-2025")
    lcli("spend", "zuid", "30", "-c", "Levensmiddelen", "-m", "contant", "-d", "3-3-2025")
    assert lcli("cash", "settle", "zuid", "--write-off").code == 0
    lcli("cash", "withdraw", "noord", "50", "-d", "3-3-2025")
    lcli("spend", "noord", "30", "-c", "Levensmiddelen", "-m", "contant", "-d", "3-3-2025")
    assert_refused(lcli("cash", "settle", "noord", "--write-off"), "€ 20,00")


# --------------------------------------------------------------------------- cash spends


def test_cash_spend_without_enough_cash_is_refused_and_nothing_written(lcli: Cli, ledger_dir: Path) -> None:
    before = snapshot(ledger_dir)
    refused = lcli("spend", "noord", "10", "-c", "Levensmiddelen", "-m", "contant")
    assert_refused(refused, "€ 0,00", "€ 10,00", "maatwerk cash withdraw noord")
    assert snapshot(ledger_dir) == before

    lcli("cash", "withdraw", "noord", "50", "-d", "3-3-2025")
    lcli("spend", "noord", "43,60", "-c", "Levensmiddelen", "-m", "kas", "-d", "3-3-2025")
    before = snapshot(ledger_dir)
    refused = lcli("spend", "noord", "7", "-c", "Vervoer", "-m", "contant", "-d", "4-3-2025")
    assert_refused(refused, "€ 6,40", "€ 7,00")
    assert snapshot(ledger_dir) == before
    # Exactly what is left is fine; the spend's date does not matter, the box now does.
    assert lcli("spend", "noord", "6,40", "-c", "Vervoer", "-m", "contant", "-d", "1-1-2025").code == 0
    assert status(lcli)["cash_on_hand"] == 0.0


def test_card_and_invoice_spends_do_not_need_cash(lcli: Cli) -> None:
    assert lcli("spend", "noord", "500", "-c", "Wonen", "-m", "factuur", "-d", "3-3-2025").code == 0
    assert lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "3-3-2025").code == 0
    assert status(lcli)["cash_on_hand"] == 0.0


def test_card_spend_never_reads_the_journal_for_cash(
    ledger_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clerk's card payment costs the same on any ledger: no journal is read at all."""
    from maatwerk_cli.store import books

    def forbidden(*args: object, **kwargs: object) -> object:
        raise AssertionError("a card spend read a journal")

    monkeypatch.setattr(books, "read_many", forbidden)
    monkeypatch.setattr("maatwerk_cli.store.folder.read_many", forbidden)
    lg = Ledger(ledger_dir)
    when = dt.date(2025, 3, 3)
    assert lg.spend("noord", Decimal("35"), category="Levensmiddelen", method="pin", date=when)
    # The plausibility rules take the team's figures from the note the first spend left.
    assert lg.spend("noord", Decimal("350"), category="Wonen", method="factuur", date=when)
    with pytest.raises(AssertionError):
        lg.spend("noord", Decimal("5"), category="Levensmiddelen", method="contant")


def test_voided_cash_spend_returns_to_the_box(lcli: Cli) -> None:
    lcli("cash", "withdraw", "noord", "50", "-d", "3-3-2025")
    spent = lcli("spend", "noord", "30", "-c", "Levensmiddelen", "-m", "contant", "-d", "3-3-2025")
    assert status(lcli)["cash_on_hand"] == 20.0
    assert lcli("void", spent.out.strip(), "--reason", "twee keer ingevoerd").code == 0
    assert status(lcli) == {"team": "noord", "cash_on_hand": 50.0, "withdrawn": 50.0, "spent_cash": 0.0,
                            "written_off": 0.0, "deposited": 0.0}
    assert lcli("spend", "noord", "50", "-c", "Levensmiddelen", "-m", "contant", "-d", "4-3-2025").code == 0


def test_voiding_a_card_spend_does_not_touch_the_box(lcli: Cli) -> None:
    lcli("cash", "withdraw", "noord", "20", "-d", "3-3-2025")
    card = lcli("spend", "noord", "30", "-c", "Levensmiddelen", "-d", "3-3-2025").out.strip()
    lcli("void", card, "--reason", "fout")
    assert status(lcli)["cash_on_hand"] == 20.0


@pytest.mark.slow
def test_concurrent_cash_spends_never_overdraw_the_box(ledger_dir: Path) -> None:
    """Four clerks spend € 20 at once from a box of € 50: the lock lets exactly two through."""
    Ledger(ledger_dir).folder.append("noord", [{"type": "withdraw", "date": "2025-03-03",
                                                "amount": "50.00", "method": "pin"}])
    args = [sys.executable, "-m", "maatwerk_cli", "--ledgers", str(ledger_dir), "spend", "noord", "20",
            "-c", "Levensmiddelen", "-m", "contant", "-d", "4-3-2025",
            "--reason", "four payments, not one entered twice"]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    codes = sorted(p.wait(timeout=60) for p in procs)
    for p in procs:
        assert p.stdout is not None and p.stderr is not None
        p.stdout.close()
        p.stderr.close()
    assert codes == [0, 0, 2, 2]
    lg = Ledger(ledger_dir)
    assert cash_status(lg, ["noord"])[0].cash_on_hand == Decimal("10.00")
    assert check_ledger(lg) == []


# --------------------------------------------------------------------------- withdraw and settle input


def test_withdrawal_that_is_not_a_multiple_of_ten_warns_but_is_recorded(lcli: Cli, ledger_dir: Path) -> None:
    out = lcli("cash", "withdraw", "noord", "45", "-d", "3-3-2025")
    assert out.code == 0
    assert "warning" in out.err and "€ 45,00" in out.err and "multiple of € 10,00" in out.err
    assert len([line for line in out.err.splitlines() if "warning" in line]) == 1
    assert status(lcli)["withdrawn"] == 45.0


@pytest.mark.parametrize(
    "args, needle",
    [
        (("cash", "withdraw", "noord", "0"), "zero"),
        (("cash", "withdraw", "noord", "-50"), ""),
        (("cash", "withdraw", "noord", "vijftig"), ""),
        (("cash", "withdraw", "noord", "50", "--date", "31-2-2025"), "does not exist"),
        (("cash", "withdraw", "noord", "50", "--date", "1-1-2099"), "future"),
        (("cash", "withdraw", "nord", "50"), "noord"),
        (("cash", "withdraw", "noord", "50", "--note", "bel 0612345678"), "phone"),
        (("cash", "settle", "noord"), "--deposit"),
        (("cash", "settle", "noord", "--deposit", "--write-off"), "--deposit"),
        (("cash", "settle", "noord", "--deposit"), "nothing to settle"),
        (("cash", "settle", "nord", "--deposit"), "unknown team"),
        (("cash", "status", "nord"), "unknown team"),
        (("cash", "status", "--as-of", "gisteren-ish"), "not a date"),
        (("cash", "status", "--format", "yaml"), "format"),
    ],
)
def test_bad_cash_input_is_refused(lcli: Cli, ledger_dir: Path, args: tuple[str, ...], needle: str) -> None:
    before = snapshot(ledger_dir)
    assert_refused(lcli(*args), needle)
    assert snapshot(ledger_dir) == before


def test_settle_date_before_the_last_cash_movement_is_refused(lcli: Cli, ledger_dir: Path) -> None:
    lcli("cash", "withdraw", "noord", "50", "-d", "3-3-2025")
    lcli("spend", "noord", "45", "-c", "Levensmiddelen", "-m", "contant", "-d", "10-3-2025")
    before = snapshot(ledger_dir)
    assert_refused(lcli("cash", "settle", "noord", "--write-off", "-d", "5-3-2025"), "2025-03-10")
    assert snapshot(ledger_dir) == before
    assert lcli("cash", "settle", "noord", "--write-off", "-d", "10-3-2025").code == 0


def test_negative_box_cannot_be_settled(ledger_dir: Path, lcli: Cli) -> None:
    # Written past the check (as an older tool or a bulk import could): settle says what to do.
    Ledger(ledger_dir).folder.append("noord", [{"type": "spend", "date": "2025-03-03", "amount": "5.00",
                                                "category": "Overig", "method": "contant", "kind": "gift"}])
    assert_refused(lcli("cash", "settle", "noord", "--deposit"), "€ -5,00", "cash withdraw")


# --------------------------------------------------------------------------- status and figures


def test_status_of_all_teams_and_as_of(lcli: Cli) -> None:
    lcli("cash", "withdraw", "noord", "50", "-d", "3-3-2025")
    lcli("spend", "noord", "20", "-c", "Levensmiddelen", "-m", "contant", "-d", "10-3-2025")
    lcli("cash", "withdraw", "zuid", "30", "-d", "1-4-2025")
    rows = json.loads(lcli("cash", "status", "--format", "json").out)
    assert [(r["team"], r["cash_on_hand"]) for r in rows] == [("noord", 30.0), ("zuid", 30.0)]
    assert list(rows[0]) == ["team", "cash_on_hand", "withdrawn", "spent_cash", "written_off", "deposited"]
    early = json.loads(lcli("cash", "status", "--as-of", "5-3-2025", "--format", "json").out)
    assert [(r["team"], r["cash_on_hand"]) for r in early] == [("noord", 50.0), ("zuid", 0.0)]
    csv_nl = lcli("cash", "status", "--format", "csv-nl").out
    assert "noord;30,00;50,00;20,00;0,00;0,00" in csv_nl


def test_library_figures_and_frame(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    folder = lg.folder
    folder.append("noord", [{"type": "withdraw", "date": "2025-03-03", "amount": "50.00", "method": "pin"}])
    lg.spend("noord", Decimal("43.60"), category="Levensmiddelen", method="contant",
             date=dt.date(2025, 3, 4))
    got = cash_status(lg, ["noord"])
    assert got == [CashStatus("noord", Decimal("6.40"), Decimal("50.00"), Decimal("43.60"),
                              Decimal("0"), Decimal("0"))]
    frame = cash_frame(lg)
    assert list(frame["team"]) == ["noord", "zuid"]
    assert list(frame["cash_on_hand_cents"]) == [640, 0]
    assert str(frame["cash_on_hand_cents"].dtype) == "int64"
    assert tally(lg.folder.book("noord").book).cash_on_hand == Decimal("6.40")


# --------------------------------------------------------------------------- check


def test_check_reports_a_box_below_zero(ledger_dir: Path, cli: Cli) -> None:
    folder = Ledger(ledger_dir).folder
    folder.append("noord", [
        {"type": "withdraw", "date": "2025-03-03", "amount": "20.00", "method": "pin"},
        {"type": "spend", "date": "2025-03-04", "amount": "15.00", "category": "Overig",
         "method": "contant", "kind": "gift"},
        {"type": "spend", "date": "2025-03-05", "amount": "15.00", "category": "Overig",
         "method": "contant", "kind": "gift"},
        {"type": "settle", "date": "2025-03-06", "amount": "1.00", "method": "weggegooid"},
        {"type": "withdraw", "date": "2025-03-07", "amount": "0.00", "method": "pin"},
    ])
    problems = [p.message for p in check_ledger(Ledger(ledger_dir))]
    assert any("noord-2025-0003" in m and "below zero" in m and "€ -10,00" in m for m in problems)
    assert any("settle method 'weggegooid'" in m for m in problems)
    assert any("noord-2025-0005" in m and "withdrawal needs an amount" in m for m in problems)
    result = cli("--ledgers", str(ledger_dir), "check")
    assert result.code == 1 and "below zero" in result.out


def test_check_is_clean_for_normal_cash_use(lcli: Cli) -> None:
    lcli("cash", "withdraw", "noord", "50", "-d", "3-3-2025")
    spent = lcli("spend", "noord", "50", "-c", "Levensmiddelen", "-m", "contant", "-d", "3-3-2025")
    lcli("void", spent.out.strip(), "--reason", "fout bedrag")
    lcli("spend", "noord", "45", "-c", "Levensmiddelen", "-m", "contant", "-d", "3-3-2025")
    lcli("cash", "settle", "noord", "--write-off", "-d", "4-3-2025")
    result = lcli("check")
    assert result.code == 0, result.out


def test_a_batch_checks_cash_spends_against_each_other(ledger_dir: Path) -> None:
    """Rows validated first and written together later (a bulk import) share one box."""
    lg = Ledger(ledger_dir)
    lg.folder.append("noord", [{"type": "withdraw", "date": "2025-03-03", "amount": "50.00",
                                "method": "pin"}])
    when = dt.date(2025, 3, 4)
    one = lg.spend_cells("noord", Decimal("30"), category="Overig", method="contant", date=when)
    two = lg.spend_cells("noord", Decimal("30"), category="Overig", method="contant", date=when)
    assert one["amount"] == two["amount"] == "30.00"  # each alone fits
    batch = cash_module.CashBatch()
    lg.spend_cells("noord", Decimal("30"), category="Overig", method="contant", cash=batch, date=when)
    lg.spend_cells("zuid", Decimal("1"), category="Overig", method="pin", cash=batch, date=when)
    with pytest.raises(InputError, match="€ 20,00 on hand"):
        lg.spend_cells("noord", Decimal("30"), category="Overig", method="contant", cash=batch, date=when)
    lg.spend_cells("noord", Decimal("20"), category="Overig", method="contant", cash=batch, date=when)
    lg.spend_cells("noord", Decimal("50"), category="Overig", method="contant", date=when)  # the batch is over


def test_utilisation_counts_cash_as_documented(lcli: Cli) -> None:
    """Spent = cash spends + write-offs (not the withdrawal); utilisation shows the cash on hand."""
    lcli("cash", "withdraw", "noord", "50", "-d", "3-3-2025")
    lcli("spend", "noord", "43,60", "-c", "Levensmiddelen", "-m", "contant", "-d", "4-3-2025")
    result = lcli("utilisation", "--year", "2025", "--as-of", "31-12-2025", "--format", "json")
    if result.code == 2 and "utilisation" in result.err.lower() and "no such command" in result.err.lower():
        pytest.skip("the utilisation report is not registered in this build")
    assert result.code == 0, result.err
    row = next(r for r in json.loads(result.out) if r["team"] == "noord")
    assert row["spent"] == 43.60 and row["cash_on_hand"] == 6.40
    lcli("cash", "settle", "noord", "--write-off", "-d", "6-3-2025")
    after = lcli("utilisation", "--year", "2025", "--as-of", "31-12-2025", "--format", "json")
    row = next(r for r in json.loads(after.out) if r["team"] == "noord")
    assert row["spent"] == 50.00 and row["cash_on_hand"] == 0.0
