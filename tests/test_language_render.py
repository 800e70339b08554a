"""The terminal's tables, the chart and the formats for people speak the run's language.

On a copy of the demo ledger (``ledgers/``), October 2026: in Dutch the titles, column
headers, status and kind values, the lines under the tables and the empty texts are Dutch
(the words the HTML report uses); with ``--lang en`` they are English; JSON and ``-f csv``
are the same bytes in both languages (the contract with scripts).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, Result

MONTH = ("--month", "2026-10")
#: Words a Dutch screen never holds (team, budget, over budget, gift, netto, status are Dutch too).
ENGLISH_ONLY = {
    "recorded", "loan", "loans", "refused", "under", "on-track", "not", "the", "of", "shown", "written",
    "compared", "spent", "lack", "width", "behind", "pace", "heading", "utilisation", "repaid", "projected",
    "count", "average", "median", "highest", "refusals", "conditional", "outstanding", "due", "entries",
    "amount", "date", "method", "household", "voided", "rules", "thumb", "value", "meaning", "source",
    "yet", "no", "and", "as", "this", "month", "cash", "net", "see", "every", "column", "wider", "terminal",
}

Run = Callable[..., Result]


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Run) -> Run:
    """``maatwerk --ledgers COPY ARGS`` on a copy of the demo ledger, 80 columns wide, no
    language chosen but the one each call gives with ``--lang``."""
    root = tmp_path / "ledgers"
    shutil.copytree(ROOT / "ledgers", root, ignore=shutil.ignore_patterns("*.py", "README.md"))
    monkeypatch.delenv("MAATWERK_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "80")

    def call(*args: str) -> Result:
        return cli("--ledgers", str(root), *args)

    return call


def english_words(text: str) -> set[str]:
    """The English-only words in ``text`` (option values such as ``-f csv-nl`` aside)."""
    words = {w.lower() for w in re.findall(r"(?<![-\w])[A-Za-z][A-Za-z-]*", text)}
    return words & ENGLISH_ONLY


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


def dutch(result: Result) -> str:
    ok(result)
    text = result.out + result.err
    assert english_words(text) == set(), (english_words(text), text)
    return text


def test_utilisation_at_80_columns_in_dutch_and_in_english(demo: Run) -> None:
    nl = dutch(demo("utilisation", *MONTH, "--lang", "nl"))
    assert "Benutting 2026, peildatum 31-10-2026" in nl
    for word in ("besteed", "benut", "deze maand", "op koers", "achter", "over budget", "Tempo: 83,3% van 2026",
                 "Niet getoond wegens te weinig breedte: prognose, terugbetaald, netto.",
                 "Achter op het tempo (1 van 6): oost.", "(1 van 6): zuid."):
        assert word in nl, word
    en = ok(demo("utilisation", *MONTH, "--lang", "en")).out
    for word in ("Utilisation 2026, as of 31-10-2026", "spent", "utilisation", "this month", "on-track", "under",
                 "Not shown for lack of width: projected, repaid, net.", "Behind the pace (1 of 6): oost.",
                 "Over budget, or heading there (1 of 6): zuid."):
        assert word in en, word
    assert "besteed" not in en and "op koers" not in en


def test_the_chart_in_dutch_and_in_english(demo: Run) -> None:
    nl = dutch(demo("utilisation", *MONTH, "--chart", "--lang", "nl"))
    assert "op koers" in nl and "achter" in nl and "over budget" in nl and "tempo 83,3%" in nl
    en = ok(demo("utilisation", *MONTH, "--chart", "--lang", "en")).out
    assert "on-track" in en and "under" in en and "pace 83,3%" in en


@pytest.mark.parametrize("fmt", ["table", "vertical", "markdown", "csv-nl"])
def test_compare_in_every_format_for_people(demo: Run, fmt: str) -> None:
    nl = dutch(demo("compare", *MONTH, "-f", fmt, "--lang", "nl"))
    assert "besteed" in nl and "benut" in nl and "aantal" in nl
    if fmt != "csv-nl":  # a CSV file has no title and no lines under it
        assert "Teams vergeleken, 2026" in nl
        assert "Afgeschreven kasgeld (€ 7,20) zit in besteed maar is geen uitgave" in nl
    en = ok(demo("compare", *MONTH, "-f", fmt, "--lang", "en")).out
    if fmt == "csv-nl":  # in English, the headers scripts know
        assert en.lstrip("\ufeff").startswith("team;budget;spent;utilisation;count")
    else:
        assert "Teams compared, 2026" in en and "spent" in en and "count" in en
        assert "Cash written off (€ 7,20) is in spent but is no spend" in en


def test_compare_transposed_names_its_rows_in_dutch(demo: Run) -> None:
    nl = dutch(demo("compare", *MONTH, "--transpose", "-f", "markdown", "--lang", "nl"))
    assert "| besteed € |" in nl and "| meeste geld |" in nl
    assert "| spent € |" in ok(demo("compare", *MONTH, "--transpose", "-f", "markdown", "--lang", "en")).out


def test_csv_nl_has_dutch_headers_and_words(demo: Run) -> None:
    nl = dutch(demo("utilisation", *MONTH, "-f", "csv-nl", "--lang", "nl"))
    header, *rows = nl.lstrip("\ufeff").splitlines()
    assert header.split(";")[:6] == ["team", "budget", "besteed", "terugbetaald", "netto", "benut"]
    status = {r.split(";")[0]: r.split(";")[header.split(";").index("status")] for r in rows}
    assert status["oost"] == "achter" and status["zuid"] == "over budget" and status["noord"] == "op koers"
    loans = dutch(demo("loans", *MONTH, "-f", "csv-nl", "--lang", "nl"))
    assert ";lening;" in loans and ";voorwaardelijk;" in loans and "soort" in loans.splitlines()[0]


@pytest.mark.parametrize("command", [("loans", *MONTH), ("entries",), ("team", "list"), ("cash", "status"),
                                     ("categories", *MONTH), ("outcomes", *MONTH), ("leadtime", *MONTH)])
def test_listings_in_dutch(demo: Run, command: tuple[str, ...]) -> None:
    for fmt in ("table", "markdown"):
        dutch(demo(*command, "-f", fmt, "--lang", "nl"))


def test_loans_and_entries_show_dutch_kinds(demo: Run) -> None:
    loans = dutch(demo("loans", *MONTH, "-f", "vertical", "--lang", "nl"))
    assert "Open leningen en voorwaardelijke giften, peildatum 31-10-2026" in loans
    assert "lening" in loans and "voorwaardelijk" in loans and "vervaldatum" in loans
    entries = dutch(demo("entries", "-f", "markdown", "--lang", "nl"))
    assert entries.startswith("## Uitgaven") and "| gift |" in entries and "| lening |" in entries
    en = ok(demo("entries", "-f", "markdown", "--lang", "en")).out
    assert en.startswith("## Entries") and "| loan |" in en and "| amount € |" not in en


def test_rules_in_dutch(demo: Run, tmp_path: Path, cli: Run) -> None:
    shown = ok(demo("rules", "-f", "markdown", "--lang", "nl")).out
    assert shown.startswith("## Geldende vuistregels")
    assert "| regel | categorie | waarde | betekenis | bron |" in shown
    assert "30 dagen" in shown and "10 keer" in shown and "| aan |" in shown
    en = ok(demo("rules", "-f", "markdown", "--lang", "en")).out
    assert "## Rules of thumb in force" in en and "30 days" in en and "10 times" in en and "| on |" in en
    empty = tmp_path / "empty"
    ok(cli("--ledgers", str(empty), "init", "--municipality", "Leegstad"))
    nl = ok(cli("--ledgers", str(empty), "rules", "--lang", "nl")).out
    # The rules' part (the title of the overrides under it is the command line's).
    assert " ".join(nl.split()).startswith("Geldende vuistregels geen vuistregels ingesteld; zet ze onder [rules] "
                                           "in maatwerk.toml (`maatwerk rules --help` noemt ze)")
    assert "no rules of thumb set" in ok(cli("--ledgers", str(empty), "rules", "--lang", "en")).out


@pytest.mark.parametrize("command", [("utilisation", *MONTH), ("compare", *MONTH), ("loans", *MONTH),
                                     ("entries",), ("rules",), ("compare", *MONTH, "--transpose")])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_machine_formats_are_the_same_in_both_languages(demo: Run, command: tuple[str, ...], fmt: str) -> None:
    nl = ok(demo(*command, "-f", fmt, "--lang", "nl")).out
    en = ok(demo(*command, "-f", fmt, "--lang", "en")).out
    assert nl.encode() == en.encode()
    assert "on-track" in nl or command[0] != "utilisation"  # the contract keeps the English values
