"""The stories of the cases as Markdown, for the team meeting: grouped by category, each
case with its amount, team, date and kind, its note, tegenprestatie, outcome and, for
loans and conditional grants, what is repaid and still owed. No household codes (the
story report hides them in the text already).

The cases are :func:`~maatwerk_cli.analysis.reports.story_report`'s (or a
:func:`~maatwerk_cli.analysis.reports.story_cases` frame); this module only words them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ParamSpec, cast

from ..analysis.reports import Report, story_report
from ..core.money import format_eur

if TYPE_CHECKING:
    import pandas as pd

P = ParamSpec("P")


_KIND_TEXT = {"gift": "gift", "loan": "loan (lening)", "conditional": "conditional grant"}
_MARKDOWN_INLINE = re.compile(r"([\\`*_<>|])")
_MARKDOWN_LINE_START = re.compile(r"[#>+\-]|[0-9]+[.)]")


def _md(text: str) -> str:
    """Free text safe inside Markdown: no accidental headings, lists, links or emphasis."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", text).replace("](", "\\](")
    return "\\" + text if _MARKDOWN_LINE_START.match(text) else text


def stories_markdown(cases: pd.DataFrame | Report, *, municipality: str = "") -> str:
    """Markdown for :func:`story_report` cases (or a :func:`story_cases` frame); the filters in
    its ``attrs['filters']`` are named on top, and the municipality (``municipality``, else the
    report's own)."""
    municipality = municipality or str(cases.attrs.get("municipality", ""))
    lines = [f"# Cases{f' in {_md(municipality)}' if municipality else ''}", ""]
    filters = cases.attrs.get("filters", {})
    chosen = []
    if filters.get("team"):
        chosen.append(f"team {_md(str(filters['team']).strip().lower())}")
    if filters.get("category"):
        chosen.append(f"category {_md(str(filters['category']))}")
    if filters.get("min_amount") is not None:
        chosen.append(f"{format_eur(filters['min_amount'])} or more")
    if filters.get("since") is not None:
        chosen.append(f"from {filters['since']:%d-%m-%Y}")
    count = len(cases)
    lines.append(f"{count} case{'s' if count != 1 else ''}" + (f" ({', '.join(chosen)})" if chosen else "")
                 + ". Household codes are left out.")
    if not count:
        lines += ["", "No cases match."]
        return "\n".join(lines) + "\n"
    records = cases.records if isinstance(cases, Report) else cast(
        list[dict[str, Any]], cases.to_dict(orient="records"))
    groups: dict[str, list[dict[str, Any]]] = {}
    for case in records:
        groups.setdefault(str(case["category"]), []).append(case)
    for cat, group in groups.items():
        money = sum((Decimal(c["amount"]) for c in group), Decimal("0.00"))
        n = len(group)
        lines += ["", f"## {_md(cat)}: {n} case{'s' if n != 1 else ''}, {format_eur(money)}"]
        for case in group:
            lines += ["", *_story(case, redacted=bool(cases.attrs.get("redacted")))]
    return "\n".join(lines) + "\n"


def _story(case: dict[str, Any], *, redacted: bool = False) -> list[str]:
    head = (f"### {format_eur(case['amount'])}, {case['team']}, {case['date']:%d-%m-%Y}: "
            f"{_KIND_TEXT.get(case['kind'], case['kind'])}")
    out = [head, ""]
    if redacted:
        out.append("_Story left out (redacted)._")
    else:
        out.append(_md(case["note"]) if case["note"] else "_No story recorded._")
    details = []
    if case["tegenprestatie"]:
        status = f" ({case['tegenprestatie_status']})" if case["tegenprestatie_status"] else ""
        details.append(f"- Tegenprestatie: {_md(case['tegenprestatie'])}{status}")
    if case["outcome"]:
        avoided = case["avoided_cost"]
        cost = f"; avoided cost {format_eur(avoided)}" if avoided is not None else ""
        details.append(f"- Outcome: {case['outcome']}{cost}")
    if case["kind"] == "loan":
        due = f"due {case['due']:%d-%m-%Y}; " if case["due"] else ""
        details.append(f"- Loan: {due}{format_eur(case['repaid'])} repaid, "
                       f"{format_eur(case['outstanding'])} still owed")
    elif case["kind"] == "conditional":
        details.append(f"- Condition: {_md(case['condition'])}; {format_eur(case['repaid'])} repaid")
    if details:
        out += ["", *details]
    out += ["", f"Entry {case['id']}"]
    return out


def _as_markdown(report: Callable[P, Report]) -> Callable[P, str]:
    """A stories report worded as Markdown, with the report's own arguments."""

    def words(*args: P.args, **kwargs: P.kwargs) -> str:
        return stories_markdown(report(*args, **kwargs))

    import inspect

    functools.update_wrapper(words, report)
    words.__signature__ = inspect.signature(report).replace(return_annotation="str")  # type: ignore[attr-defined]
    words.__name__ = words.__qualname__ = "stories"
    words.__doc__ = ("The cases of :func:`~maatwerk_cli.analysis.reports.story_cases` as Markdown, grouped by "
                     "category, for the team meeting (``ledger``: a Ledger or its folder).")
    return words


#: ``stories(ledger, team=..., category=..., min_amount=..., since=...)``: the cases as Markdown.
stories = _as_markdown(story_report)
