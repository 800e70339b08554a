"""Issue 25, item 4: refusals, overrides and conditions summarised for a manager.

Refusals are counted by reason when a reason comes back, else by budget holder (a bar of 1
for every distinct reason says nothing), and the counts always add up to the refusals; a
rule's name is never cut in its chart; a long condition is cut in its cell, with its whole
text numbered under the table (and in the cell's tooltip). The demo ledger's report in
October 2026 has five refusals with five different reasons, two rules overridden and one
condition of 58 characters.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from maatwerk_cli.core.messages import at_edge, plain_option
from maatwerk_cli.render import html
from maatwerk_cli.render.columns import Column
from maatwerk_cli.render.output import View


def _page(tmp: Path, *extra: str) -> str:
    root = tmp / "ledger"
    if not root.exists():
        shutil.copytree(ROOT / "ledgers", root)
    page = tmp / f"report{len(extra)}.html"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MAATWERK_CACHE_DIR": str(tmp / "cache")}
    done = subprocess.run([sys.executable, "-m", "maatwerk_cli", "--ledgers", str(root), "--lang", "nl", "report",
                           "--month", "2026-10", *extra, "-o", str(page)],
                          capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    return page.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _page(tmp_path_factory.mktemp("summaries"))


def _chart(page: str, name: str) -> str:
    found = re.search(rf'<svg[^>]*data-chart="{name}".*?</svg>', page, re.S)
    assert found is not None, name
    return found.group(0)


def _bars(chart: str) -> list[tuple[str, int]]:
    """A bar chart's rows: (label, the figure written after the bar)."""
    rows = re.findall(r'paint-order="stroke"[^>]*><title>([^<]*)</title>(\d+)</text>', chart)
    return [(label.removesuffix(f": {n}"), int(n)) for label, n in rows]


def _rows(page: str, report: str) -> list[str]:
    found = re.search(rf'<table class="figures[^"]*" data-report="{report}">.*?</table>', page, re.S)
    assert found is not None, report
    return [r for r in re.findall(r"<tr>(.*?)</tr>", found.group(0), re.S) if "<td" in r]


# ---------------------------------------------------------------------------- refusals


def _grouped(records: list[dict[str, str]]) -> tuple[str, list[tuple[str, int]]]:
    with at_edge("nl", plain_option):
        return html.refusal_groups(records)


def test_refusals_with_a_reason_that_comes_back_are_counted_by_reason() -> None:
    records = [{"team": "noord", "reason": "eerst budgetcoach"}, {"team": "zuid", "reason": "eerst budgetcoach"},
               {"team": "zuid", "reason": "fonds betaalt"}, {"team": "oost", "reason": ""}]
    assert _grouped(records) == ("reason", [("eerst budgetcoach", 2), ("fonds betaalt", 1),
                                            ("zonder reden", 1)])


def test_refusals_whose_reasons_all_differ_are_counted_by_team() -> None:
    records = [{"team": "zuid", "reason": "a"}, {"team": "noord", "reason": "b"}, {"team": "zuid", "reason": "c"}]
    assert _grouped(records) == ("team", [("zuid", 2), ("noord", 1)])


def test_one_refusal_keeps_its_reason_and_redacted_ones_go_by_team() -> None:
    assert _grouped([{"team": "zuid", "reason": "a"}]) == ("reason", [("a", 1)])
    assert _grouped([{"team": "zuid"}, {"team": "zuid"}]) == ("redacted", [("zuid", 2)])


def test_the_refusals_chart_of_the_demo_counts_every_refusal_once(demo: str) -> None:
    chart = _chart(demo, "refusals")
    bars = _bars(chart)
    rows = _rows(demo, "refusals")
    assert "per budgethouder" in chart and "elke reden is anders" in chart
    teams = [re.search(r'data-key="team" data-value="&quot;([^&]*)&quot;"', r).group(1)  # type: ignore[union-attr]
             for r in rows if 'data-key="team"' in r]
    teams = [t for t in teams if t]
    assert sum(n for _, n in bars) == len(teams) == 5
    assert dict(bars) == {t: teams.count(t) for t in set(teams)}


# ---------------------------------------------------------------------------- rules


def test_every_rule_name_in_the_overrides_chart_is_whole(demo: str) -> None:
    chart = _chart(demo, "overrides")
    assert "…" not in chart
    labels = [label for label, _ in _bars(chart)]
    assert sorted(labels) == ["boven maximum per uitgave", "huishouden te snel opnieuw"]
    for label in labels:  # the label drawn, not only its tooltip
        assert f">{label}</text>" in chart
    table = "".join(_rows(demo, "overrides"))
    assert "huishouden te snel opnieuw" in table and "repeat_household_days" in table  # word shown, key kept


def test_a_long_rule_name_goes_above_its_bar() -> None:
    from maatwerk_cli.render import charts as ch

    long = "maximum per huishouden over alle jaren samen, ook eerdere"
    chart = ch.bars("x", "x", [ch.bar(long, 1, "1")], labels_above=not ch.fits_left(long))
    assert f">{long}</text>" in chart
    assert ch.fits_left("huishouden te snel opnieuw")


# ---------------------------------------------------------------------------- conditions


def test_a_long_condition_is_cut_with_its_whole_text_under_the_table(demo: str) -> None:
    whole = "terugbetalen als de cursus boekhouden niet wordt afgemaakt"
    rows = [r for r in _rows(demo, "loans") if "voorwaardelijk" in r]
    cell = re.search(r'<td[^>]*data-key="condition"[^>]*>(.*?)</td>', rows[0], re.S)
    assert cell is not None
    shown = re.sub(r"<[^>]+>", "", cell.group(1))
    assert shown == "terugbetalen als de cursus…1"
    assert f'data-value="&quot;{whole}&quot;"' in rows[0]  # the figure behind the cell stays whole
    assert f'title="{whole}"' in cell.group(1)
    notes = re.search(r'<ol class="cut" data-report="loans"><li id="loans-1">([^<]*)</li></ol>', demo)
    assert notes is not None and notes.group(1) == whole


def test_shorten_cuts_at_a_word_and_leaves_short_texts_alone() -> None:
    assert html.shorten("kort", 34) == "kort"
    assert html.shorten("x" * 34, 34) == "x" * 34
    assert html.shorten("een twee drie vier vijf zes zeven acht", 20) == "een twee drie vier…"
    assert len(html.shorten("a" * 80, 34)) == 34


def test_the_table_numbers_every_cut_text() -> None:
    cols = [Column("condition", "voorwaarde")]
    view = View(title="t", columns=cols, records=[{"condition": "k"}, {"condition": "lang " * 12},
                                                  {"condition": "nog langer " * 5}], table=cols, sheet="loans")
    with at_edge("nl", plain_option):
        out = html.table(view, "loans")
    assert out.count("<sup>") == 2 and 'href="#loans-2"' in out
    assert re.findall(r'<li id="loans-(\d)">', out) == ["1", "2"]
