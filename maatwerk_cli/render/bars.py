"""``maatwerk utilisation --chart``: each budget holder's bar against the pace, in the terminal.

Drawn with rich, which the tables use already (no other package). One line per budget
holder: its name, a bar of what it has used, the pace marked ``│`` across every bar (and
``┆`` at 100% when a bar goes beyond the budget), then the figure and the status, which
are always shown whole: only the bars get shorter on a narrow terminal, and below
:data:`MIN_BAR` characters they are left out (a line says so). Piped, the same lines come
out as plain text, 80 columns wide unless ``COLUMNS`` says otherwise. Where stdout's
encoding lacks the block characters (a console in a legacy code page), the bars are drawn
in ASCII (:data:`ASCII`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..core.messages import tr
from .columns import Record, text_human, word

#: Fewer characters than this for the bars, and they are left out.
MIN_BAR = 10
#: The width when output is piped and ``COLUMNS`` is not set.
PIPED_WIDTH = 80


@dataclass(frozen=True, slots=True)
class Glyphs:
    """What a bar is drawn with: used, not used, the pace, 100%, and the rule above the total."""

    fill: str
    empty: str
    pace: str
    budget: str
    rule: str

    def all(self) -> str:
        return self.fill + self.empty + self.pace + self.budget + self.rule


BLOCKS = Glyphs(fill="█", empty="·", pace="│", budget="┆", rule="─")
ASCII = Glyphs(fill="#", empty=".", pace="|", budget=":", rule="-")
STATUS_STYLE = {"under": "bold yellow", "over": "bold red", "on-track": "green"}


@dataclass(frozen=True, slots=True)
class Line:
    """One drawn line: its plain text, and (start, end, style) spans to colour."""

    text: str
    spans: tuple[tuple[int, int, str], ...] = ()


def chart_lines(records: Sequence[Record], total: Record | None, expected: float, width: int,
                glyphs: Glyphs = BLOCKS) -> list[Line]:
    """The chart's lines for ``width`` columns: a line per record, a rule, the total, the axis."""
    rows = [*records, *([total] if total is not None else [])]
    labels = [str(r.get("team", "")) for r in rows]
    figures = [text_human(r.get("utilisation"), "fraction") or "-" for r in rows]
    raw = [str(r.get("status") or "") for r in rows]
    statuses = [str(word("status", s)) for s in raw]  # people read the status in their language
    lw = max(map(len, labels), default=0)
    fw = max(map(len, figures), default=0)
    sw = max(map(len, statuses), default=0)
    bar_w = width - lw - fw - sw - 6  # two spaces between the four parts
    top = max([1.0, expected, *(float(r["utilisation"]) for r in rows if r.get("utilisation") is not None)])
    out: list[Line] = []
    if bar_w < MIN_BAR:
        for label, figure, status, value in zip(labels, figures, statuses, raw, strict=True):
            text = f"{label:<{lw}}  {figure:>{fw}}  {status}"
            out.append(Line(text, _status_span(text, status, value)))
        out.append(Line(tr("(too narrow for the bars: widen the terminal, or see utilisation without --chart)")))
        return out

    def at(value: float) -> int:
        return min(round(value / top * bar_w), bar_w)

    pace = min(at(expected), bar_w - 1)
    budget = at(1.0) if top > 1.0 else None
    for n, (r, label, figure, status, value) in enumerate(zip(rows, labels, figures, statuses, raw, strict=True)):
        if total is not None and n == len(rows) - 1:
            out.append(Line(" " * (lw + 2) + glyphs.rule * bar_w))
        used = r.get("utilisation")
        filled = at(float(used)) if used is not None else 0
        cells = [glyphs.fill if i < filled else glyphs.empty for i in range(bar_w)]
        if budget is not None and budget < bar_w:
            cells[budget] = glyphs.budget
        cells[pace] = glyphs.pace
        start = lw + 2
        text = f"{label:<{lw}}  {''.join(cells)}  {figure:>{fw}}  {status}"
        style = STATUS_STYLE.get(value, "")
        spans = [(start, start + filled, style)] if filled and style else []
        spans.append((start + pace, start + pace + 1, "bold"))
        out.append(Line(text, (*spans, *_status_span(text, status, value))))
    axis = [" "] * bar_w
    mark = f"{glyphs.pace} " + tr("pace {share}", share=text_human(expected, "fraction"))
    begin = pace - len(mark) + 1 if pace + len(mark) > bar_w else pace
    for i, ch in enumerate(mark):
        if 0 <= begin + i < bar_w:
            axis[begin + i] = ch
    out.append(Line(f"{'':<{lw}}  0%{''.join(axis)[2:]}".rstrip()))
    return out


def _status_span(text: str, status: str, value: str) -> tuple[tuple[int, int, str], ...]:
    """The span of the status (``status``, as shown) at the end of ``text``, styled by its value."""
    style = STATUS_STYLE.get(value)
    if not style or not status:
        return ()
    return ((len(text) - len(status), len(text), style),)


def print_chart(title: str, records: Sequence[Record], total: Record | None, expected: float,
                footer: Sequence[str], width: int | None) -> None:
    """The chart on stdout, coloured on a terminal, plain when piped."""
    from rich.console import Console
    from rich.text import Text

    from .output import can_show

    wide = width or PIPED_WIDTH
    glyphs = BLOCKS if can_show(BLOCKS.all()) else ASCII
    console = Console(width=wide, highlight=False)
    console.print(Text(title, style="bold"))
    console.print()
    for line in chart_lines(records, total, expected, wide, glyphs):
        text = Text(line.text, no_wrap=True)  # made to fit: never wrapped, never cut
        for start, end, style in line.spans:
            text.stylize(style, start, end)
        console.print(text)
    console.print()
    for note in footer:
        console.print(note)  # wrapped at the width, between words
