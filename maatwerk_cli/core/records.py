"""The ledger's records: settings, budget holders, journal rows and the entries they add up to.

Everything here is plain data and pure functions; reading and writing files is in
:mod:`maatwerk_cli.store`; the fold from lines to entries is :mod:`maatwerk_cli.core.fold`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .money import ZERO
from .pace import BudgetChange, BudgetYear

#: The settings of ``maatwerk.toml`` for the whole ledger: they stand above its first
#: ``[table]``. One written below a table belongs to that table and would do nothing, so
#: the settings are refused then (``tests/test_settings_place.py`` keeps this list whole).
TOP_SETTINGS = ("municipality", "locale", "language", "first_year", "categories", "household_pattern",
                "receipt_max_mb", "receipt_required_above", "retention_years")

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "Levensmiddelen",
    "Wonen",
    "Gezondheid",
    "Persoonsbewijs",
    "Huisdier",
    "School",
    "Water en energie",
    "Verblijfstatus",
    "Financiën",
    "Veiligheid",
    "Griffiekosten",
    "Kinderopvang",
    "Verzekering",
    "Kleding",
    "Emigratie",
    "Vervoer",
    "Opleiding en werk",
    "Meerdere categorieën",
    "Overig",
)

METHODS = ("pin", "factuur", "contant")
METHOD_ALIASES = {
    "pin": "pin",
    "pinpas": "pin",
    "card": "pin",
    "kaart": "pin",
    "factuur": "factuur",
    "invoice": "factuur",
    "contant": "contant",
    "cash": "contant",
    "kas": "contant",
}
KINDS = ("gift", "loan", "conditional")
KIND_ALIASES = {
    "gift": "gift",
    "schenking": "gift",
    "loan": "loan",
    "lening": "loan",
    "conditional": "conditional",
    "voorwaardelijk": "conditional",
}
TEGENPRESTATIE_STATUSES = ("proposed", "agreed", "done", "not-possible")
OUTCOMES = ("reached", "partial", "not-reached")

#: Row types in a team journal, and what each one means.
ROW_TYPES = {
    "spend": "money spent for a household (the entry itself)",
    "kind": "the entry's kind changed: gift, loan or conditional grant",
    "tegenprestatie": "what the resident does in return, and its status",
    "outcome": "whether the entry reached its goal, and the cost it avoided",
    "recovered": "money paid back afterwards by the regular provision that should have paid",
    "repay": "a (partial) repayment of a loan or conditional grant",
    "void": "the entry is cancelled; it stays in the file, marked",
    "refusal": "a request that was refused (weigering), kept for learning",
    "withdraw": "cash taken from the team's card account",
    "settle": "a cash remainder deposited back or written off",
    "knipkaart": "one use of the team's knipkaart: an exception to another department's rule",
    "bank-link": "a bank statement line linked to an entry or withdrawal",
    "amend": "a correction of the entry's values (the fields it names in extra), with a reason",
    "anonymise": "personal text of lines before a date replaced (retention); the count in extra",
    "bank-undo": "an imported bank statement taken out again (note: the import's id); a void brings it back",
}

#: What ``amend`` may correct, in this order. The new values stand in the amend line's own
#: cells (the date in its ``extra``, as ``date``); ``extra["amended"]`` lists the fields.
AMENDABLE = ("category", "note", "household", "date", "method", "kind", "due", "condition", "amount")

#: Columns of a team journal CSV, in file order. Stable: new data goes in ``extra``.
JOURNAL_COLUMNS = (
    "id",
    "type",
    "date",
    "ref",
    "amount",
    "category",
    "method",
    "kind",
    "household",
    "due",
    "condition",
    "tegenprestatie",
    "status",
    "note",
    "reason",
    "by",
    "extra",
    "recorded_at",
    "checksum",
)


def make_id(team: str, year: int, seq: int) -> str:
    """An id as the tool writes it: ``noord-2025-0042`` (at least four digits)."""
    return f"{team}-{year}-{seq:04d}"


def split_id(entry_id: str) -> tuple[str, int, int]:
    """``noord-2025-0042`` as (team, year, sequence); ValueError when it is not an id."""
    m = _ID.fullmatch(entry_id.strip().lower())
    if not m:
        raise ValueError(entry_id)
    return m[1], int(m[2]), int(m[3])


_ID = re.compile(r"([a-z0-9][a-z0-9-]*)-([0-9]{4})-([0-9]{4,10})")


@dataclass(frozen=True, slots=True)
class Settings:
    """The ledger folder's ``maatwerk.toml``.

    municipality: name shown on reports.
    locale: display locale; only ``nl_NL`` is used for now.
    categories: the category list, in the order users see it.
    under_share: a team is ``under`` when its utilisation is below this share of the year's pace.
    profile: twelve monthly spending weights (``[pace] profile``) that replace the straight
    line of the pace (:mod:`maatwerk_cli.core.pace`); None for the straight line.
    raw: the whole parsed file, for sections other parts of the tool read (rules, knipkaart, cash).
    """

    municipality: str = ""
    locale: str = "nl_NL"
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    under_share: Decimal = Decimal("0.5")
    profile: tuple[Decimal, ...] | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.raw.get(name, {})
        return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True, slots=True)
class Team:
    """A budget holder: a wijkteam, or a central fund such as a doorbraakfonds.

    slug: short lowercase name used in commands, ids and file names (``noord``).
    name: full name for reports (``Wijkteam Noord``).
    kind: ``team`` or ``fund``.
    budgets: the base budget per calendar year, as set under ``[budget]``.
    periods: per year, the (start, end) of a budget that does not run the whole calendar
    year (``[budget_period]``); either may be None (1 January, 31 December).
    changes: top-ups and cuts (``[[budget_change]]``), in date order.
    raw: the whole parsed team file, for per-team overrides (rules).
    """

    slug: str
    name: str
    kind: str = "team"
    budgets: Mapping[int, Decimal] = field(default_factory=dict)
    periods: Mapping[int, tuple[dt.date | None, dt.date | None]] = field(default_factory=dict)
    changes: tuple[BudgetChange, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)

    def budget(self, year: int) -> Decimal:
        """The year's whole budget as known: the base plus its top-ups less its cuts."""
        return self.budget_year(year).total

    def budget_year(self, year: int) -> BudgetYear:
        """The year's budget with its period and changes, for the pace."""
        start, end = self.periods.get(year, (None, None))
        return BudgetYear(year, self.budgets.get(year, ZERO), start, end,
                          tuple(c for c in self.changes if c.start.year == year))

    def years(self) -> list[int]:
        """The years with a budget set or changed, in order."""
        return sorted({*self.budgets, *(c.start.year for c in self.changes)})


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a team journal, read back and checked.

    Fields follow :data:`JOURNAL_COLUMNS`; empty cells are ``""`` or ``None`` for
    typed fields. ``team`` is the journal's team, ``line`` its 1-based line in the file.
    """

    id: str
    type: str
    date: dt.date
    ref: str = ""
    amount: Decimal | None = None
    category: str = ""
    method: str = ""
    kind: str = ""
    household: str = ""
    due: dt.date | None = None
    condition: str = ""
    tegenprestatie: str = ""
    status: str = ""
    note: str = ""
    reason: str = ""
    by: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    recorded_at: str = ""
    team: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Entry:
    """A spend as it stands after every later event about it.

    id, team, date, amount, category, method, household, note, by: as recorded.
    requested: the day the request came (``spend --requested``); None when not recorded,
    which the lead-time report reads as requested on the day it was paid.
    kind: gift, loan or conditional, after any ``mark``.
    due: repayment date of a loan; condition: what a conditional grant depends on.
    tegenprestatie, tegenprestatie_status: what the resident does in return.
    repaid: repayments received; recovered: paid back by the pot that should have paid;
    recovered_from: that pot's name.
    outstanding: still owed on a loan or (if its condition fails) a conditional grant.
    voided, void_reason: cancelled entries stay listed, marked.
    outcome, avoided_cost: the evaluation of the case.
    override_reason, second_opinion, personal_data_allowed: why a rule of thumb or the
    privacy guard was overridden, and who gave a second opinion.
    extra: any further recorded details (e.g. a bank reference).
    line: where the spend stands in its journal.
    """

    id: str
    team: str
    date: dt.date
    amount: Decimal
    category: str
    method: str
    kind: str
    household: str = ""
    note: str = ""
    by: str = ""
    requested: dt.date | None = None
    due: dt.date | None = None
    condition: str = ""
    tegenprestatie: str = ""
    tegenprestatie_status: str = ""
    repaid: Decimal = ZERO
    recovered: Decimal = ZERO
    recovered_from: str = ""
    outstanding: Decimal = ZERO
    voided: bool = False
    void_reason: str = ""
    outcome: str = ""
    avoided_cost: Decimal | None = None
    override_reason: str = ""
    second_opinion: str = ""
    personal_data_allowed: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
    line: int = 0

    def owed(self) -> Decimal:
        """What may still be repaid: the amount less repayments, for loans and conditional grants."""
        if self.voided or self.kind == "gift":
            return ZERO
        return max(self.amount - self.repaid - self.recovered, ZERO)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A refused request (weigering).

    id, team, date: as recorded; amount: what was asked, if known; reason: why refused.
    """

    id: str
    team: str
    date: dt.date
    reason: str
    household: str = ""
    amount: Decimal | None = None
    category: str = ""
    by: str = ""
    line: int = 0
