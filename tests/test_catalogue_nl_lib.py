"""The Dutch catalogues of the library's lower layers (core, store, formats): complete, in the
English order, with the same values in each text, and each text renders."""

from __future__ import annotations

import datetime as dt
import re
import string
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from maatwerk_cli.core.messages import Opt, _fill, plain_option, read_po

LOCALE = Path(__file__).resolve().parents[1] / "maatwerk_cli" / "locale"
LAYERS = ("core", "store", "formats")
COMMAND = re.compile(r"`maatwerk [^`]*`")


def _texts(lang: str, layer: str) -> dict[str, str]:
    return read_po((LOCALE / lang / f"{layer}.po").read_text(encoding="utf-8"))


def _fields(template: str) -> dict[str, str]:
    """Each value a template names, with its format (the last one if named twice)."""
    return {name: spec or "" for _, name, spec, _ in string.Formatter().parse(template) if name is not None}


def _sample(spec: str, count: int) -> Any:
    """A value of the type the format wants (``count`` for whole numbers, to try 1 and many)."""
    if spec == "eur":
        return Decimal("1234.5")
    if spec == "date":
        return dt.date(2025, 3, 14)
    if spec == "opt":
        return Opt("reason")
    if spec == "list":
        return ["noord", "zuid"]
    if spec == "count" or spec.startswith("plural:"):
        return count
    if spec:
        return Decimal("-12.5")  # a number format such as .2f or +.2f
    return "waarde"


@pytest.mark.parametrize("layer", LAYERS)
def test_the_dutch_catalogue_has_every_code_of_the_english_one_in_its_order(layer: str) -> None:
    en, nl = _texts("en", layer), _texts("nl", layer)
    assert len(en) > 50
    assert list(nl) == list(en)


@pytest.mark.parametrize("layer", LAYERS)
def test_no_dutch_entry_is_empty_or_fuzzy(layer: str) -> None:
    raw = (LOCALE / "nl" / f"{layer}.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in raw and not re.search(r"^#,.*\bfuzzy\b", raw, re.MULTILINE)
    assert '"Language: nl\\n"' in raw
    # read_po drops a pair with an empty msgstr: count the msgids to see none was dropped
    ids = re.findall(r'^msgid "(.+)"$', raw, re.MULTILINE)
    texts = _texts("nl", layer)
    assert sorted(ids) == sorted(texts)
    assert all(text.strip() for text in texts.values())


@pytest.mark.parametrize("layer", LAYERS)
def test_each_dutch_text_names_the_same_values_in_the_same_formats(layer: str) -> None:
    en, nl = _texts("en", layer), _texts("nl", layer)
    wrong = []
    for code, english in en.items():
        want, have = _fields(english), _fields(nl[code])
        if set(want) != set(have):
            wrong.append(f"{code}: English names {sorted(want)}, Dutch {sorted(have)}")
            continue
        for name, spec in have.items():
            # a count may gain its noun's forms (1 regel, 3 regels); every other format stays
            plural = spec.startswith("plural:") and want[name] in ("", "count") and spec.count("|") == 1
            if spec != want[name] and not plural:
                wrong.append(f"{code}: {{{name}}} is {spec!r} in Dutch, {want[name]!r} in English")
    assert wrong == []


@pytest.mark.parametrize("layer", LAYERS)
def test_commands_in_the_dutch_texts_are_spelled_as_typed(layer: str) -> None:
    en, nl = _texts("en", layer), _texts("nl", layer)
    wrong = {code: COMMAND.findall(nl[code]) for code, english in en.items()
             if COMMAND.findall(english) != COMMAND.findall(nl[code])}
    assert wrong == {}


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("count", [1, 3])
def test_each_dutch_text_renders_with_values_of_its_formats(layer: str, count: int) -> None:
    for code, template in _texts("nl", layer).items():
        values = {name: _sample(spec, count) for name, spec in _fields(template).items()}
        shown = _fill(template, values, "nl", plain_option)
        assert shown.strip(), code
        assert shown.count("{") == template.count("{{"), (code, shown)  # every value filled in


def test_a_plural_form_renders_one_and_many() -> None:
    template = _texts("nl", "core")["name.too_long"]
    one = _fill(template, {"length": 1, "limit": 64}, "nl", plain_option)
    assert one == "de naam is 1 teken lang, het maximum is 64"
    assert "is 70 tekens lang" in _fill(template, {"length": 70, "limit": 64}, "nl", plain_option)
