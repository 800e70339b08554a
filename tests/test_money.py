"""The one amount parser: Dutch rules, exact Decimals, clear refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maatwerk_cli.core.errors import InputError
from maatwerk_cli.core.money import format_eur, format_plain, parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("35", "35.00"),
        ("35,00", "35.00"),
        ("12.50", "12.50"),
        ("12,5", "12.50"),
        ("1234.5", "1234.50"),
        ("1.234,56", "1234.56"),
        ("€ 1.234,56", "1234.56"),
        ("€1.234,56", "1234.56"),
        ("EUR 35", "35.00"),
        ("eur 35", "35.00"),
        ("35 EUR", "35.00"),
        ("35 €", "35.00"),
        ("€ 35,-", "35.00"),
        ("5.000", "5000.00"),
        ("1.234.567", "1234567.00"),
        ("1.234.567,89", "1234567.89"),
        ("0,01", "0.01"),
        (",50", "0.50"),
        ("  35  ", "35.00"),
        ("\u00a0€\u00a035", "35.00"),
    ],
)
def test_accepts_dutch_and_plain_amounts(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("1,234.56", "English"),
        ("12,345", "more than two decimals"),
        ("1.2345", "more than two decimals"),
        ("12.345.6", "ambiguous"),
        ("1.23.456", "ambiguous"),
        ("1,2,3", "more than one comma"),
        ("0", "zero"),
        ("0,00", "zero"),
        ("-5", "negative"),
        ("€ -5", "negative"),
        ("", "empty"),
        ("abc", "not an amount"),
        ("12 50", "not an amount"),
        ("1e5", "not an amount"),
        ("35,", "no digits after the comma"),
        ("12.3.4", "ambiguous"),
        ("12,50.00", "English"),
        ("9999999999", "too large"),
        ("12.5O", "not an amount"),
        ("NaN", "not an amount"),
        ("Infinity", "not an amount"),
        ("１２", "not an amount"),
    ],
)
def test_refuses_ambiguous_or_wrong_amounts_with_a_hint(text: str, hint: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_amount(text)
    assert hint.lower() in str(exc.value).lower()
    assert "write" in str(exc.value) or hint in ("zero", "negative", "too large")


def test_three_decimals_after_a_comma_say_how_to_write_thousands() -> None:
    with pytest.raises(InputError, match=r"1\.234"):
        parse_amount("1,234")


def test_negative_and_zero_only_when_allowed() -> None:
    assert parse_amount("-7.414", allow_negative=True) == Decimal("-7414.00")
    assert parse_amount("0", allow_zero=True) == Decimal("0.00")


def test_display_is_dutch_and_machine_text_is_plain() -> None:
    assert format_eur(Decimal("1234.56")) == "€ 1.234,56"
    assert format_eur(Decimal("1234567.5")) == "€ 1.234.567,50"
    assert format_eur(Decimal("-35")) == "€ -35,00"
    assert format_eur(Decimal("0.05")) == "€ 0,05"
    assert format_plain(Decimal("1234.5")) == "1234.50"


cents = st.integers(min_value=1, max_value=99_999_999_999)


@given(cents)
def test_dutch_display_reads_back_exactly(value: int) -> None:
    amount = Decimal(value) / 100
    assert parse_amount(format_eur(amount)) == amount
    assert parse_amount(format_eur(amount, symbol=False)) == amount


@given(cents)
def test_plain_text_reads_back_exactly(value: int) -> None:
    amount = Decimal(value) / 100
    text = format_plain(amount)
    # "5.000" would be thousands; plain text always has two decimals, so it is not ambiguous.
    assert parse_amount(text) == amount


@given(st.text(max_size=40))
def test_random_junk_never_crashes(text: str) -> None:
    try:
        value = parse_amount(text)
    except InputError:
        return
    assert value > 0
    assert value == value.quantize(Decimal("0.01"))


@given(st.from_regex(r"\A[€ ]{0,2}[0-9.,]{1,14}\Z"))
def test_numberish_junk_is_read_or_refused_never_misread(text: str) -> None:
    try:
        value = parse_amount(text)
    except InputError:
        return
    body = text.strip("€ ")
    digits = "".join(c for c in body if c.isdigit())
    if "," in body:
        decimals = len(body.split(",")[1])
    elif body.count(".") == 1 and len(body.split(".")[1]) in (1, 2):
        decimals = len(body.split(".")[1])
    else:
        decimals = 0
    # Every digit typed ends up in the value, in its place: nothing dropped or shifted.
    assert value * 10**decimals == int(digits)
