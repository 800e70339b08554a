"""The numbers of some teams' books as numpy arrays: what the figure reports count.

utilisation, compare, categories, outcomes and summary need no free text and no ids:
per spend as it stands after its events, its team, date, amount, category, kind and a
few flags; the repayments on those spends; and the cash and refusal rows. They are
taken straight from the fold's result (:class:`~maatwerk_cli.core.fold.Book`), one
journal after another; nothing here is kept or cached of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import Problem
from ..core.fold import OUTCOME_CODES
from ..core.lines import day_number
from ..store.books import Books

#: Codes of ``rows["type"]``.
ROW_CODES = {"withdraw": 0, "settle": 1, "refusal": 2}

__all__ = ["OUTCOME_CODES", "ROW_CODES", "Figures", "day_number", "from_books"]


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of some teams' journals.

    teams: the team slugs; a ``team`` array holds indexes into it.
    categories: category names, sorted; a ``category`` array holds indexes into it.
    entries: one array per spend as it stands after its events, in journal order:
      ``team``; ``date`` (days since 1970-01-01); ``cents``; ``category``; ``cash`` (paid in
      cash); ``loan`` (a loan or conditional grant); ``tegenprestatie`` (one recorded);
      ``voided``; ``outcome`` (:data:`~maatwerk_cli.core.fold.OUTCOME_CODES`); ``avoided``
      (avoided cost in cents, 0 when none) and ``costed`` (an avoided cost was recorded).
    paybacks: repayments and recoveries that count: ``spend`` (index into the entries),
      ``date``, ``cents``.
    rows: withdrawals, cash settlements and refusals that count: ``team``, ``type``
      (:data:`ROW_CODES`), ``date``, ``cents``, ``write_off`` (a settle that wrote off).
    problems: the journal lines set aside.
    """

    teams: tuple[str, ...]
    categories: tuple[str, ...]
    entries: dict[str, np.ndarray]
    paybacks: dict[str, np.ndarray]
    rows: dict[str, np.ndarray]
    problems: tuple[Problem, ...]

    @property
    def count(self) -> int:
        return len(self.entries["team"])


def from_books(books: Books, slugs: Sequence[str]) -> Figures:
    """The figures of the given teams' books, in that order."""
    names = sorted({name for slug in slugs for name in _used_categories(books[slug].book)})
    lookup = {name: i for i, name in enumerate(names)}
    entries: dict[str, list[np.ndarray]] = {k: [] for k in _ENTRY_DTYPES}
    paybacks: dict[str, list[np.ndarray]] = {k: [] for k in _PAYBACK_DTYPES}
    rows: dict[str, list[np.ndarray]] = {k: [] for k in _ROW_DTYPES}
    offset = 0
    for t, slug in enumerate(slugs):
        book = books[slug].book
        m = len(book)
        category = book.categories()
        remap = np.array([lookup.get(n, -1) for n in category.names], dtype=np.int32)
        entries["team"].append(np.full(m, t, dtype=np.int32))
        entries["date"].append(book.dates())
        entries["cents"].append(book.amounts())
        entries["category"].append(remap[category.codes] if m else np.zeros(0, np.int32))
        entries["cash"].append(book.method_is("contant"))
        entries["loan"].append(book.kind_is("loan", "conditional"))
        entries["conditional"].append(book.kind_is("conditional"))
        entries["tegenprestatie"].append(book.has_tegenprestatie)
        entries["voided"].append(book.voided)
        entries["outcome"].append(book.outcome)
        entries["avoided"].append(book.avoided)
        entries["costed"].append(book.costed)
        spend, date, cents = book.paybacks()
        paybacks["spend"].append(spend + offset)
        paybacks["date"].append(date)
        paybacks["cents"].append(cents)
        moves = book.moves(*ROW_CODES)  # kind follows ROW_CODES' order
        rows["team"].append(np.full(len(moves.at), t, dtype=np.int32))
        rows["type"].append(moves.kind)
        rows["date"].append(moves.date)
        rows["cents"].append(moves.cents)
        rows["write_off"].append(moves.write_off)
        offset += m
    return Figures(tuple(slugs), tuple(names), _joined(entries, _ENTRY_DTYPES),
                   _joined(paybacks, _PAYBACK_DTYPES), _joined(rows, _ROW_DTYPES),
                   books.problems)


def _used_categories(book: Any) -> set[str]:
    used: set[str] = book.categories().used()
    return used


_ENTRY_DTYPES = {"team": np.int32, "date": np.int64, "cents": np.int64, "category": np.int32,
                 "cash": bool, "loan": bool, "conditional": bool, "tegenprestatie": bool, "voided": bool,
                 "outcome": np.int8, "avoided": np.int64, "costed": bool}
_PAYBACK_DTYPES = {"spend": np.int64, "date": np.int64, "cents": np.int64}
_ROW_DTYPES = {"team": np.int32, "type": np.int8, "date": np.int64, "cents": np.int64, "write_off": bool}


def _joined(parts: dict[str, list[np.ndarray]], dtypes: dict[str, Any]) -> dict[str, np.ndarray]:
    return {k: np.concatenate(v).astype(dtypes[k], copy=False) if v else np.zeros(0, dtype=dtypes[k])
            for k, v in parts.items()}
