"""The Dutch catalogues of the ops and analysis layers: complete against the English ones, in
the same order, nothing fuzzy or empty, the same values in each text, and every text renders."""

from __future__ import annotations

import datetime as dt
import re
import string
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from maatwerk_cli.core.messages import Opt, _fill, plain_option, read_po
from maatwerk_cli.core.records import KIND_ALIASES

LOCALE = Path(__file__).resolve().parents[1] / "maatwerk_cli" / "locale"
LAYERS = ("ops", "analysis")
MSGID = re.compile(r'^msgid "(.+)"$', re.MULTILINE)
# Words that are English only (the list but "of", which is Dutch too, and the layer's own nouns); command,
# option and setting names are taken out of the text before it is searched.
ENGLISH = re.compile(r"\b(the|not|with|and|or|is not|spend|spends|loan|loans|void|voided|refused|recorded|"
                     r"under|shown|written|must|line|lines|rows?|budget holder)\b", re.IGNORECASE)
CODE = re.compile(r"`[^`]*`|\{[^}]*\}|\[[^\]]*\]|\S*[_=.]\S*|\([a-z-]+\)")


def _text(layer: str, lang: str) -> str:
    return (LOCALE / lang / f"{layer}.po").read_text(encoding="utf-8")


def _fields(template: str) -> dict[str, str]:
    """Each value a template names, with its format."""
    return {name: spec or "" for _, name, spec, _ in string.Formatter().parse(template) if name}


def _sample(spec: str, number: int) -> Any:
    """A value of the type the format wants."""
    if spec == "eur":
        return Decimal("1234.5")
    if spec == "date":
        return dt.date(2026, 3, 14)
    if spec == "opt":
        return Opt("reason")
    if spec == "list":
        return ["noord", "zuid"]
    if spec == "count" or spec.startswith("plural:"):
        return number
    return "x"


def _command_words(template: str) -> list[list[str]]:
    """The commands a template spells in backticks, a metavar (FILE, BEDRAG) as one marker and a
    value by what it stands for (lening is loan), so that the languages may differ only there."""
    out = []
    for command in re.findall(r"`([^`]*)`", template):
        words = []
        for word in command.split():
            if re.fullmatch(r"[A-Z]{2,}", word):
                words.append("METAVAR")
            else:
                words.append(KIND_ALIASES.get(word, word))
        out.append(words)
    return out


@pytest.mark.parametrize("layer", LAYERS)
def test_the_dutch_catalogue_has_every_message_of_the_english_one_in_its_order(layer: str) -> None:
    english, dutch = MSGID.findall(_text(layer, "en")), MSGID.findall(_text(layer, "nl"))
    assert len(english) > 10
    assert dutch == english


@pytest.mark.parametrize("layer", LAYERS)
def test_no_dutch_text_is_empty_or_fuzzy_and_the_header_says_dutch(layer: str) -> None:
    text = _text(layer, "nl")
    # read_po leaves out an entry without text, so a missing key is an empty msgstr.
    assert sorted(set(MSGID.findall(text)) - set(read_po(text))) == []
    assert "#, fuzzy" not in text
    assert '"Language: nl\\n"' in text
    assert text.startswith("# maatwerk: ")


@pytest.mark.parametrize("layer", LAYERS)
def test_each_dutch_text_uses_the_values_of_the_english_one(layer: str) -> None:
    english, dutch = read_po(_text(layer, "en")), read_po(_text(layer, "nl"))
    wrong = []
    for code, template in english.items():
        want, got = _fields(template), _fields(dutch[code])
        if set(want) != set(got):
            wrong.append(f"{code}: English {sorted(want)}, Dutch {sorted(got)}")
            continue
        for name, spec in got.items():
            # The one format a translation may add: a plural where English has a plain number.
            plural = spec.startswith("plural:") and want[name] in ("", "count")
            if spec != want[name] and not plural:
                wrong.append(f"{code}: {{{name}}} is :{want[name]} in English, :{spec} in Dutch")
            if plural and not re.fullmatch(r"plural:\w+\|\w+", spec):
                wrong.append(f"{code}: {{{name}:{spec}}} needs a form for one and one for more")
    assert wrong == []


@pytest.mark.parametrize("layer", LAYERS)
def test_each_dutch_text_keeps_the_commands_of_the_english_one(layer: str) -> None:
    english, dutch = read_po(_text(layer, "en")), read_po(_text(layer, "nl"))
    wrong = [code for code, template in english.items() if _command_words(template) != _command_words(dutch[code])]
    assert wrong == []


@pytest.mark.parametrize("layer", LAYERS)
def test_each_dutch_text_renders_and_says_no_english(layer: str) -> None:
    dutch = read_po(_text(layer, "nl"))
    english_left = []
    for code, template in dutch.items():
        for number in (1, 3):
            values = {name: _sample(spec, number) for name, spec in _fields(template).items()}
            shown = _fill(template, values, "nl", plain_option)
            assert "{" not in shown and "}" not in shown, (code, shown)
        assert "--reason" in shown or ":opt}" not in template, code
        english_left += [f"{code}: {m[0]!r}" for m in ENGLISH.finditer(CODE.sub(" ", template))]
    assert english_left == []


def test_a_plural_renders_one_and_more_in_dutch() -> None:
    dutch = read_po(_text("ops", "nl"))
    shown = [_fill(dutch["import.id_range"], {"first": "a", "last": "b", "count": n}, "nl", plain_option)
             for n in (1, 2)]
    assert shown == ["a .. b (1 regel)", "a .. b (2 regels)"]
