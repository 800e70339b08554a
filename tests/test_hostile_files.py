"""Hostile files in the ledger folder (issue 16): settings that break lines, damaged journal
headers, symbolic links, team files placed by hand, two folders of one name, ambiguous
spreadsheets. Every case through the command line: exit code, one line on stderr, no
traceback, and the ledger tree byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger, check_ledger

Cli = Callable[..., Result]

SPEND = ("spend", "noord", "5", "-c", "Wonen", "-d", "2-3-2025")

#: A command of every group that reads a ledger (and so its settings and team files).
READERS: list[tuple[str, ...]] = [
    ("entries",),
    ("utilisation", "--year", "2025"),
    ("compare", "--year", "2025"),
    ("categories", "--year", "2025"),
    ("loans",),
    ("outcomes", "--year", "2025"),
    ("stories",),
    ("rules",),
    ("team", "list", "--year", "2025"),
    ("team", "show", "noord"),
    ("cash", "status"),
    ("knipkaart", "status", "--year", "2025"),
    ("reconcile", "noord"),
]
#: A command of every group that writes.
WRITERS: list[tuple[str, ...]] = [
    SPEND,
    ("spend", "zuid", "5", "-c", "Wonen", "-d", "2-3-2025"),
    ("refuse", "noord", "-c", "Wonen", "--reason", "past niet", "-d", "2-3-2025"),
    ("void", "noord-2025-0001", "--reason", "dubbel"),
    ("mark", "noord-2025-0001", "gift"),
    ("repay", "noord-2025-0001", "5", "-d", "3-3-2025"),
    ("team", "budget", "noord", "5", "--year", "2026"),
    ("team", "add", "oost", "--name", "Oost", "--budget", "5", "--year", "2025"),
    ("knipkaart", "use", "noord", "--reason", "regel bijzondere bijstand", "-d", "2-3-2025"),
    ("cash", "withdraw", "noord", "50", "-d", "2-3-2025"),
]


def one_line(result: Result, code: int = 2, *needles: str) -> str:
    """The command ended with ``code`` and exactly one line on stderr, no traceback."""
    assert result.code == code, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    for needle in needles:
        assert needle.lower() in result.err.lower(), result.err
    return lines[0]


def refused_everywhere(lcli: Cli, root: Path, commands: Sequence[tuple[str, ...]], *needles: str) -> None:
    """Each command: exit 2, one line naming ``needles``, nothing written."""
    before = snapshot(root)
    for args in commands:
        assert_refused(lcli(*args), *needles)
        assert snapshot(root) == before, args


@pytest.fixture
def busy(ledger_dir: Path) -> Path:
    """The two-team ledger with a loan in noord and a spend in zuid."""
    lg = Ledger(ledger_dir)
    lg.spend("noord", Decimal("35"), category="Levensmiddelen", kind="loan", date=dt.date(2025, 3, 1))
    lg.spend("zuid", Decimal("12.50"), category="Wonen", date=dt.date(2025, 3, 2))
    return ledger_dir


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def toml_str(text: str) -> str:
    """``text`` as a TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text)


# --------------------------------------------------------------------------- 16.2 settings


BAD_TEXTS = [
    ("Water en\nenergie", "U+000A"),
    ("Water en\renergie", "U+000D"),
    ("Water\ten energie", "U+0009"),
    ("Water\fen energie", "U+000C"),
    ("Water\u0000", "U+0000"),
    ("Water\u0085", "U+0085"),
    ("\u202eeigrene ne retaW", "U+202E"),
    ("Water \u2066en\u2069 energie", "U+2066"),
    ("Water\u2028energie", "U+2028"),
]


