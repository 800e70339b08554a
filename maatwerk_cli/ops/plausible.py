"""What the plausibility rules of thumb need to know of a team: what it spent per year and
its largest spend so far, known on the clerk's card path without reading the journal.

The figures are a view of the fold (:func:`sums_of`): spends that are not voided, plus cash
written off (as utilisation counts them). Reading a journal for them on every card
payment would make recording cost grow with the ledger, so they are kept as a small
note in the cache folder (:func:`maatwerk_cli.store.cache.store_note`), tied to the
journal exactly as it is. A writer that knows how its line changes them carries the note
forward under the folder lock:

* a spend adds its amount to its year, may be the new largest, counts one more, and joins
  the recent spends the possible-duplicate rule compares with;
* a line that changes neither (a mark, outcome, tegenprestatie, repayment, recovery,
  refusal) carries the note as it is.

Anything else (a void, a settlement, an import, a hand edit, a deleted cache) leaves
the note behind, and the next spend takes the figures from the fold again, once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.fold import Book
    from ..store.folder import LedgerFolder

NOTE = "sums"
#: How many days before the newest spend the note keeps spends for the possible-duplicate
#: rule: a spend dated from then on is compared without reading the journal, an older one
#: (typed in late) reads the fold.
KEEP_DAYS = 31
#: ``since`` of a team without spends: every spend it has (none) is known.
EARLIEST = -(2**31)

#: A spend as the possible-duplicate rule sees it: (day number, cents, method, id).
Recent = tuple[int, int, str, str]


_EPOCH = dt.date(1970, 1, 1)


def day_of(when: dt.date) -> int:
    """A date as the fold's day number (days since 1970-01-01), without numpy: the card
    path reads no journal and imports no numpy."""
    return (when - _EPOCH).days


def date_of(days: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=days)


@dataclass(frozen=True, slots=True)
class TeamSums:
    """A team's figures for the plausibility rules.

    spent: cents spent per calendar year (spends not voided, plus cash written off).
    largest: the largest spend not voided, in cents (0 when there is none).
    max_seq: the highest id sequence in the journal, damaged lines included (the writer
    gives none at or below it; see :meth:`~maatwerk_cli.store.folder.LedgerFolder.remember_ids`).
    count: how many spends are not voided (``times_largest_spend`` waits for a history).
    recent: every spend not voided dated on or after the day number ``since``, as
    :data:`Recent` (for the possible-duplicate rule); ``since`` trails the newest spend
    by :data:`KEEP_DAYS`.
    """

    spent: Mapping[int, int] = field(default_factory=dict)
    largest: int = 0
    max_seq: int = 0
    count: int = 0
    recent: tuple[Recent, ...] = ()
    since: int = EARLIEST

    def plus(self, year: int, cents: int, *, largest: bool = True, seq: int = 0,
             spend: Recent | None = None) -> TeamSums:
        """The figures after one more spend (``largest``: it joins the history the rules
        compare with, counted and perhaps the new largest; ``seq``: its id's sequence;
        ``spend``: it as :data:`Recent`, kept when recent enough)."""
        spent = dict(self.spent)
        spent[year] = spent.get(year, 0) + cents
        recent, since = self.recent, self.since
        if spend is not None:
            since = max(since, max((spend[0], *(r[0] for r in recent))) - KEEP_DAYS)
            recent = tuple(r for r in (*recent, spend) if r[0] >= since)
        return TeamSums(spent, max(self.largest, cents) if largest else self.largest, max(self.max_seq, seq),
                        self.count + 1 if largest else self.count, recent, since)

    def value(self) -> dict[str, object]:
        return {"spent": {str(y): c for y, c in self.spent.items()}, "largest": self.largest,
                "max_seq": self.max_seq, "count": self.count, "recent": [list(r) for r in self.recent],
                "since": self.since}


def sums_of(book: Book) -> TeamSums:
    """The figures of one folded journal."""
    import numpy as np

    def years(days: np.ndarray) -> np.ndarray:
        got: np.ndarray = days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
        return got

    live = ~book.voided
    amounts = book.amounts()[live]
    days = book.dates()[live]
    settle = book.moves("settle")
    off = settle.write_off  # a written-off remainder counts as spent
    all_years = np.concatenate([years(book.dates()[live]), years(settle.date[off])])
    all_cents = np.concatenate([amounts, settle.cents[off]]).astype(np.int64)
    spent: dict[int, int] = {}
    if len(all_years):
        found, where = np.unique(all_years, return_inverse=True)
        totals = np.bincount(where, weights=all_cents).round().astype(np.int64)
        spent = {int(y): int(c) for y, c in zip(found.tolist(), totals.tolist(), strict=True)}
    count = len(amounts)
    since = int(days.max()) - KEEP_DAYS if count else EARLIEST
    return TeamSums(spent, int(amounts.max()) if count else 0, count=count, recent=recent_of(book, since),
                    since=since)


def recent_of(book: Book, since: int) -> tuple[Recent, ...]:
    """Every spend of the book not voided dated on or after the day number ``since``."""
    import numpy as np

    at = np.flatnonzero(~book.voided & (book.dates() >= since))
    methods = book.methods()
    return tuple(zip(book.dates()[at].tolist(), book.amounts()[at].tolist(),
                     [methods.names[c] for c in methods.codes[at].tolist()], book.ids(at), strict=True))


def _from_note(value: Mapping[str, object]) -> TeamSums | None:
    try:
        spent, recent = value["spent"], value["recent"]
        largest, max_seq, count, since = value["largest"], value["max_seq"], value["count"], value["since"]
        if not isinstance(spent, Mapping) or not isinstance(recent, list) or not isinstance(largest, int) \
                or not isinstance(max_seq, int) or not isinstance(count, int) or not isinstance(since, int):
            return None  # a note of an older version, or damaged: the fold is read again
        kept = tuple((int(d), int(c), str(m), str(i)) for d, c, m, i in recent)
        return TeamSums({int(y): int(c) for y, c in spent.items()}, largest, max_seq, count, kept, since)
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
