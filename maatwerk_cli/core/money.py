"""Money: one way in (:func:`parse_amount`), two ways out (Dutch display, plain machine text).

Amounts are always :class:`~decimal.Decimal` with two places, never float.

The Dutch rule, which every input of the tool goes through:

* a comma is always the decimal mark: ``12,50``, ``1.234,56``, ``35,-``;
* a dot followed by exactly three digits groups thousands: ``5.000`` is five thousand;
* a lone dot followed by one or two digits is a decimal point: ``12.50``, ``1234.5``;
* English grouping (``1,234.56``) and anything else that could be read two ways is refused
  with a message that says how to write it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .dates import quoted  # refused values are shown as the privacy guard allows
from .errors import InputError

# Shown money lives in .euro; here too, where every caller has always found it.
from .euro import CENT as CENT
from .euro import format_eur as format_eur
from .euro import format_plain as format_plain
from .messages import msg

ZERO = Decimal("0.00")
# Far above any budget in the sources (Ten Boer's EUR 5 million a year); a longer number is a typo.
MAX_AMOUNT = Decimal("1000000000")

_CURRENCY = re.compile(r"^(?:€|eur\b|euro\b)\s*|\s*(?:€|eur|euro)$", re.IGNORECASE)
_GROUPED = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+$")
_DIGITS = re.compile(r"^[0-9]+$")

#: How to write an amount: the hint of the messages that refuse one.
HOW_TO_WRITE = msg("amount.how_to_write")


def D(value: str | int | Decimal) -> Decimal:
    """An exact amount from trusted program text (``D("12.50")``); not for user input."""
    return Decimal(value).quantize(CENT)


def parse_amount(
    text: str,
    *,
    what: str = "amount",
    allow_zero: bool = False,
    allow_negative: bool = False,
) -> Decimal:
    """Read an amount as a person writes it in the Netherlands; return it to the cent.

    ``what`` names the value in messages ("amount", "budget", "avoided cost").
    Raises :class:`InputError` with a hint on anything not clearly one number.
    """
    raw = text
    s = text.strip().replace("\u00a0", " ")
    if not s:
        raise InputError(msg("amount.empty", what=what, how=HOW_TO_WRITE))
    negative = False
    if s[0] in "-\u2212":
        negative = True
        s = s[1:].strip()
    elif s[0] == "+":
        s = s[1:].strip()
    s = _CURRENCY.sub("", s, count=1).strip()
    s = _CURRENCY.sub("", s, count=1).strip()
    if s and s[0] in "-\u2212" and not negative:
        negative = True
        s = s[1:].strip()
    if s.endswith((",-", ",--")):
        s = s[: s.index(",")]
    if not s or " " in s:
        raise InputError(msg("amount.not_an_amount", what=what, value=quoted(raw), how=HOW_TO_WRITE))
    if not re.fullmatch(r"[0-9.,]+", s):
        raise InputError(msg("amount.not_an_amount", what=what, value=quoted(raw), how=HOW_TO_WRITE))
    number = _normalise(s, raw, what)
    try:
        value = Decimal(number)
    except InvalidOperation:  # pragma: no cover - _normalise only lets digits through
        raise InputError(msg("amount.not_an_amount", what=what, value=quoted(raw), how=HOW_TO_WRITE)) from None
    if value >= MAX_AMOUNT:
        raise InputError(msg("amount.too_large", what=what, value=quoted(raw)))
    if negative:
        value = -value
    if value < 0 and not allow_negative:
        raise InputError(msg("amount.negative", what=what, value=quoted(raw)))
    if value == 0 and not allow_zero:
        raise InputError(msg("amount.zero", what=what, value=quoted(raw)))
    return value.quantize(CENT)


def _normalise(s: str, raw: str, what: str) -> str:
    """Turn a Dutch-or-plain number into Decimal text, or refuse it."""
    if "," in s:
        if s.count(",") > 1:
            raise InputError(msg("amount.two_commas", what=what, value=quoted(raw), how=HOW_TO_WRITE))
        whole, frac = s.split(",")
        if "." in frac:
            raise InputError(msg("amount.english_notation", what=what, value=quoted(raw)))
        if not frac or not _DIGITS.match(frac):
            raise InputError(msg("amount.no_cents", what=what, value=quoted(raw), how=HOW_TO_WRITE))
        if len(frac) > 2:
            if len(frac) == 3 and "." not in whole and whole.lstrip("0"):
                raise InputError(msg("amount.three_decimals_comma_thousands", what=what, value=quoted(raw),
                                     whole=whole, frac=frac))
            raise InputError(msg("amount.decimals_after_comma", what=what, value=quoted(raw)))
        whole = _whole_part(whole or "0", raw, what)
        return f"{whole}.{frac}"
    if "." in s:
        if _GROUPED.match(s):
            return s.replace(".", "")
        if s.count(".") == 1:
            whole, frac = s.split(".")
            if len(frac) in (1, 2) and _DIGITS.match(whole or "0"):
                return f"{whole or '0'}.{frac}"
            if len(frac) > 3:
                raise InputError(msg("amount.too_many_decimals", what=what, value=quoted(raw), how=HOW_TO_WRITE))
        raise InputError(msg("amount.ambiguous_dot", what=what, value=quoted(raw), how=HOW_TO_WRITE))
    return s


def _whole_part(whole: str, raw: str, what: str) -> str:
    if _DIGITS.match(whole):
        return whole
    if _GROUPED.match(whole):
        return whole.replace(".", "")
    raise InputError(msg("amount.dots_misplaced", what=what, value=quoted(raw), how=HOW_TO_WRITE))


def amount_from_file(text: str) -> Decimal:
    """Read an amount the tool itself wrote (``1234.56``); raises ValueError when damaged."""
    if not re.fullmatch(r"-?[0-9]{1,10}\.[0-9]{2}", text):
        raise ValueError(msg("amount.not_ledger_form", value=quoted(text)))
    return Decimal(text)