@pytest.mark.parametrize(("text", "code"), BAD_TEXTS, ids=[c for _, c in BAD_TEXTS])
def test_a_category_that_would_break_a_line_is_refused_by_every_command(
        lcli: Cli, busy: Path, text: str, code: str) -> None:
    """Why: a category with a newline split the spend's line (the entry lost, its id given
    again); one with a carriage return made every spend reuse one id."""
    settings = busy / "maatwerk.toml"
    edit(settings, '"Wonen",', f'"Wonen", {toml_str(text)},')
    before = snapshot(busy)
    for args in [SPEND, ("spend", "noord", "5", "-c", text[:5], "-d", "2-3-2025"), *READERS, *WRITERS]:
        line = one_line(lcli(*args), 2, "maatwerk.toml", "categories[2]", code, "remove it")
        assert snapshot(busy) == before, args
        assert line.startswith("maatwerk: ")
    checked = lcli("check")
    assert checked.code == 1 and "Traceback" not in checked.err
    assert checked.out.strip().splitlines() == [checked.out.strip()]
    assert "maatwerk.toml" in checked.out and "categories[2]" in checked.out
    assert snapshot(busy) == before


def test_once_the_settings_are_repaired_every_spend_keeps_its_own_id(lcli: Cli, busy: Path) -> None:
    settings = busy / "maatwerk.toml"
    good = settings.read_bytes()
    edit(settings, '"Wonen",', '"Wonen", "Water en\\renergie",')
    for _ in range(3):
        assert_refused(lcli("spend", "noord", "5", "-c", "Water", "-d", "2-3-2025"), "U+000D")
    settings.write_bytes(good)
    ids = [lcli("spend", "noord", amount, "-c", "Wonen", "-d", "2-3-2025").out.strip() for amount in ("5", "6", "7")]
    assert ids == ["noord-2025-0002", "noord-2025-0003", "noord-2025-0004"]
    entries = json.loads(lcli("entries", "--format", "json").out)
    assert [e["id"] for e in entries if e["team"] == "noord"] == ["noord-2025-0001", *ids]
    assert check_ledger(Ledger(busy)) == []


@pytest.mark.parametrize("text", ["Test\nstad", "=HYPERLINK(\"x\")\r", "Test\u202estad", "Test\fstad"])
def test_a_municipality_that_would_break_an_export_is_refused(cli: Cli, busy: Path, tmp_path: Path,
                                                              text: str) -> None:
    edit(busy / "maatwerk.toml", 'municipality = "Teststad"', f"municipality = {toml_str(text)}")
    before = snapshot(busy)
    out = tmp_path / "summary.xlsx"
    for args in [("summary", str(busy), "--year", "2025", "--transpose", "-o", str(out)),
                 ("summary", str(busy), "--year", "2025", "-f", "csv"),
                 ("--ledgers", str(busy), "utilisation", "--year", "2025")]:
        one_line(cli(*args), 2, "maatwerk.toml", "municipality")
        assert snapshot(busy) == before
    assert not out.exists()


@pytest.mark.parametrize("output", ["x.xlsx", "x.csv", "x.md", "x.json"])
def test_a_form_feed_in_a_team_name_is_refused_before_any_export(cli: Cli, lcli: Cli, busy: Path,
                                                                 tmp_path: Path, output: str) -> None:
    """Why: a form feed in a team name made ``-o x.xlsx`` end in a traceback."""
    edit(busy / "teams" / "noord.toml", 'name = "Wijkteam Noord"', 'name = "Wijkteam\\fNoord"')
    target = tmp_path / output
    refused_everywhere(lcli, busy, [
        ("utilisation", "--year", "2025", "-o", str(target)),
        ("compare", "--year", "2025", "-o", str(target)),
        ("entries", "-o", str(target)),
        ("team", "list", "--year", "2025"),
    ], "teams/noord.toml", "name", "U+000C")
    one_line(cli("summary", str(busy), "--by", "team", "--year", "2025", "-o", str(target)), 2,
             "teams/noord.toml", "U+000C")
    assert not target.exists()


YEARS = ['"²"', '"２０２５"', '"٢٠٢٥"', '"20x5"', '"99999"', '" 2025"', '"2025 "', '"+2025"']


