"""Hostile input through the command line: refused in one line, exit 2, nothing written.

Complements the bad calls in ``test_clerk_cli.py`` and the hostile spreadsheets in
``test_import_entries.py`` (none are repeated here): odd amounts, impossible dates, team
names that try to leave the folder, personal data, malformed and mis-encoded CSV, huge
fields, formula text, damaged bank statements. Then Hypothesis: random text as amounts
and dates on the real ``spend`` command, random spreadsheets for ``import entries``,
random damage to journals and to bank statements.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import ROOT, Result, assert_refused, snapshot
from maatwerk_cli import Ledger, check_ledger
from maatwerk_cli.core.errors import InputError
from maatwerk_cli.core.money import parse_amount
from maatwerk_cli.store.journal import read_journal

Cli = Callable[..., Result]
FIXTURES = ROOT / "tests" / "fixtures"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def busy_ledger(ledger_dir: Path) -> Path:
    """The two-team ledger with a few lines, so 'nothing written' covers a real journal."""
    lg = Ledger(ledger_dir)
    lg.spend("noord", Decimal("35"), category="Levensmiddelen", kind="loan", date=dt.date(2025, 3, 1))
    lg.spend("zuid", Decimal("12.50"), category="Wonen", date=dt.date(2025, 3, 2))
    return ledger_dir


def refused_and_untouched(lcli: Cli, folder: Path, args: tuple[str, ...], needle: str = "") -> Result:
    before = snapshot(folder)
    result = lcli(*args)
    assert_refused(result, needle)
    assert snapshot(folder) == before
    return result


# --------------------------------------------------------------------------- the clerk's commands

S = ("spend", "noord")
C = ("-c", "Wonen")
CALLS = [
    # amounts
    ((*S, "1e3", *C), "not an amount"),
    ((*S, "NaN", *C), "not an amount"),
    ((*S, "Infinity", *C), "not an amount"),
    ((*S, "٣٥", *C), "not an amount"),  # Arabic-Indic digits
    ((*S, "35 EUR 10", *C), "not an amount"),
    ((*S, "1.2.3", *C), "ambiguous"),
    ((*S, "12,3,4", *C), "more than one comma"),
    ((*S, "0,001", *C), "more than two decimals"),
    ((*S, "99999999999999999999", *C), "too large"),
    ((*S, "", *C), "empty"),
    ((*S, "   ", *C), "empty"),
    ((*S, "35\x01", *C), "not an amount"),
    ((*S, "=1+1", *C), "not an amount"),
    ((*S, "--35", *C), "not an amount"),
    ((*S, "3 5", *C), "not an amount"),
    ((*S, "0x10", *C), "not an amount"),
    ((*S, "½", *C), "not an amount"),
    ((*S, "35%", *C), "not an amount"),
    # dates
    ((*S, "35", *C, "-d", "32-1-2025"), "does not exist"),
    ((*S, "35", *C, "-d", "29-2-2025"), "does not exist"),
    ((*S, "35", *C, "-d", "2025-13-01"), "does not exist"),
    ((*S, "35", *C, "-d", "0-0-0"), "not a date"),
    ((*S, "35", *C, "-d", "1-1-10000"), "not a date"),
    ((*S, "35", *C, "-d", "morgen"), "not a date"),
    ((*S, "35", *C, "-d", "2025/03/14"), "not a date"),
    ((*S, "35", *C, "-d", "1-1-1899"), "long ago"),
    ((*S, "35", *C, "-d", "١-1-2025"), "not a date"),
    ((*S, "35", *C, "-d", "44927"), "not a date"),  # an Excel serial number
    ((*S, "35", *C, "-d", "99999999-1-1"), "not a date"),
    ((*S, "35", *C, "-d", "1-3-25"), "two-digit year"),
    ((*S, "35", *C, "--kind", "loan", "--due", "1-1-2024", "-d", "1-3-2025"), "before"),
    # team names and ids that try to leave the folder or hide in it
    (("spend", "../noord", "35", *C), "unknown team"),
    (("spend", "noord/../zuid", "35", *C), "unknown team"),
    (("spend", "noord\x00", "35", *C), "unknown team"),
    (("spend", "", "35", *C), "unknown team"),
    (("team", "add", "con", "--name", "x", "--budget", "5"), "reserved"),
    (("team", "add", "a" * 41, "--name", "x", "--budget", "5"), "41 characters"),
    (("team", "add", "oost-", "--name", "x", "--budget", "5"), "hyphen"),
    (("team", "add", "nóord", "--name", "x", "--budget", "5"), "not a plain letter"),
    (("team", "add", "=cmd", "--name", "x", "--budget", "5"), "'='"),
    (("team", "add", "oost.csv", "--name", "x", "--budget", "5"), "'.'"),
    (("team", "add", "oost ", "--name", "x", "--budget", "5"), "space"),
    (("team", "add", "NOORD", "--name", "x", "--budget", "5"), "lowercase"),
    (("team", "add", "oost", "--name", "x" * 200, "--budget", "5"), "characters"),
    (("team", "add", "oost", "--name", "x", "--budget", "1e6"), "not an amount"),
    (("team", "add", "oost", "--name", "x", "--budget", "veel"), "not an amount"),
    (("team", "add", "oost", "--name", "x", "--budget", "5", "--year", "99999"), "out of range"),
    (("team", "budget", "noord", "abc"), "not an amount"),
    (("team", "budget", "noord", "5", "--year", "1"), "out of range"),
    (("repay", "noord-2025-0001\x00", "5"), "not an entry id"),
    (("repay", "noord-2025-0001; rm -rf /", "5"), "not an entry id"),
    (("void", "../../etc/passwd", "--reason", "x"), "not an entry id"),
    (("mark", "noord-99999-0001", "loan"), "not an entry id"),
    (("repay", "oost-2025-0001", "5"), "no team"),
    # personal data and pseudonym codes
    ((*S, "35", *C, "--household", "111222333"), "BSN"),
    ((*S, "35", *C, "--household", "H-7KXM4P; DROP"), "not valid"),
    ((*S, "35", *C, "-n", "mail jan@example.nl"), "e-mail"),
    ((*S, "35", *C, "-n", "IBAN NL91ABNA0417164300"), "IBAN"),
    ((*S, "35", *C, "-n", "bel 0612345678"), "phone"),
    # formula text where a name from a list is expected
    ((*S, "35", "-c", "=SUM(A1)"), "unknown category"),
    ((*S, "35", "-c", "@cmd"), "unknown category"),
    ((*S, "35", "-c", ""), "unknown category"),
    # huge fields
    ((*S, "35", *C, "--by", "x" * 101), "characters"),
    ((*S, "35", *C, "--second-opinion", "x" * 101), "characters"),
    ((*S, "35", *C, "-n", "x" * 100_000), "characters"),
    ((*S, "9" * 5000, *C), "too large"),
    # listing filters are checked before anything is read
    (("entries", "--from", "31-2-2025"), "does not exist"),
    (("entries", "--kind", "cadeau"), "kind"),
    (("entries", "--household", "Jan"), "not valid"),
]


@pytest.mark.parametrize(("args", "needle"), CALLS, ids=[repr(a[1:4])[:40] for a, _ in CALLS])
def test_hostile_arguments(lcli: Cli, busy_ledger: Path, args: tuple[str, ...], needle: str) -> None:
    refused_and_untouched(lcli, busy_ledger, args, needle)


def test_formula_text_is_kept_but_never_runs_in_a_spreadsheet(lcli: Cli, busy_ledger: Path,
                                                               tmp_path: Path) -> None:
    """Formula text in free text is a story like any other; exports neutralise it."""
    note = "=HYPERLINK(\"http://x.example\",\"klik\")"
    assert lcli("spend", "noord", "5", "-c", "Overig", "-n", note, "--by", "+teammanager",
                "-d", "3-3-2025").code == 0
    csv_out = lcli("entries", "-f", "csv").out
    assert "'=HYPERLINK" in csv_out and "'+teammanager" in csv_out
    assert ",=HYPERLINK" not in csv_out
    out = tmp_path / "entries.xlsx"
    assert lcli("entries", "--output", str(out)).code == 0
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws is not None
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert note not in cells and f"'{note}" in cells
    # the journal itself keeps the text exactly as typed
    assert Ledger(busy_ledger).read(["noord"]).entries[-1].note == note


# --------------------------------------------------------------------------- spreadsheets


SHEETS: list[tuple[str, bytes, str]] = [
    ("bytes undefined in Windows-1252", b"datum;bedrag;categorie\n1-2-2025;5;Wonen\x81\x8d\x90\n",
     "not UTF-8 or Windows-1252"),
    ("UTF-16 LE with BOM", "datum;bedrag;categorie\n1-2-2025;5;Wonen\n".encode("utf-16-le").join(
        [b"\xff\xfe", b""]), "UTF-16"),
    ("UTF-32", "datum;bedrag;categorie\n".encode("utf-32"), "UTF-16"),
    ("quote inside a cell", b'date,amount,category\n2025-01-01,5"0,Wonen\n', "not an amount"),
    ("cell of 50,000 characters", b"date,amount,category,note\n2025-01-01,5,Wonen," + b"y" * 50_000 + b"\n",
     "damaged"),
    ("10,000 columns", b"date,amount,category" + b",x" * 10_000 + b"\n", "unknown column"),
    ("header only, BOM twice", b"\xef\xbb\xbf\xef\xbb\xbfdatum;bedrag;categorie\n", "no rows"),
    ("mixed separators", b"datum;bedrag;categorie\n1-2-2025,5,Wonen\n", "empty"),
    ("formula as amount", b"date,amount,category\n2025-01-01,=1+1,Wonen\n", "not an amount"),
    ("formula as date", b"date,amount,category\n=TODAY(),5,Wonen\n", "not a date"),
    ("team that leaves the folder", b"date,amount,category,team\n2025-01-01,5,Wonen,../noord\n",
     "unknown team"),
    ("Excel serial date", b"date,amount,category\n45678,5,Wonen\n", "not a date"),
    ("NUL in a cell", b"date,amount,category\n2025-01-01,5,Won\x00en\n", "binary"),
    ("personal data in a note", b"date,amount,category,note\n2025-01-01,5,Wonen,bel 0612345678\n", "phone"),
    ("BSN as household", b"date,amount,category,household\n2025-01-01,5,Wonen,111222333\n", "BSN"),
    ("negative in parentheses", b"date,amount,category\n2025-01-01,(5),Wonen\n", "not an amount"),
    ("zero amount", b"date,amount,category\n2025-01-01,\"0,00\",Wonen\n", "zero"),
    ("unknown kind", b"date,amount,category,kind\n2025-01-01,5,Wonen,cadeau\n", "kind"),
    ("loan due before the date", b"date,amount,category,kind,due\n2025-03-01,5,Wonen,loan,2025-01-01\n",
     "before"),
    ("conditional without a condition", b"date,amount,category,kind\n2025-03-01,5,Wonen,conditional\n",
     "condition"),
    ("carriage returns only", b"date,amount,category\r2025-13-01,5,Wonen\r", "does not exist"),
]


@pytest.mark.parametrize(("name", "content", "needle"), SHEETS, ids=[n for n, _, _ in SHEETS])
def test_hostile_spreadsheets(lcli: Cli, busy_ledger: Path, tmp_path: Path, name: str, content: bytes,
                              needle: str) -> None:
    f = tmp_path / "invoer.csv"
    f.write_bytes(content)
    before = snapshot(busy_ledger)
    team = [] if b"team" in content else ["--team", "noord"]
    result = lcli("import", "entries", str(f), *team)
    assert result.code == 2, result
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    # Whole-file problems take one line; bad rows one line each, then the verdict.
    assert len(lines) == 1 or lines[-1].endswith("nothing was imported"), result.err
    assert needle.lower() in result.err.lower(), result.err
    assert snapshot(busy_ledger) == before


def test_spreadsheet_paths_that_are_not_spreadsheets(lcli: Cli, busy_ledger: Path, tmp_path: Path) -> None:
    old = tmp_path / "oud.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    refused_and_untouched(lcli, busy_ledger, ("import", "entries", str(old), "--team", "noord"), ".xls")
    refused_and_untouched(lcli, busy_ledger, ("import", "entries", str(tmp_path), "--team", "noord"),
                          "no such file")
    big = tmp_path / "groot.csv"
    with open(big, "wb") as fh:  # sparse: takes no disk space, but is over the size limit
        fh.truncate(201 * 1024 * 1024)
    refused_and_untouched(lcli, busy_ledger, ("import", "entries", str(big), "--team", "noord"), "split")
    sheet = tmp_path / "ok.csv"
    sheet.write_text("date,amount,category\n2025-01-01,5,Wonen\n")
    refused_and_untouched(lcli, busy_ledger, ("import", "entries", str(sheet), "--team", "../zuid"),
                          "unknown team")


# --------------------------------------------------------------------------- bank statements


def _bank_files() -> list[tuple[str, bytes, str]]:
    camt = (FIXTURES / "bank" / "camt053_v08.xml").read_bytes()
    ing = (FIXTURES / "bank" / "ing_2025.csv").read_bytes()
    mt = (FIXTURES / "bank" / "mt940_rabobank.sta").read_bytes()
    first = ing.splitlines()[1]
    return [
        ("empty", b"", "empty"),
        ("binary", bytes(range(256)) * 4, "NUL"),
        ("UTF-16", ing.decode("utf-8-sig").encode("utf-16"), "UTF-16"),
        ("half an XML file", camt[: len(camt) // 2], "XML"),
        ("external entity", b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                            b"<Document>&x;</Document>", ""),
        ("entity expansion", b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                             b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                             b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]>'
                             b"<Document>&c;</Document>", ""),
        ("balances that do not add up", camt.replace(b'<Amt Ccy="EUR">', b'<Amt Ccy="EUR">1', 1), "balance"),
        ("damaged MT940 balance", mt.replace(b":62F:", b":62F:X", 1), "MT940"),
        ("unknown columns", b"a,b,c\n1,2,3\n", "not a bank statement"),
        ("letters in an amount", ing.replace(b'"12,50"', b'"12,abc50"', 1), "amount"),
        ("a field of 2 MB", ing.splitlines()[0] + b"\n" + b"x" * 2_000_000 + b"\n", "CSV"),
        ("formula in the date", ing.replace(first, b'=cmd|"/C calc"!A0' + first, 1), "date"),
    ]


BANK = _bank_files()


@pytest.mark.parametrize(("name", "content", "needle"), BANK, ids=[n for n, _, _ in BANK])
def test_hostile_bank_statements(lcli: Cli, busy_ledger: Path, tmp_path: Path, name: str, content: bytes,
                                 needle: str) -> None:
    f = tmp_path / ("afschrift.xml" if content.lstrip().startswith(b"<") else "afschrift.csv")
    f.write_bytes(content)
    refused_and_untouched(lcli, busy_ledger, ("import", "bank", str(f), "--team", "noord"), needle)


# --------------------------------------------------------------------------- Hypothesis


def _journal_lines(folder: Path, team: str) -> list[str]:
    path = folder / "teams" / f"{team}.csv"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


@FUZZ
@given(amount=st.one_of(
    st.text(max_size=20),
    st.from_regex(r"\A[-+€ ]{0,2}[0-9]{0,7}([.,][0-9]{0,4}){0,3}[-€ ]{0,2}\Z"),
))
def test_fuzzed_amounts_on_the_real_spend_command(lcli: Cli, busy_ledger: Path, amount: str) -> None:
    """Any text: either recorded exactly as parse_amount reads it, or refused with nothing written."""
    assume("\x00" not in amount)
    before = snapshot(busy_ledger)
    lines = _journal_lines(busy_ledger, "noord")
    # --reason: a large amount is a rule of thumb (plausibility), not what is fuzzed here.
    result = lcli("spend", "noord", amount, "-c", "Overig", "-d", "1-4-2025", "--reason", "fuzz")
    if result.code == 0:
        value = parse_amount(amount)
        added = _journal_lines(busy_ledger, "noord")[len(lines):]
        assert len(added) == 1 and f",{value:.2f},Overig," in added[0]
        assert check_ledger(Ledger(busy_ledger)) == []
    else:
        assert_refused(result)
        assert snapshot(busy_ledger) == before
        with pytest.raises(InputError):
            parse_amount(amount)


@FUZZ
@given(date=st.one_of(
    st.text(max_size=14),
    st.from_regex(r"\A[0-9]{1,4}[-./ ][0-9]{1,2}[-./ ][0-9]{1,4}\Z"),
))
def test_fuzzed_dates_on_the_real_spend_command(lcli: Cli, busy_ledger: Path, date: str) -> None:
    assume("\x00" not in date and date.strip())
    before = snapshot(busy_ledger)
    result = lcli("spend", "zuid", "5", "-c", "Overig", "-d", date)
    if result.code == 0:
        entry = Ledger(busy_ledger).read(["zuid"]).entries[-1]
        assert dt.date(1900, 1, 1) < entry.date <= dt.date.today()
    else:
        assert_refused(result)
        assert snapshot(busy_ledger) == before


CELL = {
    "datum": st.sampled_from(["1-2-2025", "2025-02-01", "31-2-2025", "", "1-1-2999", "gisteren", "x"]),
    "bedrag": st.sampled_from(["5", "12,50", "1.234,56", "0", "-5", "1,234.56", "", "€ 35", "abc"]),
    "categorie": st.sampled_from(["Wonen", "wonen", "Financien", "Vakantie", "", "=1+1"]),
    "soort": st.sampled_from(["", "gift", "lening", "present"]),
    "team": st.sampled_from(["noord", "zuid", "NOORD", "oost", ""]),
    "notitie": st.sampled_from(["", "borg, kamer", 'a "b"', "bel 0612345678", "x" * 6000]),
}


@FUZZ
@given(rows=st.lists(st.fixed_dictionaries(CELL), min_size=1, max_size=6), sep=st.sampled_from([";", ","]))
def test_fuzzed_spreadsheets_are_all_or_none(lcli: Cli, busy_ledger: Path, tmp_path: Path,
                                             rows: list[dict[str, str]], sep: str) -> None:
    """The dry run and the real import agree; a refusal writes nothing; a success writes every row."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\n")
    writer.writerow(list(CELL))
    writer.writerows([r[k] for k in CELL] for r in rows)
    f = tmp_path / "fuzz.csv"
    f.write_text(buf.getvalue(), encoding="utf-8")
    before = snapshot(busy_ledger)
    count = len(Ledger(busy_ledger).read().entries)  # examples share the folder
    dry = lcli("import", "entries", str(f), "--dry-run")
    assert snapshot(busy_ledger) == before
    real = lcli("import", "entries", str(f))
    assert real.code == dry.code and "Traceback" not in real.err
    if real.code == 2:
        assert snapshot(busy_ledger) == before
        assert real.err == dry.err
    else:
        assert real.code == 0, real.err
        wanted = sum(1 for r in rows if any(r.values()))
        assert f"would import {wanted} entries" in dry.out and f"imported {wanted} entries" in real.out
        snap = Ledger(busy_ledger).read()
        assert len(snap.entries) == count + wanted and snap.problems == ()
        assert check_ledger(Ledger(busy_ledger)) == []


