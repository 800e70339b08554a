"""The privacy guard, safe exports, --redact and safe names, end to end through the command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger
from maatwerk_cli.core.privacy import HOUSEHOLD_ALPHABET, is_household_code
from maatwerk_cli.render.columns import Column
from maatwerk_cli.render.redact import Redactor, redact
from reference import raw_line

Cli = Callable[..., Result]

# (text holding personal data, what the message calls it, the masked form, digits that must not show)
PERSONAL = [
    ("bsn 111222333 van de moeder", "BSN", "****.**.333", "111222333"),
    ("BSN 1112.22.345 genoteerd", "BSN", "****.**.345", "1112.22"),
    ("nummer 111 222 357", "BSN", "****.**.357", "111 222"),
    ("huur naar NL91ABNA0417164300", "IBAN", "NL** **** **** **** 00", "0417164300"),
    ("rekening NL91 ABNA 0417 1643 00", "IBAN", "NL** **** **** **** 00", "0417 1643"),
    ("bel 06-12345678 na vijven", "phone number", "06-****-**78", "12345678"),
    ("tel +31 20 123 4567", "phone number", "0**-***-**67", "123 4567"),
    ("mail jan.jansen@example.nl", "e-mail address", "j***@***.nl", "jansen"),
]
# Look-alikes that must pass: amounts, dates, postcodes, invoice and KvK numbers, service lines.
HARMLESS = [
    "factuur 123456789 (faalt de 11-proef)",
    "factuur 987654321",
    "bedrag 1.234,56 betaald op 14-03-2025 om 09:30",
    "postcode 1234 AB",
    "KvK 12345678",
    "ref F2025-00123",
    "gratis 0800-0432 gebeld",
    "huishouden H-7KXM4P",
]


def entries_json(lcli: Cli, *args: str) -> list[dict[str, Any]]:
    res = lcli("entries", "--format", "json", *args)
    assert res.code == 0, res.err
    data: list[dict[str, Any]] = json.loads(res.out)
    return data


def refused(lcli: Cli, ledger_dir: Path, *args: str) -> Result:
    before = snapshot(ledger_dir)
    res = lcli(*args)
    assert_refused(res)
    assert snapshot(ledger_dir) == before
    return res


# --------------------------------------------------------------------------- the guard


@pytest.mark.parametrize(("text", "kind", "masked", "secret"), PERSONAL)
def test_personal_data_in_a_note_is_refused_masked(
    lcli: Cli, ledger_dir: Path, text: str, kind: str, masked: str, secret: str
) -> None:
    res = refused(lcli, ledger_dir, "spend", "noord", "35", "-c", "Levensmiddelen", "-d", "1-3-2025",
                  "--note", text)
    assert f"note contains what looks like a {kind}" in res.err or f"an {kind}" in res.err
    assert masked in res.err
    assert secret not in res.err
    assert "--allow-personal-data" in res.err


@pytest.mark.parametrize(
    "args",
    [
        ["spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "--reason", "bel 06-12345678"],
        ["spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "--tegenprestatie", "bel 06-12345678"],
        ["spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "--kind", "conditional",
         "--condition", "cursus; bel 06-12345678"],
        ["spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "--household", "111222333"],
        ["spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "--household", "0612345678"],
        ["refuse", "noord", "--reason", "tweede aanvraag, bel 06-12345678", "-d", "1-3-2025"],
        ["knipkaart", "use", "noord", "--reason", "mail jan@example.nl", "-d", "1-3-2025"],
    ],
)
def test_every_free_text_field_and_household_code_is_guarded(
    lcli: Cli, ledger_dir: Path, args: list[str]
) -> None:
    res = refused(lcli, ledger_dir, *args)
    assert "looks like" in res.err
    for secret in ("12345678", "111222333", "jan@"):
        assert secret not in res.err


def test_events_on_an_entry_are_guarded(lcli: Cli, ledger_dir: Path) -> None:
    sid = lcli("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025").out.strip()
    refused(lcli, ledger_dir, "void", sid, "--reason", "dubbel, zie NL91ABNA0417164300")
    refused(lcli, ledger_dir, "mark", sid, "tegenprestatie", "mailt naar jan@example.nl")
    refused(lcli, ledger_dir, "mark", sid, "conditional", "--condition", "bsn 111222333")


def test_allow_personal_data_is_recorded_and_check_accepts_it(lcli: Cli, ledger_dir: Path) -> None:
    res = lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "1-3-2025",
               "--note", "bel 06-12345678", "--allow-personal-data")
    assert res.code == 0, res.err
    [row] = entries_json(lcli)
    assert row["personal_data_allowed"] is True and row["note"] == "bel 06-12345678"
    assert lcli("refuse", "noord", "--reason", "bel 06-12345678", "-d", "1-3-2025",
                "--allow-personal-data").code == 0
    assert lcli("check").code == 0


@pytest.mark.parametrize("text", HARMLESS)
def test_look_alikes_pass(lcli: Cli, text: str) -> None:
    res = lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "1-3-2025", "--note", text)
    assert res.code == 0, res.err
    assert entries_json(lcli)[0]["note"] == text


def test_check_lists_personal_data_in_an_older_ledger(lcli: Cli, ledger_dir: Path) -> None:
    # Lines written before the guard existed (or by another tool): append them directly.
    folder = Ledger(ledger_dir).folder
    folder.append("noord", [
        {"type": "spend", "date": "2025-03-01", "amount": "35.00", "category": "Levensmiddelen",
         "method": "pin", "kind": "gift", "note": "moeder, bsn 111222333"},
        {"type": "refusal", "date": "2025-03-02", "reason": "mail jan.jansen@example.nl"},
        {"type": "spend", "date": "2025-03-03", "amount": "10.00", "category": "Vervoer",
         "method": "pin", "kind": "gift", "note": "factuur 123456789"},
    ])
    res = lcli("check")
    assert res.code == 1
    assert "noord.csv:2: noord-2025-0001: note holds what looks like BSN ****.**.333" in res.out
    assert "noord.csv:3: noord-2025-0002: reason holds what looks like e-mail j***@***.nl" in res.out
    assert "noord.csv:4" not in res.out
    assert "111222333" not in res.out + res.err and "jansen" not in res.out + res.err
    data = json.loads(lcli("check", "--format", "json").out)
    assert [(p["line"], "BSN" in p["message"]) for p in data] == [(2, True), (3, False)]


# --------------------------------------------------------------------------- household codes


def test_household_new(lcli: Cli) -> None:
    res = lcli("household", "new", "--count", "50")
    assert res.code == 0, res.err
    codes = res.out.split()
    assert len(codes) == 50 == len(set(codes))
    for code in codes:
        assert re.fullmatch(rf"H-[{HOUSEHOLD_ALPHABET}]{{6}}", code) and is_household_code(code)
        assert not set(code[2:]) & set("01OIL")
    other = lcli("household", "new", "--prefix", "wmo", "--length", "8").out.strip()
    assert re.fullmatch(rf"WMO-[{HOUSEHOLD_ALPHABET}]{{8}}", other)
    # A fresh code is accepted by spend as it is.
    assert lcli("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "--household", codes[0]).code == 0


@pytest.mark.parametrize(
    "args", [["--prefix", "H1"], ["--prefix", "ABCDE"], ["--count", "0"], ["--count", "1001"],
             ["--length", "3"]]
)
def test_household_new_bad_options(lcli: Cli, args: list[str]) -> None:
    assert_refused(lcli("household", "new", *args))


def test_household_new_needs_no_ledger(cli: Cli, tmp_path: Path) -> None:
    res = cli("--ledgers", str(tmp_path / "none"), "household", "new")
    assert res.code == 0 and is_household_code(res.out.strip())
    assert not (tmp_path / "none").exists()


# --------------------------------------------------------------------------- safe exports

FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(1)", "\tstart met tab"]
# A leading carriage return cannot reach a journal (see test_render_neutralises_every_formula_start).
ALL_STARTS = [*FORMULAS, "\rstart met CR"]


def ledger_with_formulas(ledger_dir: Path) -> list[str]:
    """One spend per formula text in its note; a tab comes in as an older tool would write it."""
    lg = Ledger(ledger_dir)
    ids = []
    for n, text in enumerate(FORMULAS, start=1):
        if text[0] == "\t":
            # The clerk's path turns control characters into spaces, and the tool writes none
            # into a journal: this line is as an older version could have written it.
            line_id = f"noord-2025-{n:04d}"
            with open(lg.folder.journal_path("noord"), "ab") as fh:
                fh.write(raw_line({"id": line_id, "type": "spend", "date": f"2025-03-{n:02d}",
                                   "amount": "35.50", "category": "Levensmiddelen", "method": "pin",
                                   "kind": "gift", "note": text, "recorded_at": "2025-03-01T00:00:00Z"}))
            ids.append(line_id)
        else:
            # The same € 35,50 day after day: given a reason (no possible duplicate).
            ids.append(lg.spend("noord", Decimal("35.50"), category="Levensmiddelen", note=text,
                                date=dt.date(2025, 3, n), by="=evil()", reason="elke dag"))
    sid = lg.spend("noord", Decimal("100"), category="Wonen", date=dt.date(2025, 3, 20))
    lg.mark_outcome(sid, "not-reached", avoided_cost=Decimal("-150"))
    return ids


@pytest.mark.parametrize("fmt", ["csv", "csv-nl"])
def test_formulas_are_neutralised_in_csv(lcli: Cli, ledger_dir: Path, fmt: str) -> None:
    ids = ledger_with_formulas(ledger_dir)
    res = lcli("entries", "--format", fmt)
    assert res.code == 0, res.err
    text = res.out.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";" if fmt == "csv-nl" else ","))
    notes = {r["id"]: r["note"] for r in rows}
    for entry_id, formula in zip(ids, FORMULAS, strict=True):
        assert notes[entry_id] == "'" + formula
    for r in rows:
        for cell in r.values():
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        assert r["amount"] in ("35.50", "35,50", "100.00", "100,00")  # amounts untouched
    assert {r["by"] for r in rows} >= {"'=evil()"}


@pytest.mark.parametrize("fmt", ["csv", "csv-nl"])
def test_negative_amounts_stay_numbers_in_csv(lcli: Cli, ledger_dir: Path, fmt: str) -> None:
    ledger_with_formulas(ledger_dir)
    text = lcli("entries", "--format", fmt).out.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";" if fmt == "csv-nl" else ","))
    assert [r["avoided_cost"] for r in rows if r["avoided_cost"]] in (["-150.00"], ["-150,00"])


def test_formulas_are_neutralised_in_xlsx(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ids = ledger_with_formulas(ledger_dir)
    out = tmp_path / "entries.xlsx"
    assert lcli("entries", "--output", str(out)).code == 0  # a workbook holds every column
    ws = load_workbook(out).active
    assert ws is not None
    header = [c.value for c in ws[3]]  # a title, an empty row, then the titles (English in this suite)
    titles = {"id": "id", "note": "note", "amount": "amount", "date": "date", "avoided_cost": "avoided cost"}
    col = {name: header.index(title) + 1 for name, title in titles.items()}
    by_id = {ws.cell(row=r, column=col["id"]).value: r for r in range(4, ws.max_row + 1)}
    by_id.pop("totaal", None)
    for entry_id, formula in zip(ids, FORMULAS, strict=True):
        row = by_id[entry_id]
        note = ws.cell(row=row, column=col["note"])
        assert note.value == "'" + formula and note.data_type == "s"
        amount = ws.cell(row=row, column=col["amount"])
        assert amount.data_type == "n" and amount.value == pytest.approx(35.5)
        assert isinstance(ws.cell(row=row, column=col["date"]).value, dt.datetime)
    negative = [ws.cell(row=r, column=col["avoided_cost"]) for r in by_id.values()]
    assert [c.value for c in negative if c.value is not None] == [-150]
    assert all(c.data_type == "n" for c in negative if c.value is not None)
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            if cell.data_type == "s":
                assert not str(cell.value).startswith(("=", "+", "-", "@", "\t", "\r")), cell.value


def test_render_neutralises_every_formula_start(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from maatwerk_cli.render.text import to_csv
    from maatwerk_cli.render.xlsx import Sheet, write_workbook

    records = [{"text": t, "amount": Decimal("-12.50"), "count": -3} for t in ALL_STARTS]
    columns = [Column("text"), Column("amount", kind="money"), Column("count", kind="int")]
    for dutch in (False, True):
        got = list(csv.reader(io.StringIO(to_csv(records, columns, dutch=dutch).lstrip("\ufeff"),
                                          newline=""), delimiter=";" if dutch else ","))
        assert [r[0] for r in got[1:]] == ["'" + t for t in ALL_STARTS]
        assert {(r[1], r[2]) for r in got[1:]} == {("-12,50" if dutch else "-12.50", "-3")}
    out = tmp_path / "x.xlsx"
    write_workbook(out, [Sheet("x", "title", columns, records)])
    ws = load_workbook(out).active
    assert ws is not None
    # XML reads a CR back as a newline; what matters is the leading quote. Rows: a title, an
    # empty row, the header, then the data.
    assert [ws.cell(row=r, column=1).value for r in range(4, 10)] == [
        "'" + t.replace("\r", "\n") for t in ALL_STARTS]
    assert {(ws.cell(row=r, column=2).value, ws.cell(row=r, column=3).value) for r in range(4, 10)} == {
        (-12.5, -3)}


def test_plain_csv_quotes_a_carriage_return() -> None:
    from maatwerk_cli.render.text import to_csv

    text = to_csv([{"text": "\rstart met CR"}], [Column("text")])
    assert list(csv.reader(io.StringIO(text, newline="")))[1:] == [["'\rstart met CR"]]


def test_json_keeps_the_text_as_it_is(lcli: Cli, ledger_dir: Path) -> None:
    ids = ledger_with_formulas(ledger_dir)
    notes = {r["id"]: r["note"] for r in entries_json(lcli)}
    assert [notes[i] for i in ids] == FORMULAS


# --------------------------------------------------------------------------- --redact


def test_entries_redact(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    for household, day in (("H-7KXM4P", 1), ("H-BBBB22", 2), ("H-7KXM4P", 20), ("", 21)):
        args = ["--household", household] if household else []
        assert lcli("spend", "noord", "35", "-c", "Wonen", "-d", f"{day}-3-2025", *args,
                    "--note", "vertrouwelijk verhaal met details", "--tegenprestatie", "helpt in de buurttuin",
                    "--by", "Fatima", "--reason", "omdat").code == 0
    rows = entries_json(lcli, "--redact")
    banned = {"note", "tegenprestatie", "override_reason", "void_reason", "condition", "by",
              "second_opinion"}
    for row in rows:
        assert not banned & set(row), set(row)
        assert row["amount"] == 35 and row["category"] == "Wonen"
    codes = [r["household"] for r in rows]
    assert codes[0] == codes[2] != codes[1]
    assert codes[3] == ""
    assert all(re.fullmatch(r"HH-\d{4}", c) for c in codes[:3])
    assert sorted(set(codes[:3])) == ["HH-0001", "HH-0002"]
    everything = json.dumps(rows)
    for secret in ("H-7KXM4P", "H-BBBB22", "vertrouwelijk", "buurttuin", "Fatima", "omdat"):
        assert secret not in everything

    for fmt in ("csv", "csv-nl", "markdown", "table"):
        res = lcli("entries", "--redact", "--format", fmt)
        assert res.code == 0, res.err
        assert "vertrouwelijk" not in res.out and "H-7KXM4P" not in res.out and "Fatima" not in res.out
    out = tmp_path / "r.xlsx"
    assert lcli("entries", "--redact", "--output", str(out)).code == 0
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws is not None
    values = {str(c.value) for row in ws.iter_rows() for c in row}
    assert "note" not in values and "H-7KXM4P" not in values and "HH-0001" in values


def test_every_report_and_listing_takes_redact(lcli: Cli, ledger_dir: Path) -> None:
    assert lcli("cash", "withdraw", "noord", "50", "-d", "2-3-2025").code == 0
    spent = lcli("spend", "noord", "35", "-c", "Wonen", "-d", "3-3-2025", "--household", "H-7KXM4P",
                 "--kind", "loan", "--due", "1-4-2025", "--note", "vertrouwelijk verhaal met details",
                 "--tegenprestatie", "helpt in de buurttuin", "--by", "Fatima", "-m", "contant")
    assert spent.code == 0, spent.err
    assert lcli("mark", spent.out.strip(), "outcome", "reached", "--avoided-cost", "100").code == 0
    statement = Path(__file__).parent / "fixtures" / "bank_import" / "ing_noord_2025-03.csv"
    imported = lcli("import", "bank", str(statement), "--team", "noord")
    assert imported.code == 0, imported.err
    commands = [
        ("entries",), ("utilisation", "--year", "2025"), ("compare", "--year", "2025"),
        ("categories", "--year", "2025"), ("loans", "--as-of", "1-5-2025"),
        ("outcomes", "--year", "2025"), ("rules",), ("knipkaart", "status"),
        ("cash", "status"), ("reconcile", "noord"), ("bank", "lines", "noord"),
        ("summary", str(ledger_dir), "--year", "2025"),
    ]
    for command in commands:
        for fmt in ("json", "csv", "markdown", "table"):
            res = lcli(*command, "--redact", "--format", fmt)
            assert res.code == 0, (command, res.err)
            for secret in ("H-7KXM4P", "vertrouwelijk", "buurttuin", "Fatima"):
                assert secret not in res.out, (command, fmt, secret)
    loans = json.loads(lcli("loans", "--as-of", "1-5-2025", "--redact", "-f", "json").out)
    assert [r["household"] for r in loans] == ["HH-0001"] and loans[0]["outstanding"] == 35
    story = lcli("stories", "--redact")
    assert story.code == 0 and "verhaal" not in story.out and "buurttuin" not in story.out
    assert "left out" in story.out and "€ 35,00" in story.out
    assert "verhaal" in lcli("stories").out
    lines = json.loads(lcli("bank", "lines", "noord", "--redact", "-f", "json").out)
    assert lines and all("description" not in line for line in lines)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("cash", "status", "--redact", "--format", "pdf"), "format"),
        (("cash", "status", "nord", "--redact"), "did you mean 'noord'"),
        (("bank", "lines", "nord", "--redact"), "did you mean 'noord'"),
        (("reconcile", "noord", "--redact", "--month", "2025-13"), "month"),
        (("reconcile", "noord", "--redact"), "no bank statement"),
        (("entries", "--redact", "--output", "x.pdf"), ".xlsx"),
    ],
)
def test_redact_mistakes_exit_2_with_one_line(lcli: Cli, ledger_dir: Path, args: tuple[str, ...],
                                              needle: str) -> None:
    before = snapshot(ledger_dir)
    result = lcli(*args)
    assert_refused(result, needle)
    assert result.out == ""
    assert snapshot(ledger_dir) == before


def test_pseudonyms_hold_within_one_export_only() -> None:
    records = [{"household": f"H-{n:06d}", "note": "x"} for n in range(40)]
    columns = [Column("household"), Column("note")]
    first, cols = redact(records, columns)
    assert [c.key for c in cols] == ["household"]
    assert sorted(r["household"] for r in first) == [f"HH-{n:04d}" for n in range(1, 41)]
    # Numbers are handed out in random order: two exports of the same rows do not line up.
    orders = {tuple(r["household"] for r in redact(records, columns)[0]) for _ in range(5)}
    assert len(orders) > 1
    # One Redactor keeps its pseudonyms over several tables of one export, nested lists too.
    r = Redactor()
    a = r.records([{"household": "H-AAAA22"}])
    b = r.records([{"team": "noord", "uses": [{"household": "H-AAAA22", "reason": "geheim"}]}])
    assert b[0]["uses"] == [{"household": a[0]["household"]}]


# --------------------------------------------------------------------------- safe names


@pytest.mark.parametrize(
    ("slug", "needle"),
    [
        ("..", ".."),
        ("../evil", "/"),
        ("a/b", "/"),
        ("a\\b", "\\"),
        ("CON", "reserved device name"),
        ("nul", "reserved device name"),
        ("com1", "reserved device name"),
        ("lpt9", "reserved device name"),
        ("x" * 41, "the limit is 40"),
        ("Noord", "lowercase"),
        ("n\u043eord", "U+043E"),  # Cyrillic o
        ("noord\u200b", "U+200B"),  # zero-width space
        ("no ord", "a space"),
        ("-noord", "hyphen"),  # given after "--", else it reads as an option
        ("", "empty"),
        ("noord.toml", "'.'"),
        ("zuid\n", "control character"),
    ],
)
def test_hostile_team_names_are_refused(lcli: Cli, ledger_dir: Path, slug: str, needle: str) -> None:
    before = snapshot(ledger_dir)
    res = lcli("team", "add", "--name", "Kwaadaardig", "--budget", "100", "--year", "2025", "--", slug)
    assert_refused(res, needle)
    assert snapshot(ledger_dir) == before
    assert sorted(p.name for p in (ledger_dir / "teams").iterdir()) == [
        "noord.toml", "zuid.toml"]


def test_names_differing_only_in_case_are_refused(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "l"
    Ledger.init(root, year=2025)
    # A team file made by hand (or on another system) with capitals.
    (root / "teams" / "West.toml").write_text('name = "West"\n', encoding="utf-8")
    before = snapshot(root)
    res = cli("--ledgers", str(root), "team", "add", "west", "--name", "West", "--budget", "1")
    assert_refused(res, "differs only in case")
    assert snapshot(root) == before


# ------------------------------------------------ personal data refused as a date or amount

#: A BSN (passes the 11-proef) typed where a date or an amount belongs, as typed.
BSN_TYPED = ["111222333", "111 222 333", "111-222-333", "1112.22.333"]


@pytest.mark.parametrize("typed", BSN_TYPED)
@pytest.mark.parametrize("option", ["--requested", "--date", "--due"])
def test_a_bsn_refused_as_a_date_is_not_repeated(lcli: Cli, ledger_dir: Path, typed: str, option: str) -> None:
    before = snapshot(ledger_dir)
    loan = ("--kind", "loan") if option == "--due" else ()
    result = lcli("spend", "noord", "35", "-c", "Wonen", "-d", "3-3-2025", *loan, option, typed)
    assert_refused(result, "BSN")
    assert typed not in result.err and typed.replace(" ", "") not in result.err.replace(" ", ""), result.err
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("typed", ["111 222 333", "bsn 111222333", "06-12345678", "NL91ABNA0417164300"])
def test_personal_data_refused_as_an_amount_is_not_repeated(lcli: Cli, ledger_dir: Path, typed: str) -> None:
    before = snapshot(ledger_dir)
    result = lcli("spend", "noord", typed, "-c", "Wonen", "-d", "3-3-2025")
    assert_refused(result, "amount")
    digits = re.sub(r"[^0-9]", "", typed)
    assert digits[-8:] not in re.sub(r"[^0-9]", "", result.err), result.err
    assert snapshot(ledger_dir) == before


@pytest.mark.parametrize("header", ["requested", "aangevraagd"])
def test_a_bsn_in_the_request_date_column_is_not_repeated(lcli: Cli, ledger_dir: Path, tmp_path: Path,
                                                          header: str) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text(f"date,amount,category,{header}\n3-3-2025,35,Wonen,111222333\n"
                     "4-3-2025,12,Wonen,1-3-2025\n", encoding="utf-8")
    before = snapshot(ledger_dir)
    result = lcli("import", "entries", str(sheet), "--team", "noord")
    assert result.code == 2, result.err
    assert "111222333" not in result.err + result.out, result.err
    assert f"{sheet}:2" in result.err and "request date" in result.err and "BSN" in result.err
    assert snapshot(ledger_dir) == before