@pytest.mark.parametrize("key", YEARS)
def test_a_budget_year_that_is_not_four_ascii_digits(cli: Cli, lcli: Cli, busy: Path, key: str) -> None:
    """Why: a budget year key "²" in a team file was a traceback in every command, check too."""
    edit(busy / "teams" / "noord.toml", "2025 = 10000", f"2025 = 10000\n{key} = 5")
    before = snapshot(busy)
    for args in [SPEND, ("entries", "noord"), ("utilisation", "--year", "2025"),
                 ("compare", "--year", "2025"), ("team", "show", "noord"), ("team", "list", "--year", "2025"),
                 ("team", "budget", "noord", "5", "--year", "2026"), ("loans",), ("stories",),
                 ("rules", "noord"), ("knipkaart", "status", "--year", "2025")]:
        one_line(lcli(*args), 2, "teams/noord.toml", "is not a year", "like 2026")
        assert snapshot(busy) == before, args
    one_line(cli("summary", str(busy), "--year", "2025"), 2, "teams/noord.toml", "is not a year")
    checked = lcli("check")
    assert checked.code == 1 and "Traceback" not in checked.err and len(checked.err.splitlines()) == 1
    [problem] = checked.out.strip().splitlines()
    assert problem.count("noord.toml") == 1 and "is not a year" in problem  # the file named once
    assert snapshot(busy) == before


@pytest.mark.parametrize(("where", "old", "new", "needle"), [
    ("maatwerk.toml", 'municipality = "Teststad"', "municipality = 5", "municipality must be text"),
    ("maatwerk.toml", "[pace]", "privacy = 5\n[pace]", "privacy must be a table"),
    ("maatwerk.toml", "[pace]", "pace = [1]\n[old-pace]", "pace must be a table"),
    ("maatwerk.toml", "under_share = 0.5", 'under_share = "nan"', "pace.under_share"),
    ("maatwerk.toml", "under_share = 0.5", "under_share = inf", "pace.under_share"),
    ("maatwerk.toml", 'municipality = "Teststad"', 'municipality = "' + "x" * 101 + '"', "characters long"),
    ("maatwerk.toml", "[pace]", '"a\\u202eb" = 1\n[pace]', "the key"),
    ("teams/noord.toml", 'name = "Wijkteam Noord"', "name = 5", "name must be text"),
    ("teams/noord.toml", 'name = "Wijkteam Noord"', 'name = ""', "name must be text"),
    ("teams/noord.toml", "2025 = 10000", "2025 = 1000000000000000000000000000000", "too large"),
    ("teams/noord.toml", "2025 = 10000", "2025 = 1e300", "not an amount"),
    ("teams/noord.toml", 'kind = "team"', "kind = 1", "kind must be"),
    ("teams/noord.toml", 'kind = "team"', 'kind = "team"\nknipkaart = 3', "knipkaart must be a table"),
    ("teams/noord.toml", "[budget]", 'note = "a\\u0000b"\n[budget]', "U+0000"),
])
def test_other_bad_settings_are_one_line_with_file_and_key(lcli: Cli, busy: Path, where: str, old: str,
                                                           new: str, needle: str) -> None:
    edit(busy / where, old, new)
    refused_everywhere(lcli, busy, [SPEND, ("utilisation", "--year", "2025"), ("entries",)], where, needle)
    checked = lcli("check")
    assert checked.code == 1 and "Traceback" not in checked.err
    assert where in checked.out and needle.lower() in checked.out.lower()


# --------------------------------------------------------------------------- 16.3 damaged ground


@pytest.mark.parametrize("header", [
    "id,type,date,ref,amount,category,method,kind,household,due,condition,tegenprestatie,status,"
    "note,reason,by,extra,recorded_at,checksun",
    "id;type;date",
    "",
])
def test_a_damaged_journal_header_is_refused_for_writing(lcli: Cli, busy: Path, tmp_path: Path,
                                                         header: str) -> None:
    """Why: with ``checksun`` for ``checksum`` new spends were acknowledged, then invisible."""
    journal = busy / "teams" / "noord.csv"
    lines = journal.read_text(encoding="utf-8").split("\n", 1)
    journal.write_text(f"{header}\n{lines[1]}", encoding="utf-8")
    sheet = tmp_path / "invoer.csv"
    sheet.write_text("datum;bedrag;categorie;team\n1-3-2025;5;Wonen;zuid\n2-3-2025;6;Wonen;noord\n",
                     encoding="utf-8")
    refused_everywhere(lcli, busy, [
        SPEND, ("refuse", "noord", "-c", "Wonen", "--reason", "x", "-d", "2-3-2025"),
        ("cash", "withdraw", "noord", "50", "-d", "2-3-2025"),
        ("import", "entries", str(sheet)),  # zuid's journal is fine, but the import is all or none
    ], "noord.csv:1", "journal header", "restore")
    checked = lcli("check")
    assert checked.code == 1 and "noord.csv:1" in checked.out


