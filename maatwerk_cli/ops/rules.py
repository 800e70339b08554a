"""Rules of thumb (vuistregels): warnings a professional may override with a reason.

The rules live in ``maatwerk.toml`` under ``[rules]``; a team file may override any
of them under its own ``[rules]`` (the team wins, key by key). A spend that hits a
rule is not written: :class:`~maatwerk_cli.core.errors.RuleError` says which rule, the
figures, and how to go on. Recorded again with a reason, the spend keeps that reason
(the journal's ``reason`` cell) and the names of the rules it overrode (``extra``'s
``rules`` list), so ``maatwerk rules`` can show them afterwards as learning material.

Rules, all optional:

* ``max_per_spend``: one spend above this amount.
* ``max_per_household_year``: what one household gets in one calendar year, this spend
  included, counted over every team of the ledger folder.
* ``max_per_household_total``: what one household gets ever, over every team (a cap per
  resident for the whole municipality, as Tilburg has).
* ``repeat_household_days``: another spend for the same household at most this many days
  before or after this one, in any team.
* ``duplicate_days`` (``3``): a spend of the same team with the same amount and method
  as one at most this many days before or after it (rule ``possible_duplicate``: the same
  payment entered twice?); ``0`` or ``false`` switches it off.
* ``second_opinion_above``: a spend above this amount names who agreed
  (``--second-opinion NAME``); a reason may stand in for it and is then recorded.
* ``[rules.categories]``: a message per category, shown until a reason is given.

Plausibility rules, on unless switched off, catch a typo in the amount or the date
(``12.505`` for fifteen euros, a spend in a year the team has no budget for):

* ``year_without_budget`` (``true``): a spend dated in a year the team has no budget for.
* ``over_remaining_budget`` (``true``): a spend larger than what is left of the team's
  budget for the spend's year.
* ``times_largest_spend`` (``10``): a spend more than this many times the team's largest
  spend so far, and above ``times_largest_minimum`` (``1000``), once the team has
  ``times_largest_after`` (``10``) spends: a young team's first large invoice is no typo.

Amounts may be numbers or Dutch text (``"1.500"``); ``false`` switches a rule off (for
one team, say a doorbraakfonds that has no limit per spend). Voided spends never count.

Only the household rules read the journals, and only when a household is given: a
spend without a household code, or in a ledger without household rules, costs the
same on any size of ledger. The plausibility rules and the possible-duplicate rule take
their figures from a note the writers keep (:mod:`maatwerk_cli.ops.plausible`), not from
the journal; a spend dated well before the team's newest reads the fold for its twins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.errors import LedgerError, MaatwerkError, NotFoundError, Problem, RuleError
from ..core.messages import Msg, Opt, msg
from ..core.money import ZERO
from ..store.toml import toml_amount
from .base import folder_of, team_slug

if TYPE_CHECKING:
    from ..core.fold import Book
    from ..store.books import Books
    from ..store.folder import LedgerFolder
    from .plausible import TeamSums

AMOUNT_RULES = (
    "max_per_spend",
    "max_per_household_year",
    "max_per_household_total",
    "second_opinion_above",
    "times_largest_minimum",
)
DAY_RULES = ("repeat_household_days", "duplicate_days")
#: Day rules that ``0`` switches off as well as ``false``.
ZERO_OFF_RULES = ("duplicate_days",)
#: Rules whose value is a number of spends (0 or more).
COUNT_RULES = ("times_largest_after",)
#: The name a possible duplicate is hit (and recorded) under; ``duplicate_days`` sets it.
POSSIBLE_DUPLICATE = "possible_duplicate"
#: Rules that are on (``true``) or off (``false``).
SWITCH_RULES = ("year_without_budget", "over_remaining_budget")
#: Rules whose value is a number of times (1 or more).
FACTOR_RULES = ("times_largest_spend",)
HOUSEHOLD_RULES = ("max_per_household_year", "max_per_household_total", "repeat_household_days")
CATEGORIES = "categories"
#: Every rule name, in the order they are checked and listed.
RULE_NAMES = (
    "year_without_budget",
    "over_remaining_budget",
    "times_largest_spend",
    "times_largest_minimum",
    "times_largest_after",
    "duplicate_days",
    "max_per_spend",
    "max_per_household_year",
    "max_per_household_total",
    "repeat_household_days",
    "second_opinion_above",
    CATEGORIES,
)
#: Rules in force unless a settings or team file says otherwise.
DEFAULTS: dict[str, Decimal | int | bool] = {
    "year_without_budget": True,
    "over_remaining_budget": True,
    "times_largest_spend": Decimal("10"),
    "times_largest_minimum": Decimal("1000.00"),
    "times_largest_after": 10,
    "duplicate_days": 3,
}
DEFAULT_SOURCE = "default"

#: What each rule means, for listings and ``--help``.
RULE_HELP: dict[str, str | Msg] = {
    "year_without_budget": msg("rules.help_year_without_budget"),
    "over_remaining_budget": msg("rules.help_over_remaining_budget"),
    "times_largest_spend": msg("rules.help_times_largest_spend"),
    "times_largest_minimum": msg("rules.help_times_largest_minimum"),
    "times_largest_after": msg("rules.help_times_largest_after"),
    "duplicate_days": msg("rules.help_duplicate_days", rule=POSSIBLE_DUPLICATE),
    "max_per_spend": msg("rules.help_max_per_spend"),
    "max_per_household_year": msg("rules.help_max_per_household_year"),
    "max_per_household_total": msg("rules.help_max_per_household_total"),
    "repeat_household_days": msg("rules.help_repeat_household_days"),
    "second_opinion_above": msg("rules.second_opinion_above", option=Opt("second-opinion")),
    CATEGORIES: msg("rules.help_categories"),
}

PROCEED = msg("rules.proceed", option=Opt("reason"))
PROCEED_IMPORT = msg("rules.proceed_import")
PROCEED_AMEND = msg("rules.proceed_amend", option=Opt("override"))
SECOND_OPINION = msg("rules.second_opinion", option=Opt("second-opinion"))
SECOND_OPINION_IMPORT = msg("rules.second_opinion_import")


@dataclass(frozen=True, slots=True)
class Rules:
    """The rules of thumb in force for one budget holder.

    team: the team's slug.
    year_without_budget, over_remaining_budget: whether these plausibility rules are on.
    times_largest_spend: how many times the largest spend so far a spend may be, ``None``
    when off; times_largest_minimum: it is hit only above this amount;
    times_largest_after: and only once the team has this many spends.
    duplicate_days: days within which the same amount and method is a possible duplicate,
    ``None`` when off.
    max_per_spend, max_per_household_year, max_per_household_total, second_opinion_above:
    amounts, or ``None`` when the rule is off.
    repeat_household_days: days, or ``None`` when off.
    categories: category (as spelled in the settings) -> the message shown for it.
    sources: where each rule that is on was set (``maatwerk.toml`` or the team file);
    keyed by rule name, and by ``categories:<category>`` for category messages.
    """

    team: str
    year_without_budget: bool = True
    over_remaining_budget: bool = True
    times_largest_spend: Decimal | None = Decimal("10")
    times_largest_minimum: Decimal = Decimal("1000.00")
    times_largest_after: int = 10
    duplicate_days: int | None = 3
    max_per_spend: Decimal | None = None
    max_per_household_year: Decimal | None = None
    max_per_household_total: Decimal | None = None
    repeat_household_days: int | None = None
    second_opinion_above: Decimal | None = None
    categories: Mapping[str, str] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def needs_history(self) -> bool:
        """Whether checking a spend with a household means reading the journals."""
        return any(getattr(self, name) is not None for name in HOUSEHOLD_RULES)

    @property
    def needs_sums(self) -> bool:
        """Whether checking a spend needs the team's figures (:mod:`.plausible`)."""
        return self.over_remaining_budget or self.times_largest_spend is not None or self.duplicate_days is not None

    def listing(self) -> list[tuple[str, str, Decimal | int | str]]:
        """(rule, category, value) for every rule that is on, in :data:`RULE_NAMES` order
        (a rule that is on or off shows as ``"on"``)."""
        out: list[tuple[str, str, Decimal | int | str]] = []
        for name in RULE_NAMES[:-1]:
            value = getattr(self, name)
            if name in ("times_largest_minimum", "times_largest_after") and self.times_largest_spend is None:
                continue
            if value is True:
                out.append((name, "", "on"))
            elif value is not None and value is not False:
                out.append((name, "", value))
        out.extend((CATEGORIES, cat, message) for cat, message in self.categories.items())
        return out

    def source(self, rule: str, category: str = "") -> str:
        return self.sources.get(f"{CATEGORIES}:{category}" if category else rule, "")


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule a spend runs into.

    rule: the rule's name (one of :data:`RULE_NAMES`).
    message: what was hit, with the figures, in Dutch money.
    """

    rule: str
    message: str | Msg


@dataclass(frozen=True, slots=True)
class TeamFigures:
    """What the plausibility rules know of the team when a spend is checked.

    year: the spend's year; budget: the team's whole budget for it (base, top-ups and cuts),
    ``None`` when it has none.
    spent: spent in that year before this spend; largest: the largest spend so far
    (``None`` when the team has none yet); count: how many spends it has.
    """

    year: int
    budget: Decimal | None
    spent: Decimal
    largest: Decimal | None
    count: int = 0


@dataclass(frozen=True, slots=True)
class Past:
    """An earlier spend of a household, as the household rules see it.

    id: the entry id, or ``""`` for a row earlier in the same import.
    date, amount: of that spend.
    """

    id: str
    date: dt.date
    amount: Decimal


# ---------------------------------------------------------------------------- reading the rules


def _closest(name: str, known: Sequence[str]) -> Msg:
    from ..core.text import closest

    hint = closest(name, known)
    return msg("rules.did_you_mean", rule=repr(hint)) if hint else msg("rules.known_rules", rules=known)


def _parse_table(
    table: object, where: str, categories: Sequence[str]
) -> tuple[dict[str, Decimal | int | None], dict[str, str | None]]:
    """One ``[rules]`` table: rule values (``None`` = switched off) and category messages."""
    from ..core.text import resolve_category

    if not isinstance(table, Mapping):
        raise LedgerError(msg("rules.not_a_table", where=where))
    values: dict[str, Decimal | int | None] = {}
    messages: dict[str, str | None] = {}
    for key, value in table.items():
        name = str(key)
        what = f"{where}: rules.{name}"
        if name == CATEGORIES:
            if not isinstance(value, Mapping):
                raise LedgerError(msg("rules.categories_not_a_table", what=what))
            for cat, message in value.items():
                try:
                    spelled = resolve_category(str(cat), categories)
                except NotFoundError as exc:
                    raise LedgerError(msg("rules.category_problem", what=what, problem=exc.msg or str(exc))) from None
                if message is False or message == "":
                    messages[spelled] = None
                elif isinstance(message, str):
                    messages[spelled] = " ".join(message.split())
                else:
                    raise LedgerError(msg("rules.category_message_not_text", what=what, category=cat))
            continue
        if name not in (*AMOUNT_RULES, *DAY_RULES, *SWITCH_RULES, *FACTOR_RULES, *COUNT_RULES):
            raise LedgerError(msg("rules.unknown_rule", where=where, rule=repr(name), hint=_closest(name, RULE_NAMES)))
        if value is False or (name in ZERO_OFF_RULES and value == 0 and not isinstance(value, bool)):
            values[name] = None
        elif name in COUNT_RULES:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise LedgerError(msg("rules.not_a_count", what=what))
            values[name] = value
        elif name in SWITCH_RULES:
            if value is not True:
                raise LedgerError(msg("rules.not_a_switch", what=what))
            values[name] = True
        elif name in FACTOR_RULES:
            if value is True:
                raise LedgerError(msg("rules.not_a_factor", what=what))
            factor = toml_amount(value, what)
            if factor < 1:
                raise LedgerError(msg("rules.factor_below_one", what=what))
            values[name] = factor
        elif name in DAY_RULES:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise LedgerError(msg("rules.not_days", what=what))
            values[name] = value
        else:
            if value is True:
                raise LedgerError(msg("rules.not_an_amount", what=what))
            amount = toml_amount(value, what)
            if amount <= 0:
                raise LedgerError(msg("rules.amount_not_positive", what=what))
            values[name] = amount
    return values, messages


def load_rules(ledger: Any, slug: str) -> Rules:
    """The rules in force for ``slug``: the settings' ``[rules]``, overridden by the team's."""
    folder = folder_of(ledger)
    settings = folder.settings
    team = folder.load_team(slug.strip().lower())
    cats = settings.categories
    base_where = folder.display(folder.settings_path)
    team_where = folder.display(folder.team_path(team.slug))
    values, messages = _parse_table(settings.raw.get("rules", {}), base_where, cats)
    sources = {**{k: base_where for k in values}, **{f"{CATEGORIES}:{c}": base_where for c in messages}}
    for name, default in DEFAULTS.items():
        if name not in values:
            values[name] = default
            sources[name] = DEFAULT_SOURCE
    if "rules" in team.raw:
        own_values, own_messages = _parse_table(team.raw["rules"], team_where, cats)
        values.update(own_values)
        messages.update(own_messages)
        sources.update({k: team_where for k in own_values})
        sources.update({f"{CATEGORIES}:{c}": team_where for c in own_messages})
    on = {k: v for k, v in values.items() if v is not None}
    shown = {c: m for c, m in messages.items() if m is not None}
    return Rules(
        team=team.slug,
        year_without_budget=on.get("year_without_budget") is True,
        over_remaining_budget=on.get("over_remaining_budget") is True,
        times_largest_spend=_amount(on.get("times_largest_spend")),
        times_largest_minimum=_amount(on.get("times_largest_minimum")) or ZERO,
        times_largest_after=_days(on.get("times_largest_after")) or 0,
        duplicate_days=_days(on.get("duplicate_days")),
        max_per_spend=_amount(on.get("max_per_spend")),
        max_per_household_year=_amount(on.get("max_per_household_year")),
        max_per_household_total=_amount(on.get("max_per_household_total")),
        repeat_household_days=_days(on.get("repeat_household_days")),
        second_opinion_above=_amount(on.get("second_opinion_above")),
        categories={c: shown[c] for c in cats if c in shown},
        sources={k: s for k, s in sources.items()
                 if k in on or (k.startswith(f"{CATEGORIES}:") and k.split(":", 1)[1] in shown)},
    )


def _amount(value: Decimal | int | None) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def _days(value: Decimal | int | None) -> int | None:
    return value if isinstance(value, int) else None


# ---------------------------------------------------------------------------- checking a spend


def find_hits(
    rules: Rules,
    *,
    amount: Decimal,
    category: str,
    household: str,
    when: dt.date,
    second_opinion: str,
    history: Sequence[Past] = (),
    figures: TeamFigures | None = None,
    second_opinion_hint: str | Msg = SECOND_OPINION,
    method: str = "",
    twins: Sequence[Past] = (),
) -> list[Hit]:
    """Every rule of thumb a spend runs into; ``history``: the household's other spends;
    ``figures``: the team's, for the plausibility rules (left out when None); ``twins``:
    the team's spends of the same amount and ``method`` within ``duplicate_days``."""
    hits: list[Hit] = []
    if figures is not None:
        hits.extend(_plausibility_hits(rules, amount, figures))
    if twins:
        hits.append(_duplicate_hit(rules, amount, method, when, twins))
    if rules.max_per_spend is not None and amount > rules.max_per_spend:
        hits.append(Hit("max_per_spend", msg("rules.hit_max_per_spend", amount=amount, limit=rules.max_per_spend)))
    if household:
        hits.extend(_household_hits(rules, amount, household, when, history))
    limit = rules.second_opinion_above
    if limit is not None and amount > limit and not second_opinion:
        hits.append(Hit("second_opinion_above", msg("rules.hit_second_opinion_above", amount=amount, limit=limit,
                                                    hint=second_opinion_hint)))
    message = rules.categories.get(category)
    if message is not None:
        hits.append(Hit(CATEGORIES, msg("rules.hit_category", category=category, message=message)))
    return hits


