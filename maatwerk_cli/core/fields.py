"""Entries and refusals as flat records (dicts) for listings, JSON and DataFrames.

The keys are a contract with scripts: add keys, never rename them.
"""

from __future__ import annotations

from typing import Any

from .records import Entry, Refusal

#: Keys of an entry record, in display order. ``amount``, ``repaid``, ``recovered``,
#: ``outstanding`` and ``avoided_cost`` are Decimal; ``date``, ``due`` and ``requested`` are
#: dates (``requested`` None when not recorded).
ENTRY_FIELDS = (
    "id",
    "team",
    "date",
    "amount",
    "category",
    "method",
    "kind",
    "household",
    "note",
    "repaid",
    "outstanding",
    "tegenprestatie",
    "tegenprestatie_status",
    "voided",
    "void_reason",
    "due",
    "condition",
    "recovered",
    "recovered_from",
    "outcome",
    "avoided_cost",
    "override_reason",
    "second_opinion",
    "personal_data_allowed",
    "by",
    "requested",
)

REFUSAL_FIELDS = ("id", "team", "date", "amount", "category", "household", "reason", "by")


def entry_record(e: Entry) -> dict[str, Any]:
    return {name: getattr(e, name) for name in ENTRY_FIELDS}


def refusal_record(r: Refusal) -> dict[str, Any]:
    return {name: getattr(r, name) for name in REFUSAL_FIELDS}
