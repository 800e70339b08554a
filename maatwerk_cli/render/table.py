"""Terminal tables that never crop a number (rich is imported only here).

A cell holding an amount, a percentage, a count, a date or an id is shown whole, or its
column is left out, and then one line under the table names what was left out and how to
see it. A marker column (an entry's ``voided``) is never left out, nor the figure before it.
Text cells (names, categories, notes) may be shortened with an ellipsis. When not even the
first column and one other fit, the records are shown one block each (the vertical layout,
also asked for with ``--format vertical``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..core.messages import tr
from .columns import NUMERIC, WHOLE, Column, Record, text_human, word

#: Spaces between two columns of a table (rich's padding of one on each side, collapsed).
GAP = 2
#: A table's edges (a space on either side of the simple box) take a column each.
EDGES = 2
#: A text column is not shortened below this many characters (nor below its header).
MIN_TEXT = 12
#: Below this width the euro sign moves from the cells into the header: every column counts.
EURO_IN_HEADER = 110
STATUS_STYLE = {"under": "bold yellow", "over": "bold red", "on-track": "green"}


@dataclass(frozen=True, slots=True)
class Fitted:
    """How a table fits a width.

    keep: the indexes of the columns shown, in order; widths: their widths.
    left_out: the columns that did not fit. vertical: show one block per record instead.
    """

    keep: tuple[int, ...]
    widths: tuple[int, ...]
    left_out: tuple[Column, ...]
    vertical: bool = False


def _len(text: str) -> int:
    from rich.cells import cell_len

    return int(cell_len(text))


def fit(columns: Sequence[Column], headers: Sequence[str], cells: Sequence[Sequence[str]],
        width: int | None, *, drop: bool = True) -> Fitted:
    """Which columns to show at ``width`` (None: no limit) and how wide each is; without
    ``drop``, a table that does not fit whole is shown vertically instead."""
    n = len(columns)
    need = [max([_len(headers[i]), *(_len(row[i]) for row in cells)]) for i in range(n)]
    least = [need[i] if (columns[i].kind in WHOLE or i == 0)
             else min(need[i], max(MIN_TEXT, _len(headers[i]))) for i in range(n)]
    keep = list(range(n))
    if width is None:
        return Fitted(tuple(keep), tuple(need), ())
    # A marker and the figure it qualifies (the column before it) stay together.
    held = {j for i, c in enumerate(columns) if c.marker for j in (i - 1, i) if j > 0}

    def span(ws: Sequence[int]) -> int:
        return sum(ws[i] for i in keep) + GAP * (len(keep) - 1)

    while True:
        if span(need) <= width:
            return Fitted(tuple(keep), tuple(need[i] for i in keep), _out(columns, keep))
        if span(least) <= width:
            # Text columns get back what room there is, in column order.
            widths = {i: least[i] for i in keep}
            room = width - span(least)
            for i in keep:
                extra = min(room, need[i] - widths[i])
                widths[i] += extra
                room -= extra
            return Fitted(tuple(keep), tuple(widths[i] for i in keep), _out(columns, keep))
        # Leave out a column: the last one marked wide, else the last one but the first; never a
        # marker nor its figure (an amount without its "voided" reads as live): else vertical.
        wide = [i for i in keep[1:] if columns[i].wide and i not in held]
        rest = [i for i in keep[1:] if i not in held]
        out = wide[-1] if wide else (rest[-1] if len(keep) > 2 and rest else None)
        if out is None or not drop:
            return Fitted(tuple(range(n)), tuple(need), (), vertical=True)
        keep.remove(out)


def _out(columns: Sequence[Column], keep: list[int]) -> tuple[Column, ...]:
    return tuple(c for i, c in enumerate(columns) if i not in keep)


def left_out_line(left_out: Sequence[Column]) -> str:
    return tr("Not shown for lack of width: {names:list}. "
              "See every column with -f vertical, -f csv, or in a wider terminal.",
              names=[c.header for c in left_out])


def render(
    records: Sequence[Record],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    total: Record | None = None,
    width: int | None = None,
    styles: Callable[[Record], str | None] | None = None,
    vertical: bool = False,
    drop: bool = True,
    rule: str = "──",
) -> tuple[Any, list[str]]:
    """A rich renderable for the records, and the lines to print under it (``rule``: what
    marks each block's heading in the vertical form; ``--`` where the console lacks ``─``)."""
    narrow = width is not None and width < EURO_IN_HEADER

    def human(value: Any, kind: str) -> str:
        text = text_human(value, kind)
        return text.removeprefix("€ ") if narrow and kind == "money" else text

    headers = [f"{c.header} €" if narrow and c.kind == "money" else c.header for c in columns]
    rows = [*records, *([total] if total is not None and records else [])]
    cells = [[human(word(c.key, r.get(c.key)), c.kind) for c in columns] for r in rows]
    fitted = fit(columns, headers, cells, None if width is None else width - EDGES, drop=drop)
    if vertical or fitted.vertical:
        plain = [[text_human(word(c.key, r.get(c.key)), c.kind) for c in columns] for r in rows]
        return _blocks(plain, [c.header for c in columns], title, total is not None and bool(records), rule), []
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=escape(title) if title else None, box=box.SIMPLE_HEAD, header_style="bold",
                  pad_edge=False, collapse_padding=True)
    for i, w in zip(fitted.keep, fitted.widths, strict=True):
        c = columns[i]
        table.add_column(escape(headers[i]), justify="right" if c.kind in NUMERIC else "left",
                         no_wrap=True, overflow="ellipsis", min_width=w, max_width=w)
    for n, (record, row) in enumerate(zip(rows, cells, strict=True)):
        shown = []
        for i in fitted.keep:
            text = escape(row[i])
            status = record.get("status") if columns[i].key == "status" else None
            if isinstance(status, str) and status in STATUS_STYLE:  # by the value, not its words
                text = f"[{STATUS_STYLE[status]}]{text}[/]"
            shown.append(text)
        is_total = total is not None and n == len(rows) - 1 and bool(records)
        if is_total:
            table.add_section()
        table.add_row(*shown, style="bold" if is_total else (styles(record) if styles else None))
    notes = [left_out_line(fitted.left_out)] if fitted.left_out else []
    return table, notes


def _blocks(cells: Sequence[Sequence[str]], headers: Sequence[str], title: str | None,
            with_total: bool, rule: str) -> Any:
    """One block per record: its first cell as a heading, then every other field on a line."""
    from rich.console import Group
    from rich.text import Text

    label = max((len(h) for h in headers[1:]), default=0)
    parts: list[Any] = []
    if title:
        parts += [Text(title, style="bold"), Text("")]
    for n, row in enumerate(cells):
        heading = row[0] if not (with_total and n == len(cells) - 1) else tr("{label} (total)", label=row[0])
        parts.append(Text(f"{rule} {heading}", style="bold"))
        for header, value in zip(headers[1:], row[1:], strict=True):
            if value:
                parts.append(Text(f"   {header.ljust(label)}  {value}"))
        parts.append(Text(""))
    return Group(*parts)
