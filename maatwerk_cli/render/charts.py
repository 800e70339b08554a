"""Charts of the monthly report as inline SVG, drawn here from the figures.

Why SVG by hand rather than a plotting library: the report must open offline and print
sharp on A4; SVG text and lines stay vector in the browser and in the PDF, the page needs
no script or font from anywhere, the output is the same for the same figures (testable,
diffable) and a chart costs a few kilobytes. Only two shapes are needed: horizontal bars
(with markers such as the pace) and lines over the months. matplotlib would add about half
a second of import and tens of megabytes for that. Only ``maatwerk report`` imports this
module.

Every chart is an ``<svg class="chart" data-chart="NAME">`` with a ``<title>``; values
are floats for drawing only; the figures printed on a chart come in as text, formatted by
the caller from the exact Decimal figures.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

from ..core.messages import N_, tr

#: The colours of the report (also used by its CSS). Each is readable on white: at least 4.5:1
#: as text, and so at least 3:1 as a bar or line (WCAG 2.1 AA; tests/test_contrast.py reads
#: them back from the page). LIGHT_BLUE only fills bars (3.3:1); where it is stacked on BLUE
#: a white gap parts the two. A colour never says anything alone: the legend, the figure or a
#: word (behind, over budget) beside each bar says it too.
GREEN, AMBER, RED = "#2e7d32", "#a86400", "#c62828"
BLUE, LIGHT_BLUE, GREY, INK = "#3466a5", "#6f8fc0", "#6b6b6b", "#1f1f1f"
#: Text that is less important (tick labels): still 7.5:1 on white.
SOFT_INK = "#555"
#: Gridlines: decoration only (every figure is written beside its bar or in the table below),
#: so light on purpose; they carry the class ``grid``.
GRID = "#e3e3e3"
STATUS_COLOURS = {"on-track": GREEN, "under": AMBER, "over": RED}
#: The months on an axis (translated where drawn).
MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"), N_("Aug"), N_("Sep"),
          N_("Oct"), N_("Nov"), N_("Dec"))

WIDTH = 760
FONT = 11  # px: the size of a chart's text
ROW = 20  # px: one bar's row
#: A character's width at FONT px, on average, for laying out labels (no font metrics offline).
CHAR = 6.3


def _n(value: float) -> str:
    """A coordinate, short and the same on every run."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, size: float = FONT) -> float:
    return len(text) * CHAR * size / FONT


#: The widest a column of labels left of the bars gets, px.
LABEL_W = 230


def fits_left(label: str) -> bool:
    """Whether ``label`` fits whole left of its bar (else it is cut, or goes above its bar)."""
    return _text_width(label) + 8 <= LABEL_W