def _plausibility_hits(rules: Rules, amount: Decimal, f: TeamFigures) -> list[Hit]:
    hits: list[Hit] = []
    team = rules.team
    if f.budget is None:
        if rules.year_without_budget:
            hits.append(Hit("year_without_budget",
                            msg("rules.year_without_budget", team=team, year=f.year, option=Opt("year"))))
    elif rules.over_remaining_budget and amount > f.budget - f.spent:
        left = f.budget - f.spent
        hits.append(Hit("over_remaining_budget",
                        msg("rules.hit_over_remaining_budget", amount=amount, left=max(left, ZERO), year=f.year,
                            team=team, budget=f.budget, spent=f.spent)))
    times = rules.times_largest_spend
    # A young team has no history to call a spend implausible against: its first rent
    # arrears invoice may well be a hundred times its first grocery voucher.
    if times is not None and f.largest is not None and f.largest > 0 and f.count >= rules.times_largest_after:
        limit = max(times * f.largest, rules.times_largest_minimum)
        if amount > limit:
            shown = f"{times.normalize():f}".replace(".", ",")
            hits.append(Hit("times_largest_spend",
                            msg("rules.hit_times_largest_spend_minimum", amount=amount, times=shown, team=team,
                                largest=f.largest, minimum=rules.times_largest_minimum)
                            if limit == rules.times_largest_minimum else
                            msg("rules.hit_times_largest_spend", amount=amount, times=shown, team=team,
                                largest=f.largest)))
    return hits


