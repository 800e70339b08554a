"""What the plausibility rules of thumb need to know of a team: what it spent per year and
its largest spend so far, known on the clerk's card path without reading the journal.

The figures are a view of the fold (:func:`sums_of`): spends that are not voided, plus cash
written off (as utilisation counts them). Reading a journal for them on every card
payment would make recording cost grow with the ledger, so they are kept as a small
note in the cache folder (:func:`maatwerk_cli.store.cache.store_note`), tied to the
journal exactly as it is. A writer that knows how its line changes them carries the note
forward under the folder lock:

* a spend adds its amount to its year and may be the new largest;
* a line that changes neither (a mark, outcome, tegenprestatie, repayment, recovery,
  refusal) carries the note as it is.

Anything else (a void, a settlement, an import, a hand edit, a deleted cache) leaves
the note behind, and the next spend takes the figures from the fold again, once.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.fold import Book
    from ..store.folder import LedgerFolder

NOTE = "sums"


@dataclass(frozen=True, slots=True)
class TeamSums:
    """A team's figures for the plausibility rules.

    spent: cents spent per calendar year (spends not voided, plus cash written off).
    largest: the largest spend not voided, in cents (0 when there is none).
    max_seq: the highest id sequence in the journal, damaged lines included (the writer
    gives none at or below it; see :meth:`~maatwerk_cli.store.folder.LedgerFolder.remember_ids`).
    """

    spent: Mapping[int, int] = field(default_factory=dict)
    largest: int = 0
    max_seq: int = 0

    def plus(self, year: int, cents: int, *, largest: bool = True, seq: int = 0) -> TeamSums:
        """The figures after one more spend (``largest``: it may be the new largest; ``seq``:
        its id's sequence)."""
        spent = dict(self.spent)
        spent[year] = spent.get(year, 0) + cents
        return TeamSums(spent, max(self.largest, cents) if largest else self.largest, max(self.max_seq, seq))

    def value(self) -> dict[str, object]:
        return {"spent": {str(y): c for y, c in self.spent.items()}, "largest": self.largest,
                "max_seq": self.max_seq}


def sums_of(book: Book) -> TeamSums:
    """The figures of one folded journal."""
    import numpy as np

    def years(days: np.ndarray) -> np.ndarray:
        got: np.ndarray = days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
        return got

    live = ~book.voided
    amounts = book.amounts()[live]
    settle = book.moves("settle")
    off = settle.write_off  # a written-off remainder counts as spent
    all_years = np.concatenate([years(book.dates()[live]), years(settle.date[off])])
    all_cents = np.concatenate([amounts, settle.cents[off]]).astype(np.int64)
    spent: dict[int, int] = {}
    if len(all_years):
        found, where = np.unique(all_years, return_inverse=True)
        totals = np.bincount(where, weights=all_cents).round().astype(np.int64)
        spent = {int(y): int(c) for y, c in zip(found.tolist(), totals.tolist(), strict=True)}
    return TeamSums(spent, int(amounts.max()) if len(amounts) else 0)


def _from_note(value: Mapping[str, object]) -> TeamSums | None:
    try:
        spent = value["spent"]
        largest = value["largest"]
        max_seq = value["max_seq"]
        if not isinstance(spent, Mapping) or not isinstance(largest, int) or not isinstance(max_seq, int):
            return None
        return TeamSums({int(y): int(c) for y, c in spent.items()}, largest, max_seq)
    except (KeyError, TypeError, ValueError):
        return None


def _usable(folder: LedgerFolder) -> bool:
    # While a batch marker is there, the readers leave lines out that the next writer may cut:
    # no note is trusted or kept then.
    return not os.path.lexists(folder.pending_path)


def noted(folder: LedgerFolder, slug: str) -> TeamSums | None:
    """The team's figures from a note that still fits its journal; None when there is none."""
    from ..store import cache

    path = folder.journal_path(slug)
    if not path.exists():
        return TeamSums()  # no journal yet: nothing spent, nothing to read
    if not _usable(folder):
        return None
    value = cache.load_note(path, NOTE)
    got = _from_note(value) if value is not None else None
    if got is not None:
        folder.remember_ids(slug, got.max_seq)
    return got


def team_sums(folder: LedgerFolder, slug: str) -> TeamSums:
    """The team's figures: from the note, else from the fold (and noted for next time).
    The caller holds the folder lock, so the journal cannot change in between."""
    got = noted(folder, slug)
    if got is not None:
        return got
    folded = folder.book(slug)
    sums = replace(sums_of(folded.book), max_seq=folded.max_seq)
    keep(folder, slug, sums)
    return sums


def keep(folder: LedgerFolder, slug: str, sums: TeamSums) -> None:
    """Note the figures for the journal as it is now (the caller holds the lock)."""
    from ..store import cache

    path = folder.journal_path(slug)
    if path.exists() and _usable(folder):
        cache.store_note(path, NOTE, sums.value())


@contextlib.contextmanager
def carried(folder: LedgerFolder, slug: str) -> Iterator[None]:
    """Around a write that changes none of the figures: a note that fit the journal before
    fits it after. The caller holds the lock."""
    before = noted(folder, slug) if folder.journal_path(slug).exists() else None
    yield
    if before is not None:
        keep(folder, slug, before)
