"""Dutch by default, across the commands: what people read holds no English-only word, the
same commands with --lang en speak English, and what scripts read is the same in both."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

ROOT = Path(__file__).resolve().parents[1]

#: Words that are English and not Dutch (``of``, ``is``, ``over``, ``team``, ``budget`` and
#: ``gift`` are Dutch words too, and stay out of the list).
ENGLISH = ("the", "not", "and", "with", "recorded", "refused", "written", "wrote", "shown", "spent", "spend",
           "spends", "loan", "loans", "under", "on-track", "missing", "invalid", "error", "usage", "options",
           "arguments", "commands", "this", "message", "which", "your", "please", "warning", "found", "such",
           "total", "month", "year", "amount", "date", "repaid", "open", "cash", "household", "category",
           "should", "must", "there", "been", "has", "have", "already", "unknown", "give", "write", "entry",
           "entries", "see", "got", "unexpected")
WORD = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w-])", re.IGNORECASE)
#: What is not prose: a command as typed (in backticks, or maatwerk and its subcommand), an
#: option, a metavar or placeholder in capitals, a file name, a JSON-like key.
NOT_PROSE = re.compile(r"`[^`]*`|maatwerk(?: [a-z]+){1,2}|\b[a-z]+ (?=--)|--?[a-zA-Z][\w-]*(?:=\S*)?|"
                       r"\b[A-Z][A-Z_]{2,}\b|\S+\.(?:toml|csv|xlsx|html|md|json|pdf)\b|\[[a-z_ .]+\]|"
                       r"\b[a-z]+_[a-z_]+\b|\{[a-z_]+\}|<[a-z]+>")
#: In help, a command or argument is named at the start of its row in a panel (``│ spend``).
PANEL_NAME = re.compile(r"^[│|]\s+\*?\s*[a-z-]+")
#: Help names JSON keys and values on purpose (``spent (besteed)``, ``In JSON: under``); there
#: only the words of English sentences count.
SENTENCE = ("the", "not", "and", "with", "this", "which", "your", "please", "usage", "options", "arguments",
            "commands", "message", "should", "must", "there", "been", "has", "have", "already", "unknown")


def english_words(text: str, *, help_text: bool = False) -> list[str]:
    """The English-only words in what people read of ``text`` (of help: only sentence words)."""
    words = []
    for line in text.splitlines():
        prose = NOT_PROSE.sub(" ", PANEL_NAME.sub(" ", line.replace("\\_", "_")))
        # A word in capitals is a metavar or a heading of click's (OPTIONS); "open" is Dutch as well.
        words += [m[0] for m in WORD.finditer(prose) if not m[0].isupper() and m[0].lower() != "open"
                  and (not help_text or m[0].lower() in SENTENCE)]
    return words


def test_the_check_finds_english_and_passes_dutch() -> None:
    assert english_words("maatwerk: recorded noord-2026-0001: spend, team noord") == ["recorded", "spend"]
    assert english_words("Usage: maatwerk spend [OPTIONS] TEAM AMOUNT") == ["Usage"]
    assert english_words("maatwerk: vastgelegd noord-2026-0001: uitgave, team noord, € 12,50") == []
    assert english_words("geef de reden met --reason of zie `maatwerk spend --help`; max_per_spend") == []


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "ledgers"
    shutil.copytree(ROOT / "ledgers", folder)
    monkeypatch.chdir(tmp_path)
    for name in ("MAATWERK_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    return folder


MONTH = ("--month", "2026-10")
#: Commands that read, in each format for people.
READS = [
    ("utilisation", *MONTH), ("utilisation", *MONTH, "--chart"), ("compare", *MONTH),
    ("compare", *MONTH, "--transpose"), ("categories", *MONTH), ("loans", *MONTH), ("loans", "--overdue", *MONTH),
    ("outcomes", *MONTH), ("leadtime", *MONTH), ("rules",), ("team", "list"), ("team", "show", "noord"),
    ("cash", "status"), ("entries", "noord"), ("show", "noord-2026-0001"), ("check",), ("knipkaart", "status"),
    ("stories", "--min-amount", "500"),
]
FORMATS = ((), ("-f", "vertical"), ("-f", "markdown"), ("-f", "csv-nl"))
#: Commands that are refused, each for another mistake.
MISTAKES = [
    ("spend", "noord", "12,345,6", "-c", "Wonen"), ("spend", "noord", "12"),
    ("spend", "noord", "12", "-c", "Wonnen"), ("spend", "noord", "12", "-c", "Wonen", "-d", "31-2-2026"),
    ("spend", "noord", "12", "-c", "Wonen", "-d", "1-1-2099"), ("spend", "nord", "12", "-c", "Wonen"),
    ("spend", "noord", "12", "-c", "Wonen", "-n", "bel 0612345678"), ("spend", "noord", "5000", "-c", "Wonen"),
    ("void", "noord-2026-0001"), ("void", "noord-2099-0001", "--reason", "x"),
    ("void", "noord-2026-0001", "--reason", "dubbel"), ("repay", "noord-2026-0001", "500"),
    ("mark", "noord-2026-0002", "loan"),
    ("import", "entries", "geen.csv", "--team", "noord"), ("utilisatoin",), ("utilisation", "--mont", "2026-10"),
    ("utilisation", "-f", "pdf"), ("compare", "-o", "ledgers/x.csv"), ("--ledgers", "nergens", "utilisation"),
    ("report", *MONTH, "-o", "x.docx"), ("cash", "withdraw", "noord", "-5"),
]
WRITES = [
    ("spend", "noord", "12,50", "-c", "Wonen", "-d", "gisteren", "-n", "boodschappen"),
    ("spend", "noord", "35", "-c", "Levensmiddelen", "--kind", "loan", "--due", "1-12-2026", "-d", "gisteren"),
    ("refuse", "noord", "--reason", "geen noodzaak"), ("cash", "withdraw", "noord", "50"),
    ("team", "budget", "noord", "+500", "--from", "1-11-2026"), ("knipkaart", "use", "noord", "--reason", "regel x"),
    ("household", "new"), ("pack", *MONTH, "-o", "okt.xlsx"), ("report", *MONTH, "-o", "okt.html"),
    ("compare", *MONTH, "-f", "csv-nl", "-o", "okt.csv"),
]
HELP = [("--help",), ("spend", "--help"), ("utilisation", "--help"), ("compare", "--help"),
        ("import", "entries", "--help"), ("team", "--help"), ("void", "--help"), ("pack", "--help")]


def _said(done: Result) -> str:
    return done.out + done.err


def test_people_read_dutch_by_default(cli: Callable[..., Result], demo: Path) -> None:
    found: dict[str, list[str]] = {}
    runs = [(*c, *f) for c in READS for f in FORMATS] + MISTAKES + WRITES + HELP
    for args in runs:
        done = cli(*args)
        words = english_words(_said(done), help_text="--help" in args)
        if words:
            found[" ".join(args)] = sorted(set(words))
    assert found == {}
    assert len(runs) > 100


def test_mistakes_are_refused_in_dutch_and_in_english(cli: Callable[..., Result], demo: Path) -> None:
    for args in MISTAKES:
        dutch = cli(*args)
        english = cli("--lang", "en", *args)
        assert dutch.code == english.code == 2, args
        assert english.err != dutch.err and english_words(english.err), args


def test_english_on_request_everywhere(cli: Callable[..., Result], demo: Path) -> None:
    for args in READS + HELP:
        said = _said(cli(*args, "--lang", "en"))
        assert english_words(said) or not said.strip() or args == ("check",), args
        # The stories quote the ledger's own notes, which are Dutch; help names the Dutch
        # words the input accepts (lening for loan): there only click's own words count.
        dutch = r"\b(Gebruik|Opties)\b" if args[0] == "stories" or "--help" in args else \
            r"\b(besteed|benut|lening|achter|peildatum|Gebruik|Opties)\b"
        assert not re.search(dutch, said), args


@pytest.mark.parametrize("args", [
    ("utilisation", *MONTH), ("compare", *MONTH), ("categories", *MONTH), ("loans", *MONTH), ("outcomes", *MONTH),
    ("leadtime", *MONTH), ("rules",), ("team", "list"), ("cash", "status"), ("entries", "noord"), ("check",),
    ("show", "noord-2026-0001"), ("knipkaart", "status"), ("summary", "ledgers"),
])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_what_scripts_read_is_the_same_in_both_languages(
        cli: Callable[..., Result], demo: Path, args: tuple[str, ...], fmt: str) -> None:
    dutch = cli(*args, "-f", fmt)
    english = cli("--lang", "en", *args, "-f", fmt)
    assert dutch.code == english.code and dutch.out == english.out and dutch.out.strip()