def _household_hits(
    rules: Rules, amount: Decimal, household: str, when: dt.date, history: Sequence[Past]
) -> list[Hit]:
    hits: list[Hit] = []
    limit = rules.max_per_household_year
    if limit is not None:
        before = sum((p.amount for p in history if p.date.year == when.year), ZERO)
        if before + amount > limit:
            hits.append(Hit("max_per_household_year",
                            msg("rules.hit_max_per_household_year", household=household, total=before + amount,
                                year=when.year, before=before, limit=limit)))
    limit = rules.max_per_household_total
    if limit is not None:
        before = sum((p.amount for p in history), ZERO)
        if before + amount > limit:
            hits.append(Hit("max_per_household_total",
                            msg("rules.hit_max_per_household_total", household=household, total=before + amount,
                                before=before, limit=limit)))
    days = rules.repeat_household_days
    if days is not None:
        near = [p for p in history if abs((p.date - when).days) <= days]
        if near:
            closest = min(near, key=lambda p: (abs((p.date - when).days), p.id))
            how, which = _how(closest, when), closest.id or msg("rules.earlier_in_import")
            hits.append(Hit("repeat_household_days",
                            msg("rules.hit_repeat_household_days", household=household, amount=closest.amount,
                                how=how, which=which, date=closest.date, days=days)))
    return hits


