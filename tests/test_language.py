"""How the command line chooses the language it speaks to people (cli/lang.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from maatwerk_cli.cli.lang import choose, normal, system_language, take_option


@pytest.mark.parametrize(("argv", "rest", "chosen"), [
    (["--lang", "en", "spend", "noord"], ["spend", "noord"], "en"),
    (["spend", "noord", "--lang=nl"], ["spend", "noord"], "nl"),
    (["--lang", "en", "x", "--lang", "nl"], ["x"], "nl"),
    (["spend", "--", "--lang", "en"], ["spend", "--", "--lang", "en"], None),
    (["spend", "--lang"], ["spend", "--lang"], None),
])
def test_the_option_is_taken_wherever_it_stands(argv: list[str], rest: list[str], chosen: str | None) -> None:
    assert take_option(argv) == (rest, chosen)


@pytest.mark.parametrize(("given", "lang"), [
    ("nl", "nl"), ("EN", "en"), ("nl_NL.UTF-8", "nl"), ("en-GB", "en"), ("nl_BE@euro", "nl"),
    ("Dutch", "nl"), ("English", "en"), ("de_DE.UTF-8", None), ("", None), (None, None),
])
def test_a_language_as_systems_write_it(given: str | None, lang: str | None) -> None:
    assert normal(given) == lang


@pytest.mark.parametrize(("env", "lang"), [
    ({}, None),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "nl_NL.UTF-8"}, "nl"),
    ({"LANG": "C.UTF-8"}, None),
    ({"LC_ALL": "POSIX", "LANG": "en_US.UTF-8"}, None),
    ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
    ({"LANGUAGE": "de:en", "LANG": "nl_NL.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, None),
])
def test_the_systems_language_is_read_as_gettext_reads_it(env: dict[str, str], lang: str | None) -> None:
    assert system_language(env) == lang


def test_the_order_option_environment_setting_system_dutch() -> None:
    def setting(value: str | None) -> Callable[[], str | None]:
        return lambda: value

    everything = {"MAATWERK_LANG": "nl", "LANG": "nl_NL.UTF-8"}
    assert choose("en", everything, setting("nl")) == "en"
    assert choose(None, {"MAATWERK_LANG": "en", "LANG": "nl_NL"}, setting("nl")) == "en"
    assert choose(None, {"LANG": "nl_NL.UTF-8"}, setting("en")) == "en"
    assert choose(None, {"LANG": "en_US.UTF-8"}, setting(None)) == "en"
    assert choose(None, {"LANG": "C.UTF-8"}, setting(None)) == "nl"
    assert choose(None, {}, setting(None)) == "nl"
    # A value that names no language with a catalogue is passed over, not obeyed.
    assert choose(None, {"MAATWERK_LANG": "klingon", "LANG": "en_US.UTF-8"}, setting(None)) == "en"


def test_a_language_setting_the_tool_does_not_speak_is_refused(tmp_path: Path) -> None:
    from maatwerk_cli.cli.app import run

    folder = tmp_path / "ledgers"
    assert run(["--ledgers", str(folder), "init", "--municipality", "Teststad"]) == 0
    settings = folder / "maatwerk.toml"
    text = settings.read_text(encoding="utf-8")
    assert 'language = "en"' in text  # the suite runs in English, and init writes the run's language
    settings.write_text(text.replace('language = "en"', 'language = "de"'), encoding="utf-8")
    before = settings.read_bytes()
    assert run(["--ledgers", str(folder), "team", "list"]) == 2
    assert settings.read_bytes() == before