def test_a_last_line_whose_id_cannot_be_read_is_refused_for_writing(lcli: Cli, busy: Path) -> None:
    journal = busy / "teams" / "noord.csv"
    with open(journal, "ab") as fh:
        fh.write(b"n\xf6ord-2025-00x2,spend,2025-03-03,,9.00\n")
    refused_everywhere(lcli, busy, [SPEND], "noord.csv:3", "last line is damaged", "restore")
    assert lcli("spend", "zuid", "5", "-c", "Wonen", "-d", "2-3-2025").out.strip() == "zuid-2025-0002"


# --------------------------------------------------------------------------- 16.4 links


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the ledger that nothing may be written to."""
    folder = tmp_path / "elders"
    folder.mkdir()
    return folder


def _link(path: Path, target: Path) -> None:
    if path.exists() or path.is_symlink():
        if target.name != "missing":
            target.write_bytes(path.read_bytes())
        path.unlink()
    path.symlink_to(target)


LINKED = ["teams/zuid.csv", "teams/zuid.toml", "maatwerk.toml", "maatwerk.lock", "maatwerk.pending",
          "teams/zuid.bank.csv", "teams/oost.csv"]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
@pytest.mark.parametrize("name", LINKED)
@pytest.mark.parametrize("dangling", [False, True], ids=["to a file", "dangling"])
def test_no_write_goes_through_a_symbolic_link(lcli: Cli, busy: Path, outside: Path, tmp_path: Path,
                                               name: str, dangling: bool) -> None:
    """Why: a journal linked to a file outside the folder had spends appended to that file."""
    if name == "maatwerk.toml" and dangling:
        pytest.skip("without its settings the folder is no ledger")
    target = outside / ("missing" if dangling else Path(name).name)
    _link(busy / name, target)
    before_outside = snapshot(outside)
    before = snapshot(busy)
    sheet = tmp_path / "invoer.csv"
    sheet.write_text("datum;bedrag;categorie;team\n1-3-2025;5;Wonen;zuid\n", encoding="utf-8")
    writers = [*WRITERS, ("import", "entries", str(sheet))]
    if name.startswith("teams/zuid.") and dangling:
        writers = [w for w in writers if "zuid" not in w and w[:2] != ("import", "entries")]
    for args in writers:
        line = one_line(lcli(*args), 2, "is a symbolic link")
        assert Path(name).name in line, line
        assert snapshot(busy) == before, args
        assert snapshot(outside) == before_outside, args
    assert not (outside / "missing").exists()
    checked = lcli("check")
    assert checked.code == 1 and "Traceback" not in checked.err
    assert f"{Path(name).name}: is a symbolic link" in checked.out, checked.out


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_linked_teams_folder_and_init_over_links(lcli: Cli, cli: Cli, busy: Path, outside: Path,
                                                   tmp_path: Path) -> None:
    moved = outside / "teams"
    (busy / "teams").rename(moved)
    (busy / "teams").symlink_to(moved)
    before = snapshot(moved)
    for args in WRITERS:
        one_line(lcli(*args), 2, "teams is a symbolic link")
    assert snapshot(moved) == before
    assert "teams: is a symbolic link" in lcli("check").out
    # init never creates its files through a link either
    fresh = tmp_path / "nieuw"
    fresh.mkdir()
    (fresh / "maatwerk.lock").symlink_to(outside / "lock")
    one_line(cli("--ledgers", str(fresh), "init"), 2, "maatwerk.lock is a symbolic link")
    assert sorted(p.name for p in fresh.iterdir()) == ["maatwerk.lock"]
    assert not (outside / "lock").exists()


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_import_bank_never_writes_through_a_linked_bank_file(lcli: Cli, busy: Path, outside: Path) -> None:
    statement = Path(__file__).parent / "fixtures" / "bank" / "ing_2025.csv"
    _link(busy / "teams" / "noord.bank.csv", outside / "missing")
    before = snapshot(busy)
    one_line(lcli("import", "bank", str(statement), "--team", "noord"), 2,
             "noord.bank.csv is a symbolic link")
    assert snapshot(busy) == before and not (outside / "missing").exists()


# --------------------------------------------------------------------------- 16.5 what a team is


@pytest.mark.parametrize(("name", "needle"), [
    ("=cmd.toml", "not a valid team name"),
    ("Noord.toml", "differs only in case from noord.toml"),
    ("West.toml", "differs only in case from the team name west"),
    ("con.toml", "not a valid team name"),
    ("oost west.toml", "not a valid team name"),
    ("-oost.toml", "not a valid team name"),
    ("x" * 41 + ".toml", "not a valid team name"),
])
def test_team_files_placed_by_hand_with_unsafe_names(cli: Cli, lcli: Cli, busy: Path, name: str,
                                                     needle: str) -> None:
    """Why: `check` said ok; `spend =cmd` recorded an id that readers set aside while
    `utilisation` counted it. Now `check` reports the file and every command refuses."""
    (busy / "teams" / name).write_bytes((busy / "teams" / "noord.toml").read_bytes())
    stem = name.removesuffix(".toml")
    refused_everywhere(lcli, busy, [
        ("spend", stem, "5", "-c", "Wonen", "-d", "2-3-2025"), *READERS, *WRITERS,
        ("entries", "zuid"), ("utilisation", "zuid", "--year", "2025"),
    ], f"teams/{name}", needle)
    one_line(cli("summary", str(busy), "--year", "2025"), 2, f"teams/{name}")
    checked = lcli("check")
    assert checked.code == 1 and "Traceback" not in checked.err
    assert checked.out.strip().splitlines() == [line for line in checked.out.strip().splitlines()
                                                if f"teams/{name}" in line]
    assert needle in checked.out
    # repaired, every command agrees again
    (busy / "teams" / name).unlink()
    assert lcli("check").code == 0
    assert lcli(*SPEND).code == 0


def test_a_report_never_counts_a_team_that_entries_cannot_read(lcli: Cli, busy: Path) -> None:
    (busy / "teams" / "=cmd.toml").write_text('name = "x"\n[budget]\n2025 = 100\n', encoding="utf-8")
    (busy / "teams" / "=cmd.csv").write_bytes((busy / "teams" / "noord.csv").read_bytes())
    entries, utilisation = lcli("entries", "-f", "json"), lcli("utilisation", "--year", "2025", "-f", "json")
    assert entries.code == utilisation.code == 2
    assert entries.err == utilisation.err


# --------------------------------------------------------------------------- 16.6 summary


def _no_duplicate_keys(text: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in items]
        assert len(keys) == len(set(keys)), keys
        return dict(items)

    return json.loads(text, object_pairs_hook=pairs)


@pytest.fixture
def two_ledgers(tmp_path: Path) -> tuple[Path, Path]:
    roots = (tmp_path / "a" / "ledgers", tmp_path / "b" / "ledgers")
    for n, root in enumerate(roots, start=1):
        lg = Ledger.init(root, year=2025)
        lg.add_team("noord", name="Noord", budget=Decimal(1000 * n), year=2025)
        lg.spend("noord", Decimal(10 * n), category="Wonen", date=dt.date(2025, 3, 1))
    return roots


def test_two_folders_of_the_same_name_are_two_municipalities(cli: Cli, two_ledgers: tuple[Path, Path],
                                                             tmp_path: Path) -> None:
    """Why: `a/ledgers` and `b/ledgers` showed one municipality's figures twice (the JSON had
    duplicate keys)."""
    a, b = (str(r) for r in two_ledgers)
    rows = _no_duplicate_keys(cli("summary", a, b, "--year", "2025", "-f", "json").out)
    assert [r["spent"] for r in rows] == [10.0, 20.0]
    labels = [r["municipality"] for r in rows]
    assert len(set(labels)) == 2 and all(label.startswith("ledgers (") for label in labels)
    assert str(Path("a") / "ledgers") in labels[0] and str(Path("b") / "ledgers") in labels[1]
    turned = _no_duplicate_keys(cli("summary", a, b, "--year", "2025", "-f", "json", "--transpose").out)
    spent = next(r for r in turned if r["field"] == "spent")
    assert sorted(v for k, v in spent.items() if k != "field") == [10.0, 20.0]
    by_team = _no_duplicate_keys(cli("summary", a, b, "--year", "2025", "--by", "team", "-f", "json",
                                     "--transpose").out)
    spent = next(r for r in by_team if r["field"] == "spent")
    assert len(spent) == 3 and sorted(v for k, v in spent.items() if k != "field") == [10.0, 20.0]
    table = cli("summary", a, b, "--year", "2025")
    assert table.code == 0 and table.err == ""
    assert "10,00" in table.out and "20,00" in table.out
    out = tmp_path / "s.csv"
    assert cli("summary", a, b, "--year", "2025", "--transpose", "-o", str(out)).code == 0
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert len(header) == len(set(header)) == 3


def test_the_same_municipality_twice_and_the_same_folder_twice(cli: Cli,
                                                               two_ledgers: tuple[Path, Path]) -> None:
    for root in two_ledgers:
        edit(root / "maatwerk.toml", 'municipality = ""', 'municipality = "Teststad"')
    a, b = (str(r) for r in two_ledgers)
    rows = _no_duplicate_keys(cli("summary", a, b, "--year", "2025", "-f", "json", "--transpose").out)
    assert len(rows[0]) == 3 and all(k.startswith("Teststad (") for k in rows[0] if k != "field")
    # one folder given twice (spelled two ways) would count twice: refused, naming both spellings
    before = snapshot(two_ledgers[0].parent)
    assert_refused(cli("summary", a, f"{a}/../ledgers", b, "--year", "2025", "-f", "json"), "given twice")
    assert_refused(cli("summary", a, a, "--year", "2025", "-f", "json"), "given twice")
    assert snapshot(two_ledgers[0].parent) == before


# --------------------------------------------------------------------------- 16.7 ambiguous sheets


@pytest.mark.parametrize(("header", "first", "second"), [
    ("datum;bedrag;amount;categorie", "bedrag", "amount"),
    ("datum;bedrag;categorie;team;wijkteam", "team", "wijkteam"),
    ("date;datum;bedrag;categorie", "date", "datum"),
    ("datum;Bedrag;categorie;BEDRAG", "Bedrag", "BEDRAG"),
    ("datum;bedrag;categorie;notitie;omschrijving", "notitie", "omschrijving"),
])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_two_columns_for_one_field_are_refused(lcli: Cli, busy: Path, tmp_path: Path, header: str,
                                               first: str, second: str, suffix: str) -> None:
    """Why: such sheets imported silently, the last column winning."""
    names = header.split(";")
    row = {"datum": "1-3-2025", "date": "1-3-2025", "bedrag": "5", "amount": "50", "Bedrag": "5",
           "BEDRAG": "50", "categorie": "Wonen", "team": "noord", "wijkteam": "zuid", "notitie": "a",
           "omschrijving": "b"}
    sheet = tmp_path / f"invoer{suffix}"
    if suffix == ".csv":
        sheet.write_text(header + "\n" + ";".join(row[n] for n in names) + "\n", encoding="utf-8")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(names)
        ws.append([row[n] for n in names])
        wb.save(sheet)
    team = [] if "team" in names else ["--team", "noord"]
    for dry in ([], ["--dry-run"]):
        refused_everywhere(lcli, busy, [("import", "entries", str(sheet), *team, *dry)],
                           f"'{first}' and '{second}'", "keep one")
