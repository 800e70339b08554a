"""Issue 24 in Dutch: reconcile's coverage findings and the NUL warning of ``import bank``;
JSON the same in both languages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

Cli = Callable[..., Result]
BANK = Path(__file__).parent / "fixtures" / "bank"
ENGLISH_ONLY = ("not on a statement", "no statement", "covers", "imported", "cover ", "the ", "holds", "read as")


@pytest.fixture
def dutch(lcli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.delenv("MAATWERK_LANG", raising=False)

    def call(*args: str) -> Result:
        return lcli("--lang", "nl", *args)

    return call


def test_reconcile_coverage_in_dutch(lcli: Cli, dutch: Cli) -> None:
    assert lcli("spend", "zuid", "27,45", "-c", "Levensmiddelen", "-d", "3-11-2025").code == 0
    assert lcli("import", "bank", str(BANK / "bunq_nl_2025-04.csv"), "--team", "zuid").code == 0
    said = dutch("reconcile", "zuid", "--month", "2025-11", "--check")
    assert said.code == 1
    text = said.out.replace("NL36BUNQ2040618293", "")
    assert not [w for w in ENGLISH_ONLY if w in text], text
    assert "nog op geen afschrift" in text and "geen afschrift" in text
    assert "geen ingelezen afschrift dekt 01-11-2025 tot en met 30-11-2025" in text
    assert "afschriften van  dekken 01-04-2025 tot en met 08-04-2025" in text and "5 regels" in text
    english = lcli("--lang", "en", "reconcile", "zuid", "--month", "2025-11")
    assert "not on a statement yet" in english.out and "no imported statement covers" in english.out
    as_json = dutch("reconcile", "zuid", "--month", "2025-11", "-f", "json")
    assert as_json.out == lcli("--lang", "en", "reconcile", "zuid", "--month", "2025-11", "-f", "json").out
    assert "not_on_a_statement_yet" in as_json.out and "no imported statement covers" in as_json.out


def test_nul_warning_in_dutch(dutch: Cli) -> None:
    path = BANK / "abnamro_nul_2025-04.tab"
    result = dutch("import", "bank", str(path), "--team", "zuid")
    assert result.code == 0, result.err
    assert f"{path}:3: bevat NUL-bytes binnen een veld" in result.err
    assert "holds" not in result.err and "read as" not in result.err
