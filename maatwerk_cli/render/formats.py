"""Rendering records to table, CSV (plain and Dutch Excel), JSON, Markdown and XLSX.

Reports and listings hand over plain records (dicts) plus a list of :class:`Column`;
this module only formats them. Machine formats (csv, json) show plain numbers
(``1234.56``); human formats (table, markdown) show Dutch money (``€ 1.234,56``).
Text cells in CSV and XLSX are neutralised so a spreadsheet never runs them as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..core.errors import InputError
from ..core.money import format_eur, format_plain

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "csv-nl", "json", "markdown")
FILE_FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".md": "markdown", ".markdown": "markdown"}
Record = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Column:
    """How one field is shown.

    key: the record key (and the JSON/CSV header).
    title: the table and Markdown header; defaults to the key.
    kind: ``text``, ``money``, ``fraction`` (0.079 shows as 7,9%), ``int``, ``number``,
    ``date`` or ``bool``.
    total: summed in the totals row of tables, Markdown and XLSX.
    wide: may be left out of the terminal table when space is short.
    """

    key: str
    title: str = ""
    kind: str = "text"
    total: bool = False
    wide: bool = False

    @property
    def header(self) -> str:
        return self.title or self.key


def neutralise(value: Any) -> Any:
    from ..core.names import neutralise_cell

    return neutralise_cell(value)


# ---------------------------------------------------------------------------- values


def _plain(value: Any, kind: str) -> Any:
    """A value for JSON: Decimal stays Decimal (written exactly), dates ISO."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if kind == "money" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    if kind == "fraction" and isinstance(value, (Decimal, float)):
        return round(float(value), 4)
    return value


def _text_plain(value: Any, kind: str) -> str:
    """A value for plain CSV: ``1234.56``, ``2025-03-14``, ``true``."""
    v = _plain(value, kind)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        return format_plain(v) if kind == "money" else str(v)
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".") if kind == "fraction" else repr(v)
    return str(v)


def _text_nl(value: Any, kind: str) -> str:
    """A value for Dutch Excel CSV: decimal comma, dates as 14-03-2025."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if kind == "money" and isinstance(value, (Decimal, int, float)):
        return format_eur(Decimal(str(value)), symbol=False).replace(".", "")
    if isinstance(value, (Decimal, float)):
        return _text_plain(value, kind).replace(".", ",")
    return str(value)


def _text_human(value: Any, kind: str) -> str:
    """A value for tables and Markdown: ``€ 1.234,56``, ``7,9%``, ``14-03-2025``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "ja" if value else ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if kind == "money" and isinstance(value, (Decimal, int, float)):
        return format_eur(Decimal(str(value)))
    if kind == "fraction" and isinstance(value, (Decimal, int, float)):
        return f"{float(value) * 100:.1f}%".replace(".", ",")
    if kind == "number" and isinstance(value, (Decimal, float)):
        return f"{float(value):.2f}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def totals(records: Sequence[Record], columns: Sequence[Column], label: str = "totaal") -> dict[str, Any]:
    """A totals record: sums of the ``total`` columns, ``label`` in the first column."""
    row: dict[str, Any] = {c.key: None for c in columns}
    for c in columns:
        if c.total:
            acc: Any = Decimal(0) if c.kind == "money" else 0
            for r in records:
                if r.get("voided"):
                    continue  # a cancelled entry is listed, but never counted
                v = r.get(c.key)
                if v is not None and not (isinstance(v, float) and math.isnan(v)):
                    acc += Decimal(str(v)) if c.kind == "money" else v
            row[c.key] = acc
    row[columns[0].key] = label
    return row


# ---------------------------------------------------------------------------- formats


