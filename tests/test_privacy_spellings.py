"""Personal data in any common spelling (issue 12, item 6), in every free-text field of every
command, and the look-alikes that must pass (amounts, dates, postcodes, invoice numbers,
household codes).

The numbers are the usual made-up examples: BSN 123456782 and 111222333 pass the 11-proef,
NL91ABNA0417164300 is the IBAN of every manual; none belongs to anyone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger
from maatwerk_cli.core.privacy import find_personal_data

Cli = Callable[..., Result]

#: Must be caught: (text, what it looks like).
CAUGHT = [
    ("123456782", "BSN"), ("bsn 123456782", "BSN"), ("BSN: 123456782", "BSN"), ("bsn123456782", "BSN"),
    ("BSN123456782 (zoon)", "BSN"), ("123456782x", "BSN"), ("x123456782", "BSN"), ("klantnr123456782", "BSN"),
    ("123.456.782", "BSN"), ("bsn 123.456.782", "BSN"), ("1234.56.782", "BSN"), ("1234.567.82", "BSN"),
    ("123-456-782", "BSN"), ("1234-56-782", "BSN"), ("1234-567-82", "BSN"), ("bsn-123-456-782", "BSN"),
    ("123 456 782", "BSN"), ("1234 56 782", "BSN"), ("BSN 1234 567 82", "BSN"),
    ("123\u00a0456\u00a0782", "BSN"), ("(123456782)", "BSN"), ("bsn:123456782.", "BSN"),
    ("sofinummer 12345672", "BSN"), ("bsn12345672", "BSN"), ("burgerservicenummer: 111.222.333", "BSN"),
    ("moeder 111222333, vader", "BSN"), ("zoon-111222333", "BSN"),
    ("NL91ABNA0417164300", "IBAN"), ("NL91 ABNA 0417 1643 00", "IBAN"), ("NL91-ABNA-0417-1643-00", "IBAN"),
    ("nl91abna0417164300", "IBAN"), ("nl91 abna 0417 1643 00", "IBAN"), ("IBAN NL91-ABNA-0417-1643-00", "IBAN"),
    ("iban: NL91ABNA0417164300.", "IBAN"), ("BE68 5390 0754 7034", "IBAN"),
    ("DE89 3704 0044 0532 0130 00", "IBAN"), ("de89-3704-0044-0532-0130-00", "IBAN"),
    ("06-12345678", "phone number"), ("0612345678", "phone number"), ("+31 6 12345678", "phone number"),
    ("bel 020-1234567", "phone number"), ("06 1234 5678", "phone number"),
    ("j.jansen@voorbeeld.nl", "e-mail address"), ("mail: a@b.nl", "e-mail address"),
]

#: Must pass.
PASSES = [
    "€ 123.456,78", "€ 1.234.567,89", "EUR 12.505,00", "€ 12.505", "€ 123.456.782", "EUR 123456782",
    "123.456.782,00", "14-03-2025", "2025-03-14", "14.03.2025", "14 maart 2025", "1-3-2025 09:30",
    "1234 AB", "1234AB", "postcode 1234 AB Zandhoven", "123456789", "factuur 123456789", "123.456.789",
    "123-456-789", "123 456 789", "bsn 123456789", "factuur 2025-0042", "H-7KXM4P", "C-100234",
    "noord-2025-0042", "kvk 12345678", "0800-1234", "0900-1234567", "NL00ABNA0417164300",
    "NL91 ABNA 0417 1643 01", "1234567820", "12 123 456 782", "1234.56.782.5", "123-456-782-1",
    "week 12, 3 x 50 euro", "ordernr 2025001234", "10:30-12:00", "€ 35,- per week", "h:6e3c8bb761590080",
]


def test_the_tables_are_large_enough() -> None:
    assert len(CAUGHT) >= 40 and len(PASSES) >= 30


@pytest.mark.parametrize(("text", "kind"), CAUGHT, ids=[t for t, _ in CAUGHT])
def test_caught(text: str, kind: str) -> None:
    found = find_personal_data(f"over {text} gesproken")
    assert [f.kind for f in found] == [kind]


@pytest.mark.parametrize("text", PASSES)
def test_look_alike_passes(text: str) -> None:
    assert find_personal_data(f"over {text} gesproken") == []


# ----------------------------------------------------------------------------- every field of every command

#: Each free-text field, as a command that puts TEXT into it (``{loan}``: a loan's id).
FIELDS: list[tuple[str, tuple[str, ...]]] = [
    ("spend note", ("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "--note", "TEXT")),
    ("spend reason", ("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "--reason", "TEXT")),
    ("spend tegenprestatie", ("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "--tegenprestatie", "TEXT")),
    ("spend condition", ("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "-k", "conditional",
                         "--condition", "TEXT")),
    ("spend by", ("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "--by", "TEXT")),
    ("spend second opinion", ("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "--second-opinion", "TEXT")),
    ("mark tegenprestatie", ("mark", "{loan}", "tegenprestatie", "TEXT")),
    ("mark condition", ("mark", "{loan}", "conditional", "--condition", "TEXT")),
    ("mark recovered --from", ("mark", "{loan}", "recovered", "--from", "TEXT", "--amount", "1")),
    ("mark by", ("mark", "{loan}", "outcome", "reached", "--by", "TEXT")),
    ("repay by", ("repay", "{loan}", "1", "-d", "2-3-2025", "--by", "TEXT")),
    ("void reason", ("void", "{gift}", "--reason", "TEXT")),
    ("void by", ("void", "{gift}", "--reason", "dubbel", "--by", "TEXT")),
    ("refusal reason", ("refuse", "noord", "--reason", "TEXT", "-d", "1-3-2025")),
    ("refusal by", ("refuse", "noord", "--reason", "tweede keer", "--by", "TEXT", "-d", "1-3-2025")),
    ("withdrawal note", ("cash", "withdraw", "noord", "50", "-d", "1-3-2025", "--note", "TEXT")),
    ("settlement reason", ("cash", "settle", "noord", "--write-off", "-d", "1-3-2025", "--reason", "TEXT")),
    ("knipkaart reason", ("knipkaart", "use", "noord", "--reason", "TEXT", "-d", "1-3-2025")),
    ("bank explanation", ("bank", "explain", "noord", "REF", "--reason", "TEXT")),
    ("team name", ("team", "add", "west", "--name", "TEXT", "--budget", "5")),
]
#: Import columns that hold free text.
COLUMNS = ["notitie", "tegenprestatie", "voorwaarde", "door", "reden", "tweede mening"]


def spelled(n: int) -> list[str]:
    """Three spellings for field number n; over all fields every spelling is used."""
    return [CAUGHT[(n * 3 + k) % len(CAUGHT)][0] for k in range(3)]


@pytest.fixture
def ids(lcli: Cli) -> dict[str, str]:
    # € 36, not the fields' € 35: no possible duplicate of the spends below.
    loan = lcli("spend", "noord", "36", "-c", "Levensmiddelen", "-k", "loan", "-d", "1-3-2025").out.strip()
    gift = lcli("spend", "noord", "10", "-c", "Overig", "-d", "1-3-2025").out.strip()
    assert lcli("cash", "withdraw", "noord", "5", "-d", "1-3-2025").code == 0  # something to settle
    return {"loan": loan, "gift": gift}


def fill(args: tuple[str, ...], text: str, ids: dict[str, str]) -> list[str]:
    return [text if a == "TEXT" else a.format(**ids) for a in args]


def test_every_spelling_lands_in_some_field() -> None:
    used = {t for n in range(len(FIELDS) + len(COLUMNS)) for t in spelled(n)}
    assert used == {t for t, _ in CAUGHT}


@pytest.mark.parametrize(("n", "field"), list(enumerate(FIELDS)), ids=[f for f, _ in FIELDS])
def test_every_field_refuses_every_spelling(lcli: Cli, ledger_dir: Path, ids: dict[str, str], n: int,
                                            field: tuple[str, tuple[str, ...]]) -> None:
    name, args = field
    for text in spelled(n):
        before = snapshot(ledger_dir)
        res = lcli(*fill(args, f"gesprek, {text}, volgt", ids))
        assert_refused(res, "looks like")
        digits = "".join(c for c in text if c.isdigit())
        assert not digits or digits not in "".join(c for c in res.err if c.isdigit()), res.err  # masked
        assert snapshot(ledger_dir) == before, (name, text)


@pytest.mark.parametrize(("n", "field"), list(enumerate(FIELDS)), ids=[f for f, _ in FIELDS])
def test_every_field_records_look_alikes(lcli: Cli, ids: dict[str, str], n: int,
                                         field: tuple[str, tuple[str, ...]]) -> None:
    _, args = field
    text = "; ".join(PASSES[(n * 4 + k) % len(PASSES)] for k in range(4))
    if args[0] == "team":
        text = text[:100]
    res = lcli(*fill(args, text, ids))
    if args[:2] == ("bank", "explain"):  # past the guard: the bank line itself is unknown
        assert res.code == 2 and "looks like" not in res.err and "bank statement" in res.err
        return
    assert res.code == 0, (text, res.err)


@pytest.mark.parametrize(("n", "column"), list(enumerate(COLUMNS, start=len(FIELDS))), ids=COLUMNS)
def test_every_import_column_refuses_every_spelling(lcli: Cli, ledger_dir: Path, tmp_path: Path, n: int,
                                                    column: str) -> None:
    kind = "voorwaardelijk" if column == "voorwaarde" else "gift"
    for text in spelled(n):
        sheet = tmp_path / "in.csv"
        sheet.write_text(f"datum;bedrag;categorie;soort;{column}\n1-3-2025;35;Wonen;{kind};\"over {text}\"\n",
                         encoding="utf-8")
        before = snapshot(ledger_dir)
        res = lcli("import", "entries", str(sheet), "--team", "noord")
        assert res.code == 2 and "in.csv:2:" in res.err and "looks like" in res.err, res.err
        assert "--allow-personal-data" not in res.err
        assert snapshot(ledger_dir) == before
    sheet.write_text(f"datum;bedrag;categorie;soort;{column}\n1-3-2025;35;Wonen;{kind};\"{PASSES[n]}\"\n",
                     encoding="utf-8")
    assert lcli("import", "entries", str(sheet), "--team", "noord").code == 0


@pytest.mark.parametrize("code", ["123456782", "H-123456782", "H-0612345678", "c-111.222.333"])
def test_a_household_code_that_is_personal_data_is_refused(lcli: Cli, ledger_dir: Path, code: str) -> None:
    before = snapshot(ledger_dir)
    assert_refused(lcli("spend", "noord", "5", "-c", "Wonen", "-d", "1-3-2025", "--household", code),
                   "household code looks like")
    assert_refused(lcli("refuse", "noord", "--reason", "x", "--household", code), "household code looks like")
    assert snapshot(ledger_dir) == before


def test_check_keeps_scanning_what_is_already_in_the_ledger(lcli: Cli, ledger_dir: Path) -> None:
    # Written around the guard, as an old version or a hand edit could have.
    Ledger(ledger_dir).folder.append("noord", [
        {"type": "spend", "date": "2025-03-01", "amount": "5.00", "category": "Wonen", "method": "pin",
         "kind": "gift", "note": "moeder BSN123456782 (zoon)", "by": "bel 1234-567-82"},
        {"type": "refusal", "date": "2025-03-02", "reason": "iban nl91-abna-0417-1643-00"},
    ])
    res = lcli("check", "-f", "json")
    assert res.code == 1
    found = json.loads(res.out)
    assert [(p["line"], p["message"].split(": ", 1)[1]) for p in found] == [
        (2, "note holds what looks like BSN ****.**.782"),
        (2, "by holds what looks like BSN ****.**.782"),
        (3, "reason holds what looks like IBAN NL** **** **** **** 00"),
    ]
    assert "123456782" not in res.out
