"""maatwerk: a plain-file ledger for the maatwerkbudget of Dutch wijkteams.

The library works without the command line::

    from maatwerk_cli import Ledger, parse_amount, parse_date

    ledger = Ledger("ledgers")
    entry_id = ledger.spend("noord", parse_amount("35"), category="Levensmiddelen")
    frame = ledger.entries_frame()          # pandas, imported only now

Importing this package loads none of typer, rich or pandas.
"""

from __future__ import annotations

from .dates import parse_date, parse_month, parse_year
from .errors import (
    BusyError,
    InputError,
    LedgerError,
    MaatwerkError,
    NotFoundError,
    Problem,
    RuleError,
)
from .ledger import Ledger, Snapshot, open_ledger
from .model import Entry, Refusal, Row, Settings, Team
from .money import D, format_eur, format_plain, parse_amount

__version__ = "0.1.0"

__all__ = [
    "BusyError",
    "D",
    "Entry",
    "InputError",
    "Ledger",
    "LedgerError",
    "MaatwerkError",
    "NotFoundError",
    "Problem",
    "Refusal",
    "Row",
    "RuleError",
    "Settings",
    "Snapshot",
    "Team",
    "__version__",
    "format_eur",
    "format_plain",
    "open_ledger",
    "parse_amount",
    "parse_date",
    "parse_month",
    "parse_year",
]