def to_json(records: Iterable[Record], columns: Sequence[Column]) -> str:
    """A JSON list of objects; money as exact numbers with two decimals; no totals row."""
    out = []
    for r in records:
        parts = []
        for c in columns:
            v = _plain(r.get(c.key), c.kind)
            if isinstance(v, Decimal):
                text = format_plain(v) if c.kind in ("money", "text") else str(v)
            else:
                text = json.dumps(v, ensure_ascii=False)
            parts.append(f"{json.dumps(c.key)}: {text}")
        out.append("  {" + ", ".join(parts) + "}")
    return "[\n" + ",\n".join(out) + "\n]\n" if out else "[]\n"


def _csv_cell(value: Any, kind: str, fmt: Callable[[Any, str], str]) -> str:
    text = fmt(value, kind)
    if kind == "text" or isinstance(value, str):
        return str(neutralise(text))
    return text


def to_csv(records: Iterable[Record], columns: Sequence[Column], *, dutch: bool = False) -> str:
    """CSV for scripts (``,`` and ``.``) or for Dutch Excel (``;``, decimal comma, BOM)."""
    buf = io.StringIO()
    dialect = {"delimiter": ";" if dutch else ",", "lineterminator": "\r\n" if dutch else "\n"}
    writer = csv.writer(buf, **dialect)  # type: ignore[arg-type]
    # With "\n" as line end the csv module leaves a bare CR unquoted and readers would split
    # the row there: such a row goes through a writer that quotes every cell.
    quoted = csv.writer(buf, quoting=csv.QUOTE_ALL, **dialect)  # type: ignore[arg-type]
    writer.writerow([c.key for c in columns])
    fmt = _text_nl if dutch else _text_plain
    for r in records:
        # Only text can be a formula: a negative number stays a number.
        cells = [_csv_cell(r.get(c.key), c.kind, fmt) for c in columns]
        (quoted if any("\r" in v for v in cells if isinstance(v, str)) else writer).writerow(cells)
    return ("\ufeff" if dutch else "") + buf.getvalue()


