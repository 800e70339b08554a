"""Help is drawn by rich, which reads ``[word]`` as markup and drops it: a help text that
shows brackets (``[[card_account]]``, ``[anoniem]``, a JSON shape) must escape them, or the
reader gets ``a [] block``. Every command's help, in both languages, keeps every bracketed
text that is not a style."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from rich.errors import StyleSyntaxError
from rich.style import Style

from maatwerk_cli.core.messages import catalogue
from tests.conftest import Result
from tests.test_clerk_hints import leaves

#: A tag as rich's markup reads it: an opening bracket not escaped, then a lower-case letter.
TAG = re.compile(r"(?<!\\)\[([a-z#/@][^\[\]]*)\]")


def is_style(tag: str) -> bool:
    if tag.startswith("/"):
        return True
    try:
        Style.parse(tag)
    except StyleSyntaxError:
        return False
    return True


def shown_brackets(text: str) -> list[str]:
    """The bracketed texts of a help text that a reader must see, as rich shows them."""
    escaped = re.findall(r"\\(\[[^\]]*\])", text)
    rest = re.sub(r"\\\[[^\]]*\]", "", text)
    return [f"[{m.group(1)}]" for m in TAG.finditer(rest) if not is_style(m.group(1))] + escaped


def flat(text: str) -> str:
    return re.sub(r"[\s│]+", " ", text)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_bracket_a_help_text_shows_reaches_the_reader(cli: Callable[..., Result], lang: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # one line per paragraph: a bracket is never wrapped
    words = catalogue(lang)
    checked = 0
    for path, command in leaves():
        text = command.help or ""
        said = words.get(text, text) if lang == "nl" else text
        wanted = shown_brackets(said)
        if not wanted:
            continue
        out = flat(cli("--lang", lang, *path, "--help").out)
        for bracket in wanted:
            assert flat(bracket) in out, (path, lang, bracket)
            checked += 1
    assert checked >= 3  # show's JSON shape, team account's block, anonymise's placeholder


def test_the_check_sees_what_rich_drops() -> None:
    assert shown_brackets("a [[card_account]] block, [bold]not this[/]") == ["[card_account]"]
    assert shown_brackets("a [\\[card_account]] block") == ["[card_account]"]
