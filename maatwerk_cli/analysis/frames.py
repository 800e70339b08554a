"""Entries as pandas DataFrames, for scripts: a view of the fold's result like any other.

pandas is imported by this module: import it lazily, never on the clerk's path.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from ..core.fields import ENTRY_FIELDS, entry_record
from ..core.records import Entry

#: The money columns of an entries frame.
MONEY_FIELDS = ("amount", "repaid", "outstanding", "recovered", "avoided_cost")
MONEY_CHOICES = ("decimal", "cents")


def entries_frame(entries: Sequence[Entry], *, money: str = "decimal") -> pd.DataFrame:
    """One row per entry, the columns of :data:`~maatwerk_cli.core.fields.ENTRY_FIELDS`.

    ``money="decimal"`` (default): money as :class:`~decimal.Decimal` objects, exact to the
    cent; ``money="cents"``: as exact integer cents (``int64``, ``Int64`` where a value can be
    missing, as ``avoided_cost``), for numeric work.
    """
    from ..core.errors import InputError
    from ..core.messages import msg

    if money not in MONEY_CHOICES:
        raise InputError(msg("frames.money_unknown", money=repr(money), choices=MONEY_CHOICES))
    frame: pd.DataFrame = pd.DataFrame([entry_record(e) for e in entries], columns=list(ENTRY_FIELDS))
    if money == "cents":
        for name in MONEY_FIELDS:
            frame[name] = pd.array([_cents(v) for v in frame[name]], dtype="Int64")
            if not frame[name].isna().any():
                frame[name] = frame[name].astype("int64")
    return frame


def _cents(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return int(Decimal(value) * 100)
