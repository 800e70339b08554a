"""Bank statements into the ledger: import, links, dedupe, open lines, reconcile, hostile files.

Our own statements are in ``tests/fixtures/bank_import`` (invented, fictional test accounts).
Public sample statements are read from ``../shared/real-inputs`` when that folder is there,
and those tests skip otherwise; they are never copied into the project.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger, check_ledger
from maatwerk_cli.ops.bank import import_statement, read_bank, reconcile

Cli = Callable[..., Result]
HERE = Path(__file__).resolve().parent
OWN = HERE / "fixtures" / "bank_import"
REAL = Path(__file__).resolve().parents[2] / "shared" / "real-inputs"
ING_MARCH = OWN / "ing_noord_2025-03.csv"
ING_OVERLAP = OWN / "ing_noord_2025-03-14_tot_04-08.csv"
DRUGSTORE_REF = "h:5873ecf5f6a17203"  # the 18,95 card payment nobody recorded

ZUID_FILES = {
    "ing": None,  # the ING case is the March story of noord below
    "rabobank": "rabobank_zuid_2025-04.csv",
    "knab": "knab_zuid_2025-04.csv",
    "asn": "asn_zuid_2025-04.csv",
    "abnamro": "abnamro_zuid_2025-04.tab",
    "camt053": "camt053_zuid_2025-04.xml",
    "mt940": "mt940_zuid_2025-04.sta",
}


def real(relative: str) -> Path:
    path = REAL / relative
    if not path.is_file():
        pytest.skip(f"real sample {relative} not available")
    return path


def rows_json(result: Result) -> list[dict[str, object]]:
    assert result.code == 0, result.err
    data: list[dict[str, object]] = json.loads(result.out)
    return data


def record_noord_march(lcli: Cli) -> None:
    """What the clerk recorded in March: everything except the drugstore payment."""
    for args in (
        ("cash", "withdraw", "noord", "50", "-d", "3-3-2025"),
        ("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "5-3-2025", "--household", "H-7KXM4P"),
        ("spend", "noord", "12,50", "-c", "Levensmiddelen", "-d", "8-3-2025"),
        ("spend", "noord", "120", "-c", "Vervoer", "-d", "18-3-2025", "-n", "fietsreparatie"),
        ("spend", "noord", "60", "-c", "Vervoer", "-d", "20-3-2025"),
        ("spend", "noord", "25", "-c", "Levensmiddelen", "-d", "25-3-2025"),
        ("spend", "noord", "450", "-c", "Wonen", "-m", "factuur", "-d", "12-3-2025"),
        ("spend", "noord", "20", "-c", "Levensmiddelen", "-m", "contant", "-d", "6-3-2025"),
    ):
        assert lcli(*args).code == 0


def record_zuid_april(lcli: Cli) -> None:
    for args in (
        ("cash", "withdraw", "zuid", "40", "-d", "2-4-2025"),
        ("spend", "zuid", "27,45", "-c", "Levensmiddelen", "-d", "3-4-2025"),
        ("spend", "zuid", "150", "-c", "Wonen", "-m", "factuur", "-d", "4-4-2025"),
    ):
        assert lcli(*args).code == 0


# --------------------------------------------------------------------------- the new user's story


def test_month_of_ing_imported_missing_payment_completed_reimport_changes_nothing(
    lcli: Cli, ledger_dir: Path
) -> None:
    record_noord_march(lcli)
    before = snapshot(ledger_dir)
    dry = lcli("import", "bank", str(ING_MARCH), "--team", "noord", "--dry-run")
    assert dry.code == 0, dry.err
    assert "would add 8 line(s)" in dry.out and "would link 6" in dry.out
    assert "nothing was written" in dry.out
    assert snapshot(ledger_dir) == before

    done = lcli("import", "bank", str(ING_MARCH), "--team", "noord")
    assert done.code == 0, done.err
    assert "added 8 line(s) (7 payments, 1 credits)" in done.out
    assert "linked 6" in done.out and "€ 1.000,00" in done.out
    assert DRUGSTORE_REF in done.out and "--bank-line" in done.out

    problems = rows_json(lcli("reconcile", "noord", "--format", "json"))
    assert problems == [{
        "problem": "bank_without_entry", "date": "2025-03-14", "amount": 18.95, "recorded": None,
        "ref": DRUGSTORE_REF, "id": "",
        "description": "Drogisterij Het Potje Pasvolgnr: 003 14-03-2025 11:27 Transactie: 2D5N64 "
                       "Term: DP0003", "until": None,
    }]

    # The clerk completes it with the start of the reference; the date comes from the bank.
    made = lcli("spend", "noord", "18,95", "-c", "Gezondheid", "--bank-line", DRUGSTORE_REF[:10])
    assert made.code == 0, made.err
    entry = Ledger(ledger_dir).entry(made.out.strip())
    assert entry.date.isoformat() == "2025-03-14" and entry.extra["bank_ref"] == DRUGSTORE_REF
    assert rows_json(lcli("reconcile", "noord", "--format", "json")) == []
    assert lcli("check").code == 0

    settled = snapshot(ledger_dir)
    again = lcli("import", "bank", str(ING_MARCH), "--team", "noord")
    assert again.code == 0, again.err
    assert "added 0 line(s)" in again.out and "8 already imported" in again.out
    assert snapshot(ledger_dir) == settled


def test_overlapping_statement_adds_only_the_new_lines(lcli: Cli, ledger_dir: Path) -> None:
    record_noord_march(lcli)
    lcli("import", "bank", str(ING_MARCH), "--team", "noord")
    more = lcli("import", "bank", str(ING_OVERLAP), "--team", "noord", "--json")
    summary = rows_json(more)
    assert isinstance(summary, dict)
    assert summary["added"] == 2 and summary["already_imported"] == 4
    assert [line["amount"] for line in summary["open"]] == [18.95, 42.10, 20.00]
    stored, problems = read_bank(Ledger(ledger_dir).folder, "noord")
    assert problems == [] and len(stored) == 10
    assert len({s.ref for s in stored}) == 10
    # A withdrawal recorded afterwards for the April cash line; the next import links it.
    assert lcli("cash", "withdraw", "noord", "20", "-d", "8-4-2025").code == 0
    again = rows_json(lcli("import", "bank", str(ING_OVERLAP), "--team", "noord", "--json"))
    assert isinstance(again, dict)
    assert again["added"] == 0 and [x["amount"] for x in again["linked"]] == [20.00]
    april = rows_json(lcli("reconcile", "noord", "--month", "2025-04", "--format", "json"))
    # The statements end on 8 April: the rest of the month is on none of them (issue 24).
    assert [(r["problem"], r["amount"], r["date"], r["until"]) for r in april] == [
        ("bank_without_entry", 42.10, "2025-04-01", None), ("not_covered", None, "2025-04-09", "2025-04-30")]
    assert lcli("check").code == 0


# --------------------------------------------------------------------------- every format


def test_older_comma_ing_export_of_the_same_month_adds_nothing(
    lcli: Cli, ledger_dir: Path, tmp_path: Path
) -> None:
    """ING's older layout (``,``, Windows-1252, no balance column) holds the same lines."""
    import csv

    rows = list(csv.reader(ING_MARCH.read_text(encoding="utf-8").splitlines(), delimiter=";"))
    old = tmp_path / "ing_oud.csv"
    with open(old, "w", encoding="cp1252", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow([*rows[0][:7], "MutatieSoort", "Mededelingen"])
        writer.writerows(row[:9] for row in rows[1:])
    first = rows_json(lcli("import", "bank", str(old), "--team", "noord", "--json"))
    assert isinstance(first, dict) and first["format"] == "ing" and first["added"] == 8
    before = snapshot(ledger_dir)
    again = rows_json(lcli("import", "bank", str(ING_MARCH), "--team", "noord", "--json"))
    assert isinstance(again, dict) and again["added"] == 0
    assert snapshot(ledger_dir) == before



@pytest.mark.parametrize("fmt", [f for f, name in ZUID_FILES.items() if name])
def test_each_format_imports_links_and_dedupes(lcli: Cli, ledger_dir: Path, fmt: str) -> None:
    path = OWN / str(ZUID_FILES[fmt])
    record_zuid_april(lcli)
    result = rows_json(lcli("import", "bank", str(path), "--team", "zuid", "--json"))
    assert isinstance(result, dict)
    assert result["format"] == fmt and result["added"] == 5
    assert [(x["amount"], x["id"]) for x in result["linked"]] == [(40.00, "zuid-2025-0001"),
                                                                  (27.45, "zuid-2025-0002")]
    assert [x["amount"] for x in result["open"]] == [89.00, 3.10]
    assert [x["amount"] for x in result["credits"]] == [500.00]
    found = rows_json(lcli("reconcile", "zuid", "--format", "json"))
    assert [(r["problem"], r["date"], r["amount"]) for r in found] == [
        ("bank_without_entry", "2025-04-07", 89.00), ("bank_without_entry", "2025-04-08", 3.10)]

    before = snapshot(ledger_dir)
    same = rows_json(lcli("import", "bank", str(path), "--team", "zuid", "--format", fmt, "--json"))
    assert isinstance(same, dict) and same["added"] == 0 and same["already_imported"] == 5
    assert snapshot(ledger_dir) == before
    assert lcli("check").code == 0


def test_bank_costs_are_explained_and_the_unrecorded_payment_completed(lcli: Cli, ledger_dir: Path) -> None:
    record_zuid_april(lcli)
    lcli("import", "bank", str(OWN / "camt053_zuid_2025-04.xml"), "--team", "zuid")
    assert lcli("bank", "explain", "zuid", "ZUID-2025-04-005", "--reason", "bankkosten").code == 0
    assert lcli("spend", "zuid", "89", "-c", "Gezondheid", "--bank-line", "ZUID-2025-04-004").code == 0
    assert rows_json(lcli("reconcile", "zuid", "--format", "json")) == []
    lines = rows_json(lcli("bank", "lines", "zuid", "--format", "json"))
    assert [(x["amount"], x["status"]) for x in lines] == [
        (500.0, "credit"), (40.0, "linked"), (27.45, "linked"), (89.0, "linked"), (3.10, "explained")]
    assert "bankkosten" in str(lines[-1]["description"])
    assert rows_json(lcli("bank", "lines", "zuid", "--open", "--format", "json")) == []
    before = snapshot(ledger_dir)
    assert_refused(lcli("bank", "explain", "zuid", "ZUID-2025-04-005", "--reason", "nogmaals"), "explained")
    assert_refused(lcli("bank", "explain", "zuid", "ZUID-2025-04-001", "--reason", "x"), "money in")
    assert_refused(lcli("bank", "explain", "zuid", "ZUID-2025-04-004", "--reason", "x"), "linked to")
    assert_refused(lcli("bank", "explain", "zuid", "ZUID-2025-04-003", "--reason", ""), "reason")
    assert snapshot(ledger_dir) == before
    assert lcli("check").code == 0


def test_cash_withdrawal_completes_an_open_cash_machine_line(lcli: Cli, ledger_dir: Path) -> None:
    lcli("import", "bank", str(OWN / "mt940_zuid_2025-04.sta"), "--team", "zuid")
    before = snapshot(ledger_dir)
    assert_refused(lcli("cash", "withdraw", "zuid", "50", "--bank-line", "ZUID0002"), "€ 40,00", "€ 50,00")
    assert snapshot(ledger_dir) == before
    out = lcli("cash", "withdraw", "zuid", "40", "--bank-line", "ZUID0002")
    assert out.code == 0, out.err
    assert json.loads(lcli("cash", "status", "zuid", "-f", "json").out)[0]["cash_on_hand"] == 40.0
    line = (ledger_dir / "teams" / "zuid.csv").read_text(encoding="utf-8").splitlines()[-1]
    assert ",withdraw,2025-04-02," in line and "ZUID0002" in line
    assert "ZUID0002" not in lcli("reconcile", "zuid", "-f", "json").out


# --------------------------------------------------------------------------- --bank-line mistakes


@pytest.mark.parametrize(
    "args, needles",
    [
        (("spend", "noord", "18,90", "-c", "Gezondheid", "--bank-line", DRUGSTORE_REF),
         ("€ 18,95", "€ 18,90")),
        (("spend", "noord", "25", "-c", "Overig", "--bank-line", "h:522ce4ab205a3e61"), ("linked to",)),
        (("spend", "noord", "1000", "-c", "Overig", "--bank-line", "h:7d5329c154f7be35"), ("money in",)),
        (("spend", "noord", "18,95", "-c", "Overig", "--bank-line", "h:0000000000000000"), ("no bank line",)),
        (("spend", "noord", "18,95", "-c", "Overig", "--bank-line", "h:58"), ("no bank line",)),
        (("spend", "noord", "18,95", "-c", "Overig", "-m", "contant", "--bank-line", DRUGSTORE_REF),
         ("cash withdraw",)),
        (("spend", "zuid", "18,95", "-c", "Overig", "--bank-line", DRUGSTORE_REF), ("no bank statement",)),
        (("cash", "withdraw", "noord", "18,95", "--bank-line", "h:522ce4ab205a3e61"), ("linked to",)),
    ],
)
def test_bank_line_mistakes_are_refused(
    lcli: Cli, ledger_dir: Path, args: tuple[str, ...], needles: tuple[str, ...]
) -> None:
    record_noord_march(lcli)
    lcli("import", "bank", str(ING_MARCH), "--team", "noord")
    before = snapshot(ledger_dir)
    assert_refused(lcli(*args), *needles)
    assert snapshot(ledger_dir) == before


def test_an_ambiguous_start_of_a_reference_is_refused(lcli: Cli, ledger_dir: Path) -> None:
    lcli("import", "bank", str(OWN / "asn_zuid_2025-04.csv"), "--team", "zuid")
    before = snapshot(ledger_dir)
    assert_refused(lcli("spend", "zuid", "89", "-c", "Overig", "--bank-line", "NL00TEST1357924680:202504"),
                   "start of 5 references")
    assert snapshot(ledger_dir) == before
    assert lcli("spend", "zuid", "89", "-c", "Overig", "--bank-line",
                "NL00TEST1357924680:20250407").code == 0


def test_a_bank_line_cannot_be_used_twice(lcli: Cli, ledger_dir: Path) -> None:
    lcli("import", "bank", str(ING_MARCH), "--team", "noord")
    assert lcli("spend", "noord", "18,95", "-c", "Gezondheid", "--bank-line", DRUGSTORE_REF).code == 0
    before = snapshot(ledger_dir)
    assert_refused(lcli("spend", "noord", "18,95", "-c", "Gezondheid", "--bank-line", DRUGSTORE_REF),
                   "already")
    assert snapshot(ledger_dir) == before


def test_voiding_a_linked_spend_reopens_its_bank_line(lcli: Cli, ledger_dir: Path) -> None:
    record_noord_march(lcli)
    lcli("import", "bank", str(ING_MARCH), "--team", "noord")
    assert lcli("void", "noord-2025-0006", "--reason", "verkeerde categorie").code == 0
    found = rows_json(lcli("reconcile", "noord", "--format", "json"))
    assert ("bank_without_entry", 25.0) in [(r["problem"], r["amount"]) for r in found]
    again = lcli("spend", "noord", "25", "-c", "Kleding", "--bank-line", "h:522ce4ab205a3e61")
    assert again.code == 0, again.err
    assert lcli("check").code == 0


# --------------------------------------------------------------------------- reconcile


def test_reconcile_expects_card_spends_and_withdrawals_only(lcli: Cli, ledger_dir: Path) -> None:
    record_noord_march(lcli)
    extra = [
        ("spend", "noord", "15", "-c", "Overig", "-d", "12-3-2025"),  # card, never booked: flagged
        ("spend", "noord", "40", "-c", "Overig", "-d", "24-3-2025"),  # may still be booked: not yet
        ("spend", "noord", "99", "-c", "Overig", "-d", "2-4-2025"),  # after the statement: not yet
        ("spend", "noord", "77", "-c", "Overig", "-m", "factuur", "-d", "13-3-2025"),  # invoice
        ("cash", "withdraw", "noord", "30", "-d", "11-3-2025"),  # cash machine, never booked: flagged
        ("spend", "noord", "18,59", "-c", "Gezondheid", "-d", "14-3-2025"),  # typo of 18,95
    ]
    for args in extra:
        assert lcli(*args).code == 0
    lcli("import", "bank", str(ING_MARCH), "--team", "noord")
    found = rows_json(lcli("reconcile", "noord", "--format", "json"))
    assert [(r["problem"], r["date"], r["amount"], r["recorded"], r["id"]) for r in found] == [
        ("entry_without_bank", "2025-03-11", 30.0, None, "noord-2025-0013"),
        ("entry_without_bank", "2025-03-12", 15.0, None, "noord-2025-0009"),
        ("amount_mismatch", "2025-03-14", 18.95, 18.59, "noord-2025-0014"),
        # Never skipped in silence (issue 24): on no statement so far.
        ("not_on_a_statement_yet", "2025-03-24", 40.0, None, "noord-2025-0010"),
        ("not_on_a_statement_yet", "2025-04-02", 99.0, None, "noord-2025-0011"),
    ]
    assert "cash withdrawal" in str(found[0]["description"])
    assert "€ 18,95" in str(found[2]["description"]) and "€ 18,59" in str(found[2]["description"])
    assert found[2]["ref"] == DRUGSTORE_REF
    assert "on none of the imported statements yet" in str(found[4]["description"])
    april = rows_json(lcli("reconcile", "noord", "--month", "2025-04", "--format", "json"))
    assert [(r["problem"], r["date"], r["until"]) for r in april] == [
        ("not_covered", "2025-04-01", "2025-04-30"), ("not_on_a_statement_yet", "2025-04-02", None)]
    table = lcli("reconcile", "noord")
    assert table.code == 0 and "18,59" in table.out

    # The fix: void the typo, record the amount the bank shows.
    lcli("void", "noord-2025-0014", "--reason", "bedrag verkeerd overgenomen")
    lcli("spend", "noord", "18,95", "-c", "Gezondheid", "--bank-line", DRUGSTORE_REF)
    left = rows_json(lcli("reconcile", "noord", "--format", "json"))
    assert [r["problem"] for r in left] == ["entry_without_bank", "entry_without_bank", "not_on_a_statement_yet",
                                            "not_on_a_statement_yet"]


def test_reconcile_reports_a_link_whose_amounts_differ(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    import_statement(lg, ING_MARCH, "noord")
    spend_id = lg.spend("noord", Decimal("18.00"), category="Overig", date=dt.date(2025, 3, 14))
    lg.folder.append("noord", [{"type": "bank-link", "date": "2025-03-14", "ref": spend_id,
                                "amount": "18.95", "note": DRUGSTORE_REF}])
    found = reconcile(lg, "noord")
    mismatch = [m for m in found if m.problem == "amount_mismatch"]
    assert len(mismatch) == 1 and mismatch[0].recorded == Decimal("18.00")
    assert mismatch[0].id == spend_id and mismatch[0].ref == DRUGSTORE_REF


def test_reconcile_needs_an_imported_statement(lcli: Cli, ledger_dir: Path) -> None:
    assert_refused(lcli("reconcile", "noord"), "import bank")
    assert_refused(lcli("reconcile", "nord"), "unknown team")
    lcli("import", "bank", str(ING_MARCH), "--team", "noord")
    assert_refused(lcli("reconcile", "noord", "--month", "2025-13"), "month")
    assert_refused(lcli("reconcile", "noord", "--format", "yaml"), "format")


# --------------------------------------------------------------------------- refused statements


def test_camt053_wrong_closing_balance_is_refused(lcli: Cli, ledger_dir: Path) -> None:
    record_zuid_april(lcli)
    before = snapshot(ledger_dir)
    result = lcli("import", "bank", str(OWN / "camt053_zuid_2025-04_wrong_closing.xml"), "--team", "zuid")
    assert_refused(result, "closing balance 450.45", "440.45")
    assert snapshot(ledger_dir) == before


def test_mt940_wrong_closing_balance_is_refused(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "zuid.sta"
    bad.write_bytes((OWN / "mt940_zuid_2025-04.sta").read_bytes().replace(b":62F:C250408EUR440,45",
                                                                          b":62F:C250408EUR404,45"))
    before = snapshot(ledger_dir)
    assert_refused(lcli("import", "bank", str(bad), "--team", "zuid"), "closing balance")
    assert snapshot(ledger_dir) == before


def _hostile(tmp_path: Path, kind: str) -> Path:
    camt = (OWN / "camt053_zuid_2025-04.xml").read_bytes()
    ing = ING_MARCH.read_bytes()
    body = camt.split(b"?>", 1)[1]
    files = {
        "truncated-xml": camt[: len(camt) // 2],
        "truncated-csv": ing[:-60],
        "truncated-mt940": (OWN / "mt940_zuid_2025-04.sta").read_bytes()[:300],
        "utf16": ing.decode("utf-8").encode("utf-16"),
        "binary": b"PK\x03\x04" + bytes(range(256)) * 4,
        "external-entity": b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + body.replace(b"Apotheek De Vijzel", b"&x;"),
        "billion-laughs": b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        + body.replace(b"Apotheek De Vijzel", b"&c;"),
        "parameter-entity": b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">%p;]>'
        + body,
        "empty": b"",
        "not-a-statement": b"dit is geen bankafschrift\nmaar een boodschappenlijst\n",
    }
    path = tmp_path / f"{kind}.dat"
    path.write_bytes(files[kind])
    return path


@pytest.mark.parametrize(
    "kind",
    ["truncated-xml", "truncated-csv", "truncated-mt940", "utf16", "binary", "external-entity",
     "billion-laughs", "parameter-entity", "empty", "not-a-statement"],
)
def test_hostile_files_are_refused_with_one_line(
    lcli: Cli, ledger_dir: Path, tmp_path: Path, kind: str
) -> None:
    record_zuid_april(lcli)
    lcli("import", "bank", str(OWN / "knab_zuid_2025-04.csv"), "--team", "zuid")
    before = snapshot(ledger_dir)
    result = lcli("import", "bank", str(_hostile(tmp_path, kind)), "--team", "zuid")
    assert_refused(result)
    assert "root:" not in result.err  # nothing of /etc/passwd ever shows
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize(
    "args, needle",
    [
        (("import", "bank", "nowhere.csv", "--team", "noord"), "no such file"),
        (("import", "bank", str(OWN), "--team", "noord"), "folder"),
        (("import", "bank", str(ING_MARCH), "--team", "nord"), "unknown team"),
        (("import", "bank", str(ING_MARCH), "--team", "noord", "--format", "ofx"), "unknown bank format"),
        (("import", "bank", str(ING_MARCH), "--team", "noord", "--format", "camt053"), "xml"),
        (("import", "bank", str(ING_MARCH), "--team", "noord", "--account", "NL00TEST9999999999"),
         "no lines for account"),
        (("import", "bank", str(ING_MARCH)), "--team"),
    ],
)
def test_bad_import_requests_are_refused(
    lcli: Cli, ledger_dir: Path, args: tuple[str, ...], needle: str
) -> None:
    before = snapshot(ledger_dir)
    assert_refused(lcli(*args), needle)
    assert snapshot(ledger_dir) == before


def test_a_statement_of_another_account_is_refused(lcli: Cli, ledger_dir: Path) -> None:
    lcli("import", "bank", str(ING_MARCH), "--team", "noord")
    before = snapshot(ledger_dir)
    result = lcli("import", "bank", str(OWN / "knab_zuid_2025-04.csv"), "--team", "noord")
    assert_refused(result, "NL00TEST1357924680", "NL00TEST0246813579", "--team")
    assert snapshot(ledger_dir) == before


def test_a_statement_of_another_teams_account_is_refused(lcli: Cli, ledger_dir: Path) -> None:
    lcli("import", "bank", str(ING_MARCH), "--team", "noord")
    before = snapshot(ledger_dir)
    assert_refused(lcli("import", "bank", str(ING_OVERLAP), "--team", "zuid"), "of team noord", "--team")
    assert snapshot(ledger_dir) == before


def test_dry_run_writes_nothing_not_even_a_new_bank_file(lcli: Cli, ledger_dir: Path) -> None:
    before = snapshot(ledger_dir)
    result = lcli("import", "bank", str(ING_MARCH), "--team", "noord", "--dry-run", "--json")
    summary = rows_json(result)
    assert isinstance(summary, dict) and summary["dry_run"] is True and summary["added"] == 8
    assert '"amount": 1000.00' in result.out and '"amount": 12.50' in result.out  # exact cents
    assert snapshot(ledger_dir) == before
    assert not (ledger_dir / "teams" / "noord.bank.csv").exists()


# --------------------------------------------------------------------------- stored safely


def test_bank_file_is_checksummed_and_damage_is_reported(lcli: Cli, ledger_dir: Path) -> None:
    lcli("import", "bank", str(ING_MARCH), "--team", "noord")
    path = ledger_dir / "teams" / "noord.bank.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0].startswith("ref,date,amount,direction,description,counterparty,account,format,source")
    lines[1] = lines[1].replace("25.00", "52.00")
    path.write_text("".join(lines), encoding="utf-8")
    result = lcli("check")
    assert result.code == 1
    assert "noord.bank.csv:2" in result.out and "checksum" in result.out
    # A torn last line (a crash mid-write) is set aside; the next import completes the file.
    with open(path, "ab") as fh:
        fh.write(b"h:half,2025-03")
    again = lcli("import", "bank", str(ING_MARCH), "--team", "noord")
    assert again.code == 0 and "warning" in again.err
    text = path.read_text(encoding="utf-8")
    assert "h:half,2025-03\n" in text  # ended, so later lines stay whole


def test_personal_data_in_bank_text_is_masked(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    statement = tmp_path / "ing.csv"
    text = ING_MARCH.read_text(encoding="utf-8").replace(
        "Omschrijving: Maatwerkbudget maart wijkteam Noord",
        "Omschrijving: terugbetaling, bel 06-12345678 of mail iemand@example.nl",
    )
    statement.write_text(text, encoding="utf-8")
    assert lcli("import", "bank", str(statement), "--team", "noord").code == 0
    stored = (ledger_dir / "teams" / "noord.bank.csv").read_text(encoding="utf-8")
    assert "06-12345678" not in stored and "iemand@example.nl" not in stored
    assert "terugbetaling, bel" in stored  # the rest stays readable


def test_spreadsheet_formulas_in_bank_text_are_neutralised_on_output(
    lcli: Cli, ledger_dir: Path, tmp_path: Path
) -> None:
    statement = tmp_path / "ing.csv"
    statement.write_text(ING_MARCH.read_text(encoding="utf-8").replace(
        '"Drogisterij Het Potje"', '"=HYPERLINK(""http://x"")"'), encoding="utf-8")
    assert lcli("import", "bank", str(statement), "--team", "noord").code == 0
    out = lcli("reconcile", "noord", "--format", "csv").out
    assert "\n=HYPERLINK" not in out and ",=HYPERLINK" not in out


class _FailOnce:
    """Fails the k-th ``os.write``/``os.fsync`` on a file under the ledger folder (ENOSPC)."""

    def __init__(self, root: Path, k: int) -> None:
        self.root = str(root)
        self.k = k
        self.calls = 0
        self.fired = False
        self.write = os.write
        self.fsync = os.fsync

    def _ours(self, fd: int) -> bool:
        try:
            return os.readlink(f"/proc/self/fd/{fd}").startswith(self.root)
        except OSError:
            return False

    def _count(self, fd: int) -> None:
        if self._ours(fd):
            self.calls += 1
            if self.calls == self.k:
                self.fired = True
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fake_write(self, fd: int, data: bytes) -> int:
        self._count(fd)
        return self.write(fd, data)

    def fake_fsync(self, fd: int) -> None:
        self._count(fd)
        self.fsync(fd)


@pytest.fixture
def fail_on() -> Iterator[Callable[[Path, int], _FailOnce]]:
    patch = pytest.MonkeyPatch()

    def install(root: Path, k: int) -> _FailOnce:
        injector = _FailOnce(root, k)
        patch.setattr(os, "write", injector.fake_write)
        patch.setattr(os, "fsync", injector.fake_fsync)
        return injector

    yield install
    patch.undo()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds files behind descriptors via /proc")
def test_import_is_all_or_nothing_when_the_disk_fails(
    lcli: Cli, ledger_dir: Path, fail_on: Callable[[Path, int], _FailOnce]
) -> None:
    record_noord_march(lcli)
    before = snapshot(ledger_dir)
    for k in range(1, 20):
        injector = fail_on(ledger_dir, k)
        result = lcli("import", "bank", str(ING_MARCH), "--team", "noord")
        os.write, os.fsync = injector.write, injector.fsync
        if not injector.fired:
            assert result.code == 0, result.err
            break
        assert result.code == 2 and len(result.err.strip().splitlines()) == 1, result.err
        assert snapshot(ledger_dir) == before, f"fault at call {k} left a partial import"
    else:
        pytest.fail("the import never got through")
    assert check_ledger(Ledger(ledger_dir)) == []
    assert len(read_bank(Ledger(ledger_dir).folder, "noord")[0]) == 8


# --------------------------------------------------------------------------- real samples


@pytest.mark.parametrize(
    "relative, count",
    [
        ("csv/ofxstatement-dutch-ing_ok.csv", 5),
        ("csv/ofxstatement-dutch-ing_ok_Mutatiesoort_Extra.csv", 5),
        ("csv/ofxstatement-dutch-Knab_transactieoverzicht_ok.csv", 28),
        ("csv/ofxstatement-dutch-transactie-historie_NL00ASNB9999999999_20220717204133.csv", 11),
        ("camt053/newinnovations-test-camt053.xml", 2),
    ],
)
def test_real_samples_import_and_reimport_adds_nothing(
    lcli: Cli, ledger_dir: Path, relative: str, count: int
) -> None:
    path = real(relative)
    summary = rows_json(lcli("import", "bank", str(path), "--team", "noord", "--json"))
    assert isinstance(summary, dict) and summary["added"] == count
    assert len(summary["open"]) + len(summary["credits"]) == count  # nothing recorded: all open
    before = snapshot(ledger_dir)
    again = rows_json(lcli("import", "bank", str(path), "--team", "noord", "--json"))
    assert isinstance(again, dict) and again["added"] == 0 and again["already_imported"] == count
    assert snapshot(ledger_dir) == before
    assert lcli("check").code == 0
    assert lcli("reconcile", "noord", "--format", "json").code == 0


def test_real_ing_in_both_layouts_is_one_set_of_lines(lcli: Cli, ledger_dir: Path) -> None:
    lcli("import", "bank", str(real("csv/ofxstatement-dutch-ing_ok.csv")), "--team", "noord")
    before = snapshot(ledger_dir)
    newer = real("csv/ofxstatement-dutch-ing_ok_Mutatiesoort_Extra.csv")
    summary = rows_json(lcli("import", "bank", str(newer), "--team", "noord", "--json"))
    assert isinstance(summary, dict) and summary["added"] == 0
    assert snapshot(ledger_dir) == before


def test_real_camt053_with_two_accounts_needs_account(lcli: Cli, ledger_dir: Path) -> None:
    path = real("camt053/newinnovations-example-camt053-a-sns.xml")
    before = snapshot(ledger_dir)
    assert_refused(lcli("import", "bank", str(path), "--team", "noord"), "2 accounts", "--account")
    assert snapshot(ledger_dir) == before
    summary = rows_json(lcli("import", "bank", str(path), "--team", "noord", "--account",
                             "NL78 SNSB 0022 4466 88", "--json"))
    assert isinstance(summary, dict) and summary["added"] == 4


def test_real_card_payment_matches_a_recorded_spend(lcli: Cli, ledger_dir: Path) -> None:
    path = real("camt053/newinnovations-test-camt053.xml")  # one debit of 100.00 on 2026-03-05
    assert lcli("team", "budget", "noord", "10.000", "--year", "2026").code == 0
    assert lcli("spend", "noord", "100", "-c", "Overig", "-d", "3-3-2026", "--allow-future").code == 0
    summary = rows_json(lcli("import", "bank", str(path), "--team", "noord", "--json"))
    assert isinstance(summary, dict)
    assert [(x["ref"], x["id"]) for x in summary["linked"]] == [("REF001", "noord-2026-0001")]
    assert [x["amount"] for x in summary["credits"]] == [50.00]


@pytest.mark.parametrize(
    "relative, needle",
    [
        ("camt053/newinnovations-error-camt053-balance-mismatch.xml", "closing balance 900.00"),
        ("camt053/oca-test-camt053-abnamro.xml", "closing balance"),
        ("mt940/jejik-abnamro.sta", "closing balance"),
        ("mt940/jejik-triodos.sta", "closing balance"),
        ("csv/ofxstatement-dutch-ing_fail.csv", "one account"),
        ("README.md", "not a bank statement format"),
    ],
)
def test_real_samples_that_do_not_add_up_are_refused(
    lcli: Cli, ledger_dir: Path, relative: str, needle: str
) -> None:
    before = snapshot(ledger_dir)
    assert_refused(lcli("import", "bank", str(real(relative)), "--team", "noord"), needle)
    assert snapshot(ledger_dir) == before


# --------------------------------------------------------------------------- check of links


def test_check_reports_bad_links(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    import_statement(lg, ING_MARCH, "noord")
    spend_id = lg.spend("noord", Decimal("25"), category="Overig", date=dt.date(2025, 3, 25))
    lg.folder.append("noord", [
        {"type": "bank-link", "date": "2025-03-25", "ref": "noord-2025-0099", "note": "h:522ce4ab205a3e61"},
        {"type": "bank-link", "date": "2025-03-25", "ref": spend_id, "note": "h:doesnotexist"},
        {"type": "bank-link", "date": "2025-03-03", "ref": spend_id, "note": "h:7d5329c154f7be35"},
        {"type": "bank-link", "date": "2025-03-14", "note": DRUGSTORE_REF},
        {"type": "bank-link", "date": "2025-03-14", "ref": spend_id, "note": ""},
    ])
    messages = [p.message for p in check_ledger(lg)]
    assert any("noord-2025-0099" in m and "not an earlier spend or withdrawal" in m for m in messages)
    assert any("h:doesnotexist is not in" in m for m in messages)
    assert any("money in" in m for m in messages)
    assert any("must be explained" in m for m in messages)
    assert any("note is empty" in m for m in messages)
    assert any(f"{spend_id} is linked to a bank line before" in m for m in messages)


def test_check_reports_a_bank_file_without_team(lcli: Cli, ledger_dir: Path) -> None:
    (ledger_dir / "teams" / "west.bank.csv").write_text("ref\n", encoding="utf-8")
    result = lcli("check")
    assert result.code == 1 and "bank file without a team file west.toml" in result.out
