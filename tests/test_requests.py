"""The library's recording methods take request objects, and still their keyword form."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from maatwerk_cli import (
    ImportBankRequest,
    ImportEntriesRequest,
    InputError,
    Ledger,
    MarkRequest,
    RefuseRequest,
    RepayRequest,
    SettleRequest,
    SpendRequest,
    VoidRequest,
    WithdrawRequest,
)

REQUESTS = (SpendRequest, RepayRequest, MarkRequest, RefuseRequest, VoidRequest, WithdrawRequest,
            SettleRequest, ImportEntriesRequest, ImportBankRequest)


@pytest.fixture
def lg(ledger_dir: Path) -> Ledger:
    return Ledger(ledger_dir)


def test_requests_are_frozen_and_document_every_field() -> None:
    for kind in REQUESTS:
        assert dataclasses.is_dataclass(kind) and vars(kind)["__dataclass_params__"].frozen
        doc = kind.__doc__ or ""
        for f in dataclasses.fields(kind):
            assert f.name in doc, (kind.__name__, f.name)


def test_a_spend_by_request_is_the_spend_by_keywords(lg: Ledger) -> None:
    one = lg.spend(SpendRequest("noord", Decimal("35"), "Wonen", date=dt.date(2025, 3, 1), kind="loan",
                                due=dt.date(2025, 4, 1), note="borg"))
    # In another team: the same spend in noord would be a possible duplicate of the first.
    two = lg.spend("zuid", "35", category="Wonen", date="1-3-2025", kind="loan", due="1-4-2025", note="borg")
    first, second = lg.entry(one), lg.entry(two)
    assert (first.amount, first.date, first.kind, first.due, first.note) == \
        (second.amount, second.date, second.kind, second.due, second.note) == \
        (Decimal("35.00"), dt.date(2025, 3, 1), "loan", dt.date(2025, 4, 1), "borg")
    # Text in a request is read the Dutch way too.
    three = lg.record_spend(SpendRequest("zuid", "1.234,56", "wonen", date="2-3-2025"))  # type: ignore[arg-type]
    assert (three.team, three.cells["amount"], three.cells["date"], three.cells["category"]) == \
        ("zuid", "1234.56", "2025-03-02", "Wonen")


def test_a_request_and_its_fields_together_are_refused(lg: Ledger) -> None:
    with pytest.raises(TypeError, match="SpendRequest or its fields"):
        lg.spend(SpendRequest("noord", Decimal(5), "Wonen"), "5")  # type: ignore[call-overload]


def test_events_by_request(lg: Ledger) -> None:
    spend = lg.spend(SpendRequest("noord", Decimal(50), "Wonen", date=dt.date(2025, 3, 1)))
    lg.mark(MarkRequest(spend, "lening", due=dt.date(2025, 6, 1)))
    paid = lg.repay(RepayRequest(spend, Decimal(20), date=dt.date(2025, 3, 5)))
    assert lg.entry(spend).outstanding == Decimal(30)
    lg.mark(MarkRequest(spend, "outcome", value="reached", avoided_cost=Decimal(400)))
    assert lg.entry(spend).outcome == "reached"
    with pytest.raises(InputError, match="cannot mark 'loon'"):
        lg.mark(MarkRequest(spend, "loon"))
    undone = lg.void_lines(VoidRequest((paid,), reason="dubbel"), announce=lambda lines: None)
    assert [u.id for u in undone] == [paid] and lg.entry(spend).outstanding == Decimal(50)
    refusal = lg.record_refusal(RefuseRequest("zuid", "geen aanvraag", amount=Decimal(80), date=dt.date(2025, 3, 2)))
    assert refusal.cells["amount"] == "80.00" and lg.void(VoidRequest((refusal.id,), reason="toch niet"))


def test_cash_by_request(lg: Ledger) -> None:
    done = lg.record_withdrawal(WithdrawRequest("noord", Decimal(50), date=dt.date(2025, 3, 1)))
    assert (done.team, done.cells["date"], done.cells["amount"]) == ("noord", "2025-03-01", "50.00")
    lg.spend(SpendRequest("noord", Decimal("45.50"), "Wonen", method="contant", date=dt.date(2025, 3, 2)))
    assert lg.cash_on_hand("NOORD") == Decimal("4.50")
    settled = lg.settle(SettleRequest("noord", "write-off", date=dt.date(2025, 3, 3)))
    assert (settled.amount, lg.cash_on_hand("noord")) == (Decimal("4.50"), Decimal(0))


def test_import_by_request(lg: Ledger, tmp_path: Path) -> None:
    sheet = tmp_path / "maart.csv"
    sheet.write_text("datum;bedrag;categorie\n1-3-2025;12,50;Wonen\n2-3-2025;7;Wonen\n", encoding="utf-8")
    dry = lg.import_entries(ImportEntriesRequest(sheet, team="noord", dry_run=True))
    assert (dry.count, dry.first_id) == (2, "")
    done = lg.import_entries(sheet, team="noord")
    assert done.count == 2 and done.first_id == "noord-2025-0001"
    again = lg.import_entries(ImportEntriesRequest(sheet, team="noord", new_only=True))
    assert again.count == 0 and len(again.skipped) == 2


def test_request_objects_load_nothing_heavy() -> None:
    code = ("import sys\nfrom maatwerk_cli.ops.requests import SpendRequest\n"
            "print(sorted(m for m in ('typer', 'rich', 'pandas', 'numpy', 'openpyxl', 'tomlkit') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_request_class_is_named_by_the_package() -> None:
    """The package gives every request class the ledger has, for the type checker too."""
    import maatwerk_cli
    from maatwerk_cli.ledger import REQUESTS as NAMES

    assert set(NAMES) <= set(maatwerk_cli.__all__)
    source = (Path(maatwerk_cli.__file__)).read_text(encoding="utf-8")
    assert all(f"        {name},\n" in source for name in NAMES)  # in the TYPE_CHECKING import
