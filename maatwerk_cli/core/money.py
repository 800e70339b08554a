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

from .errors import InputError

# Shown money lives in .euro; here too, where every caller has always found it.
from .euro import CENT as CENT
from .euro import format_eur as format_eur
from .euro import format_plain as format_plain
from .privacy import quoted

ZERO = Decimal("0.00")
# Far above any budget in the sources (Ten Boer's EUR 5 million a year); a longer number is a typo.
MAX_AMOUNT = Decimal("1000000000")

_CURRENCY = re.compile(r"^(?:€|eur\b|euro\b)\s*|\s*(?:€|eur|euro)$", re.IGNORECASE)
_GROUPED = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+$")
_DIGITS = re.compile(r"^[0-9]+$")

HOW_TO_WRITE = "write it like 35, 12,50 or 1.234,56"


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
        raise InputError(f"{what} is empty: {HOW_TO_WRITE}")
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
        raise InputError(f"{what} {quoted(raw)} is not an amount: {HOW_TO_WRITE}")
    if not re.fullmatch(r"[0-9.,]+", s):
        raise InputError(f"{what} {quoted(raw)} is not an amount: {HOW_TO_WRITE}")
    number = _normalise(s, raw, what)
    try:
        value = Decimal(number)
    except InvalidOperation:  # pragma: no cover - _normalise only lets digits through
        raise InputError(f"{what} {quoted(raw)} is not an amount: {HOW_TO_WRITE}") from None
    if value >= MAX_AMOUNT:
        raise InputError(f"{what} {quoted(raw)} is too large; amounts stay below € 1.000.000.000")
    if negative:
        value = -value
    if value < 0 and not allow_negative:
        raise InputError(
            f"{what} {quoted(raw)} is negative; amounts are written without a sign "
            "(to undo an entry use `maatwerk void`)"
        )
    if value == 0 and not allow_zero:
        raise InputError(f"{what} {quoted(raw)} is zero; give the amount that was paid")
    return value.quantize(CENT)


def _normalise(s: str, raw: str, what: str) -> str:
    """Turn a Dutch-or-plain number into Decimal text, or refuse it."""
    if "," in s:
        if s.count(",") > 1:
            raise InputError(
                f"{what} {quoted(raw)} has more than one comma; the comma is the decimal mark: {HOW_TO_WRITE}"
            )
        whole, frac = s.split(",")
        if "." in frac:
            raise InputError(
                f"{what} {quoted(raw)} looks like English notation; "
                "write 1.234,56 (Dutch) or 1234.56"
            )
        if not frac or not _DIGITS.match(frac):
            raise InputError(f"{what} {quoted(raw)} has no digits after the comma: {HOW_TO_WRITE}")
        if len(frac) > 2:
            hint = ""
            if len(frac) == 3 and "." not in whole and whole.lstrip("0"):
                hint = f" (for {whole}{frac} euro write {whole}.{frac} or {whole}{frac})"
            raise InputError(
                f"{what} {quoted(raw)} has more than two decimals; the comma is the decimal mark{hint}"
            )
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
                raise InputError(f"{what} {quoted(raw)} has more than two decimals: {HOW_TO_WRITE}")
        raise InputError(
            f"{what} {quoted(raw)} is ambiguous; a dot groups thousands (1.234) or marks cents (12.50): "
            f"{HOW_TO_WRITE}"
        )
    return s


def _whole_part(whole: str, raw: str, what: str) -> str:
    if _DIGITS.match(whole):
        return whole
    if _GROUPED.match(whole):
        return whole.replace(".", "")
    raise InputError(
        f"{what} {quoted(raw)} has dots in the wrong places; group thousands by three: {HOW_TO_WRITE}"
    )


def amount_from_file(text: str) -> Decimal:
    """Read an amount the tool itself wrote (``1234.56``); raises ValueError when damaged."""
    if not re.fullmatch(r"-?[0-9]{1,10}\.[0-9]{2}", text):
        raise ValueError(f"not an amount in ledger form (like 1234.56): {quoted(text)}")
    return Decimal(text)