def _how(other: Past, when: dt.date) -> Msg:
    """When ``other`` was, seen from ``when``: on the same day, 2 days before, ..."""
    gap = (when - other.date).days
    # Plurals as English has them (one day, two days); each language words its own.
    return (msg("rules.same_day") if gap == 0
            else msg("rules.day_before" if gap == 1 else "rules.days_before", days=gap) if gap > 0
            else msg("rules.day_after" if gap == -1 else "rules.days_after", days=-gap))


def _duplicate_hit(rules: Rules, amount: Decimal, method: str, when: dt.date, twins: Sequence[Past]) -> Hit:
    # The nearest one is named; a spend of the ledger before a row earlier in the import.
    closest = min(twins, key=lambda p: (abs((p.date - when).days), not p.id, p.id))
    return Hit(POSSIBLE_DUPLICATE,
               msg("rules.hit_possible_duplicate", which=closest.id or msg("rules.earlier_in_import"),
                   date=closest.date, how=_how(closest, when), amount=amount, method=method,
                   days=rules.duplicate_days))


def hit_message(hits: Sequence[Hit], proceed: str | Msg = PROCEED) -> Msg:
    """One line naming every rule hit, with the figures, and how to go on."""
    parts = [str(msg("rules.hit", rule=h.rule, message=h.message)) for h in hits]
    return msg("rules.hits", hits="; ".join(parts), proceed=proceed)


