"""maatwerk: a plain-file ledger for the maatwerkbudget of Dutch wijkteams.

The library works without the command line::

    from maatwerk_cli import Ledger, parse_amount, parse_date

    ledger = Ledger("ledgers")
    entry_id = ledger.spend("noord", parse_amount("35"), category="Levensmiddelen")
    frame = ledger.entries_frame()          # pandas, imported only now

Importing this package loads none of typer, rich or pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core.dates import parse_date, parse_month, parse_year
from .core.errors import (
    BusyError,
    InputError,
    LedgerError,
    MaatwerkError,
    NotFoundError,
    Problem,
    RuleError,
)
from .core.money import D, format_eur, format_plain, parse_amount
from .core.records import Entry, Refusal, Row, Settings, Team
from .ledger import REQUESTS, Ledger, Snapshot, open_ledger
from .ops.check import check_ledger

if TYPE_CHECKING:
    from .ledger import (
        AmendRequest,
        AnonymiseRequest,
        ImportBankRequest,
        ImportEntriesRequest,
        MarkRequest,
        RefuseRequest,
        RepayRequest,
        SettleRequest,
        SpendRequest,
        VoidRequest,
        WithdrawRequest,
    )
    from .ops.importer import ImportResult, import_entries

__version__ = "0.1.0"

__all__ = [
    "AmendRequest",
    "AnonymiseRequest",
    "BusyError",
    "D",
    "Entry",
    "ImportBankRequest",
    "ImportEntriesRequest",
    "ImportResult",
    "InputError",
    "Ledger",
    "LedgerError",
    "MaatwerkError",
    "MarkRequest",
    "NotFoundError",
    "Problem",
    "Refusal",
    "RefuseRequest",
    "RepayRequest",
    "Row",
    "RuleError",
    "Settings",
    "SettleRequest",
    "Snapshot",
    "SpendRequest",
    "Team",
    "VoidRequest",
    "WithdrawRequest",
    "check_ledger",
    "format_eur",
    "format_plain",
    "import_entries",
    "open_ledger",
    "parse_amount",
    "parse_date",
    "parse_month",
    "parse_year",
    "__version__",
]


def __getattr__(name: str) -> Any:
    # The request classes come from ops.requests when first asked for (see ledger.py).
    if name in REQUESTS:
        from . import ledger

        return getattr(ledger, name)
    # The importer (and its fingerprints) only when asked for: no command but import needs it.
    if name in ("ImportResult", "import_entries"):
        from .ops import importer

        return getattr(importer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
