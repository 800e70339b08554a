"""JSON, CSV (plain and Dutch Excel) and Markdown.

Every text that reaches a file is made safe there, headers and titles too (a municipality
or team name can be a header): in CSV a cell a spreadsheet would run as a formula gets a
leading ``'``; in Markdown ``|`` and the characters that start markup are escaped and line
breaks folded, so a name can never break the table.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from ..core.messages import language
from ..core.money import format_plain
from ..core.names import neutralise_cell
from .columns import Column, Record, plain, text_human, text_nl, text_plain, word

TEXT_FORMATS = ("csv", "csv-nl", "json", "markdown")


def json_pairs(record: Record, columns: Sequence[Column]) -> list[str]:
    """``"key": value`` of each column; money as an exact number with two decimals."""
    parts = []
    for c in columns:
        v = plain(record.get(c.key), c.kind)
        if isinstance(v, Decimal):
            text = format_plain(v) if c.kind in ("money", "text") else str(v)
        else:
            text = json.dumps(v, ensure_ascii=False, default=_exact)
        parts.append(f"{json.dumps(c.key, ensure_ascii=False)}: {text}")
    return parts


def to_json(records: Iterable[Record], columns: Sequence[Column]) -> str:
    """A JSON list of objects; money as exact numbers with two decimals; no totals row."""
    out = ["  {" + ", ".join(json_pairs(r, columns)) + "}" for r in records]
    return "[\n" + ",\n".join(out) + "\n]\n" if out else "[]\n"


def _exact(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)  # only inside nested lists (knipkaart uses): ids and dates, no money
    raise TypeError(type(value).__name__)


def json_object(parts: Sequence[tuple[str, str]], fields: Sequence[str] = ()) -> str:
    """Several JSON lists as one object: ``{"rules": [...], "overrides": [...]}``; ``fields``
    (``"key": value`` pairs, :func:`json_pairs`) come first."""
    body = ",\n".join([*fields,
                        *(f"{json.dumps(key)}: {text.rstrip()}" for key, text in parts)])
    return "{\n" + body + "\n}\n"


def safe_cell(text: str) -> str:
    """A CSV cell a spreadsheet will show, never run: a leading ``'`` before a formula start."""
    value = neutralise_cell(text)
    return value if isinstance(value, str) else text


def _csv_cell(value: Any, kind: str, fmt: Callable[[Any, str], str]) -> str:
    text = fmt(value, kind)
    if kind in ("text", "id") or isinstance(value, str):
        return safe_cell(text)
    return text  # a number stays a number, its sign included


def to_csv(records: Iterable[Record], columns: Sequence[Column], *, dutch: bool = False) -> str:
    """CSV for scripts (``,`` and ``.``) or for Dutch Excel (``;``, decimal comma, CR LF); the
    BOM Excel needs is added where it goes into a file (``render.output.emit``).

    CSV for scripts has the keys as headers and the values as they are, in every language;
    Dutch Excel CSV is for people: in Dutch its headers are the columns' titles and a status
    or kind is a Dutch word (in English: the keys and values, as scripts have them).
    """
    buf = io.StringIO()
    delimiter = ";" if dutch else ","
    terminator = "\r\n" if dutch else "\n"
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=terminator)
    # With "\n" as line end the csv module leaves a bare CR unquoted and readers would split
    # the row there: such a row goes through a writer that quotes every cell.
    quoted = csv.writer(buf, delimiter=delimiter, lineterminator=terminator, quoting=csv.QUOTE_ALL)
    people = dutch and language() != "en"
    header = [safe_cell(c.header if people else c.key) for c in columns]
    (quoted if any("\r" in h for h in header) else writer).writerow(header)
    fmt = text_nl if dutch else text_plain
    for r in records:
        cells = [_csv_cell(word(c.key, r.get(c.key)) if people else r.get(c.key), c.kind, fmt) for c in columns]
        (quoted if any("\r" in v for v in cells) else writer).writerow(cells)
    return buf.getvalue()


_MARKDOWN_INLINE = re.compile(r"([\\`*_<>|\[\]])")
_MARKDOWN_LINE_START = re.compile(r"[#>+\-]|[0-9]+[.)]")
_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c]+")


def md(text: str) -> str:
    """Text safe inside Markdown: one line, no accidental headings, lists, links, emphasis or
    table cells."""
    text = _BREAKS.sub(" ", text)
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    return "\\" + text if _MARKDOWN_LINE_START.match(text) else text


def md_cell(text: str) -> str:
    """Text safe in a Markdown table cell: one line, ``|`` and inline markup escaped."""
    return _MARKDOWN_INLINE.sub(r"\\\1", _BREAKS.sub(" ", text))


def to_markdown(records: Sequence[Record], columns: Sequence[Column], *, title: str = "",
                total: Record | None = None, footer: Sequence[str] = ()) -> str:
    """A Markdown table (with a heading, a totals row and lines under it when given)."""
    rows = [*records, *([total] if total is not None and records else [])]
    head = "| " + " | ".join(md_cell(c.header) for c in columns) + " |"
    align = "| " + " | ".join("---:" if c.kind in ("money", "fraction", "int", "number") else "---"
                              for c in columns) + " |"
    lines = [head, align]
    for r in rows:
        lines.append("| " + " | ".join(md_cell(text_human(word(c.key, r.get(c.key)), c.kind)) for c in columns)
                     + " |")
    text = "\n".join(lines) + "\n"
    if title:
        text = f"## {md(title)}\n\n" + text
    if footer:
        text += "\n" + "\n".join(md(plain_markup(line)) for line in footer) + "\n"
    return text


def plain_markup(line: str) -> str:
    """A line without rich's ``[style]`` tags."""
    return re.sub(r"\[/?[a-z ]*\]", "", line).replace("\\[", "[")