@FUZZ
@given(edits=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["flip", "cut", "insert", "swap"]),
                                 st.binary(min_size=1, max_size=3)), min_size=1, max_size=4))
def test_damaged_journals_are_never_misread(busy_ledger: Path, edits: list[tuple[float, str, bytes]]) -> None:
    """Random damage anywhere in a journal: every row read back is one that was written."""
    lg = Ledger(busy_ledger)
    path = lg.folder.journal_path("noord")
    if len(read_journal(path, "noord").rows) < 4:
        for i in range(4):
            lg.spend("noord", Decimal(i + 1), category="Overig", note=f"regel {i}, \"x\"",
                     date=dt.date(2025, 4, 1 + i))
    whole = path.read_bytes()
    original = {(r.id, r.type, r.amount, r.note, r.date) for r in read_journal(path, "noord").rows}
    data = bytearray(whole)
    for where, how, payload in edits:
        at = min(int(where * len(data)), len(data) - 1)
        if how == "flip":
            data[at] ^= payload[0] or 1
        elif how == "cut":
            del data[at: at + len(payload)]
        elif how == "insert":
            data[at:at] = payload
        else:
            data[at:at + len(payload)] = bytes(reversed(data[at:at + len(payload)]))
    path.write_bytes(bytes(data))
    try:
        got = read_journal(path, "noord")
        for row in got.rows:
            assert (row.id, row.type, row.amount, row.note, row.date) in original, row
        if bytes(data) != whole:
            assert got.problems or len(got.rows) < len(original) or sorted(bytes(data)) == sorted(whole)
        # `check` sees what the readers see
        checked = check_ledger(lg)
        for p in got.problems:
            assert any(c.line == p.line and c.file.endswith("noord.csv") for c in checked)
    finally:
        path.write_bytes(whole)