def to_markdown(
    records: Sequence[Record], columns: Sequence[Column], *, total: bool = False
) -> str:
    rows = list(records)
    if total and rows:
        rows.append(totals(rows, columns))
    head = "| " + " | ".join(c.header for c in columns) + " |"
    align = "| " + " | ".join(
        "---:" if c.kind in ("money", "fraction", "int", "number") else "---" for c in columns
    ) + " |"
    lines = [head, align]
    for r in rows:
        cells = [_text_human(r.get(c.key), c.kind).replace("|", "\\|") for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


#: Text columns whose cells are never folded: codes and labels read as a whole.
_NO_WRAP = ("id", "team", "status", "ref", "field")
STATUS_STYLE = {"under": "bold yellow", "over": "bold red", "on-track": "green"}


def to_table(
    records: Sequence[Record],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    total: bool = False,
    width: int | None = None,
    styles: Callable[[Record], str | None] | None = None,
) -> Any:
    """A rich Table (imported only here); the caller prints it.

    ``width``: the terminal's width. Below 110 the euro sign moves from the cells to the
    header; when the table would still not fit, columns marked ``wide`` are left out, the
    last first, until it does (``width=0``: all of them).
    """
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    narrow = width is not None and width < 110

    def human(value: Any, kind: str) -> str:
        # On a narrow terminal the euro sign moves to the header: every column counts.
        text = _text_human(value, kind)
        return text.removeprefix("€ ") if narrow and kind == "money" else text

    def header(c: Column) -> str:
        return f"{c.header} €" if narrow and c.kind == "money" else c.header

    texts: list[tuple[list[str], str | None]] = [
        ([human(r.get(c.key), c.kind) for c in columns], styles(r) if styles else None) for r in records
    ]
    if total and records:
        t = totals(records, columns)
        texts.append(([human(t.get(c.key), c.kind) for c in columns], "bold"))
    keep = list(range(len(columns)))
    if width is not None:
        need = [max([cell_len(header(c)), *(cell_len(cells[i]) for cells, _ in texts)])
                for i, c in enumerate(columns)]

        def fits() -> bool:
            # Cells, two spaces between columns, one at each edge.
            return sum(need[i] for i in keep) + 2 * len(keep) <= width

        for i in reversed(range(len(columns))):
            if width and fits():
                break
            if columns[i].wide and len(keep) > 1:
                keep.remove(i)
    table = Table(title=title, box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False,
                  collapse_padding=True)
    for i in keep:
        c = columns[i]
        numeric = c.kind in ("money", "fraction", "int", "number")
        table.add_column(
            header(c),
            justify="right" if numeric else "left",
            no_wrap=numeric or c.kind == "date" or c.key in _NO_WRAP,
            overflow="fold",
        )
    for n, (cells, style) in enumerate(texts):
        shown = []
        for i in keep:
            text = cells[i]
            if columns[i].key == "status" and text in STATUS_STYLE:
                text = f"[{STATUS_STYLE[text]}]{text}[/]"
            else:
                text = text.replace("[", "\\[")
            shown.append(text)
        if total and records and n == len(texts) - 1:
            table.add_section()
        table.add_row(*shown, style=style)
    return table


def to_xlsx(
    path: Path, records: Sequence[Record], columns: Sequence[Column], *, sheet: str = "maatwerk",
    total: bool = False,
) -> None:
    """A real workbook: numbers as typed number cells, dates as dates, fractions as %."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    ws.append([c.key for c in columns])
    rows = list(records)
    if total and rows:
        rows.append(totals(rows, columns))
    for r in rows:
        values: list[Any] = []
        for c in columns:
            v = r.get(c.key)
            if isinstance(v, float) and math.isnan(v):
                v = None
            if isinstance(v, Decimal):
                v = float(v)
            if isinstance(v, str):
                v = neutralise(v)
            values.append(v)
        ws.append(values)
    for idx, c in enumerate(columns, start=1):
        fmt = {"money": "#,##0.00", "fraction": "0.0%", "date": "DD-MM-YYYY"}.get(c.kind)
        if fmt:
            for row in ws.iter_rows(min_row=2, min_col=idx, max_col=idx):
                for cell in row:
                    cell.number_format = fmt
    ws.freeze_panes = "A2"
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)


def render_text(
    fmt: str, records: Sequence[Record], columns: Sequence[Column], *, total: bool = False
) -> str:
    """Any text format except ``table`` (which needs a console)."""
    if fmt == "json":
        return to_json(records, columns)
    if fmt == "csv":
        return to_csv(records, columns)
    if fmt == "csv-nl":
        return to_csv(records, columns, dutch=True)
    if fmt == "markdown":
        return to_markdown(records, columns, total=total)
    raise InputError(f"format {fmt!r} is not one of: {', '.join(FORMATS)}")


def write_output(
    path: Path, records: Sequence[Record], columns: Sequence[Column], *, total: bool = False,
    sheet: str = "maatwerk",
) -> None:
    """Write a report to a file; the extension chooses the format."""
    fmt = FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"cannot tell the format of {path.name!r}; use .xlsx, .csv, .json or .md"
        )
    if not path.parent.is_dir():
        raise InputError(f"folder {path.parent} does not exist")
    if fmt == "xlsx":
        to_xlsx(path, records, columns, sheet=sheet, total=total)
        return
    text = render_text(fmt, records, columns, total=total)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(path)


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as plain records (NaN becomes None)."""
    records = cast(list[dict[str, Any]], frame.to_dict(orient="records"))
    for r in records:
        for k, v in r.items():
            if isinstance(v, float) and math.isnan(v):
                r[k] = None
            elif hasattr(v, "item") and not isinstance(v, (str, bytes)):
                r[k] = v.item()  # numpy scalars to Python
            if hasattr(r[k], "date") and callable(r[k].date) and not isinstance(r[k], dt.date):
                r[k] = r[k].date()
    return records
