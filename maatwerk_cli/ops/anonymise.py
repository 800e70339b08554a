"""``maatwerk anonymise``: personal text of entries older than the retention period replaced.

The AVG allows personal data only as long as needed; the municipality sets how long
(``retention_years`` in ``maatwerk.toml``). Entries dated before the cut-off keep their
ids, dates, amounts, categories, methods, kinds and statuses, so every figure stays
as it was; their household codes, notes, reasons, conditions, tegenprestaties and names
are replaced (:mod:`maatwerk_cli.store.anonymise` says what exactly), and so are the
description and counterparty of bank lines dated before it. The files are rewritten
all or nothing (:mod:`maatwerk_cli.store.rewrite`), and each journal records it in a line
of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.dates import today
from ..core.errors import InputError, LedgerError
from ..core.messages import Opt, msg
from ..core.privacy import guard
from ..core.text import clean_text
from .base import folder_of

if TYPE_CHECKING:
    from ..store.anonymise import TeamChange
    from ..store.folder import LedgerFolder

#: The key in ``maatwerk.toml`` for how many years personal data is kept.
RETENTION_KEY = "retention_years"


@dataclass(frozen=True, slots=True)
class Anonymised:
    """What anonymising did (or, in a dry run, would do).

    before: the cut-off, the first day kept as it is; dry_run: nothing was written.
    teams: per team the journal lines changed, the bank lines changed, and the id of the
    line recording it; households: how many household codes were replaced.
    """

    before: dt.date
    dry_run: bool
    teams: tuple[TeamChange, ...]
    households: int

    @property
    def line_count(self) -> int:
        return sum(len(t.changed) for t in self.teams)

    @property
    def bank_lines(self) -> int:
        return sum(t.bank_lines for t in self.teams)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def retention_years(folder: LedgerFolder) -> int | None:
    """``retention_years`` of ``maatwerk.toml`` (None when not set); a LedgerError when
    it is no whole number of years."""
    value = folder.settings.raw.get(RETENTION_KEY)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise LedgerError(msg("anonymise.retention_years", where=folder.display(folder.settings_path),
                              key=RETENTION_KEY, value=repr(value)))
    return value


def cutoff(folder: LedgerFolder, before: dt.date | None, now: dt.date | None = None) -> dt.date:
    """The first day kept: ``before``, else today less ``retention_years``."""
    now = now or today()
    if before is None:
        years = retention_years(folder)
        if years is None:
            raise InputError(msg("anonymise.no_cutoff", option=Opt("before"), key=RETENTION_KEY))
        return years_before(now, years)
    if before > now:
        raise InputError(msg("anonymise.future", before=before.isoformat(), today=now.isoformat()))
    return before


def anonymise(ledger: Any, *, before: dt.date | None = None, dry_run: bool = False,
              by: str | None = None) -> Anonymised:
    """Replace the personal text of entries dated before the cut-off (see the module's note)."""
    folder = folder_of(ledger)
    folder.require()
    who = clean_text(by, "by", limit=100)
    guard({"by": who})
    day = cutoff(folder, before)
    planned = folder.anonymise(day, when=today(), by=who, dry_run=dry_run)
    teams = planned.teams if not dry_run else tuple(
        type(t)(t.team, t.changed, t.bank_lines, "") for t in planned.teams)
    return Anonymised(day, dry_run, teams, planned.households)


def old_personal(folder: LedgerFolder, slugs: list[str]) -> tuple[dt.date, dict[str, tuple[int, int, int]]] | None:
    """For ``check``: the cut-off of the retention period and per team (journal lines, the
    first of them, bank lines) dated before it that still hold personal text; None when no
    period is set."""
    years = retention_years(folder)
    if years is None:
        return None
    day = years_before(today(), years)
    return day, folder.old_personal(slugs, day)