class SpendRules:
    """Checks spends against the rules; keeps rules, team figures and household history
    once read.

    One per spend for the clerk; one per import, so that thousands of rows read the
    journals once, and rows earlier in the import count for the ones after them.
    """

    def __init__(self, folder: LedgerFolder | Any, *, proceed: str | Msg = PROCEED, batch: bool = False,
                 columns: bool = False, plausibility: bool = True) -> None:
        self.folder = folder_of(folder)
        #: ``False`` for a replay of history (the examples): the plausibility rules guard
        #: what a clerk types, the other rules still apply.
        self.plausibility = plausibility
        self.proceed = proceed
        self.batch = batch
        #: Messages name a spreadsheet's columns, not options (an import's checker).
        self.columns = columns or proceed == PROCEED_IMPORT
        self._rules: dict[str, Rules] = {}
        self._history: dict[str, list[Past]] | None = None
        self._sums: dict[str, TeamSums] = {}
        self._books: Books | None = None
        #: Per team: (cents, method) -> (day number, id) of each spend not voided, from the
        #: fold; an import adds its rows (id ``""``).
        self._twins: dict[str, dict[tuple[int, str], list[tuple[int, str]]]] = {}

    def rules(self, slug: str) -> Rules:
        if slug not in self._rules:
            self._rules[slug] = load_rules(self.folder, slug)
        return self._rules[slug]

    def books(self) -> Books:
        """Every journal, read once (the household rules and an import's figures)."""
        if self._books is None:
            self._books = self.folder.books()
        return self._books

    def leave_out(self, slug: str, book: Book) -> None:
        """Check against ``book`` as the team's journal from now on: a correction checks the
        entry's new values against the journal with the entry itself voided, so that it is
        neither its own twin nor counted twice in the figures."""
        from dataclasses import replace

        from ..store.books import Books

        books = self.books()
        folded = dict(books.folded)
        folded[slug] = replace(books[slug], book=book)
        self._books = Books(folded, books.notes)
        self.batch = True  # the figures from these books, not from the note
        self._sums.pop(slug, None)
        self._twins.pop(slug, None)
        self._history = None

    def sums(self, slug: str) -> TeamSums:
        """The team's figures: an import takes them from the journals read once, a single
        spend from the note the writers keep (:mod:`.plausible`)."""
        if slug not in self._sums:
            from .plausible import sums_of, team_sums

            self._sums[slug] = sums_of(self.books()[slug].book) if self.batch else team_sums(self.folder, slug)
        return self._sums[slug]

    def figures(self, slug: str, when: dt.date) -> TeamFigures:
        rules = self.rules(slug)
        # The year's whole budget as the team file says it now: the base with its top-ups
        # and cuts, as utilisation counts it (the file is read again when it changed).
        team = self.folder.load_team(slug)
        budget = team.budget(when.year) if when.year in team.years() else None
        if not rules.needs_sums:
            return TeamFigures(when.year, budget, ZERO, None)
        sums = self.sums(slug)
        return TeamFigures(when.year, budget, Decimal(sums.spent.get(when.year, 0)).scaleb(-2),
                           Decimal(sums.largest).scaleb(-2) if sums.largest else None, sums.count)

    def _twin_index(self, slug: str) -> dict[tuple[int, str], list[tuple[int, str]]]:
        if slug not in self._twins:
            from .plausible import EARLIEST, recent_of

            book = self.books()[slug].book if self.batch else self.folder.book(slug).book
            index: dict[tuple[int, str], list[tuple[int, str]]] = {}
            for days, cents, method, key in recent_of(book, EARLIEST):
                index.setdefault((cents, method), []).append((days, key))
            self._twins[slug] = index
        return self._twins[slug]

    def twins(self, slug: str, when: dt.date, cents: int, method: str) -> list[Past]:
        """The team's spends not voided of the same amount and method within its
        ``duplicate_days`` of ``when`` (an import's earlier rows too, id ``""``).

        A clerk's spend dated within the note's recent days asks the note; one typed in
        late (or an import) asks the fold."""
        from .plausible import date_of, day_of

        days = self.rules(slug).duplicate_days
        if days is None:
            return []
        at = day_of(when)
        found: list[tuple[int, str]]
        if not self.batch and at - days >= self.sums(slug).since:
            found = [(d, k) for d, c, m, k in self.sums(slug).recent if c == cents and m == method]
        else:
            found = self._twin_index(slug).get((cents, method), [])
        return [Past(k, date_of(d), Decimal(cents).scaleb(-2)) for d, k in found if abs(d - at) <= days]

    def history(self, household: str) -> list[Past]:
        """The household's spends in every team, voided ones left out."""
        if self._history is None:
            import numpy as np

            from ..core.lines import day

            index: dict[str, list[Past]] = {}
            for folded in self.books().values():
                book = folded.book
                at = np.flatnonzero(~book.voided & book.has_household())
                for code, key, days, cents in zip(book.households(at), book.ids(at),
                                                  book.dates()[at].tolist(), book.amounts()[at].tolist(),
                                                  strict=True):
                    index.setdefault(code, []).append(Past(key, day(days), Decimal(cents).scaleb(-2)))
            self._history = index
        return self._history.get(household, [])

    def check(self, cells: dict[str, str], *, reason: str, second_opinion: str) -> list[str]:
        """Raise RuleError on a hit without a reason; else return the rules overridden.

        ``cells`` are a spend's journal cells (``_team``, ``date``, ``amount``,
        ``category``, ``household``).
        """
        slug = cells["_team"]
        rules = self.rules(slug)
        household = cells.get("household", "")
        when = dt.date.fromisoformat(cells["date"])
        amount = Decimal(cells["amount"])
        cents = int(amount.scaleb(2))
        method = cells.get("method", "")
        past = self.history(household) if household and rules.needs_history else []
        # A replay of published history (plausibility off) has its own twins on purpose.
        twins = self.twins(slug, when, cents, method) if self.plausibility else []
        hits = find_hits(rules, amount=amount, category=cells.get("category", ""),
                         household=household, when=when, second_opinion=second_opinion,
                         history=past, figures=self.figures(slug, when) if self.plausibility else None,
                         second_opinion_hint=SECOND_OPINION_IMPORT if self.columns else SECOND_OPINION,
                         method=method, twins=twins)
        if hits and not reason:
            raise RuleError(hit_message(hits, self.proceed))
        if self.batch:
            if household:
                self.history(household)  # make sure the index exists before adding to it
                assert self._history is not None
                self._history.setdefault(household, []).append(Past("", when, amount))
            if slug in self._sums:
                # Earlier rows use the budget up; the largest spend and the count stay the
                # team's own from before the import (a migrated sheet is not compared with itself).
                self._sums[slug] = self._sums[slug].plus(when.year, cents, largest=False)
            if slug in self._twins:
                # An import's rows are twins of the rows after them, too.
                from .plausible import day_of

                self._twins[slug].setdefault((cents, method), []).append((day_of(when), ""))
        return [h.rule for h in hits]

    def recorded(self, slug: str, cells: Mapping[str, str], new_id: str) -> None:
        """After a single spend was written (under the lock): carry the team's figures
        forward to the journal as it is now."""
        if self.batch or slug not in self._sums:
            return
        from ..core.records import split_id
        from .plausible import day_of, keep

        when = dt.date.fromisoformat(cells["date"])
        cents = int(Decimal(cells["amount"]).scaleb(2))
        self._sums[slug] = self._sums[slug].plus(when.year, cents, seq=split_id(new_id)[2],
                                                 spend=(day_of(when), cents, cells.get("method", ""), new_id))
        keep(self.folder, slug, self._sums[slug])


