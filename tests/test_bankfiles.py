"""Tests for reading bank statement files (maatwerk_cli.formats.bank).

Own fixtures live in tests/fixtures/bank/: invented parties and fake ``TEST`` IBANs.
Real-world samples are read from the shared folder beside the project
(``../shared/real-inputs``) and the tests using them skip when it is absent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bankfiles_variants import VARIANTS

from maatwerk_cli.core.errors import InputError
from maatwerk_cli.formats.bank import (
    CREDIT,
    DEBIT,
    FORMATS,
    MAX_FILE_BYTES,
    BankLine,
    Statement,
    detect_format,
    parse_bytes,
    parse_statement,
)

FIXTURES = Path(__file__).parent / "fixtures" / "bank"
REAL = Path(__file__).resolve().parents[2] / "shared" / "real-inputs"
OWN = "NL00TEST0123456789"


def fixture(name: str) -> Path:
    return FIXTURES / name


def real(relative: str) -> Path:
    path = REAL / relative
    if not path.is_file():
        pytest.skip(f"real sample {relative} not available")
    return path


def summary(statement: Statement) -> list[tuple[str, dt.date, str, str]]:
    """(ref, date, amount, direction) per line, for compact comparisons."""
    return [(ln.ref, ln.date, f"{ln.amount:.2f}", ln.direction) for ln in statement.lines]


def refused(data: bytes, fmt: str = "auto", **kwargs: bool) -> str:
    with pytest.raises(InputError) as info:
        parse_bytes(data, fmt, filename="upload.dat", **kwargs)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("upload.dat")
    return message


def d(text: str) -> Decimal:
    return Decimal(text)


# Own fixtures, one per format ------------------------------------------------------------


def test_ing_current_export() -> None:
    st = parse_statement(fixture("ing_2025.csv"))
    assert st.format == "ing"
    assert [(ln.date, ln.amount, ln.direction, ln.line) for ln in st.lines] == [
        (dt.date(2025, 3, 14), d("12.50"), DEBIT, 2),
        (dt.date(2025, 3, 12), d("1000.00"), CREDIT, 3),
        (dt.date(2025, 3, 10), d("25.00"), DEBIT, 4),
        (dt.date(2025, 3, 10), d("25.00"), DEBIT, 5),
    ]
    first = st.lines[0]
    assert first.counterparty == "Bakkerij De Proef"
    assert first.account == OWN
    assert first.description.startswith("Bakkerij De Proef Pasvolgnr: 001 14-03-2025")
    assert all(ln.ref.startswith("h:") and len(ln.ref) == 18 for ln in st.lines)
    # Newest-first export: balances follow from "Saldo na mutatie" read bottom-up.
    assert (st.opening_balance, st.closing_balance) == (d("250.00"), d("1187.50"))


def test_ing_older_comma_export_in_windows_1252() -> None:
    st = parse_statement(fixture("ing_old_cp1252.csv"))
    assert st.format == "ing"
    assert summary(st)[0][1:] == (dt.date(2024, 1, 2), "8.75", DEBIT)
    assert st.lines[0].counterparty == "Café De Hoek"
    assert st.lines[1].description.endswith("terugstorting, voorschot")
    assert st.opening_balance is None and st.closing_balance is None


def test_rabobank_export() -> None:
    st = parse_statement(fixture("rabobank_cp1252.csv"))
    assert st.format == "rabobank"
    assert summary(st) == [
        (f"{OWN}:000000000000001201", dt.date(2025, 3, 3), "1000.00", CREDIT),
        (f"{OWN}:000000000000001202", dt.date(2025, 3, 4), "12.50", DEBIT),
        (f"{OWN}:000000000000001203", dt.date(2025, 3, 5), "37.50", DEBIT),
    ]
    assert st.lines[1].counterparty == "Drogisterij Één"
    assert st.lines[2].description == "Energie Voorbeeld B.V. Voorschot energie klantnr 12345"
    assert (st.opening_balance, st.closing_balance) == (d("250.00"), d("1200.00"))


def test_rabobank_reads_the_same_in_utf8() -> None:
    data = fixture("rabobank_cp1252.csv").read_bytes().decode("cp1252").encode("utf-8")
    assert parse_bytes(data) == parse_statement(fixture("rabobank_cp1252.csv"))


def test_knab_export() -> None:
    st = parse_statement(fixture("knab.csv"))
    assert st.format == "knab"
    assert summary(st) == [
        ("KNABTEST00000001", dt.date(2025, 4, 1), "500.00", CREDIT),
        ("KNABTEST00000002", dt.date(2025, 4, 3), "1234.56", DEBIT),  # Boekdatum, not Transactiedatum
        ("KNABTEST00000003", dt.date(2025, 4, 4), "7.50", DEBIT),  # empty Boekdatum: transaction date
    ]
    assert [ln.line for ln in st.lines] == [3, 4, 5]
    assert st.lines[2].description == "Knab Kosten"


def test_asn_export() -> None:
    st = parse_statement(fixture("asn.csv"))
    assert st.format == "asn"
    assert summary(st)[:2] == [
        (f"{OWN}:20250203:12345678", dt.date(2025, 2, 3), "500.00", CREDIT),
        (f"{OWN}:20250204:12345679", dt.date(2025, 2, 4), "75.25", DEBIT),
    ]
    assert st.lines[2].ref.startswith("h:")  # journal number 00000000 is no reference
    assert st.lines[1].description == "Stichting Voedselhulp Test Pakket, week 6"
    assert (st.opening_balance, st.closing_balance) == (d("100.00"), d("522.55"))


def test_abnamro_tab_export() -> None:
    st = parse_statement(fixture("abnamro.tab"))
    assert st.format == "abnamro"
    assert [(ln.date, f"{ln.amount:.2f}", ln.direction) for ln in st.lines] == [
        (dt.date(2025, 3, 3), "1000.00", CREDIT),
        (dt.date(2025, 3, 4), "12.50", DEBIT),
        (dt.date(2025, 3, 5), "37.50", DEBIT),  # transaction date, not the value date
    ]
    assert st.lines[0].counterparty == "Gemeente Voorbeeldstad"
    assert st.lines[0].account == "123456789"
    assert st.lines[2].counterparty == "Energie Voorbeeld BV"
    assert st.lines[2].description == "Energie Voorbeeld BV Voorschot maart"
    assert (st.opening_balance, st.closing_balance) == (d("250.00"), d("1200.00"))


def test_abnamro_line_whose_balances_do_not_add_up_is_refused() -> None:
    data = fixture("abnamro.tab").read_bytes().replace(b"1237,50\t20250304", b"1237,40\t20250304")
    message = refused(data)
    assert message.startswith("upload.dat:2: ")
    assert "1237.40" in message


def test_camt053_later_version() -> None:
    st = parse_statement(fixture("camt053_v08.xml"))
    assert st.format == "camt053"
    assert summary(st)[:3] == [
        ("ACSR-0001", dt.date(2025, 3, 3), "1000.00", CREDIT),
        ("0002/2025-03-04", dt.date(2025, 3, 4), "45.60", DEBIT),  # NtryRef, DtTm booking date
        ("ACSR-0003", dt.date(2025, 3, 5), "45.60", CREDIT),  # RvslInd flips DBIT
    ]
    batch = st.lines[3]
    assert batch.ref.startswith("h:") and batch.amount == d("300.00") and batch.direction == DEBIT
    assert batch.counterparty == "Woningstichting Proef, Energie Voorbeeld BV"
    assert "Huur maart" in batch.description and "Verzamelbetaling" in batch.description
    assert len(st.lines) == 4  # the pending (PDNG) entry is not booked
    assert st.lines[0].counterparty == "Gemeente Voorbeeldstad"
    assert [ln.line for ln in st.lines] == [29, 46, 61, 70]
    assert (st.opening_balance, st.closing_balance) == (d("100.00"), d("800.00"))


def test_camt053_reversal_read_as_written_when_only_that_balances() -> None:
    # 100 + 1000 - 45.60 - 45.60 - 300 = 708.80: the bank meant DBIT as the reversal's own direction.
    data = fixture("camt053_v08.xml").read_bytes().replace(b">800.00<", b">708.80<")
    st = parse_bytes(data)
    assert st.lines[2].direction == DEBIT


def test_camt053_balance_mismatch_is_refused_with_the_figures() -> None:
    data = fixture("camt053_v08.xml").read_bytes().replace(b">800.00<", b">800.01<")
    message = refused(data)
    assert "closing balance 800.01 does not match opening 100.00 + 1045.60 - 345.60 = 800.00" in message
    assert message.startswith("upload.dat:9: statement TEST-2025-03 of account NL00TEST0123456789")
    assert len(parse_bytes(data, check_balances=False).lines) == 4


def test_mt940_rabobank_like() -> None:
    st = parse_statement(fixture("mt940_rabobank.sta"))
    assert st.format == "mt940"
    assert [(ln.date, f"{ln.amount:.2f}", ln.direction, ln.line) for ln in st.lines] == [
        (dt.date(2025, 3, 3), "1000.00", CREDIT, 6),
        (dt.date(2025, 3, 4), "12.50", DEBIT, 10),
        (dt.date(2025, 3, 5), "37.50", DEBIT, 12),
        (dt.date(2025, 3, 5), "20.00", DEBIT, 15),
        (dt.date(2025, 3, 6), "5.00", CREDIT, 22),
    ]
    refs = [ln.ref for ln in st.lines]
    assert refs[1] == "TESTBANKREF0002"  # :61: bank reference after //
    assert refs[3] == "KLANT-REF-9/2025-03-05"  # customer reference, scoped by day
    assert refs[0].startswith("h:") and refs[2].startswith("h:")  # NONREF and EREF placeholders
    assert st.lines[0].counterparty == "Gemeente Voorbeeldstad"
    assert st.lines[0].description == "Gemeente Voorbeeldstad Maatwerkbudget Q1 wijkteam Noord"
    assert st.lines[1].description == "Bakkerij De Proef Pinbetaling 04-03-2025 10:15"
    assert {ln.account for ln in st.lines} == {OWN}
    # Two statements of one account: opening of the first, closing of the last.
    assert (st.opening_balance, st.closing_balance) == (d("250.00"), d("1185.00"))


def test_mt940_account_with_glued_currency() -> None:
    data = fixture("mt940_rabobank.sta").read_bytes().replace(b"6789 EUR", b"6789EUR")
    assert {ln.account for ln in parse_bytes(data).lines} == {OWN}


def test_mt940_balance_mismatch_is_refused() -> None:
    data = fixture("mt940_rabobank.sta").read_bytes().replace(b"EUR000000001185,00", b"EUR000000001195,00")
    message = refused(data)
    assert "closing balance 1195.00 does not match opening 1180.00 + 5.00 - 0.00 = 1185.00" in message
    assert message.startswith("upload.dat:18: statement 00001 of account NL00TEST0123456789")


def test_parse_statement_equals_parse_bytes() -> None:
    path = fixture("knab.csv")
    assert parse_statement(path) == parse_bytes(path.read_bytes(), filename=str(path))
    assert parse_statement(str(path), "knab") == parse_statement(path)


def test_records_are_frozen() -> None:
    line = parse_statement(fixture("knab.csv")).lines[0]
    assert isinstance(line, BankLine)
    with pytest.raises(AttributeError):
        line.amount = d("1.00")  # type: ignore[misc]


# Real-world samples ---------------------------------------------------------------------


def test_real_camt053_small() -> None:
    st = parse_statement(real("camt053/newinnovations-test-camt053.xml"))
    assert summary(st) == [
        ("REF001", dt.date(2026, 3, 5), "100.00", DEBIT),
        ("REF002", dt.date(2026, 4, 10), "50.00", CREDIT),
    ]
    assert st.lines[0].counterparty == "Some Shop B.V."
    assert st.lines[0].description == "Some Shop B.V. Payment for invoice 123"
    assert st.lines[1].description == "John Doe Interest payment"
    assert (st.opening_balance, st.closing_balance) == (d("1000.00"), d("950.00"))


def test_real_camt053_balance_mismatch_is_refused() -> None:
    path = real("camt053/newinnovations-error-camt053-balance-mismatch.xml")
    with pytest.raises(InputError) as info:
        parse_statement(path)
    assert str(info.value) == (
        f"{path}:8: statement 0000000000 of account NL00SNSB0000000000: closing balance 900.00 "
        "does not match opening 1000.00 + 50.00 - 100.00 = 950.00; the file is incomplete or altered"
    )


def test_real_camt053_two_accounts() -> None:
    st = parse_statement(real("camt053/newinnovations-example-camt053-a-sns.xml"))
    assert len(st.lines) == 11
    assert [ln.account for ln in st.lines].count("NL14SNSB0012345678") == 7
    assert [ln.account for ln in st.lines].count("NL78SNSB0022446688") == 4
    assert st.lines[0].ref == "20260125-137113/2026-01-24"
    assert st.lines[2].counterparty == "GreatExample BV"
    assert st.lines[2].description == "GreatExample BV Opname"  # Ustrd and AddtlNtryInf said the same
    assert st.opening_balance is None and st.closing_balance is None  # two accounts


def test_real_camt053_abnamro_does_not_balance() -> None:
    # The sample's closing balance fits neither reading of its reversal: refused by default.
    path = real("camt053/oca-test-camt053-abnamro.xml")
    with pytest.raises(InputError, match="closing balance 15121.12 does not match"):
        parse_statement(path)
    st = parse_statement(path, check_balances=False)
    assert summary(st)[0] == ("435005714488-ABNO33052620/2014-01-05", dt.date(2014, 1, 5), "754.25", DEBIT)
    reversal = st.lines[1]
    assert (reversal.amount, reversal.direction) == (d("664.05"), CREDIT)
    assert reversal.ref.startswith("h:")  # batch of two transactions: no single reference
    assert summary(st)[2] == ("115/2014-01-05", dt.date(2014, 1, 5), "1405.31", CREDIT)
    assert st.lines[2].counterparty == "3rd party Media"


def test_real_ing_samples() -> None:
    old = parse_statement(real("csv/ofxstatement-dutch-ing_ok.csv"))
    new = parse_statement(real("csv/ofxstatement-dutch-ing_ok_Mutatiesoort_Extra.csv"))
    assert old.lines == new.lines  # same rows in the two layouts
    # Six rows, one of 0,00 left out.
    assert [(f"{ln.amount:.2f}", ln.direction, ln.line) for ln in old.lines] == [
        ("1.25", DEBIT, 2), ("1.25", CREDIT, 3), ("20.00", CREDIT, 5), ("0.31", DEBIT, 6), ("0.31", DEBIT, 7),
    ]
    assert old.lines[3].ref != old.lines[4].ref  # identical lines, different refs
    assert old.lines[0].date == dt.date(2020, 2, 13)


def test_real_ing_fail_sample_is_refused_at_the_foreign_row() -> None:
    path = real("csv/ofxstatement-dutch-ing_fail.csv")
    with pytest.raises(InputError) as info:
        parse_statement(path)
    message = str(info.value)
    assert message.startswith(f"{path}:3: ")
    assert "NL99INGB9999999998" in message and "one account" in message


def test_real_knab_sample() -> None:
    st = parse_statement(real("csv/ofxstatement-dutch-Knab_transactieoverzicht_ok.csv"))
    assert len(st.lines) == 28
    assert summary(st)[0] == ("B9F21PGYA068V2KD", dt.date(2019, 6, 21), "827.75", DEBIT)
    assert summary(st)[-1] == ("B9F28INNFQ2MUC3X", dt.date(2019, 1, 7), "7.02", CREDIT)
    assert st.lines[6].date == dt.date(2019, 6, 10)  # Boekdatum 10-06, Transactiedatum 09-06
    assert sum(ln.amount for ln in st.lines if ln.direction == DEBIT) == d("20827.76")


ASN_SAMPLE = "csv/ofxstatement-dutch-transactie-historie_NL00ASNB9999999999_20220717204133.csv"


def test_real_asn_sample() -> None:
    st = parse_statement(real(ASN_SAMPLE))
    assert len(st.lines) == 11
    assert summary(st)[1] == ("NL00ASNB9999999999:20220617:51402299", dt.date(2022, 6, 17), "200.00", DEBIT)
    assert st.lines[3].description == "Optimal BV DIVIDEND 27/06/2022"
    assert (st.opening_balance, st.closing_balance) == (d("130.44"), d("84.24"))


def test_real_mt940_abnamro_sample() -> None:
    path = real("mt940/jejik-abnamro.sta")
    # The anonymised sample's balances were edited apart from its lines: refused by default.
    with pytest.raises(InputError, match=r":4: statement 19321 of account 517852257: closing balance 876.84"):
        parse_statement(path)
    st = parse_statement(path, check_balances=False)
    assert len(st.lines) == 10
    assert all(ln.direction == DEBIT and ln.account == "517852257" for ln in st.lines)
    assert summary(st)[0][1:] == (dt.date(2011, 5, 24), "9.00", DEBIT)
    assert summary(st)[1][1:] == (dt.date(2011, 5, 23), "11.59", DEBIT)  # booking (entry) date
    assert st.lines[0].line == 8
    assert st.lines[0].description.startswith("GIRO 428428 KPN - DIGITENNE BETALINGSKENM.")
    assert st.lines[1].counterparty == "DIRCKIII FIL2500 KATWIJK"  # a card payment's shop, from its text
    assert sum(ln.amount for ln in st.lines) == d("345.93")


def test_real_mt940_triodos_sample() -> None:
    path = real("mt940/jejik-triodos.sta")
    with pytest.raises(InputError, match="closing balance 4370.79 does not match"):
        parse_statement(path)
    st = parse_statement(path, check_balances=False)
    assert summary(st) == [
        (st.lines[0].ref, dt.date(2011, 1, 1), "15.70", DEBIT),
        (st.lines[1].ref, dt.date(2011, 1, 25), "700.00", DEBIT),
    ]
    assert st.lines[0].description == "ALGEMENE TUSSENREKENING KOSTEN VAN 01-10-2010 TOT EN MET 31-12-2010"
    assert st.lines[1].description == "HUUR KANTOOR - FEB 2010"
    assert st.lines[0].account == "TRIODOSBANK/0390123456"


# References --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_refs_are_stable_and_unique(name: str) -> None:
    data = fixture(name).read_bytes()
    account = FIXTURE_ACCOUNTS.get(name)
    first, second = parse_bytes(data, account=account), parse_bytes(data, account=account)
    assert [ln.ref for ln in first.lines] == [ln.ref for ln in second.lines]
    assert len({ln.ref for ln in first.lines}) == len(first.lines)


def test_identical_lines_get_different_refs() -> None:
    lines = parse_statement(fixture("ing_2025.csv")).lines
    assert lines[2].description == lines[3].description and lines[2].amount == lines[3].amount
    assert lines[2].ref != lines[3].ref


def test_overlapping_statement_gives_the_same_refs() -> None:
    whole = fixture("ing_2025.csv").read_bytes().decode("utf-8-sig").splitlines(keepends=True)
    shorter = "".join([whole[0], *whole[2:]]).encode()  # the newest line not yet booked
    full_refs = [ln.ref for ln in parse_bytes("".join(whole).encode()).lines]
    assert [ln.ref for ln in parse_bytes(shorter).lines] == full_refs[1:]


def test_a_bank_reference_used_twice_is_not_trusted() -> None:
    text = fixture("knab.csv").read_text()
    data = text.replace("KNABTEST00000003", "KNABTEST00000002").encode()
    refs = [ln.ref for ln in parse_bytes(data).lines]
    assert refs[0] == "KNABTEST00000001"
    assert refs[1].startswith("h:") and refs[2].startswith("h:") and refs[1] != refs[2]


def test_hash_ref_depends_on_the_account() -> None:
    data = fixture("ing_old_cp1252.csv").read_bytes()
    other = data.replace(b"NL00TEST0123456789", b"NL00TEST0123456780")
    assert parse_bytes(data).lines[0].ref != parse_bytes(other).lines[0].ref


# Detection ------------------------------------------------------------------------------

FIXTURE_FORMATS = {
    "ing_2025.csv": "ing",
    "ing_old_cp1252.csv": "ing",
    "rabobank_cp1252.csv": "rabobank",
    "knab.csv": "knab",
    "asn.csv": "asn",
    "abnamro.tab": "abnamro",
    "camt053_v08.xml": "camt053",
    "mt940_rabobank.sta": "mt940",
}
# The zuid April story in every further layout (tests/test_bankfiles_variants.py).
FIXTURE_FORMATS |= {name: v.fmt for name, v in VARIANTS.items() if (FIXTURES / name).exists()}
# Files of several accounts: read with one of them chosen.
FIXTURE_ACCOUNTS = {name: v.account for name, v in VARIANTS.items() if v.choose and (FIXTURES / name).exists()}


def test_every_fixture_has_a_known_format() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(FIXTURE_FORMATS)
    assert set(FIXTURE_FORMATS.values()) == set(FORMATS)


@pytest.mark.parametrize(("name", "fmt"), sorted(FIXTURE_FORMATS.items()))
def test_detect_format_by_content(name: str, fmt: str) -> None:
    data = fixture(name).read_bytes()
    assert detect_format(data) == fmt
    assert detect_format(data, filename="statement.txt") == fmt  # the name does not matter
    account = FIXTURE_ACCOUNTS.get(name)
    assert parse_bytes(data, fmt, account=account).lines == parse_bytes(data, account=account).lines


@pytest.mark.parametrize(
    ("relative", "fmt"),
    [
        ("camt053/newinnovations-test-camt053.xml", "camt053"),
        ("camt053/oca-test-camt053-abnamro.xml", "camt053"),
        ("csv/ofxstatement-dutch-ing_ok.csv", "ing"),
        ("csv/ofxstatement-dutch-ing_ok_Mutatiesoort_Extra.csv", "ing"),
        ("csv/ofxstatement-dutch-Knab_transactieoverzicht_ok.csv", "knab"),
        (ASN_SAMPLE, "asn"),
        ("mt940/jejik-abnamro.sta", "mt940"),
        ("mt940/jejik-triodos.sta", "mt940"),
    ],
)
def test_detect_real_samples(relative: str, fmt: str) -> None:
    assert detect_format(real(relative).read_bytes()) == fmt


def test_mt940_with_swift_header_is_detected() -> None:
    body = fixture("mt940_rabobank.sta").read_bytes().split(b"\r\n", 1)[1]
    data = b"{1:F01TESTNL2AXXXX0000000000}{2:O940}{4:\r\n" + body + b"-}"
    assert detect_format(data) == "mt940"
    assert len(parse_bytes(data).lines) == 5


def test_unknown_format_lists_the_supported_ones() -> None:
    message = refused(b"Date,Description,Amount\n2025-01-01,Coffee,3.50\n")
    for name in ("ING CSV", "Rabobank CSV", "ABN AMRO", "Knab CSV", "ASN CSV", "camt.053", "MT940"):
        assert name in message


def test_other_camt_messages_get_a_hint() -> None:
    data = b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"/>'
    assert "camt.054" in refused(data)


def test_message_without_a_file_name() -> None:
    with pytest.raises(InputError) as info:
        parse_bytes(b"")
    assert str(info.value) == "input: is empty; expected a bank statement"
    assert info.value.problems[0].line == 0


def test_unknown_fmt_argument_is_refused() -> None:
    assert "use one of" in refused(b"x", "ofx")


def test_forcing_the_wrong_format_is_an_input_error() -> None:
    data = fixture("camt053_v08.xml").read_bytes()
    for fmt in FORMATS:
        if fmt != "camt053":
            refused(data, fmt)
    refused(fixture("knab.csv").read_bytes(), "camt053")


# Hostile and broken files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b"  \r\n\n", "empty"),
        (b'"Datum";"Naam / Omschrijving"\x00\x00', "NUL"),
        ("Datum,Naam".encode("utf-16"), "UTF-16"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"KNAB EXPORT;;;\r\n\x81\x8d\x8f\x90\x9d", "neither UTF-8 nor Windows-1252"),
        (b"KNAB EXPORT;;;\r\nabc\x1b[31mred", "control characters"),
        (b"just some words\nand more\n", "not a bank statement format"),
        (bytes(range(1, 256)) * 4, "not a text bank statement"),
    ],
)
def test_not_a_statement(data: bytes, expected: str) -> None:
    assert expected in refused(data)


def test_truncated_files_are_input_errors() -> None:
    for name in FIXTURE_FORMATS:
        data = fixture(name).read_bytes()
        for cut in range(1, len(data), 7):
            with contextlib.suppress(InputError):
                parse_bytes(data[:cut], filename=name)


def test_truncated_camt_names_the_line() -> None:
    data = fixture("camt053_v08.xml").read_bytes()
    message = refused(data[: data.index(b"<Ntry>", 2000)])
    assert "not well-formed XML" in message and message.startswith("upload.dat:")


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "expected"),
    [
        ("ing_2025.csv", b';"Betaalautomaat";"Pasvolgnr: 001 10-03-2025";"200,00";""', b"", 4, "fields"),
        ("ing_2025.csv", b'"20250312"', b'"20250231"', 3, "does not exist"),
        ("ing_2025.csv", b'"1000,00"', b'"duizend"', 3, "not an amount"),
        ("ing_2025.csv", b'"1000,00"', b'"1000.00"', 3, "not an amount"),
        ("ing_2025.csv", b'"1000,00"', b'"-1000,00"', 3, "not an amount"),
        ("ing_2025.csv", b'"Bij"', b'"Plus"', 3, "Af or Bij"),
        ("ing_2025.csv", b'"Rekening"', b'"Account"', 1, "no column 'rekening'"),
        ("rabobank_cp1252.csv", b'"EUR","RABONL2U","000000000000001202"', b'"USD","RABONL2U","1"', 3,
         "only euro"),
        ("rabobank_cp1252.csv", b'"+1.000,00"', b'"+1,000.00"', 2, "not an amount"),
        ("rabobank_cp1252.csv", b'"2025-03-04"', b'"04-03-2025"', 3, "yyyy-mm-dd"),
        ("knab.csv", b'"C";"500"', b'"X";"500"', 3, "C or D"),
        ("knab.csv", b"KNAB EXPORT", b"KNOB EXPORT", 0, "not a bank statement format"),
        ("asn.csv", b"week 6',5\n", b"week 6'\n", 2, "19"),
        ("asn.csv", b"-75.25", b"-75,25", 2, "20 fields"),
        ("asn.csv", b"-75.25", b"-75.2.5", 2, "not an amount"),
        ("abnamro.tab", b"\t-12,50\t", b"\t-12,5O\t", 2, "not an amount"),
        ("abnamro.tab", b"\t20250304\t1250,00", b"\t20251304\t1250,00", 2, "does not exist"),
        ("camt053_v08.xml", b">45.60</Amt>\n        <CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>",
         b">45,60</Amt>\n        <CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>", 46, "not an amount"),
        ("camt053_v08.xml", b"<CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>",
         b"<CdtDbtInd>XX</CdtDbtInd>\n        <Sts>", 29, "CRDT/DBIT"),
        ("camt053_v08.xml", b">2025-03-03<", b">2025-02-30<", 29, "does not exist"),
        ("camt053_v08.xml", b">1000.00<", b">1000.005<", 29, "fractions of a cent"),
        ("camt053_v08.xml", b'Ccy="EUR">1000.00', b'Ccy="USD">1000.00', 29, "only euro"),
        ("mt940_rabobank.sta", b":61:250303C0000", b":61:250399C0000", 6, "does not exist"),
        ("mt940_rabobank.sta", b":61:250303C0000", b":61:250303X0000", 6, "this :61: field cannot be read"),
        ("mt940_rabobank.sta", b"C250301EUR", b"C250301USD", 6, "only euro"),
    ],
)
def test_broken_field_names_file_and_line(
    name: str, old: bytes, new: bytes, line: int, expected: str
) -> None:
    data = fixture(name).read_bytes()
    assert old in data
    message = refused(data.replace(old, new, 1))
    assert expected in message
    if line:
        assert message.startswith(f"upload.dat:{line}: ")


def test_row_for_another_account_is_refused() -> None:
    data = fixture("asn.csv").read_bytes()
    lines = data.split(b"\n")
    lines[2] = lines[2].replace(b"NL00TEST0123456789", b"NL00TEST9999999999")
    message = refused(b"\n".join(lines))
    assert message.startswith("upload.dat:3: ") and "one account" in message


def test_huge_cell_is_refused() -> None:
    data = fixture("knab.csv").read_bytes().replace(b"Maatwerkbudget april", b"x" * 20_000)
    assert "20000 characters" in refused(data)


def test_giant_field_beyond_the_csv_limit_is_refused() -> None:
    data = b'"Datum","Naam / Omschrijving"\n"' + b"y" * 200_000 + b'"\n'
    refused(data)


def test_unterminated_quote_is_refused() -> None:
    data = fixture("ing_2025.csv").read_bytes().replace(b'"Bakkerij De Proef"', b'"Bakkerij De Proef', 1)
    refused(data)


def test_too_big_is_refused() -> None:
    assert "MB" in refused(b" " * (MAX_FILE_BYTES + 1))


def test_too_big_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 10)
    with pytest.raises(InputError, match="MB"):
        parse_statement(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        parse_statement(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="folder"):
        parse_statement(tmp_path)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Id>&lol3;</Id></Stmt></BkToCstmrStmt></Document>
"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Id>&x;</Id></Stmt></BkToCstmrStmt></Document>
"""

