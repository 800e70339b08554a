"""Dates as the clerk types them: ``14-3-2025``, ``2025-03-14``, ``vandaag``, ``gisteren``."""

from __future__ import annotations

import datetime as dt
import re

from .errors import InputError
from .messages import Msg, Opt, msg


def quoted(value: object) -> str:
    """:func:`maatwerk_cli.core.privacy.quoted`, imported when a value is refused: the guard's
    patterns are compiled only then, not for every command that reads a date or amount."""
    from .privacy import quoted as guarded

    return guarded(value)


#: How to write a date: the hint of the messages that refuse one.
HOW_TO_WRITE = msg("date.how_to_write")

_RELATIVE = {
    "vandaag": 0,
    "today": 0,
    "gisteren": 1,
    "yesterday": 1,
    "eergisteren": 2,
}
_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_DUTCH = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$")
_SHORT_YEAR = re.compile(r"^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2}$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")


def today() -> dt.date:
    """The current date; one place so tests and reports agree on 'now'."""
    return dt.date.today()


def parse_date(
    text: str,
    *,
    what: str | Msg = "date",
    allow_future: bool = False,
    on: dt.date | None = None,
    allow_flag: Opt | None = None,
) -> dt.date:
    """Read a date; refuse impossible ones and (unless allowed) ones after ``on`` (today).

    ``allow_flag``: the option of the command that accepts a later date (``--allow-future``),
    named in the message; commands without one get no such hint.
    """
    now = on or today()
    s = text.strip().lower()
    if not s:
        raise InputError(msg("date.empty", what=what, how=HOW_TO_WRITE))
    if s in _RELATIVE:
        return now - dt.timedelta(days=_RELATIVE[s])
    if m := _ISO.match(s):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DUTCH.match(s):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif _SHORT_YEAR.match(s):
        raise InputError(msg("date.short_year", what=what, value=quoted(text)))
    else:
        raise InputError(msg("date.not_a_date", what=what, value=quoted(text), how=HOW_TO_WRITE))
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise InputError(msg("date.does_not_exist", what=what, value=quoted(text), how=HOW_TO_WRITE)) from None
    if year < 1990:
        raise InputError(msg("date.too_long_ago", what=what, value=quoted(text)))
    if value > now and not allow_future:
        how = msg("date.future_how", option=allow_flag) if allow_flag else msg("date.future_check")
        raise InputError(msg("date.in_future", what=what, value=quoted(text), how=how))
    return value


def parse_month(text: str) -> tuple[int, int]:
    """``2025-03`` (or ``3-2025``) as (year, month)."""
    s = text.strip()
    if m := _MONTH.match(s):
        year, month = int(m[1]), int(m[2])
    elif m := re.match(r"^([0-9]{1,2})-([0-9]{4})$", s):
        month, year = int(m[1]), int(m[2])
    else:
        raise InputError(msg("month.not_a_month", value=quoted(text)))
    if not 1 <= month <= 12 or year < 1990:
        raise InputError(msg("month.does_not_exist", value=quoted(text)))
    return year, month


def parse_year(value: int | str) -> int:
    """A budget year, 1990 to 2100."""
    try:
        year = int(str(value).strip())
    except ValueError:
        raise InputError(msg("year.not_a_year", value=quoted(value))) from None
    if not 1990 <= year <= 2100:
        raise InputError(msg("year.out_of_range", value=quoted(value)))
    return year


def parse_iso(text: str) -> dt.date:
    """A date the tool wrote itself (``2025-03-14``); ValueError when damaged."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(msg("date.not_ledger_form", value=quoted(text)))
    return dt.date.fromisoformat(text)
