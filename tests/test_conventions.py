"""What scripts and coordinators count on: output options that mean what they say, the
library's defaults equal to the CLI's, exit codes for cron jobs, --version and completion.

Each bad input: exit 2, one line on stderr, and every file byte-identical.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, Result, assert_refused, snapshot
from maatwerk_cli import InputError, Ledger
from maatwerk_cli.analysis import reports

Cli = Callable[..., Result]
ING_MARCH = Path(__file__).resolve().parent / "fixtures" / "bank_import" / "ing_noord_2025-03.csv"


def ok(result: Result) -> Result:
    assert result.code == 0, (result.code, result.out, result.err)
    return result


# ------------------------------------------------------------- 2. output options mean what they say


def test_csv_nl_into_a_csv_file_is_dutch_csv(lcli: Cli, tmp_path: Path) -> None:
    ok(lcli("spend", "noord", "1.234,56", "-c", "Wonen", "-d", "1-3-2025"))
    target = tmp_path / "okt.csv"
    ok(lcli("utilisation", "--year", "2025", "--as-of", "31-3-2025", "-f", "csv-nl", "-o", str(target)))
    text = target.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, noord = rows[0], next(r for r in rows if r[0] == "noord")
    assert noord[header.index("spent")] == "1234,56"  # decimal comma, no thousands point
    plain = tmp_path / "plain.csv"
    ok(lcli("utilisation", "--year", "2025", "--as-of", "31-3-2025", "-o", str(plain)))
    assert "1234.56" in plain.read_text() and ";" not in plain.read_text()


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("json", "x.xlsx"), ("csv", "x.json"), ("markdown", "x.csv"), ("csv-nl", "x.md"), ("table", "x.csv")],
)
def test_a_format_that_contradicts_the_file_is_refused(lcli: Cli, ledger_dir: Path, tmp_path: Path,
                                                       fmt: str, name: str) -> None:
    before = snapshot(tmp_path)
    result = lcli("compare", "--year", "2025", "-f", fmt, "-o", str(tmp_path / name))
    assert_refused(result, name.rsplit(".", 1)[1])
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("inside", ["teams/noord.csv", "maatwerk.toml", "rapport.xlsx", "teams/nieuw.json",
                                    "../ledgers/teams/zuid.toml"])
def test_no_output_inside_the_ledger_folder(lcli: Cli, ledger_dir: Path, inside: str) -> None:
    ok(lcli("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025"))
    before = snapshot(ledger_dir)
    result = lcli("utilisation", "--year", "2025", "-o", str(ledger_dir / inside))
    assert_refused(result, "ledger folder")
    assert snapshot(ledger_dir) == before


def test_no_output_through_a_link_into_the_ledger_folder(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "elders").symlink_to(ledger_dir / "teams")
    before = snapshot(ledger_dir)
    assert_refused(lcli("entries", "-o", str(tmp_path / "elders" / "noord.csv")), "ledger folder")
    assert snapshot(ledger_dir) == before


# ------------------------------------------------------------- 5. the researcher's summary and API


def test_the_library_and_the_cli_choose_the_same_year(cli: Cli) -> None:
    zaanstad = ROOT / "examples" / "zaanstad-2015"
    frame = reports.compare(Ledger(zaanstad))
    shown = json.loads(ok(cli("--ledgers", str(zaanstad), "compare", "-f", "json")).out)
    assert frame["spent"].sum() > 0
    assert [Decimal(str(r["spent"])) for r in shown] == list(frame["spent"])
    assert "2015" in frame.attrs["year_note"]
    report = reports.utilisation_report(Ledger(zaanstad))
    assert report.attrs["year"] == 2015 and "2015" in report.attrs["year_note"]


def test_summary_chooses_the_year_per_folder_and_says_which(cli: Cli) -> None:
    folders = [str(ROOT / "examples" / "rotterdam-2015"), str(ROOT / "ledgers")]
    rows = json.loads(ok(cli("summary", *folders, "-f", "json")).out)
    assert [(r["municipality"], r["year"]) for r in rows] == [("Rotterdam", 2015), ("Demostad", 2026)]
    forced = ok(cli("summary", *folders, "--year", "2015", "-f", "json"))
    assert [r["year"] for r in json.loads(forced.out)] == [2015, 2015]
    assert "Demostad has no budget for 2015" in forced.err  # its row of none is not silent
    assert all(r["spent"] > 0 for r in rows)


def test_summary_of_examples_star_works_and_redact_leaves_out_paths(cli: Cli) -> None:
    folders = sorted(str(p) for p in (ROOT / "examples").iterdir())
    result = ok(cli("summary", *folders, "-f", "json"))
    rows = json.loads(result.out)
    assert len(rows) >= 3 and "not a ledger" in result.err
    redacted = ok(cli("summary", *folders, "--redact", "-f", "json")).out
    assert str(ROOT) not in redacted and "root" not in json.loads(redacted)[0]
    assert str(ROOT) in result.out  # without --redact the folder is named


def test_summary_refuses_a_folder_given_twice_in_any_spelling(cli: Cli, tmp_path: Path) -> None:
    demo = ROOT / "ledgers"
    os.chdir(ROOT)
    for other in ("ledgers", str(demo) + "/", "./ledgers/../ledgers"):
        assert_refused(cli("summary", str(demo), other), "twice")


@pytest.mark.parametrize("amount", [35, "35", "35,00", Decimal("35")])
def test_the_library_takes_int_str_and_decimal_money(ledger_dir: Path, amount: object) -> None:
    lg = Ledger(ledger_dir)
    made = lg.spend("noord", amount, category="Wonen", date=dt.date(2025, 3, 1))  # type: ignore[arg-type]
    assert lg.entry(made).amount == Decimal("35.00")


@pytest.mark.parametrize("amount", [35.5, None, [35], "1,234.50", "veel", True])
def test_the_library_refuses_other_money_with_input_error(ledger_dir: Path, amount: object) -> None:
    lg = Ledger(ledger_dir)
    before = snapshot(ledger_dir)
    with pytest.raises(InputError):
        lg.spend("noord", amount, category="Wonen", date=dt.date(2025, 3, 1))  # type: ignore[arg-type]
    assert snapshot(ledger_dir) == before


def test_frames_offer_decimal_or_exact_cents(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    lg.spend("noord", "0,10", category="Wonen", date=dt.date(2025, 3, 1))
    lg.spend("noord", "0,20", category="Wonen", date=dt.date(2025, 3, 2))
    exact = lg.entries_frame()
    assert sum(exact["amount"]) == Decimal("0.30")  # no float drift
    cents = lg.entries_frame(money="cents")
    assert str(cents["amount"].dtype) in ("int64", "Int64") and int(cents["amount"].sum()) == 30
    with pytest.raises(InputError):
        lg.entries_frame(money="float")


# ------------------------------------------------------------- 6. exit codes for scripts


def test_reconcile_check_exits_1_on_a_difference_and_0_when_clean(lcli: Cli) -> None:
    ok(lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "5-3-2025"))
    ok(lcli("import", "bank", str(ING_MARCH), "--team", "noord"))
    found = lcli("reconcile", "noord", "--check", "-f", "json")
    assert found.code == 1 and json.loads(found.out)
    assert lcli("reconcile", "noord", "-f", "json").code == 0  # without --check: a listing
    # A month no statement covers is a finding, never "agree" (issue 24).
    assert lcli("reconcile", "noord", "--check", "--month", "2024-01", "-f", "json").code == 1


def test_loans_overdue_check_exits_1_when_a_loan_is_overdue(lcli: Cli) -> None:
    assert lcli("loans", "--overdue", "--check").code == 0
    ok(lcli("spend", "noord", "200", "-c", "Wonen", "-k", "loan", "--due", "1-4-2025", "-d", "1-3-2025"))
    assert lcli("loans", "--overdue", "--check", "--as-of", "31-3-2025").code == 0
    late = lcli("loans", "--overdue", "--check", "--as-of", "2-4-2025", "-f", "json")
    assert late.code == 1 and json.loads(late.out)[0]["outstanding"] == 200


def test_check_exits_1_on_a_damaged_line_and_0_when_clean(lcli: Cli, ledger_dir: Path) -> None:
    ok(lcli("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025"))
    assert lcli("check").code == 0
    journal = ledger_dir / "teams" / "noord.csv"
    journal.write_bytes(journal.read_bytes() + b"kapot,,,\n")
    found = lcli("check")
    assert found.code == 1 and "noord.csv" in (found.out + found.err)


def test_the_exit_codes_are_the_documented_ones() -> None:
    from maatwerk_cli.cli.app import ExitStatus

    assert {s.name: int(s) for s in ExitStatus} == {
        "DONE": 0, "FINDINGS": 1, "MISTAKE": 2, "BUSY": 3, "INTERNAL": 70, "INTERRUPTED": 130}
    readme = (ROOT / "README.md").read_text()
    for status in ExitStatus:
        assert f"| {int(status)} " in readme, status


# ------------------------------------------------------------- 7. conventions


def test_version(cli: Cli) -> None:
    from importlib.metadata import version

    assert ok(cli("--version")).out.strip() == f"maatwerk {version('maatwerk-cli')}"


def test_shell_completion_is_shown_and_completes_commands() -> None:
    command = shutil.which("maatwerk")
    if command is None:
        pytest.skip("the maatwerk command is not installed on the PATH")
    shown = subprocess.run([command, "--show-completion", "bash"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and "_MAATWERK_COMPLETE=complete_bash" in shown.stdout
    env = {**os.environ, "_MAATWERK_COMPLETE": "complete_bash", "COMP_WORDS": "maatwerk utilis", "COMP_CWORD": "1"}
    done = subprocess.run([command], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["utilisation"]


def test_the_package_ships_its_types() -> None:
    import maatwerk_cli

    assert (Path(maatwerk_cli.__file__).parent / "py.typed").is_file()
    from maatwerk_cli.store.toml import loads

    data = loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"), "pyproject.toml")
    assert "py.typed" in data["tool"]["setuptools"]["package-data"]["maatwerk_cli"]


def test_the_package_ships_its_message_catalogues(tmp_path: Path) -> None:
    """The catalogues are package data: a wheel holds every .po and compiled .mo file of the
    checkout, and the user guide."""
    import zipfile

    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                           "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.skip(f"no wheel could be built here: {done.stderr.strip()[-200:]}")
    [wheel] = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n for n in names if n.endswith((".po", ".mo"))}
    ours = {f"maatwerk_cli/{p.relative_to(ROOT / 'maatwerk_cli').as_posix()}"
            for p in (ROOT / "maatwerk_cli" / "locale").rglob("*") if p.suffix in (".po", ".mo")}
    assert ours and shipped == ours
    assert "maatwerk_cli/help/handleiding.md" in names


@pytest.mark.parametrize("when", [dt.date(2025, 3, 14), "14-3-2025", "2025-03-14"])
def test_the_library_takes_a_date_or_dutch_text(ledger_dir: Path, when: object) -> None:
    lg = Ledger(ledger_dir)
    made = lg.spend("noord", 35, category="Wonen", date=when, kind="loan", due="1-4-2025")  # type: ignore[arg-type]
    lg.repay(made, "10", date="20-3-2025")
    entry = lg.entry(made)
    assert (entry.date, entry.due, entry.outstanding) == (dt.date(2025, 3, 14), dt.date(2025, 4, 1), Decimal("25.00"))


@pytest.mark.parametrize("when", [20250314, 1.5, "14 maart", "31-2-2025"])
def test_the_library_refuses_other_dates_with_input_error(ledger_dir: Path, when: object) -> None:
    lg = Ledger(ledger_dir)
    before = snapshot(ledger_dir)
    with pytest.raises(InputError):
        lg.spend("noord", 35, category="Wonen", date=when)  # type: ignore[arg-type]
    assert snapshot(ledger_dir) == before


# ------------------------------------------------------------- 8. totals that differ say why


def test_totals_that_differ_by_design_say_why(lcli: Cli, tmp_path: Path) -> None:
    ok(lcli("cash", "withdraw", "noord", "50", "-d", "3-3-2025"))
    ok(lcli("spend", "noord", "43,60", "-c", "Levensmiddelen", "-m", "contant", "-d", "4-3-2025"))
    ok(lcli("spend", "noord", "100", "-c", "Wonen", "-d", "5-3-2025"))
    ok(lcli("cash", "settle", "noord", "--write-off", "-d", "31-3-2025"))
    period = ("--year", "2025", "--as-of", "31-3-2025")
    spent = json.loads(ok(lcli("utilisation", *period, "-f", "json")).out)[0]["spent"]
    amounts = json.loads(ok(lcli("categories", *period, "-f", "json")).out)
    assert (spent, sum(Decimal(str(r["amount"])) for r in amounts)) == (150.0, Decimal("143.60"))
    table = " ".join(ok(lcli("categories", *period)).out.split())
    assert "Cash written off (€ 6,40) counts as spent in utilisation" in table
    assert "Cash written off (€ 6,40) is in spent" in " ".join(ok(lcli("compare", *period)).out.split())
    ok(lcli("categories", *period, "-o", str(tmp_path / "c.md")))
    assert "€ 6,40" in (tmp_path / "c.md").read_text()
    from openpyxl import load_workbook

    ok(lcli("categories", *period, "-o", str(tmp_path / "c.xlsx")))
    sheet = load_workbook(tmp_path / "c.xlsx")["categories"]
    notes = [str(c.value) for c in sheet["A"] if c.value and "written off" in str(c.value)]
    assert notes == ["Cash written off (€ 6,40) counts as spent in utilisation, but it has no category, "
                     "so it is not in these totals."]
    # Without a write-off the tables carry no such line.
    assert "written off" not in ok(lcli("categories", "--year", "2025", "--as-of", "30-3-2025")).out