BARE_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Document SYSTEM "http://example.invalid/camt.dtd">
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>
"""


@pytest.mark.parametrize("data", [BOMB, EXTERNAL, BARE_DTD], ids=["billion-laughs", "external-entity", "dtd"])
def test_xml_attacks_are_refused(data: bytes) -> None:
    assert detect_format(data) == "camt053"
    message = refused(data)
    assert "refused" in message
    assert "root:" not in message


@pytest.mark.parametrize(
    "data",
    [
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>',
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>',
        b'<Other xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>',
        b'<?xml version="1.0" encoding="klingon"?>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>',
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Ntry>'
        b"<Amt>1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></Ntry></Stmt></BkToCstmrStmt></Document>",
    ],
    ids=["no-report", "no-statement", "wrong-root", "bad-encoding", "no-date"],
)
def test_incomplete_camt_is_refused(data: bytes) -> None:
    refused(data)


@pytest.mark.parametrize(
    "data",
    [
        b":20:\n:25:\n",
        b":20:X\n:61:garbage\n",
        b":20:X\n:25:NL00TEST0123456789\n:60F:C250101EUR1,00\n:61:250101C\n:62F:C250101EUR1,00\n",
        b":20:X\n:25:1\n:60F:C251301EUR1,00\n:62F:C250101EUR1,00\n",
        b":20:X\n:25:1\n:60F:C250101EUR\n",
    ],
)
def test_garbage_mt940_is_refused(data: bytes) -> None:
    assert detect_format(data) == "mt940"
    refused(data)


def test_mt940_library_logging_stays_quiet(caplog: pytest.LogCaptureFixture) -> None:
    # The library logs unmatched lines, statement text included, at ERROR level.
    mt940_logger = logging.getLogger("mt940")
    before = mt940_logger.level
    with caplog.at_level(logging.DEBUG):
        refused(b":20:X\n:25:NL00TEST0123456789\n:61:garbage with private text\n")
    assert not [r for r in caplog.records if r.name.startswith("mt940")]
    assert mt940_logger.level == before


# Never anything but InputError -------------------------------------------------------------


def assert_parses_or_refuses(data: bytes, fmt: str = "auto") -> None:
    try:
        statement = parse_bytes(data, fmt, filename="fuzz")
    except InputError as exc:
        assert str(exc).startswith("fuzz") and "\n" not in str(exc)
    else:
        for line in statement.lines:
            assert line.amount > 0 and line.amount == line.amount.quantize(Decimal("0.01"))
            assert line.direction in (DEBIT, CREDIT)
            assert len(line.description) <= 200


FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=2000), st.sampled_from(("auto", *FORMATS)))
def test_random_bytes_only_raise_input_error(data: bytes, fmt: str) -> None:
    assert_parses_or_refuses(data, fmt)


@FAST
@given(
    st.sampled_from(
        ['"Datum";"Naam / Omschrijving";', "KNAB EXPORT;;;\n", '"IBAN/BBAN","Munt"\n', ":20:X\n:25:1\n",
         "01-01-2025,", "123456789\tEUR\t", "<Document ", ""]
    ),
    st.text(max_size=1000),
)
def test_random_text_only_raises_input_error(prefix: str, text: str) -> None:
    assert_parses_or_refuses((prefix + text).encode("utf-8", errors="surrogatepass"))


@FAST
@given(
    st.sampled_from(sorted(FIXTURE_FORMATS)),
    st.lists(st.tuples(st.integers(min_value=0), st.binary(max_size=8)), min_size=1, max_size=4),
)
def test_damaged_fixtures_only_raise_input_error(name: str, edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(fixture(name).read_bytes())
    for position, replacement in edits:
        at = position % (len(data) + 1)
        data[at : at + len(replacement)] = replacement
    assert_parses_or_refuses(bytes(data))


# Light import path -------------------------------------------------------------------------


def test_module_imports_nothing_heavy() -> None:
    code = (
        "import sys, maatwerk_cli.formats.bank as b\n"
        "heavy = [m for m in ('typer', 'rich', 'pandas', 'mt940', 'defusedxml') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


REFS = Path(__file__).parent / "fixtures" / "bank_refs.json"


def test_refs_never_change_between_versions() -> None:
    """Every own fixture's refs, as this tool gave them when the file was added.

    A line is stored once under its ref; a reader that reads a line better must keep its ref
    (``BankLine.hash_text``), or a statement imported before would be imported again. A new
    fixture is added to the file with its refs as read then; an old entry is never changed.
    """
    pinned: dict[str, list[str]] = json.loads(REFS.read_text())
    folders = (FIXTURES, Path(__file__).parent / "fixtures" / "bank_import")
    files = sorted(f"{p.parent.name}/{p.name}" for folder in folders for p in folder.iterdir() if p.suffix != ".md")
    assert files == sorted(pinned)
    for name, refs in pinned.items():
        variant = VARIANTS.get(name.split("/")[1])
        account = variant.account if variant and variant.choose else None
        st = parse_statement(FIXTURES.parent / name, account=account, check_balances=False)
        assert [ln.ref for ln in st.lines] == refs, name
