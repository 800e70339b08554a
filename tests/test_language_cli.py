"""The command line's own words in Dutch by default, English on request: the help of every
command, typer's and click's words (Usage, Options, Missing argument), the clerk's echo, and
how the language is chosen (cli/lang.py); JSON the same in both."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import typer.main

from maatwerk_cli.cli import app
from maatwerk_cli.core.messages import catalogue
from tests.conftest import Result, assert_refused

#: Words of typer's and click's help that only English has.
ENGLISH_HELP = ("Usage", "Options", "Arguments", "Commands", "Show this message", "[required]", "[default:",
                "Record a spend", "The team that pays")
#: Words of the echo and the errors that only English has (command and option names aside).
ENGLISH_WORDS = re.compile(r"\b(recorded|loan|spend|repayment|still owed|Missing|argument|No such|"
                           r"Did you mean|Invalid value|not a valid|see|the|of|not)\b")


def _unset_language(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A new user's shell: no MAATWERK_LANG, no system language, no ledger folder here."""
    for name in ("MAATWERK_LANG", "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def dutch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _unset_language(monkeypatch, tmp_path)


def _dutch_help(result: Result) -> None:
    assert result.code == 0, result.err
    for word in ENGLISH_HELP:
        assert word not in result.out, (word, result.out)
    for word in ("Gebruik:", "Opties", "Toon deze hulp en stop."):
        assert word in result.out, (word, result.out)


def _english_help(result: Result) -> None:
    assert result.code == 0, result.err
    for word in ("Usage:", "Options", "Show this message and exit."):
        assert word in result.out, (word, result.out)
    assert "Gebruik" not in result.out and "Toon deze hulp" not in result.out


@pytest.mark.usefixtures("dutch")
def test_the_help_is_dutch_for_a_new_user(cli: Callable[..., Result]) -> None:
    main = cli("--help")
    _dutch_help(main)
    assert "Opdrachten" in main.out and "Leg een uitgave vast" in main.out
    assert "--lang" in main.out and "MAATWERK_LANG" in main.out  # how to choose the language
    spend = cli("spend", "--help")
    _dutch_help(spend)
    for word in ("Argumenten", "[verplicht]", "[standaard: pin]", "Het team dat betaalt", "pin, factuur of contant"):
        assert word in spend.out, word


@pytest.mark.usefixtures("dutch")
def test_the_help_is_english_on_request_before_or_after_the_command(cli: Callable[..., Result]) -> None:
    _english_help(cli("--lang", "en", "--help"))
    spend = cli("spend", "--help", "--lang", "en")
    _english_help(spend)
    assert "Record a spend" in spend.out and "The team that pays" in spend.out


@pytest.mark.usefixtures("dutch")
def test_runs_one_after_another_keep_their_own_language(cli: Callable[..., Result]) -> None:
    _dutch_help(cli("spend", "--help"))
    _english_help(cli("--lang", "en", "spend", "--help"))
    _dutch_help(cli("spend", "--help"))
    _english_help(cli("--lang", "en", "--help"))
    _dutch_help(cli("--help"))


@pytest.mark.parametrize(("args", "dutch_words", "english_words"), [
    (("spend", "noord"), "Argument 'amount' ontbreekt. (zie `maatwerk spend --help`)",
     "Missing argument 'amount'. (see `maatwerk spend --help`)"),
    (("entries", "--kidn", "gift"), "Optie bestaat niet: --kidn (mogelijke opties: --kind)",
     "No such option: --kidn (Possible options: --kind)"),
    (("spnd", "noord", "5"), "Opdracht 'spnd' bestaat niet. Bedoelt u 'spend'?",
     "No such command 'spnd'. Did you mean 'spend'?"),
    (("household", "new", "--count", "veel"),
     "Ongeldige waarde voor '--count' / '-n': 'veel' is geen geldig geheel getal.",
     "Invalid value for '--count' / '-n': 'veel' is not a valid int."),
    (("team", "list", "--year"), "Optie '--year' heeft een waarde nodig.", "Option '--year' requires an argument."),
])
@pytest.mark.usefixtures("dutch")
def test_a_mistake_in_the_command_is_said_in_dutch_and_in_english_on_request(
        lcli: Callable[..., Result], args: tuple[str, ...], dutch_words: str, english_words: str) -> None:
    said = lcli(*args)
    assert_refused(said, dutch_words)
    # Names of commands, options and arguments aside (quoted, as click quotes them).
    assert not ENGLISH_WORDS.search(re.sub(r"'[^']*'|`[^`]*`|--\w+", "", said.err)), said.err
    assert_refused(lcli("--lang", "en", *args), english_words)


@pytest.mark.usefixtures("dutch")
def test_the_clerks_echo_is_dutch_and_english_on_request(lcli: Callable[..., Result]) -> None:
    spend = lcli("spend", "noord", "12,50", "-c", "Levensmiddelen", "-d", "1-3-2025", "-k", "lening",
                 "--due", "1-6-2025")
    assert spend.code == 0, spend.err
    assert spend.out == "noord-2025-0001\n"
    assert spend.err == ("maatwerk: vastgelegd noord-2025-0001: uitgave, team noord, € 12,50, Levensmiddelen, "
                         "pin, lening, 01-03-2025\n")
    repay = lcli("repay", "noord-2025-0001", "5", "-d", "2-3-2025")
    assert "vastgelegd noord-2025-0002: terugbetaling op noord-2025-0001" in repay.err
    assert "nog te betalen € 7,50" in repay.err
    assert not ENGLISH_WORDS.search(spend.err + repay.err), spend.err + repay.err
    english = lcli("--lang", "en", "spend", "noord", "12,75", "-c", "Levensmiddelen", "-d", "1-3-2025", "-k",
                   "lening", "--due", "1-6-2025")
    assert english.out == "noord-2025-0003\n"
    assert english.err == ("maatwerk: recorded noord-2025-0003: spend, team noord, € 12,75, Levensmiddelen, "
                           "pin, loan, 01-03-2025\n")


@pytest.mark.usefixtures("dutch")
def test_what_the_clerks_other_commands_say_is_dutch(lcli: Callable[..., Result]) -> None:
    budget = lcli("team", "budget", "noord", "+500", "--from", "1-4-2025")
    assert budget.out == "noord: ophoging van € 500,00 vanaf 01-04-2025; budget 2025 is nu € 10.500,00\n"
    lcli("spend", "noord", "20", "-c", "Levensmiddelen", "-d", "1-3-2025")
    void = lcli("void", "noord-2025-0001", "--reason", "dubbel", "--dry-run")
    assert void.err == "maatwerk: zou intrekken noord-2025-0001: uitgave € 20,00, 01-03-2025, Levensmiddelen\n"
    shown = lcli("team", "show", "noord")
    assert "Ophogingen en kortingen: ophoging van € 500,00 vanaf 01-04-2025." in shown.out
    assert_refused(lcli("team", "budget", "noord", "+500"), "een ophoging of korting heeft de datum nodig")


@pytest.mark.usefixtures("dutch")
def test_json_is_the_same_in_both_languages(lcli: Callable[..., Result]) -> None:
    lcli("spend", "noord", "12,50", "-c", "Levensmiddelen", "-d", "1-3-2025", "-k", "lening", "--due", "1-6-2025")
    dutch = lcli("entries", "--format", "json")
    english = lcli("--lang", "en", "entries", "--format", "json")
    assert dutch.code == english.code == 0
    assert dutch.out == english.out and '"kind": "loan"' in dutch.out


def test_the_environment_the_folder_and_the_system_choose_in_that_order(
        cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _unset_language(monkeypatch, tmp_path)
    monkeypatch.setenv("MAATWERK_LANG", "en")
    _english_help(cli("spend", "--help"))
    _dutch_help(cli("--lang", "nl", "spend", "--help"))  # the option beats the environment
    monkeypatch.delenv("MAATWERK_LANG")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    _english_help(cli("spend", "--help"))
    monkeypatch.setenv("LANG", "C")
    _dutch_help(cli("spend", "--help"))
    # The folder's setting beats the system's; init writes the language it was made in.
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    assert cli("--lang", "en", "init", "--year", "2025").code == 0
    assert 'language = "en"' in (tmp_path / "ledgers" / "maatwerk.toml").read_text(encoding="utf-8")
    _english_help(cli("spend", "--help"))
    other = tmp_path / "andere"
    assert cli("--ledgers", str(other), "init").code == 0
    assert 'language = "nl"' in (other / "maatwerk.toml").read_text(encoding="utf-8")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    _dutch_help(cli("--ledgers", str(other), "spend", "--help"))


@pytest.mark.usefixtures("dutch")
def test_an_unknown_language_is_refused_in_one_line(cli: Callable[..., Result]) -> None:
    said = cli("--lang", "de", "spend", "--help")
    assert_refused(said, "onbekende taal 'de' voor --lang; kies nl of en")
    assert said.out == ""


def test_every_help_text_has_dutch() -> None:
    """Each command's and option's help as click has it (typer's completion options too)."""
    command = typer.main.get_command(app)
    texts: list[str] = []

    def walk(cmd: object) -> None:
        texts.extend(inspect.cleandoc(t) for t in [getattr(cmd, "help", None)] if t)
        texts.extend(inspect.cleandoc(p.help) for p in getattr(cmd, "params", ()) if getattr(p, "help", None))
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)

    walk(command)
    assert len(texts) > 180
    dutch = catalogue("nl")
    assert [t[:60] for t in texts if t not in dutch] == []


def test_the_progress_labels_are_the_librarys_and_have_dutch() -> None:
    from maatwerk_cli.cli.progress import LABELS
    from maatwerk_cli.ops import bank, importer
    from maatwerk_cli.store import books

    assert set(LABELS) == {books.READING, importer.CHECKING, importer.READING, bank.IMPORTING}
    assert all(catalogue("nl").get(label, label) != label for label in LABELS)
