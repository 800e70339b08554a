"""What a column is, and how each kind of value is written in each kind of output.

Reports and listings hand over plain records (dicts) plus a list of :class:`Column`; the
renderers only format them. Machine formats (JSON, CSV) show plain numbers (``1234.56``,
``2025-03-14``); Dutch Excel CSV writes ``1234,56`` and ``14-03-2025``; human formats
(tables, Markdown) show Dutch money (``€ 1.234,56``), percentages (``7,9%``) and dates
(``14-03-2025``). A year is never grouped like a count (``2026``, not ``2.026``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..core.messages import N_, Said, tr
from ..core.money import format_eur, format_plain

Record = Mapping[str, Any]

#: Column kinds whose cells are shown whole or not at all: a cropped number is a wrong number.
WHOLE = frozenset({"money", "fraction", "int", "number", "date", "bool", "year", "id"})
NUMERIC = frozenset({"money", "fraction", "int", "number", "year"})


@dataclass(frozen=True, slots=True)
class Column:
    """How one field is shown.

    key: the record key (and the JSON/CSV header, the contract).
    title: the header of tables, Markdown, workbooks and ``csv-nl``, in English (marked with
      ``N_``), shown in the run's language; defaults to the key (never translated).
    kind: ``text``, ``id``, ``money``, ``fraction`` (0.079 shows as 7,9%), ``int``,
      ``number``, ``year``, ``date`` or ``bool``.
    total: summed in a totals row made from the records (listings; reports bring their own).
    wide: may be left out of a terminal table first when space is short.
    marker: changes what a row means (an entry is voided): never left out of a terminal
      table, however narrow; it stands next to the figure it qualifies.
    meaning: what the column holds, for the workbook's cover sheet.
    translate: the title is a text of the tool (False: a value, such as a team's name when
      teams are the columns).
    """

    key: str
    title: str = ""
    kind: str = "text"
    total: bool = False
    wide: bool = False
    marker: bool = False
    meaning: str = ""
    translate: bool = True

    @property
    def header(self) -> str:
        """The title as people read it, in the run's language."""
        if not self.title:
            return self.key
        return tr(self.title) if self.translate else self.title


#: Fields whose values come from a fixed vocabulary (a status, a kind): the contract keeps
#: the English value, people read it in their language (:func:`word`).
WORD_KEYS = frozenset({"status", "kind", "direction", "result", "tegenprestatie_status", "outcome", "problem", "type"})
#: The values of those fields that people read as words (English, the catalogue's keys).
WORDS = frozenset({
    N_("on-track"), N_("under"), N_("over"),  # utilisation
    N_("linked"), N_("explained"), N_("open"), N_("credit"), N_("debit"), N_("other_download"),  # bank
    N_("gift"), N_("loan"), N_("conditional"), N_("team"), N_("fund"),  # kinds
    N_("proposed"), N_("agreed"), N_("done"), N_("not-possible"),  # tegenprestatie
    N_("reached"), N_("partial"), N_("not-reached"),  # outcome
    # the types of a journal's lines (show)
    N_("spend"), N_("tegenprestatie"), N_("recovered"), N_("repay"), N_("void"), N_("refusal"), N_("withdraw"),
    N_("settle"), N_("knipkaart"), N_("bank-link"), N_("amend"), N_("bank-undo"),
    N_("in-use"), N_("undone"),  # an import of a statement (bank imports)
})


#: Values the contract spells as a name rather than a word (``bank_without_entry``), by field:
#: the words people read for them (English, the catalogue's keys).
NAMED = {
    "problem": {"bank_without_entry": N_("bank only"), "entry_without_bank": N_("ledger only"),
                "amount_mismatch": N_("amounts differ"), "not_on_a_statement_yet": N_("not on a statement yet"),
                "not_covered": N_("no statement")},
    "source": {"default": N_("default")},  # a rule of thumb's value that no file sets
}
#: The label of a totals row (and of a totals column where teams are columns): a data value,
#: the same in JSON in every language (``analysis.reports.TOTAL_LABEL``, not imported here to
#: keep this module light); people read :data:`TOTAL_WORD` in the run's language.
TOTAL = "totaal"
TOTAL_WORD = N_("total")
#: The fields that hold a totals row's label (a report's or listing's first column).
TOTAL_KEYS = frozenset({"team", "category", "id", "municipality", "holder"})


def word(key: str, value: Any) -> Any:
    """A value as people read it: a status, kind, problem or totals label in the run's
    language, a text the library made for both (:class:`Said`) in its people's form; else
    unchanged."""
    if isinstance(value, Said):
        return value.said()
    if not isinstance(value, str):
        return value
    named = NAMED.get(key)
    if named is not None and value in named:
        return tr(named[value])
    if key in WORD_KEYS and value in WORDS:
        return tr(value)
    if value == TOTAL and key in TOTAL_KEYS:
        return tr(TOTAL_WORD)
    return value


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def plain(value: Any, kind: str) -> Any:
    """A value for JSON: Decimal stays Decimal (written exactly), dates ISO, NaN None."""
    if _missing(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if kind == "money" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    if kind == "fraction" and isinstance(value, (Decimal, float)):
        return round(float(value), 4)
    return value


def text_plain(value: Any, kind: str) -> str:
    """A value for plain CSV: ``1234.56``, ``2025-03-14``, ``true``."""
    v = plain(value, kind)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        return format_plain(v) if kind == "money" else str(v)
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".") if kind == "fraction" else repr(v)
    return str(v)


def text_nl(value: Any, kind: str) -> str:
    """A value for Dutch Excel CSV: decimal comma, dates as 14-03-2025."""
    if _missing(value):
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if kind == "money" and isinstance(value, (Decimal, int, float)):
        return format_eur(Decimal(str(value)), symbol=False).replace(".", "")
    if isinstance(value, (Decimal, float)):
        return text_plain(value, kind).replace(".", ",")
    return str(value)


def text_human(value: Any, kind: str) -> str:
    """A value for tables and Markdown: ``€ 1.234,56``, ``7,9%``, ``14-03-2025``, ``1.210``."""
    if _missing(value):
        return ""
    if isinstance(value, bool):
        return tr("yes") if value else ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if kind == "money" and isinstance(value, (Decimal, int, float)):
        return format_eur(Decimal(str(value)))
    if kind == "fraction" and isinstance(value, (Decimal, int, float)):
        return f"{float(value) * 100:.1f}%".replace(".", ",")
    if kind == "number" and isinstance(value, (Decimal, float)):
        return f"{float(value):.2f}".replace(".", ",")
    if kind == "year":
        return str(value)
    if isinstance(value, int) and kind in ("int", "number"):
        return f"{value:,}".replace(",", ".")
    return str(value)


def totals(records: list[Record] | tuple[Record, ...], columns: list[Column] | tuple[Column, ...],
           label: str = TOTAL) -> dict[str, Any]:
    """A totals record: sums of the ``total`` columns, ``label`` in the first column.

    A voided entry is listed but never counted.
    """
    row: dict[str, Any] = {c.key: None for c in columns}
    for c in columns:
        if c.total:
            acc: Any = Decimal(0) if c.kind == "money" else 0
            for r in records:
                if r.get("voided"):
                    continue
                v = r.get(c.key)
                if not _missing(v):
                    acc += Decimal(str(v)) if c.kind == "money" else v
            row[c.key] = acc
    row[columns[0].key] = label
    return row
