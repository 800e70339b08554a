"""The knipkaart: a few exceptions per team per year to bend another department's rule.

The idea from the sources: give every wijkteam a punch card with (say) five
exceptions a year; when the team uses one, the other department (Werk en Inkomen,
say) follows the team's judgement. The list of what the exceptions were used for
shows where the system itself leaves residents stuck.

Each use is a ``knipkaart`` line in the team journal: ``date``, ``reason`` (which rule
of which department was bent, and why), ``by``, and ``status`` = ``beyond`` when it was
forced past the card's limit. The limit is ``[knipkaart] per_year`` in
``maatwerk.toml`` (default 5); a team file may set its own under ``[knipkaart]``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.dates import today
from ..core.errors import InputError, LedgerError, MaatwerkError, Problem, RuleError
from ..core.messages import Opt, msg
from .base import folder_of, team_slug

if TYPE_CHECKING:
    from ..core.fold import Book
    from ..store.folder import LedgerFolder

DEFAULT_PER_YEAR = 5
BEYOND = "beyond"


@dataclass(frozen=True, slots=True)
class Use:
    """One use of a team's knipkaart.

    id, team, date, reason, by: as recorded.
    beyond: the use was forced past the card's limit.
    """

    id: str
    team: str
    date: dt.date
    reason: str
    by: str = ""
    beyond: bool = False


@dataclass(frozen=True, slots=True)
class Status:
    """How a team's knipkaart stands in one year.

    team, year: whose card, which calendar year.
    used: every use that year, those beyond the card included.
    limit: uses on the card (``per_year``).
    remaining: uses left on the card (never below zero).
    uses: the uses themselves, by date.
    """

    team: str
    year: int
    used: int
    limit: int
    remaining: int
    uses: tuple[Use, ...] = ()

    @property
    def beyond(self) -> int:
        """How many uses went past the card."""
        return sum(1 for u in self.uses if u.beyond)


def _per_year(table: Any, where: str) -> int | None:
    if table is None:
        return None
    if not isinstance(table, dict):
        raise LedgerError(msg("knipkaart.not_a_table", where=where))
    unknown = [k for k in table if k != "per_year"]
    if unknown:
        raise LedgerError(msg("knipkaart.unknown_setting", where=where, setting=repr(unknown[0])))
    if "per_year" not in table:
        return None
    value = table["per_year"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise LedgerError(msg("knipkaart.bad_per_year", where=where))
    return value


def limit_for(ledger: Any, slug: str) -> int:
    """Uses on the team's card per year: the team's own setting, else the settings', else 5."""
    folder = folder_of(ledger)
    team = folder.load_team(slug)
    own = _per_year(team.raw.get("knipkaart"), folder.display(folder.team_path(team.slug)))
    if own is not None:
        return own
    base = _per_year(folder.settings.raw.get("knipkaart"), folder.display(folder.settings_path))
    return DEFAULT_PER_YEAR if base is None else base


def uses_in(book: Book, year: int | None = None) -> list[Use]:
    """The knipkaart uses in a folded journal that count (not voided), in ``year`` if given."""
    return [Use(id=r.id, team=book.team, date=r.date, reason=r.reason, by=r.by, beyond=r.status == BEYOND)
            for r in book.rows(book.rows_of("knipkaart")) if year is None or r.date.year == year]


def use(
    ledger: Any,
    team: str,
    *,
    reason: str,
    date: dt.date | None = None,
    force: bool = False,
    by: str | None = None,
    allow_personal_data: bool = False,
) -> str:
    """Record one use of the team's knipkaart; return its id.

    A use beyond the card's limit is refused (:class:`RuleError`) unless ``force``;
    it is then recorded as ``beyond``.
    """
    from ..core.privacy import guard as guard_personal_data
    from ..core.text import clean_text
    from ..store.journal import extra_text

    folder = folder_of(ledger)
    slug = team_slug(folder, team)
    text = clean_text(reason, "reason")
    if not text:
        raise InputError(msg("knipkaart.no_reason", option=Opt("reason")))
    guard_personal_data({"reason": text, "by": clean_text(by, "by", limit=100)}, allow_personal_data,
                        offer_flag=True)
    when = date or today()
    if when > today():
        raise InputError(msg("knipkaart.date_in_future", date=when))
    limit = limit_for(folder, slug)
    with folder.lock():
        used = len(uses_in(folder.book(slug).book, when.year))
        beyond = used >= limit
        if beyond and not force:
            raise RuleError(msg("knipkaart.used_up", team=slug, year=when.year, used=used, limit=limit,
                                option=Opt("force")))
        cells = {
            "type": "knipkaart",
            "date": when.isoformat(),
            "reason": text,
            "status": BEYOND if beyond else "",
            "by": clean_text(by, "by", limit=100),
            "extra": extra_text({"personal_data_allowed": True} if allow_personal_data else {}),
        }
        return folder.append(slug, [cells])[0]


def status(ledger: Any, team: str | None = None, *, year: int | None = None) -> list[Status]:
    """The knipkaart of one team, or of every wijkteam (and any fund that used one)."""
    y = year or today().year

    folder = folder_of(ledger)
    folder.require()
    holders = [folder.load_team(team_slug(folder, team))] if team else folder.load_teams()
    books = folder.books([h.slug for h in holders])
    out: list[Status] = []
    for holder in holders:
        uses = uses_in(books[holder.slug].book, y)
        if not team and holder.kind != "team" and not uses:
            continue
        limit = limit_for(folder, holder.slug)
        out.append(Status(team=holder.slug, year=y, used=len(uses), limit=limit,
                          remaining=max(limit - len(uses), 0),
                          uses=tuple(sorted(uses, key=lambda u: (u.date, u.id)))))
    return out


def check_rows(folder: LedgerFolder, slug: str, book: Book, file_display: str) -> list[Problem]:
    """For ``maatwerk check``: knipkaart lines need a reason and a known status."""
    out: list[Problem] = []
    for r in book.rows(book.all_of("knipkaart")):
        if not r.reason:
            out.append(Problem(file_display, r.line,
                               str(msg("check.line", id=r.id, message=msg("knipkaart.use_without_reason")))))
        if r.status not in ("", BEYOND):
            out.append(Problem(file_display, r.line,
                               str(msg("check.line", id=r.id, message=msg("knipkaart.unknown_status",
                                                                         status=repr(r.status),
                                                                         beyond=repr(BEYOND))))))
    try:
        _per_year(folder.settings.raw.get("knipkaart"), folder.display(folder.settings_path))
    except MaatwerkError as exc:
        # A mistake in maatwerk.toml is reported once, with the first team.
        return [*out, Problem("", 0, str(exc))] if folder.team_slugs()[:1] == [slug] else out
    try:
        limit_for(folder, slug)
    except MaatwerkError as exc:
        out.append(Problem("", 0, str(exc)))
    return out
