"""The ledger folder's TOML files (settings and budget holders): reading them, and amounts in them."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.errors import LedgerError, NotFoundError
from ..core.money import format_plain, parse_amount


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a damaged file is a LedgerError naming file and line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{path} does not exist") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LedgerError(f"{path}: not UTF-8 text") from None
    return loads(text, str(path))


def loads(text: str, where: str) -> dict[str, Any]:
    """Parse TOML text; damaged text is a LedgerError naming ``where`` and the line."""
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise LedgerError(f"{where}: {exc}") from None
    import tomlkit  # pragma: no cover - Python 3.10

    try:  # pragma: no cover
        return tomlkit.parse(text).unwrap()
    except Exception as exc:  # pragma: no cover - tomlkit raises many kinds
        raise LedgerError(f"{where}: {exc}") from None


def toml_amount(value: object, where: str) -> Decimal:
    """A budget or limit from a TOML file: a number, or Dutch text like ``"10.000"``."""
    if isinstance(value, bool):
        raise LedgerError(f"{where}: expected an amount, found {value!r}")
    if isinstance(value, int):
        return Decimal(value).quantize(Decimal("0.01"))
    if isinstance(value, float):
        # repr() gives the shortest text that reads back the same: 10000.5 -> "10000.5".
        return parse_amount(repr(value), what=where, allow_zero=True)
    if isinstance(value, str):
        return parse_amount(value, what=where, allow_zero=True)
    raise LedgerError(f"{where}: expected an amount, found {value!r}")


def toml_amount_text(value: Decimal) -> str:
    """How the tool writes an amount into TOML: a whole number, or a string with cents."""
    if value == value.to_integral_value():
        return str(int(value))
    return f'"{format_plain(value)}"'