@FUZZ
@given(cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=5),
       fixture=st.sampled_from(["ing_2025.csv", "camt053_v08.xml", "mt940_rabobank.sta", "knab.csv",
                                "rabobank_cp1252.csv", "abnamro.tab", "asn.csv"]))
def test_fuzzed_bank_statements(lcli: Cli, busy_ledger: Path, tmp_path: Path,
                                cuts: list[tuple[float, int]], fixture: str) -> None:
    """A damaged statement is imported (what can be read, with balances checked) or refused whole."""
    data = bytearray((FIXTURES / "bank" / fixture).read_bytes())
    for where, value in cuts:
        data[min(int(where * len(data)), len(data) - 1)] = value
    f = tmp_path / fixture
    f.write_bytes(bytes(data))
    before = snapshot(busy_ledger)
    result = lcli("import", "bank", str(f), "--team", "noord", "--json")
    assert "Traceback" not in result.err
    if result.code == 0:
        json.loads(result.out)
    else:
        assert_refused(result)
        assert snapshot(busy_ledger) == before


def test_random_journal_garbage_is_reported_line_by_line(busy_ledger: Path) -> None:
    """A journal overwritten with junk after its header: nothing read, every line reported."""
    rng = random.Random(5)
    path = busy_ledger / "teams" / "zuid.csv"
    header = path.read_bytes().split(b"\n", 1)[0] + b"\n"
    junk = b"\n".join(bytes(rng.randrange(1, 256) for _ in range(rng.randrange(1, 80))).replace(b"\n", b" ")
                      for _ in range(50)) + b"\n"
    path.write_bytes(header + junk)
    got = read_journal(path, "zuid")
    assert got.rows == ()
    assert len(got.problems) == junk.count(b"\n")