def _clip(text: str, room: float) -> str:
    """A label that fits ``room`` px (the whole text stays in the chart's tooltip)."""
    most = max(int(room / CHAR + 1e-6), 4)  # 26 characters fit in 26 widths, not 25
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a bar chart.

    label: on the left. text: the figure written after the bar. parts: the bar's segments,
    each (value, colour), stacked from zero. note: a tooltip (defaults to label and text).
    mark: a short black tick across this bar only (a budget holder's own pace), or None.
    """

    label: str
    text: str
    parts: tuple[tuple[float, str], ...]
    note: str = ""
    mark: float | None = None

    @property
    def total(self) -> float:
        return sum(v for v, _ in self.parts)


def bar(label: str, value: float, text: str, colour: str = BLUE, note: str = "",
        mark: float | None = None) -> Bar:
    return Bar(label, text, ((value, colour),), note, mark)


@dataclass(frozen=True, slots=True)
class Marker:
    """A vertical line across the bars at ``value``, named at the top (``dash``: dashed)."""

    value: float
    label: str
    colour: str = INK
    dash: bool = False


def nice_step(maximum: float, ticks: int = 5, *, whole: bool = False) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` gridlines;
    ``whole``: at least 1 (counts)."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    if whole and raw < 1:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for f in (1, 2, 2.5, 5, 10):
        if raw <= f * power:
            return float(f * power)
    return float(10 * power)


def _svg(name: str, title: str, width: float, height: float, body: list[str], small: bool = False) -> str:
    label = escape(title)
    cls = "chart small" if small else "chart"
    return (f'<svg class="{cls}" data-chart="{escape(name)}" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
            f'role="img" aria-label="{label}"><title>{label}</title>' + "".join(body) + "</svg>")


def _legend(items: Sequence[tuple[str, str]], y: float, x: float = 0,
            lines: Sequence[bool] = ()) -> list[str]:
    """Colour swatches with their names; ``lines``: which items are a line (True: dashed)."""
    out = []
    for n, (colour, text) in enumerate(items):
        if n < len(lines):
            dash = ' stroke-dasharray="5 4"' if lines[n] else ""
            out.append(f'<line x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x + 18)}" y2="{_n(y - 4)}" stroke="{colour}" '
                       f'stroke-width="2"{dash}/><text x="{_n(x + 22)}" y="{_n(y)}">{escape(text)}</text>')
            x += 22 + _text_width(text) + 16
            continue
        out.append(f'<rect x="{_n(x)}" y="{_n(y - 9)}" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{_n(x + 14)}" y="{_n(y)}">{escape(text)}</text>')
        x += 14 + _text_width(text) + 16
    return out


def bars(
    name: str,
    title: str,
    rows: Sequence[Bar],
    *,
    maximum: float | None = None,
    markers: Sequence[Marker] = (),
    ticks: Callable[[float], str] | None = None,
    legend: Sequence[tuple[str, str]] = (),
    width: float = WIDTH,
    whole: bool = False,
    labels_above: bool = False,
) -> str:
    """Horizontal bars, one row per :class:`Bar`, with gridlines and markers.

    ``whole``: the values are counts (gridlines at whole numbers). ``labels_above``: each
    label on its own line above its bar, full width (for long labels such as reasons).
    """
    # Many rows (42 wijkteams) get thinner bars, so the chart still fits on one A4 page.
    band = ROW if len(rows) <= 24 else 16
    row_h = band + (FONT + 4 if labels_above else 0)
    label_w = 8.0 if labels_above else min(max((_text_width(r.label) for r in rows), default=40) + 8, LABEL_W)
    value_w = max((_text_width(r.text) for r in rows), default=20) + 10
    top = (18 + (9 if len(markers) > 1 else 0)) if markers else 6
    if legend:
        top += 18
    plot_x = label_w
    plot_w = max(width - label_w - value_w, 80)
    top_value = max([*(r.total for r in rows), *(m.value for m in markers),
                     *(r.mark for r in rows if r.mark is not None), maximum or 0, 0])
    if top_value <= 0:
        top_value = 1.0
    step = nice_step(top_value, whole=whole)
    scale_max = maximum if maximum is not None and maximum >= top_value else math.ceil(top_value / step) * step
    height = top + row_h * len(rows) + (18 if ticks else 4)

    def x(value: float) -> float:
        return plot_x + plot_w * max(value, 0) / scale_max

    body: list[str] = [f'<g font-size="{FONT}" fill="{INK}">']
    if legend:
        body += _legend(legend, 12)
    if ticks:
        v = 0.0
        while v <= scale_max + 1e-9:
            gx = x(v)
            body.append(f'<line x1="{_n(gx)}" y1="{_n(top - 2)}" x2="{_n(gx)}" y2="{_n(top + row_h * len(rows))}" '
                        f'stroke="{GRID}" class="grid"/>')
            body.append(f'<text x="{_n(gx)}" y="{_n(height - 4)}" text-anchor="middle" fill="{SOFT_INK}">'
                        f'{escape(ticks(v))}</text>')
            v += step
    figures: list[str] = []
    for i, r in enumerate(rows):
        y = top + row_h * i
        tip = escape(r.note or f"{r.label}: {r.text}")
        body.append(f'<g><title>{tip}</title>')
        if labels_above:
            body.append(f'<text x="{_n(label_w)}" y="{_n(y + FONT)}">{escape(_clip(r.label, width - label_w))}</text>')
            y += FONT + 4
        else:
            body.append(f'<text x="{_n(label_w - 8)}" y="{_n(y + band * 0.7)}" text-anchor="end">'
                        f'{escape(_clip(r.label, label_w - 8))}</text>')
        start = 0.0
        drawn = 0
        for value, colour in r.parts:
            if value <= 0:
                continue
            x0, x1 = x(start), x(start + value)
            # A segment stacked on another starts after a white gap: two colours never touch.
            gap = 1.0 if drawn and x1 - x0 > 2 else 0.0
            body.append(f'<rect x="{_n(x0 + gap)}" y="{_n(y + 3)}" width="{_n(max(x1 - x0 - gap, 0.8))}" '
                        f'height="{_n(band - 6)}" fill="{colour}"/>')
            start += value
            drawn += 1
        if r.mark is not None:
            mx = x(r.mark)
            body.append(f'<line class="own-pace" x1="{_n(mx)}" y1="{_n(y + 1)}" x2="{_n(mx)}" '
                        f'y2="{_n(y + band - 1)}" stroke="{INK}" stroke-width="3"/>')
        # The figure comes after the markers (below), with a white halo: readable where it crosses one.
        figures.append(f'<text x="{_n(x(r.total) + 5)}" y="{_n(y + band * 0.7)}" paint-order="stroke" '
                       f'stroke="#fff" stroke-width="3" stroke-linejoin="round"><title>{tip}</title>'
                       f"{escape(r.text)}</text>")
        body.append("</g>")
    body.append(f'<line x1="{_n(plot_x)}" y1="{_n(top - 2)}" x2="{_n(plot_x)}" y2="{_n(top + row_h * len(rows))}" '
                f'stroke="{INK}"/>')
    for n, m in enumerate(markers):
        mx = x(m.value)
        dash = ' stroke-dasharray="4 3"' if m.dash else ""
        body.append(f'<line class="marker" x1="{_n(mx)}" y1="{_n(top - 4)}" x2="{_n(mx)}" '
                    f'y2="{_n(top + row_h * len(rows))}" stroke="{m.colour}" stroke-width="2"{dash}/>')
        anchor = "end" if mx > plot_x + plot_w * 0.6 else "start"
        shift = -4 if anchor == "end" else 4
        ly = top - 6 - (9 if n % 2 else 0)  # a second marker's name a line higher
        body.append(f'<text x="{_n(mx + shift)}" y="{_n(ly)}" text-anchor="{anchor}" fill="{m.colour}" '
                    f'font-weight="bold">{escape(m.label)}</text>')
    body += figures
    body.append("</g>")
    return _svg(name, title, width, height, body)


@dataclass(frozen=True, slots=True)
class Line:
    """A line over the year: points of (date, value); ``dash`` for a dashed line."""

    label: str
    points: tuple[tuple[dt.date, float], ...]
    colour: str = BLUE
    dash: bool = False
    dots: bool = True


@dataclass(frozen=True, slots=True)
class Level:
    """A horizontal line at ``value`` (the budget), named at the right."""

    value: float
    label: str
    colour: str = GREY


@dataclass(frozen=True, slots=True)
class Frame:
    """The size of a line chart and how much it says on its axes."""

    width: float = WIDTH
    height: float = 260
    left: float = 78
    small: bool = False
    ticks: Callable[[float], str] | None = None
    legend: bool = True
    extra: list[str] = field(default_factory=list)


def lines(name: str, title: str, year: int, series: Sequence[Line], *, levels: Sequence[Level] = (),
          frame: Frame | None = None) -> str:
    """Lines over the months of ``year`` (x from 1 January to 31 December)."""
    f = frame or Frame()
    small = f.small
    left = 8 if small else f.left
    right = 8 if small else 16
    top = 8 if small else (26 if f.legend else 10)
    bottom = 16 if small else 24
    plot_w = f.width - left - right
    plot_h = f.height - top - bottom
    first = dt.date(year, 1, 1)
    days = (dt.date(year, 12, 31) - first).days + 1
    values = [v for s in series for _, v in s.points] + [lv.value for lv in levels]
    top_value = max([*values, 0.0]) or 1.0
    step = nice_step(top_value, 3 if small else 5)
    scale = math.ceil(top_value / step) * step

    def px(day: dt.date) -> float:
        return left + plot_w * ((day - first).days + 1) / days

    def py(value: float) -> float:
        return top + plot_h * (1 - max(value, 0) / scale)

    size = 9 if small else FONT
    body: list[str] = [f'<g font-size="{size}" fill="{INK}">']
    if not small:
        v = 0.0
        while v <= scale + 1e-9:
            body.append(f'<line x1="{_n(left)}" y1="{_n(py(v))}" x2="{_n(left + plot_w)}" y2="{_n(py(v))}" '
                        f'stroke="{GRID}" class="grid"/>')
            if f.ticks:
                body.append(f'<text x="{_n(left - 6)}" y="{_n(py(v) + 4)}" text-anchor="end" fill="{SOFT_INK}">'
                            f'{escape(f.ticks(v))}</text>')
            v += step
    for m in range(12):
        start = dt.date(year, m + 1, 1)
        mx = left + plot_w * (start - first).days / days
        body.append(f'<line x1="{_n(mx)}" y1="{_n(top + plot_h)}" x2="{_n(mx)}" y2="{_n(top + plot_h + 3)}" '
                    f'stroke="{GREY}"/>')
        if not small or m % 3 == 0:  # the month's name in the middle of its stretch
            middle = left + plot_w * ((start - first).days + 15) / days
            body.append(f'<text x="{_n(middle)}" y="{_n(top + plot_h + (11 if small else 14))}" '
                        f'text-anchor="middle" fill="{SOFT_INK}">{escape(tr(MONTHS[m]))}</text>')
    body.append(f'<line x1="{_n(left)}" y1="{_n(top + plot_h)}" x2="{_n(left + plot_w)}" y2="{_n(top + plot_h)}" '
                f'stroke="{INK}"/>')
    for lv in levels:
        body.append(f'<line x1="{_n(left)}" y1="{_n(py(lv.value))}" x2="{_n(left + plot_w)}" '
                    f'y2="{_n(py(lv.value))}" stroke="{lv.colour}" stroke-dasharray="2 2"/>')
        if not small:
            body.append(f'<text x="{_n(left + plot_w - 2)}" y="{_n(py(lv.value) - 4)}" text-anchor="end" '
                        f'fill="{lv.colour}">{escape(lv.label)}</text>')
    for s in series:
        pts = " ".join(f"{_n(px(d))},{_n(py(v))}" for d, v in s.points)
        dash = ' stroke-dasharray="5 4"' if s.dash else ""
        body.append(f'<polyline class="series" fill="none" stroke="{s.colour}" stroke-width="{1.5 if small else 2}" '
                    f'points="{pts}"{dash}><title>{escape(s.label)}</title></polyline>')
        if s.dots and not small:
            body += [f'<circle cx="{_n(px(d))}" cy="{_n(py(v))}" r="2.5" fill="{s.colour}"/>' for d, v in s.points[1:]]
    if f.legend and not small:
        body += _legend([(s.colour, s.label) for s in series], 14, left, lines=[s.dash for s in series])
    body += f.extra
    body.append("</g>")
    return _svg(name, title, f.width, f.height, body, small=small)
