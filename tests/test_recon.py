"""Issue 24, items 4 and 7: reconcile says which days the statements cover, and bank files
that were refused whole are read (bunq's older and Dutch CSV, NUL bytes inside a field).

Through the command line on a real ledger folder; the fixtures are this project's own
(team zuid's card account in April 2025, invented parties, IBANs with valid check digits).
Files from ``/work/shared/real-inputs`` are read where they exist and skipped otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot

Cli = Callable[..., Result]
BANK = Path(__file__).parent / "fixtures" / "bank"
REAL = Path("/work/shared/real-inputs")
BUNQ_APRIL = BANK / "bunq_nl_2025-04.csv"  # lines from 1 to 8 April 2025


def rows(result: Result) -> list[dict[str, object]]:
    assert result.code in (0, 1), result.err
    found: list[dict[str, object]] = json.loads(result.out)
    return found


def card_spends(lcli: Cli, *dates: str) -> None:
    for date in dates:
        made = lcli("spend", "zuid", "27,45", "-c", "Levensmiddelen", "-d", date, "--reason", "elke keer brood")
        assert made.code == 0, made.err


# --------------------------------------------------------------------------- item 4: reconcile


def test_a_month_no_statement_covers_is_a_finding_and_says_why(lcli: Cli) -> None:
    card_spends(lcli, "3-4-2025", "3-11-2025", "10-11-2025", "21-11-2025")
    assert lcli("import", "bank", str(BUNQ_APRIL), "--team", "zuid").code == 0
    check = lcli("reconcile", "zuid", "--month", "2025-11", "--check")
    assert check.code == 1, check.out
    assert "bank and ledger agree" not in check.out
    assert "no imported statement covers 01-11-2025 to 30-11-2025" in check.out
    assert "the imported statements end on 08-04-2025" in check.out
    assert "not on a statement yet" in check.out
    assert "statements of NL36BUNQ2040618293 cover 01-04-2025 to 08-04-2025" in check.out
    found = rows(lcli("reconcile", "zuid", "--month", "2025-11", "--check", "-f", "json"))
    assert [(r["problem"], r["date"], r["until"], r["amount"], r["id"]) for r in found] == [
        ("not_covered", "2025-11-01", "2025-11-30", None, ""),
        ("not_on_a_statement_yet", "2025-11-03", None, 27.45, "zuid-2025-0002"),
        ("not_on_a_statement_yet", "2025-11-10", None, 27.45, "zuid-2025-0003"),
        ("not_on_a_statement_yet", "2025-11-21", None, 27.45, "zuid-2025-0004"),
    ]
    # Without --month: the spends after the statement are never passed over in silence.
    whole = rows(lcli("reconcile", "zuid", "-f", "json"))
    assert [r["id"] for r in whole if r["problem"] == "not_on_a_statement_yet"] == [
        "zuid-2025-0002", "zuid-2025-0003", "zuid-2025-0004"]
    csv = lcli("reconcile", "zuid", "--month", "2025-11", "-f", "csv").out
    assert csv.splitlines()[0] == "problem,date,amount,recorded,ref,id,description,until"


def test_part_of_a_month_is_named_and_agree_needs_every_day(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    assert lcli("import", "bank", str(BUNQ_APRIL), "--team", "zuid").code == 0
    for ref in [r["ref"] for r in rows(lcli("bank", "lines", "zuid", "--open", "-f", "json"))]:
        assert lcli("bank", "explain", "zuid", str(ref), "--reason", "proef").code == 0
    april = rows(lcli("reconcile", "zuid", "--month", "2025-04", "--check", "-f", "json"))
    assert [(r["problem"], r["date"], r["until"]) for r in april] == [("not_covered", "2025-04-09", "2025-04-30")]
    # A statement of the same account up to the end of the month: now every day is covered.
    rest = tmp_path / "bunq_rest.csv"
    rest.write_text('"Datum";"Bedrag";"Rekening";"Tegenrekening";"Naam";"Omschrijving"\n'
                    '"2025-04-30";"12,00";"NL36BUNQ2040618293";"NL91ABNA0417164300";"P. Jansen";"terugbetaling"\n',
                    encoding="utf-8")
    assert lcli("import", "bank", str(rest), "--team", "zuid").code == 0
    agree = lcli("reconcile", "zuid", "--month", "2025-04", "--check")
    assert agree.code == 0 and "bank and ledger agree" in agree.out
    assert "cover 01-04-2025 to 30-04-2025" in agree.out
    assert lcli("reconcile", "zuid", "--month", "2025-05", "--check").code == 1
    before = snapshot(ledger_dir)
    assert_refused(lcli("reconcile", "zuid", "--month", "2025-13", "--check"), "month")
    assert snapshot(ledger_dir) == before


def test_a_spend_in_the_statements_last_days_is_not_on_a_statement_yet(lcli: Cli) -> None:
    card_spends(lcli, "7-4-2025")  # the statement ends on 8 April: its booking may come later
    assert lcli("import", "bank", str(BUNQ_APRIL), "--team", "zuid").code == 0
    found = rows(lcli("reconcile", "zuid", "-f", "json"))
    assert ("not_on_a_statement_yet", "zuid-2025-0001") not in [(r["problem"], r["id"]) for r in found]
    card_spends(lcli, "6-4-2025")  # not linked: the pharmacy's 89,00 is the only line near it
    found = rows(lcli("reconcile", "zuid", "-f", "json"))
    assert [r["problem"] for r in found if r["id"] == "zuid-2025-0002"] == ["not_on_a_statement_yet"]


# --------------------------------------------------------------------------- item 7: refused files read


@pytest.mark.parametrize("name", ["bunq_en_old_2025-04.csv", "bunq_nl_2025-04.csv"])
def test_bunq_older_and_dutch_exports_import(lcli: Cli, ledger_dir: Path, name: str) -> None:
    result = lcli("import", "bank", str(BANK / name), "--team", "zuid", "--json")
    assert result.code == 0, result.err
    summary = json.loads(result.out)
    assert (summary["format"], summary["added"], summary["added_debits"]) == ("bunq", 5, 4)
    assert lcli("check").code == 0
    before = snapshot(ledger_dir)
    again = json.loads(lcli("import", "bank", str(BANK / name), "--team", "zuid", "--json").out)
    assert again["added"] == 0 and snapshot(ledger_dir) == before


def test_nul_bytes_inside_a_description_are_read_as_spaces_with_a_warning(lcli: Cli, ledger_dir: Path) -> None:
    path = BANK / "abnamro_nul_2025-04.tab"
    result = lcli("import", "bank", str(path), "--team", "zuid")
    assert result.code == 0, result.err
    assert f"{path}:3: holds NUL bytes inside a field" in result.err
    assert result.err.count("NUL") == 1
    lines = rows(lcli("bank", "lines", "zuid", "-f", "json"))
    assert "BEA, Betaalpas Bakkerij De Korenschoof,PAS004 NR:K2L3M4" in str(lines[2]["description"])
    # The clean download of the same days adds nothing: the refs are the same.
    before = snapshot(ledger_dir)
    clean = json.loads(lcli("import", "bank", str(BANK / "abnamro_2025-04.tab"), "--team", "zuid", "--json").out)
    assert clean["added"] == 0 and snapshot(ledger_dir) == before


@pytest.mark.parametrize(("mangle", "needle"), [
    (lambda data: data.decode("cp1252").encode("utf-16"), "UTF-16"),
    (lambda data: data.decode("cp1252").encode("utf-16-le"), "NUL"),
    (lambda data: data + bytes(range(256)), "NUL"),
    (lambda data: data.replace(b"\r\n", b"\x00\r\n", 1), "NUL"),  # a NUL at the end of a line: not inside
])
def test_utf16_binary_and_stray_nul_files_are_still_refused(
    lcli: Cli, ledger_dir: Path, tmp_path: Path, mangle: Callable[[bytes], bytes], needle: str
) -> None:
    path = tmp_path / "TXT250409.TAB"
    path.write_bytes(mangle((BANK / "abnamro_nul_2025-04.tab").read_bytes()))
    before = snapshot(ledger_dir)
    assert_refused(lcli("import", "bank", str(path), "--team", "zuid"), needle)
    assert snapshot(ledger_dir) == before


def _real(pattern: str) -> list[Path]:
    return sorted(REAL.glob(pattern)) if REAL.is_dir() else []


@pytest.mark.parametrize("path", _real("**/*bunq*") + _real("**/*abn*.tab") + _real("**/*TXT*.TAB") or [None])
def test_real_bunq_and_abnamro_txt_files_read(lcli: Cli, path: Path | None) -> None:
    if path is None:
        pytest.skip("no real bunq or ABN AMRO TXT file in /work/shared/real-inputs")
    result = lcli("import", "bank", str(path), "--team", "zuid", "--dry-run", "--json")
    assert result.code == 0, result.err
