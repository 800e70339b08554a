"""The monthly report is readable by everyone: contrast read from the page itself.

WCAG 2.1 AA: text at least 4.5:1 against its background (1.4.3), and the marks of a chart
(bars, lines, dots, legend swatches) at least 3:1 (1.4.11). The check reads the colours
from the page as written: every ``color:`` of its CSS (against the rule's own background,
else the page's), every ``fill`` that a ``<text>`` of a chart has or inherits, and every
fill or stroke of a chart's shapes, against the white the charts stand on. Gridlines
(``class="grid"``) are decoration: every figure is also written beside its bar and in the
table below, so they may stay light. The white halo behind a bar's figure is no mark.

The check itself is tested too: the same page with the colours the report had before
(issue 25: grey axis text 3.45:1, amber 2.83:1, light bars 1.97:1) must fail it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT

TEXT, MARK = 4.5, 3.0
WHITE = "#ffffff"
#: The colours of the report before issue 25, and what replaced them.
OLD = {"#a86400": "#d08c00", "#6f8fc0": "#9fbbe0", "#6b6b6b": "#8a8a8a"}
NAMED = {"white": "#ffffff", "black": "#000000"}


def _hex(colour: str) -> str | None:
    """``#rgb`` or ``#rrggbb`` (or white, black) as ``#rrggbb``; None for none, inherit, ..."""
    c = colour.strip().lower()
    c = NAMED.get(c, c)
    if re.fullmatch(r"#[0-9a-f]{3}", c):
        return "#" + "".join(ch * 2 for ch in c[1:])
    return c if re.fullmatch(r"#[0-9a-f]{6}", c) else None


def luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour."""
    c = _hex(colour)
    assert c is not None, colour

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(c[i:i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_contrast_formula_gives_wcags_own_figures() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#fff", "#fff") == pytest.approx(1)
    assert contrast("#767676", "#fff") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes
    assert contrast("#8a8a8a", "#fff") == pytest.approx(3.45, abs=0.01)  # the axis text


# ---------------------------------------------------------------------------- CSS


def _css_problems(css: str) -> list[str]:
    """Every ``color:`` of the CSS (inline styles included) against its background."""
    variables = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;}]+)", css))

    def value(raw: str) -> str | None:
        raw = raw.strip()
        m = re.fullmatch(r"var\((--[\w-]+)\)", raw)
        return _hex(variables[m.group(1)]) if m else _hex(raw)

    blocks = re.findall(r"([^{};]+)\{([^{}]*)\}", css)  # innermost blocks: @media's rules one by one
    page = WHITE
    for selector, body in blocks:
        if selector.strip() == "body":
            found = re.search(r"(?<![-\w])background(?:-color)?\s*:\s*([^;]+)", body)
            page = value(found.group(1)) if found and value(found.group(1)) else page
    problems = []
    checked = 0
    for selector, body in blocks:
        found = re.search(r"(?<![-\w])color\s*:\s*([^;]+)", body)
        if not found:
            continue
        fg = value(found.group(1))
        if fg is None:  # inherit, currentColor: the parent's, checked there
            continue
        back = re.search(r"(?<![-\w])background(?:-color)?\s*:\s*([^;]+)", body)
        bg = (value(back.group(1)) if back else None) or page
        checked += 1
        ratio = contrast(fg, bg)
        if ratio < TEXT:
            problems.append(f"CSS {selector.strip()}: {fg} on {bg} is {ratio:.2f}:1, text needs {TEXT}:1")
    assert checked, "no colour found in the CSS: the check would prove nothing"
    return problems


# ---------------------------------------------------------------------------- SVG


class _Svg(HTMLParser):
    """Walks the page's charts: each text's fill (its own or inherited) and each shape's
    fill and stroke, with the chart they are in."""

    SHAPES = {"rect", "line", "polyline", "polygon", "circle", "ellipse", "path"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.chart = ""
        self.texts: list[tuple[str, str, str]] = []  # (chart, fill, the text's start)
        self.marks: list[tuple[str, str, str]] = []  # (chart, what, colour)
        self._open_text: list[str] | None = None
        self._text_fill = ""

    def _inherited(self, name: str, own: dict[str, str]) -> str | None:
        if name in own:
            return own[name]
        for _, attrs in reversed(self.stack):
            if name in attrs:
                return attrs[name]
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "svg":
            self.chart = a.get("data-chart", "?")
        inside = tag == "svg" or any(t == "svg" for t, _ in self.stack)
        if inside and tag == "text":
            self._text_fill = self._inherited("fill", a) or "#000000"  # SVG's default fill
            self._open_text = []
        elif inside and tag in self.SHAPES and "grid" not in a.get("class", "").split():
            for paint in ("fill", "stroke"):
                colour = self._inherited(paint, a) if paint == "fill" else a.get("stroke")
                if paint == "fill" and tag in ("line", "polyline") and "fill" not in a:
                    continue  # an open shape draws its stroke only
                if colour and _hex(colour):
                    self.marks.append((self.chart, f"{tag} {paint}", colour))
        if tag not in ("meta", "br", "link"):
            self.stack.append((tag, a))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        depth = len(self.stack)
        self.handle_starttag(tag, attrs)  # <rect .../>: nothing inside it
        del self.stack[depth:]

    def handle_endtag(self, tag: str) -> None:
        if tag == "text" and self._open_text is not None:
            self.texts.append((self.chart, self._text_fill, "".join(self._open_text).strip()[:40]))
            self._open_text = None
        if all(t != tag for t, _ in self.stack):
            return
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._open_text is not None and not any(t == "title" for t, _ in self.stack):
            self._open_text.append(data)


def _svg_problems(page: str) -> list[str]:
    walk = _Svg()
    walk.feed(page)
    assert walk.texts and walk.marks, "no chart text or mark found: the check would prove nothing"
    problems = []
    for chart, fill, text in walk.texts:
        ratio = contrast(fill, WHITE)
        if ratio < TEXT:
            problems.append(f"chart {chart}: text {text!r} in {fill} is {ratio:.2f}:1, text needs {TEXT}:1")
    for chart, what, colour in walk.marks:
        ratio = contrast(colour, WHITE)
        if ratio < MARK and _hex(colour) != WHITE:
            problems.append(f"chart {chart}: {what} {colour} is {ratio:.2f}:1, a mark needs {MARK}:1")
    return sorted(set(problems))


def problems_of(page: str) -> list[str]:
    css = "".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    css += "".join(f"x{{{s}}}" for s in re.findall(r'style="([^"]*)"', page))
    return _css_problems(css) + _svg_problems(page)


# ---------------------------------------------------------------------------- the pages


def _report(tmp: Path, source: Path, *when: str, lang: str = "nl") -> str:
    root = tmp / "ledger"
    shutil.copytree(source, root)
    page = tmp / "report.html"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MAATWERK_CACHE_DIR": str(tmp / "cache")}
    done = subprocess.run([sys.executable, "-m", "maatwerk_cli", "--ledgers", str(root), "--lang", lang, "report",
                           *when, "-o", str(page)], capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    return page.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _report(tmp_path_factory.mktemp("contrast-demo"), ROOT / "ledgers", "--month", "2026-10")


@pytest.fixture(scope="module")
def rotterdam(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _report(tmp_path_factory.mktemp("contrast-rotterdam"), ROOT / "examples" / "rotterdam-2015",
                   "--as-of", "30-11-2015", lang="en")


def test_every_text_and_mark_of_the_demo_report_is_readable(demo: str) -> None:
    assert problems_of(demo) == []


def test_every_text_and_mark_of_rotterdam_is_readable(rotterdam: str) -> None:
    assert problems_of(rotterdam) == []


def test_the_check_fails_the_colours_the_report_had_before(demo: str) -> None:
    old = demo
    for new, before in OLD.items():
        assert new in demo, new  # the colour is used, so putting the old one back is a real test
        old = old.replace(new, before)
    found = "\n".join(problems_of(old))
    assert "#8a8a8a is 3.45:1" in found  # the budget line's name, grey on white
    assert "#d08c00 is 2.83:1" in found  # 'behind below ...' and the amber bars
    assert "#9fbbe0 is 1.97:1" in found  # the light count bars
    assert "CSS" in found  # the amber bullet of a team behind


def test_status_is_said_in_words_beside_its_colour(demo: str) -> None:
    """A bar's colour says behind, on track or over budget; the word beside its figure says so too."""
    chart = re.search(r'<svg[^>]*data-chart="utilisation".*?</svg>', demo, re.S)
    assert chart is not None
    figures = re.findall(r'paint-order="stroke"[^>]*><title>[^<]*</title>([^<]*)</text>', chart.group(0))
    assert figures and all(f.endswith(("achter", "op koers", "over budget")) for f in figures), figures
    outcomes = re.search(r'<svg[^>]*data-chart="outcomes".*?</svg>', demo, re.S)
    assert outcomes is not None and "bereikt" in outcomes.group(0) and "deels" in outcomes.group(0)