def check_spend(
    folder: LedgerFolder, cells: dict[str, str], *, reason: str = "", second_opinion: str = "",
    checker: SpendRules | None = None,
) -> None:
    """Apply the rules to a spend's cells; add the overridden rules to its ``extra``.

    ``checker``: the one of an import (see :class:`SpendRules`), else a fresh one.
    Raises :class:`RuleError` when a rule is hit and no reason was given.
    """
    checker = checker or SpendRules(folder)
    overridden = checker.check(cells, reason=reason, second_opinion=second_opinion)
    if overridden:
        import json

        extra: dict[str, Any] = json.loads(cells["extra"]) if cells.get("extra") else {}
        extra["rules"] = overridden
        cells["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# ---------------------------------------------------------------------------- listing


@dataclass(frozen=True, slots=True)
class Override:
    """A spend recorded although it hit rules of thumb, with the reason given.

    id, team, date, amount, category, by: the spend as recorded.
    rules: the names of the rules it overrode.
    reason: why the professional went ahead.
    second_opinion: who agreed, if recorded.
    voided: the spend was cancelled later.
    """

    id: str
    team: str
    date: dt.date
    amount: Decimal
    category: str
    rules: tuple[str, ...]
    reason: str
    by: str = ""
    second_opinion: str = ""
    voided: bool = False


def overrides(
    ledger: Any, team: str | None = None, *, year: int | None = None, voided: bool = False
) -> tuple[list[Override], tuple[Problem, ...]]:
    """Every spend recorded over a rule of thumb (in ``year``, if given), by date.

    A spend voided later overrode nothing in the end: left out unless ``voided``
    (then listed, marked).
    """


    folder = folder_of(ledger)
    books = folder.books([team_slug(folder, team)] if team else None)
    entries = []
    for folded in books.values():
        book = folded.book
        # Only spends whose extra names rules: the rest need not be read at all.
        entries.extend(book.entries(list(book.extra_values("rules"))))
    found = []
    for e in entries:
        names = e.extra.get("rules")
        if not names or (year is not None and e.date.year != year) or (e.voided and not voided):
            continue
        found.append(Override(
            id=e.id, team=e.team, date=e.date, amount=e.amount, category=e.category,
            rules=tuple(str(n) for n in names) if isinstance(names, list) else (str(names),),
            reason=e.override_reason, by=e.by, second_opinion=e.second_opinion, voided=e.voided,
        ))
    found.sort(key=lambda o: (o.date, o.team, o.id))
    return found, books.problems


def check_team_rules(folder: LedgerFolder, slug: str) -> list[Problem]:
    """For ``maatwerk check``: a team's rules (settings and overrides) must be readable.

    A mistake in ``maatwerk.toml`` is reported once, with the first team, not per team.
    """
    settings = folder.settings
    where = folder.display(folder.settings_path)
    try:
        _parse_table(settings.raw.get("rules", {}), where, settings.categories)
    except MaatwerkError as exc:
        first = folder.team_slugs()[:1]
        return [Problem("", 0, str(exc))] if first == [slug] else []
    try:
        load_rules(folder, slug)
    except MaatwerkError as exc:
        return [Problem("", 0, str(exc))]
    return []
