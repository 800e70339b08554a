"""Money shown: the Dutch way for people (``€ 1.234,56``), the plain way for files and scripts
(``1234.56``). Apart from :mod:`.money` (which reads amounts and refuses bad ones), so that
the messages can show amounts without depending on the errors they are part of."""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")


def format_eur(value: Decimal, *, symbol: bool = True) -> str:
    """Dutch display: ``€ 1.234,56`` (``€ -35,00`` when negative)."""
    q = value.quantize(CENT)
    sign = "-" if q < 0 else ""
    whole, frac = f"{abs(q):.2f}".split(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = f"{sign}{'.'.join(groups)},{frac}"
    return f"€ {text}" if symbol else text


def format_plain(value: Decimal) -> str:
    """Machine text: ``1234.56``; what the ledger files and CSV/JSON output hold."""
    return f"{value.quantize(CENT):.2f}"
