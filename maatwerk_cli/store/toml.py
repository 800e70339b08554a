"""The ledger folder's TOML files (settings and budget holders): reading them, and amounts in them."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.errors import LedgerError, NotFoundError
from ..core.messages import Msg, msg
from ..core.money import MAX_AMOUNT, format_plain, parse_amount

#: What no text in a settings or team file may hold: control characters (C0, DEL, C1: a
#: newline or carriage return would split a journal line or a table row, a form feed makes
#: a workbook unreadable), the Unicode line and paragraph separators, and the bidi controls
#: that make a name show other than it is (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069).
UNSAFE_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a damaged file is a LedgerError naming file and line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(msg("file.missing", path=path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LedgerError(msg("file.not_utf8", path=path)) from None
    return loads(text, str(path))


def loads(text: str, where: str) -> dict[str, Any]:
    """Parse TOML text; damaged text is a LedgerError naming ``where`` and the line."""
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise LedgerError(msg("toml.damaged", where=where, error=str(exc))) from None
    import tomlkit  # pragma: no cover - Python 3.10

    try:  # pragma: no cover
        return tomlkit.parse(text).unwrap()
    except Exception as exc:  # pragma: no cover - tomlkit raises many kinds
        raise LedgerError(msg("toml.damaged", where=where, error=str(exc))) from None


def unsafe_char(text: str) -> str:
    """The first character of ``text`` that no name may hold, described ("" if none)."""
    m = UNSAFE_TEXT.search(text)
    if m is None:
        return ""
    char = m[0]
    label = unicodedata.name(char, "") or {"\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\t": "TAB",
                                            "\x0c": "FORM FEED", "\x00": "NUL"}.get(char, "control character")
    return f"U+{ord(char):04X} {label}"


def check_texts(data: Mapping[str, Any], where: str) -> None:
    """Refuse a TOML file in which any key or text holds a character of :data:`UNSAFE_TEXT`.

    Every name and text in these files ends up in journal lines, messages or exports, so
    each must be one line of plain text. The LedgerError names file, key and the fix.
    """
    for key, value in _texts(data, ""):
        what = unsafe_char(value)
        if what:
            raise LedgerError(msg("toml.unsafe_char", where=where, key=key or msg("toml.a_key"), what=what,
                                  value=_short(value)))


def _texts(value: Any, key: str) -> list[tuple[str | Msg, str]]:
    out: list[tuple[str | Msg, str]] = []
    if isinstance(value, str):
        out.append((key, value))
    elif isinstance(value, Mapping):
        for name, item in value.items():
            name = str(name)
            path = f"{key}.{name}" if key else name
            if UNSAFE_TEXT.search(name):
                out.append((msg("toml.the_key", key=_short(path)), name))
            out.extend(_texts(item, path))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.extend(_texts(item, f"{key}[{i}]"))
    return out


def _short(text: str) -> str:
    return ascii(text if len(text) <= 60 else text[:57] + "...")


def toml_amount(value: object, where: str) -> Decimal:
    """A budget or limit from a TOML file: a number, or Dutch text like ``"10.000"``."""
    if isinstance(value, bool):
        raise LedgerError(msg("toml.not_an_amount", where=where, value=repr(value)))
    if isinstance(value, int):
        if abs(value) >= MAX_AMOUNT:
            raise LedgerError(msg("toml.amount_too_large", where=where, value=value))
        return Decimal(value).quantize(Decimal("0.01"))
    if isinstance(value, float):
        # repr() gives the shortest text that reads back the same: 10000.5 -> "10000.5".
        return parse_amount(repr(value), what=where, allow_zero=True)
    if isinstance(value, str):
        return parse_amount(value, what=where, allow_zero=True)
    raise LedgerError(msg("toml.not_an_amount", where=where, value=repr(value)))


def toml_amount_text(value: Decimal) -> str:
    """How the tool writes an amount into TOML: a whole number, or a string with cents."""
    if value == value.to_integral_value():
        return str(int(value))
    return f'"{format_plain(value)}"'


