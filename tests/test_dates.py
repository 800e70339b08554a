"""The one date parser: Dutch and ISO forms, relative words, refusals."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maatwerk_cli.core.dates import parse_date, parse_month, parse_year
from maatwerk_cli.core.errors import InputError

TODAY = dt.date(2025, 6, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-14", dt.date(2025, 3, 14)),
        ("14-03-2025", dt.date(2025, 3, 14)),
        ("14-3-2025", dt.date(2025, 3, 14)),
        ("4-3-2025", dt.date(2025, 3, 4)),
        ("14/3/2025", dt.date(2025, 3, 14)),
        ("vandaag", TODAY),
        ("Today", TODAY),
        ("gisteren", dt.date(2025, 6, 14)),
        ("yesterday", dt.date(2025, 6, 14)),
        ("29-2-2024", dt.date(2024, 2, 29)),
    ],
)
def test_accepts(text: str, expected: dt.date) -> None:
    assert parse_date(text, on=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("31-2-2025", "does not exist"),
        ("29-2-2025", "does not exist"),
        ("2025-13-01", "does not exist"),
        ("14-3-25", "two-digit year"),
        ("morgen", "not a date"),
        ("", "empty"),
        ("16-6-2025", "future"),
        ("1-1-1900", "too long ago"),
        ("2025/03/14", "not a date"),
        ("14 maart 2025", "not a date"),
    ],
)
def test_refuses(text: str, hint: str) -> None:
    with pytest.raises(InputError, match=hint):
        parse_date(text, on=TODAY)


def test_future_only_when_allowed() -> None:
    assert parse_date("1-1-2026", on=TODAY, allow_future=True) == dt.date(2026, 1, 1)


def test_month_and_year() -> None:
    assert parse_month("2025-03") == (2025, 3)
    assert parse_month("3-2025") == (2025, 3)
    assert parse_year("2025") == 2025
    for bad in ("2025-13", "maart", "25-3"):
        with pytest.raises(InputError):
            parse_month(bad)
    with pytest.raises(InputError):
        parse_year("twintig")


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=TODAY))
def test_both_written_forms_round_trip(day: dt.date) -> None:
    assert parse_date(day.isoformat(), on=TODAY) == day
    assert parse_date(f"{day.day}-{day.month}-{day.year}", on=TODAY) == day


@given(st.text(max_size=30))
def test_junk_never_crashes(text: str) -> None:
    with contextlib.suppress(InputError):
        parse_date(text, on=TODAY)
