"""Issue 21: the fold's Book answers an entry's state and each team's cash; checks before a
write fold the proposed lines with the journal (``fold_with``) and ask the result."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from maatwerk_cli import InputError, Ledger
from maatwerk_cli.core.fold import CASH_MOVES, Book, fold_with
from maatwerk_cli.ops.cash import check_cash, settle, tally, withdraw

D = dt.date(2025, 3, 1)


def _book(lg: Ledger, team: str = "noord") -> Book:
    return lg.folder.book(team).book


def _busy(lg: Ledger) -> dict[str, str]:
    ids = {
        "cash": withdraw(lg, "noord", Decimal("100"), date=D),
        "loan": lg.spend("noord", Decimal("80"), category="Wonen", kind="loan", date=D, household="H-7KXM4P"),
        "gift": lg.spend("noord", Decimal("30"), category="Water en energie", method="contant", date=D, note="bon"),
        "card": lg.spend("noord", Decimal("12.50"), category="Overig", date=D),
    }
    ids["repay"] = lg.repay(ids["loan"], Decimal("20"), date=D)
    ids["void"] = lg.void(ids["card"], reason="dubbel")
    return ids


def _state(book: Book) -> tuple[object, ...]:
    """What a book says, without the ids, line numbers and stamps the writer gives."""
    entries = [dataclasses.replace(e, line=0, id="", extra={k: v for k, v in e.extra.items() if k != "batch"})
               for e in book.entries()]
    return (entries, book.cash(), book.cash_lowest()[0], book.overpaid().tolist(), book.outstanding.tolist(),
            book.voided.tolist(), [CASH_MOVES[k] for k in book.cash_moves().kind.tolist()],
            book.categories().used(), book.households(), book.methods().used())


def test_folding_proposed_lines_is_folding_them_written(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    ids = _busy(lg)
    before = _book(lg)
    proposed = [
        {"type": "spend", "date": "2025-03-02", "amount": "7.25", "category": "Vervoer", "method": "contant",
         "kind": "gift", "household": "H-3RTW9Q", "note": "kaartje, retour"},
        {"type": "repay", "date": "2025-03-03", "amount": "60.00", "ref": ids["loan"]},
        {"type": "void", "date": "2025-03-03", "ref": ids["void"], "reason": "toch niet dubbel"},
        {"type": "settle", "date": "2025-03-04", "amount": "62.75", "method": "deposit"},
    ]
    folded = fold_with(before, proposed)
    lg.folder.append("noord", proposed)
    written = _book(lg)
    assert _state(folded) == _state(written)
    assert folded.cash().on_hand == 0 and folded.overpaid().tolist() == [0, 0, 0, 0]
    assert folded.households() == ["H-7KXM4P", "", "", "H-3RTW9Q"]
    assert _book(lg) is not before and _state(before) != _state(written)


def test_the_cash_box_is_counted_once(ledger_dir: Path) -> None:
    """The cash report, the running balance of ``check`` and the refusals count the same
    box: withdrawals less cash spends (not voided) less settlements."""
    lg = Ledger(ledger_dir)
    withdraw(lg, "noord", Decimal("50"), date=D)
    lg.spend("noord", Decimal("45"), category="Overig", method="contant", date=D)
    voided = lg.spend("noord", Decimal("3"), category="Overig", method="contant", date=D)
    lg.void(voided, reason="vergissing")
    settle(lg, "noord", "write-off", date=dt.date(2025, 4, 1))
    book = _book(lg)
    moves = book.cash_moves()
    assert [CASH_MOVES[k] for k in moves.kind.tolist()] == ["withdraw", "spend", "write-off"]
    assert moves.balance().tolist() == [5000, 500, 0]
    assert tally(book).cash_on_hand == 0 == book.cash().on_hand
    assert tally(book, dt.date(2025, 3, 31)).cash_on_hand == Decimal("5.00")
    assert book.cash_lowest() == (0, -1)
    assert check_cash(book, "noord.csv") == []


def test_a_cash_spend_is_checked_by_folding_it(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    withdraw(lg, "noord", Decimal("40"), date=D)
    with pytest.raises(InputError, match=r"team noord has € 40,00 on hand and the spend is € 40,01"):
        lg.spend("noord", Decimal("40.01"), category="Overig", method="contant", date=D)
    lg.spend("noord", Decimal("40"), category="Overig", method="contant", date=D)
    assert _book(lg).cash().on_hand == 0


def test_repaying_more_than_owed_is_asked_of_the_fold(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    loan = lg.spend("noord", Decimal("50"), category="Wonen", kind="loan", date=D)
    lg.repay(loan, Decimal("30"), date=D)
    book = _book(lg)
    [e] = np.flatnonzero(book.kind_is("loan")).tolist()
    line = {"type": "repay", "date": "2025-03-02", "amount": "20.01", "ref": loan}
    assert fold_with(book, [line]).overpaid()[e] == 1
    with pytest.raises(InputError, match=r"€ 20,01 is more than the € 20,00 still owed"):
        lg.repay(loan, Decimal("20.01"), date=D)
    with pytest.raises(InputError, match=r"€ 25,00 is more than the € 20,00 not yet paid back"):
        lg.mark_recovered(loan, pot="Bijzondere bijstand", amount=Decimal("25"))


def test_undoing_a_void_that_would_pay_back_more_than_spent_is_refused(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    loan = lg.spend("noord", Decimal("50"), category="Wonen", kind="loan", date=D)
    first = lg.repay(loan, Decimal("30"), date=D)
    undo = lg.void(first, reason="verkeerd bedrag")
    lg.repay(loan, Decimal("30"), date=D)
    with pytest.raises(InputError, match=rf"^{loan} would have € 60,00 paid back, more than the € 50,00 spent$"):
        lg.void(undo, reason="toch goed")
    assert _book(lg).repaid.tolist() == [3000]
