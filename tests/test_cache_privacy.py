"""No copy of residents' data outside the ledger folder (issue 27, item 2).

A ledger is written through the command line with distinctive (fictional) household codes,
notes, reasons, conditions, tegenprestaties, names in ``by``, bank counterparties and
descriptions; then every kind of command is run, each cold (an empty cache) and warm (from
the cache). After every command every byte of every file in the cache folder, the user's
own cache, config, data and state folders and the temporary folder is searched for each of
those texts. The cache is in the user's cache folder here (platformdirs, as on a PC), not
in a folder named by ``MAATWERK_CACHE_DIR``, so the place a PC really uses is searched.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import SIMULATED_WINDOWS, Result, posix_only
from maatwerk_cli.render import pdf
from maatwerk_cli.store import cache as cache_module

Cli = Callable[..., Result]

HOUSEHOLDS = ("H-ZQ97", "H-WVXJ38", "H-KQPT52", "H-BRMD64")
#: Every text written into the ledger that is the residents' or the workers': none may be
#: found outside the ledger folder (and the files the commands were told to write).
SECRETS = (
    *HOUSEHOLDS,
    "Zeppelinvijver huurschuld",  # a note with a comma: a quoted line in the journal
    "Okapiveld",  # a plain note
    "Kwartelcursus",  # a condition
    "Pimpernelhuisje",  # a tegenprestatie
    "Stokstaartje",  # a reason for overriding a rule of thumb
    "Narwalboeking",  # a void's reason
    "Gordeldier",  # a refusal's reason
    "Quaggastein",  # a name in by
    "Mandrilhof",  # a second opinion
    "Axolotlloket",  # a knipkaart reason
    "Lepelaarplein",  # a cash withdrawal's note
    "Wombatgat",  # a settlement's reason
    "Pelikaanhulp",  # the pot that paid back
    "Capibaraschuld",  # a note imported from a spreadsheet
    "Quetzalbakkerij",  # a bank counterparty
    "Tapirlaanhuur",  # a bank description
    "Kolibriepas",  # a bank line explained
)

#: A card account statement in ING's CSV layout, newest first, balances that add up.
STATEMENT_ROWS = (
    ("Datum", "Naam / Omschrijving", "Rekening", "Tegenrekening", "Code", "Af Bij", "Bedrag (EUR)",
     "Mutatiesoort", "Mededelingen", "Saldo na mutatie", "Tag"),
    ("20250320", "Kapsalon Dromedaris", "NL00TEST0246813579", "", "BA", "Af", "7,50", "Betaalautomaat",
     "Kolibriepas Transactie: 9Z1X22 Term: KD0001", "926,50", ""),
    ("20250318", "Drogisterij Flamingo", "NL00TEST0246813579", "", "BA", "Af", "18,95", "Betaalautomaat",
     "Pasvolgnr: 003 18-03-2025 Tapirlaanhuur Transactie: 2D5N64", "934,00", ""),
    ("20250310", "Quetzalbakkerij Centrum", "NL00TEST0246813579", "", "BA", "Af", "47,05", "Betaalautomaat",
     "Pasvolgnr: 003 10-03-2025 10:02 Transactie: 1C4M55 Term: BP0007", "952,95", ""),
    ("20250303", "Gemeente Voorbeeldstad", "NL00TEST0246813579", "NL00TEST0987654321", "OV", "Bij", "1000,00",
     "Overschrijving", "Naam: Gemeente Voorbeeldstad Omschrijving: Maatwerkbudget maart", "1000,00", ""),
)
STATEMENT = "".join(";".join(f'"{cell}"' for cell in row) + "\n" for row in STATEMENT_ROWS)

SHEET = """\
date,amount,category,method,kind,household,note,tegenprestatie
2025-03-21,14.00,Levensmiddelen,pin,gift,H-BRMD64,"Capibaraschuld, deel twee",
2025-03-22,16.00,Vervoer,pin,gift,,Capibaraschuld reis,
"""


@pytest.fixture
def outside(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The places outside the ledger folder a PC gives a program of its own: a home, the
    XDG folders (where platformdirs puts the user's cache on Linux) and the temp folder.
    A short path in the real temp folder: Chromium's sockets there must fit in 108 bytes."""
    root = Path(tempfile.mkdtemp(prefix="mw-"))
    for name in ("home", "xdg-cache", "xdg-config", "xdg-data", "xdg-state", "tmp"):
        (root / name).mkdir(parents=True)
    monkeypatch.delenv("MAATWERK_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(root / "home"))
    for name in ("cache", "config", "data", "state"):
        monkeypatch.setenv(f"XDG_{name.upper()}_HOME", str(root / f"xdg-{name}"))
    for name in ("LOCALAPPDATA", "APPDATA", "USERPROFILE"):  # where Windows keeps them
        monkeypatch.setenv(name, str(root / "home"))
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, str(root / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", str(root / "tmp"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def files_under(root: Path) -> Iterator[Path]:
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path


def leaks(root: Path) -> list[tuple[str, str]]:
    """(file, text) for every secret found in the raw bytes of a file under ``root``."""
    found = []
    for path in files_under(root):
        data = path.read_bytes()
        for text in SECRETS:
            if text.encode("utf-8") in data or text.lower().encode("utf-8") in data.lower():
                found.append((str(path.relative_to(root)), text))
    return found


def ok(result: Result) -> Result:
    assert result.code == 0, (result.code, result.out, result.err)
    return result


def write_ledger(lcli: Cli, tmp_path: Path) -> None:
    """Every kind of line, each with its text, written through the command line."""
    ok(lcli("team", "add", "west", "--name", "Wijkteam West", "--budget", "8.000", "--year", "2025"))
    spends = [
        ("noord", "35", "-c", "Levensmiddelen", "-d", "5-3-2025", "--household", "H-ZQ97",
         "-n", "Zeppelinvijver huurschuld, met spoed", "--by", "Jorinde Quaggastein",
         "--requested", "3-3-2025"),
        ("noord", "120", "-c", "Vervoer", "-d", "6-3-2025", "--household", "H-WVXJ38",
         "-n", "Okapiveld fiets", "--kind", "loan", "--due", "30-4-2025"),
        ("noord", "450", "-c", "Overig", "-m", "factuur", "-d", "7-3-2025", "--household", "H-KQPT52",
         "--kind", "conditional", "--condition", "Kwartelcursus afmaken",
         "--tegenprestatie", "Pimpernelhuisje timmeren", "--second-opinion", "Mandrilhof"),
        ("noord", "47,05", "-c", "Levensmiddelen", "-d", "10-3-2025", "--household", "H-ZQ97"),
        ("zuid", "60", "-c", "Wonen", "-m", "contant", "-d", "12-3-2025", "--household", "H-BRMD64",
         "-n", "Okapiveld \"huur\", kamer"),
        ("zuid", "25", "-c", "Wonen", "-d", "13-3-2025"),
    ]
    ok(lcli("cash", "withdraw", "zuid", "70", "-d", "11-3-2025", "-n", "Lepelaarplein automaat",
            "--by", "Jorinde Quaggastein"))
    for args in spends:
        ok(lcli("spend", *args))
    ok(lcli("cash", "settle", "zuid", "--write-off", "-d", "14-3-2025", "--reason", "Wombatgat muntjes"))
    ok(lcli("mark", "noord-2025-0001", "tegenprestatie", "Pimpernelhuisje verven, samen", "--status", "done"))
    ok(lcli("mark", "noord-2025-0001", "outcome", "reached", "--avoided-cost", "300"))
    ok(lcli("mark", "noord-2025-0003", "recovered", "--from", "Pelikaanhulp fonds", "--amount", "100"))
    ok(lcli("repay", "noord-2025-0002", "20", "-d", "20-3-2025", "--by", "Jorinde Quaggastein"))
    ok(lcli("void", "zuid-2025-0002", "--reason", "Dubbele Narwalboeking, sorry"))
    ok(lcli("refuse", "noord", "--reason", "Gordeldier: tweede aanvraag", "--household", "H-WVXJ38",
            "--amount", "80", "-c", "Wonen", "-d", "15-3-2025", "--by", "Jorinde Quaggastein"))
    ok(lcli("knipkaart", "use", "noord", "--reason", "Regel van het Axolotlloket gebogen", "-d", "16-3-2025"))
    # A spend far above the team's largest: a rule of thumb, overridden with a reason.
    big = lcli("spend", "west", "2.500", "-c", "Wonen", "-d", "17-3-2025", "--household", "H-BRMD64",
               "-n", "Okapiveld borg")
    if big.code != 0:
        ok(lcli("spend", "west", "2.500", "-c", "Wonen", "-d", "17-3-2025", "--household", "H-BRMD64",
                "-n", "Okapiveld borg", "--reason", "Stokstaartje: borg voor de kamer"))
    else:
        ok(lcli("spend", "west", "2.400", "-c", "Wonen", "-d", "18-3-2025", "--household", "H-BRMD64",
                "-n", "Okapiveld borg", "--reason", "Stokstaartje: borg voor de kamer"))
    sheet = tmp_path / "in" / "maart.csv"
    sheet.parent.mkdir(exist_ok=True)
    sheet.write_text(SHEET, encoding="utf-8")
    ok(lcli("import", "entries", str(sheet), "--team", "west"))
    statement = tmp_path / "in" / "ing_noord.csv"
    statement.write_text(STATEMENT, encoding="utf-8")
    ok(lcli("import", "bank", str(statement), "--team", "noord"))
    lines = json.loads(ok(lcli("bank", "lines", "noord", "--open", "-f", "json")).out)
    refs = {f"{line['amount']:.2f}": line["ref"] for line in lines}
    ok(lcli("bank", "explain", "noord", refs["7.50"], "--reason", "Kolibriepas bankkosten"))
    ok(lcli("spend", "noord", "18,95", "-c", "Gezondheid", "--bank-line", refs["18.95"],
            "--household", "H-KQPT52", "-n", "Okapiveld zalf"))


FORMATS = ("table", "vertical", "markdown", "csv", "csv-nl", "json")


def reads(out: Path) -> list[tuple[str, ...]]:
    """Every command that reads the ledger, in each of its output formats and files."""
    runs: list[tuple[str, ...]] = []
    for command in ("utilisation", "compare", "categories", "outcomes", "leadtime"):
        runs.extend((command, "--year", "2025", "--as-of", "31-3-2025", "-f", f) for f in FORMATS)
    runs.extend(("loans", "--as-of", "31-5-2025", "-f", f) for f in FORMATS)
    runs += [("utilisation", "--month", "2025-03", "--chart"), ("compare", "--year", "2025", "--transpose"),
             ("categories", "--list"), ("loans", "--overdue", "--as-of", "31-5-2025")]
    runs.extend(("entries", "noord", "-f", f) for f in FORMATS)
    runs.extend(("show", "noord-2025-0001", "-f", f) for f in FORMATS)
    runs += [
        ("entries",), ("entries", "--household", "H-ZQ97"), ("show", "noord-2025-0003"),
        ("show", "noord-2025-0002"), ("show", "zuid-2025-0002"),
        ("entries", "-o", str(out / "entries.xlsx")), ("entries", "--redact", "-f", "json"),
        ("stories", "--year", "2025"), ("stories", "--year", "2025", "-o", str(out / "stories.md")),
        ("check",), ("check", "-f", "json"), ("reconcile", "noord"), ("reconcile", "noord", "-f", "json"),
        ("rules",), ("rules", "-f", "json"), ("cash", "status"), ("knipkaart", "status"),
        ("bank", "lines", "noord"), ("bank", "lines", "noord", "-f", "json"),
        ("team", "list"), ("team", "show", "noord"),
        ("pack", "--month", "2025-03", "-o", str(out / "pack.xlsx")),
        ("report", "--month", "2025-03", "-o", str(out / "report.html")),
        ("export", "hledger", "-o", str(out / "x.hledger")),
        ("export", "ledger", "-o", str(out / "x.ledger")),
        ("export", "beancount", "-o", str(out / "x.beancount")),
    ]
    return runs


def test_no_text_of_the_ledger_outside_it(lcli: Cli, cli: Cli, ledger_dir: Path, tmp_path: Path,
                                          outside: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    cache = cache_module.cache_dir()  # the user's cache folder, as platformdirs finds it
    assert outside in cache.parents, cache

    def clean_after(what: tuple[str, ...]) -> None:
        found = leaks(outside)
        assert not found, f"after {' '.join(what)}: {found}"

    write_ledger(lcli, tmp_path)
    clean_after(("writing",))
    # The journals do hold the texts: the search finds them where they belong.
    journals = b"".join(p.read_bytes() for p in (ledger_dir / "teams").glob("*.csv"))
    banks = b"".join(p.read_bytes() for p in ledger_dir.rglob("*") if p.is_file() and "bank" in p.name)
    for text in SECRETS:
        assert text.encode() in journals + banks, text

    runs = reads(out)
    try:
        engine = pdf.engine()
    except Exception:  # noqa: BLE001 - neither WeasyPrint nor Chromium: no PDF here
        engine = ""
    if engine and not SIMULATED_WINDOWS:  # the simulation's os cannot start a Linux Chromium as root
        runs.append(("report", "--month", "2025-03", "-o", str(out / "report.pdf")))
    for args in runs:
        _empty(cache)  # cold: every journal read and folded, and its fold kept
        cold = ok(lcli(*args))
        clean_after(("cold", *args))
        warm = ok(lcli(*args))  # from the cache; the texts read from the journals
        clean_after(("warm", *args))
        if "-o" not in args and "--redact" not in args:  # pseudonyms differ by design
            assert warm.out == cold.out, args
    assert list(cache.rglob("*.book")), "the cache was not used: nothing was searched"
    # Writes on a warm cache: the notes the clerk's path keeps stay free of text too.
    ok(lcli("entries"))
    ok(lcli("spend", "noord", "9", "-c", "Levensmiddelen", "-d", "25-3-2025", "--household", "H-ZQ97",
            "-n", "Zeppelinvijver huurschuld, weer"))
    ok(lcli("repay", "noord-2025-0002", "5", "-d", "26-3-2025"))
    ok(lcli("void", "noord-2025-0004", "--reason", "Narwalboeking twee"))
    ok(lcli("mark", "noord-2025-0002", "tegenprestatie", "Pimpernelhuisje twee"))
    ok(lcli("entries", "-f", "json"))
    clean_after(("writes",))
    assert list(cache.rglob("*.json")), "no note was kept: nothing was searched"


def _empty(folder: Path) -> None:
    for path in files_under(folder):
        path.unlink()


def test_a_hand_edited_journal_reads_the_same_texts_from_the_cache(lcli: Cli, ledger_dir: Path,
                                                                   own_cache_dir: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The quoted lines' cells are found again by line number: with a byte order mark, CRLF
    line ends, an empty line and a damaged one before them, and a line appended since."""
    for n, note in enumerate(("Zeppelinvijver, een", 'Okapiveld "twee", drie', "gewoon vier", "vijf, \u00e9\u00e9n")):
        ok(lcli("spend", "noord", str(10 + n), "-c", "Wonen", "-d", f"{n + 1}-3-2025", "-n", note,
                "--household", HOUSEHOLDS[n], *(("--requested", f"{n + 1}-3-2025") if n % 2 else ())))
    path = ledger_dir / "teams" / "noord.csv"
    lines = path.read_bytes().split(b"\n")
    lines[2:2] = [b"", b"noord-2025-0099,spend,kapot"]
    path.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(lines))
    monkeypatch.setenv("MAATWERK_NO_CACHE", "1")
    truth = [ok(lcli("entries", "noord", "-f", "json")).out, ok(lcli("show", "noord-2025-0002", "-f", "json")).out,
             lcli("check", "-f", "json").out]
    assert '"line": 4' in truth[2] and "Okapiveld" in truth[0]
    monkeypatch.delenv("MAATWERK_NO_CACHE")
    for _ in ("cold", "warm"):
        got = [ok(lcli("entries", "noord", "-f", "json")).out,
               ok(lcli("show", "noord-2025-0002", "-f", "json")).out]
        checked = lcli("check", "-f", "json")
        assert checked.code == 1 and [*got, checked.out] == truth
    assert not leaks(own_cache_dir) and list(own_cache_dir.glob("*.book"))


def test_the_texts_of_a_cached_book_after_the_journal_grew(ledger_dir: Path) -> None:
    from decimal import Decimal

    from maatwerk_cli import Ledger

    lg = Ledger(ledger_dir)
    lg.spend("noord", Decimal("2"), category="Wonen", note="Zeppelinvijver, twee", household="H-ZQ97",
             date=dt.date(2025, 3, 1))
    lg.folder.books()
    cached = Ledger(ledger_dir).folder.books()["noord"]  # from the cache: no text in it
    lg.spend("noord", Decimal("3"), category="Wonen", note="Okapiveld, drie", date=dt.date(2025, 3, 2))
    assert [(e.note, e.household) for e in cached.book.entries()] == [("Zeppelinvijver, twee", "H-ZQ97")]


def test_cache_files_of_another_format_are_removed(lcli: Cli, own_cache_dir: Path) -> None:
    """An older version's cache files may hold texts: they go at the next read, unread."""
    own_cache_dir.mkdir(parents=True)
    old = own_cache_dir / "0123456789abcdef0123456789abcdef.book"
    old.write_bytes(b"maatwerk-book-cache\n... H-ZQ97 Zeppelinvijver huurschuld ...")
    other = own_cache_dir / "0123456789abcdef0123456789abcdef.4.book"
    other.write_bytes(old.read_bytes())
    ok(lcli("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025", "-n", "Okapiveld"))
    ok(lcli("utilisation", "--year", "2025"))
    assert not old.exists() and not other.exists()
    assert [p.name.split(".", 1)[1] for p in own_cache_dir.glob("*.book")] == [f"{cache_module.FORMAT}.book"]
    assert not leaks(own_cache_dir)


#: A stand-in for Chromium (a real program, run as Chromium is): it notes where the page it is
#: given lies and what it holds, and prints a PDF of one line.
FAKE_CHROMIUM = """#!{python}
import sys, urllib.parse, urllib.request
from pathlib import Path
page = Path(urllib.request.url2pathname(urllib.parse.urlparse(sys.argv[-1]).path))
out = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--print-to-pdf="))
Path({log!r}).write_text(str(page) + "\\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
Path(out).write_bytes(b"%PDF-1.4 stand-in\\n")
"""


@posix_only("the stand-in for Chromium is a script with a #! line")
def test_the_pdfs_page_is_made_beside_it_not_in_the_temp_folder(lcli: Cli, tmp_path: Path, outside: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    ok(lcli("spend", "noord", "900", "-c", "Wonen", "-d", "5-3-2025", "--household", "H-ZQ97",
            "-n", "Zeppelinvijver huurschuld, met spoed"))
    log = tmp_path / "seen.txt"
    exe = tmp_path / "chromium"
    exe.write_text(FAKE_CHROMIUM.format(python=sys.executable, log=str(log)), encoding="utf-8")
    exe.chmod(0o755)
    monkeypatch.setenv("MAATWERK_CHROMIUM", str(exe))
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)  # a relative --output, as people type it
    ok(lcli("report", "--month", "2025-03", "-o", "maart.pdf"))
    where, _, page = log.read_text(encoding="utf-8").partition("\n")
    assert "Zeppelinvijver" in page  # the story is on the page Chromium printed
    assert Path(where).parent == out and Path(where).name.startswith(".maart.pdf")
    assert sorted(p.name for p in out.iterdir()) == ["maart.pdf"]  # the page is gone again
    assert not leaks(outside)
