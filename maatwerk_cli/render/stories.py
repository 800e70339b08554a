"""The stories of the cases as Markdown, for the team meeting: grouped by category, each
case with its amount, team, date and kind, its note, tegenprestatie, outcome and, for
loans and conditional grants, what is repaid and still owed. No household codes (the
story report hides them in the text already).

The cases are :func:`~maatwerk_cli.analysis.reports.story_report`'s (or a
:func:`~maatwerk_cli.analysis.reports.story_cases` frame); this module only words them, in the
run's language (:func:`~maatwerk_cli.core.messages.tr`; English outside the command line).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ParamSpec, cast

from ..analysis.reports import Report, story_report
from ..core.messages import N_, tr

if TYPE_CHECKING:
    import pandas as pd

P = ParamSpec("P")


#: The values the data keeps in English as people read them (translated where used).
_KIND_TEXT = {"gift": N_("gift"), "loan": N_("loan (lening)"), "conditional": N_("conditional grant")}
_TEGENPRESTATIE_TEXT = {"proposed": N_("proposed"), "agreed": N_("agreed"), "done": N_("done"),
                        "not-possible": N_("not-possible")}
_OUTCOME_TEXT = {"reached": N_("reached"), "partial": N_("partial"), "not-reached": N_("not-reached")}


def _word(words: dict[str, str], value: Any) -> str:
    text = str(value or "")
    return tr(words[text]) if text in words else text
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
    filters = cases.attrs.get("filters", {})
    until = filters.get("until")
    if until is not None:  # the cut-off, as every report's title names it
        title = (tr("Cases in {municipality}, as of {day:date}", municipality=_md(municipality), day=until)
                 if municipality else tr("Cases, as of {day:date}", day=until))
    else:
        title = tr("Cases in {municipality}", municipality=_md(municipality)) if municipality else tr("Cases")
    lines = [f"# {title}", ""]
    chosen = []
    if filters.get("team"):
        chosen.append(tr("team {team}", team=_md(str(filters["team"]).strip().lower())))
    if filters.get("category"):
        chosen.append(tr("category {category}", category=_md(str(filters["category"]))))
    if filters.get("min_amount") is not None:
        chosen.append(tr("{amount:eur} or more", amount=filters["min_amount"]))
    if filters.get("since") is not None:
        chosen.append(tr("from {day:date}", day=filters["since"]))

    count = len(cases)
    lines.append(tr("{n:plural:case|cases} ({filters:list}). Household codes are left out.", n=count, filters=chosen)
                 if chosen else tr("{n:plural:case|cases}. Household codes are left out.", n=count))
    if not count:
        lines += ["", tr("No cases match.")]
        return "\n".join(lines) + "\n"
    records = cases.records if isinstance(cases, Report) else cast(
        list[dict[str, Any]], cases.to_dict(orient="records"))
    groups: dict[str, list[dict[str, Any]]] = {}
    for case in records:
        groups.setdefault(str(case["category"]), []).append(case)
    for cat, group in groups.items():
        money = sum((Decimal(c["amount"]) for c in group), Decimal("0.00"))
        n = len(group)
        lines += ["", "## " + tr("{category}: {n:plural:case|cases}, {amount:eur}", category=_md(cat), n=n,
                                 amount=money)]
        for case in group:
            lines += ["", *_story(case, redacted=bool(cases.attrs.get("redacted")))]
    return "\n".join(lines) + "\n"


def _story(case: dict[str, Any], *, redacted: bool = False) -> list[str]:
    head = "### " + tr("{amount:eur}, {team}, {day:date}: {kind}", amount=case["amount"], team=case["team"],
                       day=case["date"], kind=_word(_KIND_TEXT, case["kind"]))
    out = [head, ""]
    if redacted:
        out.append(f"_{tr('Story left out (redacted).')}_")
    else:
        out.append(_md(case["note"]) if case["note"] else f"_{tr('No story recorded.')}_")
    details = []
    if case["tegenprestatie"]:
        what = _md(case["tegenprestatie"])
        details.append(tr("Tegenprestatie: {what} ({status})", what=what,
                          status=_word(_TEGENPRESTATIE_TEXT, case["tegenprestatie_status"]))
                       if case["tegenprestatie_status"] else tr("Tegenprestatie: {what}", what=what))
    if case["outcome"]:
        avoided, outcome = case["avoided_cost"], _word(_OUTCOME_TEXT, case["outcome"])
        details.append(tr("Outcome: {outcome}; avoided cost {amount:eur}", outcome=outcome, amount=avoided)
                       if avoided is not None else tr("Outcome: {outcome}", outcome=outcome))
    money = {"repaid": case["repaid"], "outstanding": case["outstanding"]}
    if case["kind"] == "loan":
        details.append(tr("Loan: due {due:date}; {repaid:eur} repaid, {outstanding:eur} still owed", due=case["due"],
                          **money) if case["due"] else
                       tr("Loan: {repaid:eur} repaid, {outstanding:eur} still owed", **money))
    elif case["kind"] == "conditional":
        details.append(tr("Condition: {condition}; {repaid:eur} repaid", condition=_md(case["condition"]), **money))
    if details:
        out += ["", *(f"- {line}" for line in details)]
    out += ["", tr("Entry {id}", id=case["id"])]
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
