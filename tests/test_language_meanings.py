"""What a column means (the workbook's cover), and the fixed values people read (a rule's
source, a reconcile problem, the totals label, voided), in the run's language; JSON the same
in every language."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Result

Cli = Callable[..., Result]
MONTH = ("--month", "2026-10")
BANK = Path(__file__).resolve().parent / "fixtures" / "bank_import" / "ing_noord_2025-03.csv"

#: Dutch words today's meanings used, which no English meaning holds.
DUTCH = ["de", "het", "van", "een", "budgethouder", "besteed", "uitgave", "uitgaven", "peildatum", "terugbetaald",
         "nog", "waar", "wat", "geannuleerd", "ingetrokken", "tempo", "bedrag"]
#: English words no Dutch meaning holds.
ENGLISH = ["the", "spent", "spend", "spends", "budget holder", "repaid", "cut-off", "voided", "pace",
           "amount", "where", "what", "still", "share"]


def words(found: list[str], text: str) -> list[str]:
    return [w for w in found if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text, re.I)]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(ROOT / "ledgers", root)
    return root


def meanings(path: Path) -> dict[str, str]:
    """The cover's table of columns and what they mean."""
    from openpyxl import load_workbook

    ws = load_workbook(path).worksheets[0]
    rows = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value) for r in range(1, ws.max_row + 1)]
    start = next(i for i, (a, b) in enumerate(rows) if (a, b) in (("Column", "Meaning"), ("Kolom", "Betekenis")))
    return {str(a): str(b or "") for a, b in rows[start + 1:] if a}


def test_the_covers_meanings_are_english_on_request_and_dutch_by_default(
        cli: Cli, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAATWERK_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")  # no language of the system's: Dutch, the default
    nl, en = tmp_path / "okt.xlsx", tmp_path / "oct.xlsx"
    assert cli("--ledgers", str(demo), "pack", *MONTH, "-o", str(nl)).code == 0
    assert cli("--ledgers", str(demo), "--lang", "en", "pack", *MONTH, "-o", str(en)).code == 0

    english = meanings(en)
    assert len(english) > 40
    text = "\n".join(english.values())
    assert not words(DUTCH, text), words(DUTCH, text)
    assert english["spent"] == ("spent from 1 January up to the cut-off date, without voided spends, "
                                "with cash written off")
    assert english["voided"] == "yes: the spend is voided and does not count"

    dutch = meanings(nl)
    assert len(dutch) == len(english)
    text = "\n".join(dutch.values())
    assert not words(ENGLISH, text), words(ENGLISH, text)
    assert dutch["besteed"] == ("besteed van 1 januari tot de peildatum, zonder ingetrokken uitgaven, "
                                "met afgeschreven kasgeld")
    # void is "intrekken" in the tool's Dutch: the column and what it means
    assert dutch["ingetrokken"] == "ja: de uitgave is ingetrokken en telt niet mee"
    assert "geannuleerd" not in text and "soortwijziging" not in dutch


def test_a_rules_source_is_dutch_for_people_and_the_json_the_same(
        cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAATWERK_LANG", "nl")
    base = ("--ledgers", str(demo), "rules", "--year", "2026")
    dutch = cli(*base)
    assert dutch.code == 0 and "standaard" in dutch.out
    assert not re.search(r"\bdefault\b", dutch.out), dutch.out
    english = cli("--lang", "en", *base)
    assert english.code == 0 and re.search(r"\bdefault\b", english.out) and "standaard" not in english.out
    as_json = cli(*base, "--format", "json")
    assert as_json.code == 0 and '"default"' in as_json.out
    assert cli("--lang", "en", *base, "--format", "json").out == as_json.out


def test_reconcile_problems_are_words_for_people_and_names_for_scripts(
        lcli: Cli, ledger_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for args in (("spend", "noord", "15", "-c", "Overig", "-d", "12-3-2025"),
                 ("spend", "noord", "18,59", "-c", "Gezondheid", "-d", "14-3-2025")):
        assert lcli(*args).code == 0
    assert lcli("import", "bank", str(BANK), "--team", "noord").code == 0
    monkeypatch.setenv("MAATWERK_LANG", "nl")

    as_json = lcli("reconcile", "noord", "--format", "json")
    assert as_json.code == 0 and '"bank_without_entry"' in as_json.out and '"amount_mismatch"' in as_json.out
    assert lcli("--lang", "en", "reconcile", "noord", "--format", "json").out == as_json.out
    assert "bank_without_entry" in lcli("reconcile", "noord", "--format", "csv").out

    for fmt in ("table", "markdown", "csv-nl"):
        out = lcli("reconcile", "noord", "--format", fmt).out
        assert "alleen bank" in out and "alleen grootboek" in out and "bedragen verschillen" in out, (fmt, out)
        assert "bank_without_entry" not in out and "bank only" not in out, (fmt, out)
    english = lcli("--lang", "en", "reconcile", "noord").out
    assert "bank only" in english and "ledger only" in english and "amounts differ" in english

    book = tmp_path / "aansluiting.xlsx"
    assert lcli("reconcile", "noord", "-o", str(book)).code == 0
    assert "alleen bank" in sheet_text(book)


def sheet_text(path: Path) -> str:
    from openpyxl import load_workbook

    ws: Any = load_workbook(path).worksheets[-1]
    return "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def test_the_totals_label_is_a_word_for_people_and_totaal_in_json(
        cli: Cli, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = ("--ledgers", str(demo), "utilisation", *MONTH)
    english = cli(*base)
    assert re.search(r"^\s*total\s", english.out, re.M) and "totaal" not in english.out
    assert "| total |" in cli(*base, "--format", "markdown").out
    book = tmp_path / "en.xlsx"
    assert cli(*base, "-o", str(book)).code == 0
    assert re.search(r"^total$", sheet_text(book), re.M)
    as_json = cli(*base, "--format", "json").out
    transposed = cli("--ledgers", str(demo), "compare", *MONTH, "--transpose", "--format", "markdown").out
    assert "| total |" in transposed

    monkeypatch.setenv("MAATWERK_LANG", "nl")
    assert re.search(r"^\s*totaal\s", cli(*base).out, re.M)
    assert cli(*base, "--format", "json").out == as_json


def test_voided_is_ingetrokken_in_dutch(lcli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    spent = lcli("spend", "noord", "100", "-c", "Wonen", "-d", "1-3-2025").out.strip()
    assert lcli("void", spent, "--reason", "dubbel").code == 0
    monkeypatch.setenv("MAATWERK_LANG", "nl")
    shown = lcli("show", spent)
    assert shown.code == 0 and "ingetrokken" in shown.out and "geannuleerd" not in shown.out, shown.out
    assert "ingetrokken" in lcli("entries", "--format", "vertical").out
