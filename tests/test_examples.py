"""The demo ledger and the example schemes: every published figure, checked; generators reproducible.

Each example folder holds committed ledger files and the ``generate.py`` that wrote them.
These tests regenerate every folder into ``tmp_path`` and demand byte-identical files, so
the committed files can never drift from their generator, and they check the figures the
sources publish (``examples/*/README.md`` lists them with the command that shows each).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Result, assert_refused, run_process, snapshot
from maatwerk_cli import Entry, Ledger, check_ledger
from maatwerk_cli.ops.rules import load_rules

EXAMPLES = ROOT / "examples"
DEMO = ROOT / "ledgers"
FOLDERS = {
    "demo": DEMO,
    "rotterdam-2015": EXAMPLES / "rotterdam-2015",
    "rotterdam-2015-pilot": EXAMPLES / "rotterdam-2015-pilot",
    "zaanstad-2015": EXAMPLES / "zaanstad-2015",
    "amsterdam": EXAMPLES / "amsterdam",
    "utrecht": EXAMPLES / "utrecht",
    "tilburg": EXAMPLES / "tilburg",
    "enschede": EXAMPLES / "enschede",
    "almere": EXAMPLES / "almere",
}
HOUSEHOLD = re.compile(r"^H-[23456789BCDFGHJKMNPQRSTVWXYZ]{6}$")
TODAY = dt.date(2026, 11, 22)  # the day the demo was made; every date lies before it


def ledger_files(folder: Path) -> dict[str, bytes]:
    """The files that make up a ledger folder (not its README or generator)."""
    names = ["maatwerk.toml", "maatwerk.lock"]
    files = {n: (folder / n).read_bytes() for n in names if (folder / n).exists()}
    for path in sorted((folder / "teams").iterdir()):
        files[f"teams/{path.name}"] = path.read_bytes()
    return files


def load_generator(name: str) -> Any:
    path = FOLDERS[name] / "generate.py"
    spec = importlib.util.spec_from_file_location(f"generate_{name.replace('-', '_')}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def live(folder: Path, year: int | None = None) -> list[Entry]:
    """Spends that count: not voided (and in ``year``)."""
    return [e for e in Ledger(folder).read().entries
            if not e.voided and (year is None or e.date.year == year)]


def total(entries: list[Entry]) -> Decimal:
    return sum((e.amount for e in entries), Decimal("0"))


def by_category(entries: list[Entry]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for e in entries:
        sums[e.category] += e.amount
    return sums


# ---------------------------------------------------------------------------- every folder


@pytest.mark.parametrize("name", list(FOLDERS))
def test_generator_reproduces_the_committed_files(name: str, tmp_path: Path) -> None:
    module = load_generator(name)
    out = tmp_path / name
    module.build(out).write()
    assert ledger_files(out) == ledger_files(FOLDERS[name])


@pytest.mark.parametrize("name", list(FOLDERS))
def test_check_finds_nothing(name: str, cli: Callable[..., Result]) -> None:
    assert check_ledger(Ledger(FOLDERS[name])) == []
    result = cli("--ledgers", str(FOLDERS[name]), "check")
    assert result.code == 0, result.out + result.err
    assert result.err == ""


@pytest.mark.parametrize("name", list(FOLDERS))
def test_households_are_pseudonymous_and_dates_in_the_past(name: str) -> None:
    snap = Ledger(FOLDERS[name]).read()
    assert snap.problems == ()
    codes = {r.household for r in snap.rows if r.household}
    assert codes and all(HOUSEHOLD.match(c) for c in codes)
    assert all(r.date < TODAY for r in snap.rows)
    # a spend is dated in a year its budget holder has a budget for
    teams = {t.slug: t for t in Ledger(FOLDERS[name]).teams()}
    assert all(teams[e.team].budget(e.date.year) > 0 for e in snap.entries)


def test_index_lists_every_example() -> None:
    index = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for name, folder in FOLDERS.items():
        assert (folder / "README.md").is_file(), name
        if name != "demo":
            assert f"]({name}/)" in index, name


# ---------------------------------------------------------------------------- Rotterdam 2015

ROTTERDAM = FOLDERS["rotterdam-2015"]
PUBLISHED_CATEGORIES = {
    "Levensmiddelen": 99, "Overig": 95, "Wonen": 20, "Gezondheid": 18, "Persoonsbewijs": 9,
    "Huisdier": 3, "School": 3, "Water en energie": 3, "Meerdere categorieën": 3,
    "Verblijfstatus": 1, "Financiën": 1, "Veiligheid": 1, "Griffiekosten": 1, "Kinderopvang": 1,
    "Verzekering": 1, "Kleding": 1, "Emigratie": 1,
}


def test_rotterdam_budget_spent_and_utilisation() -> None:
    teams = Ledger(ROTTERDAM).teams()
    assert len(teams) == 42
    assert {t.budget(2015) for t in teams} == {Decimal("10000")}
    spends = live(ROTTERDAM, 2015)
    assert len(spends) == 264
    assert max(e.date for e in spends) <= dt.date(2015, 11, 30)
    assert total(spends) == Decimal("33135.61")
    assert round(total(spends) / Decimal("420000"), 3) == Decimal("0.079")
    assert round(total(spends) / 420000 * 100) == 8
    assert int(total(spends) / 264) == 125  # "average EUR 125"
    assert max(e.amount for e in spends) == Decimal("2500")


def test_rotterdam_categories_as_published() -> None:
    spends = live(ROTTERDAM, 2015)
    counts = Counter(e.category for e in spends)
    assert {c: n for c, n in counts.items() if c != "Niet ingedeeld"} == PUBLISHED_CATEGORIES
    assert counts["Niet ingedeeld"] == 264 - 261
    sums = by_category(spends)
    assert max(sums, key=lambda c: sums[c]) == "Levensmiddelen"


def test_rotterdam_cards_from_july_no_tegenprestaties_refusals() -> None:
    spends = live(ROTTERDAM, 2015)
    assert all(e.date >= dt.date(2015, 7, 1) for e in spends if e.method in ("pin", "contant"))
    assert {e.method for e in spends if e.date < dt.date(2015, 7, 1)} == {"factuur"}
    assert not any(e.tegenprestatie for e in spends)
    reasons = " ".join(r.reason for r in Ledger(ROTTERDAM).read().refusals)
    assert "tweede aanvraag voor hetzelfde gezin" in reasons
    assert "kerstpakketten" in reasons
    second = next(r for r in Ledger(ROTTERDAM).read().refusals if "tweede" in r.reason)
    assert any(e.household == second.household and e.date < second.date for e in spends)


def test_rotterdam_cases_from_the_report() -> None:
    spends = live(ROTTERDAM, 2015)

    def find(amount: str, category: str) -> list[Entry]:
        return [e for e in spends if e.amount == Decimal(amount) and e.category == category]

    loan = find("35", "Levensmiddelen")
    assert len(loan) == 1 and loan[0].kind == "loan" and loan[0].repaid == Decimal("35")
    assert loan[0].due == loan[0].date + dt.timedelta(days=14)
    assert find("90", "Wonen") and find("37.50", "Wonen")  # urgency plus 3 extracts of 12,50
    assert find("127.50", "Wonen")
    assert find("1000", "Wonen") and find("2000", "Wonen")  # evictions prevented
    assert find("2000", "Water en energie")
    assert find("177", "Emigratie") and find("50", "Veiligheid") and find("15", "School")
    cash = [e for e in spends if e.method == "contant"]
    assert cash and all(e.amount < 50 for e in cash)  # a withdrawal of 50, the rest deposited


def test_rotterdam_pilot_kept_apart() -> None:
    teams = Ledger(FOLDERS["rotterdam-2015-pilot"]).teams()
    assert len(teams) == 5 and sum(t.budget(2016) for t in teams) == Decimal("30000")
    spends = live(FOLDERS["rotterdam-2015-pilot"])
    assert len(spends) == 2 and all(e.outcome == "reached" and e.avoided_cost for e in spends)
    assert not {e.household for e in spends} & {e.household for e in live(ROTTERDAM)}


# ---------------------------------------------------------------------------- Zaanstad 2015

ZAANSTAD = FOLDERS["zaanstad-2015"]


def test_zaanstad_figures() -> None:
    teams = Ledger(ZAANSTAD).teams()
    assert sum(t.budget(2015) for t in teams) == Decimal("400000")
    spends = live(ZAANSTAD, 2015)
    assert total(spends) == Decimal("79954")
    assert round(total(spends) / 400000 * 100) == 20
    assert abs(total(spends) / len(spends) - 1175) < 1  # "average EUR 1,175"
    assert max(e.amount for e in spends) == Decimal("8500")
    sums = by_category(spends)
    assert max(sums, key=lambda c: sums[c]) == "Wonen"
    assert sum(1 for e in spends if e.tegenprestatie) > len(spends) / 2


def test_zaanstad_evaluation_of_twenty_cases() -> None:
    spends = live(ZAANSTAD, 2015)
    assert Counter(e.outcome for e in spends if e.outcome) == {
        "reached": 16, "partial": 3, "not-reached": 1}
    costed = [e.avoided_cost for e in spends if e.avoided_cost is not None]
    assert len(costed) == 10
    assert sum(1 for c in costed if c > 0) == 7
    assert sum(1 for c in costed if c < 0) == 1


def test_zaanstad_published_cases() -> None:
    spends = live(ZAANSTAD, 2015)
    notes = {e.note: e for e in spends}

    def case(word: str) -> Entry:
        return next(e for n, e in notes.items() if word in n)

    assert case("lasmasker").amount == Decimal("1100")
    scooter = case("scootmobiel")
    assert scooter.avoided_cost == Decimal("7414")
    assert scooter.amount + scooter.avoided_cost == Decimal("15000")
    assert case("zorgwoning").amount == Decimal("800")
    assert case("zeventienjarige").category == "Wonen"


# ---------------------------------------------------------------------------- small schemes


def test_amsterdam_team_budgets_and_doorbraakfonds() -> None:
    ledger = Ledger(FOLDERS["amsterdam"])
    kinds = {t.slug: t.kind for t in ledger.teams()}
    assert kinds["doorbraakfonds"] == "fund" and list(kinds.values()).count("team") == 4
    assert load_rules(ledger, "buurtteam-1").max_per_spend == Decimal("500")
    assert load_rules(ledger, "doorbraakfonds").max_per_spend is None
    spends = live(FOLDERS["amsterdam"])
    assert len({e.household for e in spends}) == 350  # residents helped
    over = [e for e in spends if kinds[e.team] == "team" and e.amount > 500]
    assert len(over) == 1 and over[0].override_reason and over[0].extra["rules"] == ["max_per_spend"]
    assert all(e.amount > 500 for e in spends if kinds[e.team] == "fund")


def test_utrecht_omo_fund_twelve_cases_and_the_loan() -> None:
    ledger = Ledger(FOLDERS["utrecht"])
    assert [(t.slug, t.kind) for t in ledger.teams()] == [("omo-fonds", "fund")]
    spends = live(FOLDERS["utrecht"])
    assert len(spends) == 12 and len({e.household for e in spends}) == 12
    loan = max(spends, key=lambda e: e.amount)
    assert loan.amount == Decimal("12000") and loan.kind == "loan" and loan.category == "Wonen"
    assert Decimal("0") < loan.repaid < loan.amount and loan.outstanding == loan.amount - loan.repaid


def test_tilburg_cap_per_resident() -> None:
    ledger = Ledger(FOLDERS["tilburg"])
    assert {load_rules(ledger, t).max_per_household_total for t in ledger.team_slugs()} == {
        Decimal("7500")}
    per_household: dict[str, Decimal] = defaultdict(Decimal)
    for e in live(FOLDERS["tilburg"]):
        per_household[e.household] += e.amount
    assert max(per_household.values()) == Decimal("7500")
    capped = max(per_household, key=lambda h: per_household[h])
    assert any(r.household == capped for r in ledger.read().refusals)
    assert not any(e.extra.get("rules") for e in live(FOLDERS["tilburg"]))


def test_tilburg_one_euro_more_is_stopped(cli: Callable[..., Result], tmp_path: Path) -> None:
    folder = tmp_path / "tilburg"
    shutil.copytree(FOLDERS["tilburg"], folder)
    per_household: dict[str, Decimal] = defaultdict(Decimal)
    for e in live(folder):
        per_household[e.household] += e.amount
    capped = max(per_household, key=lambda h: per_household[h])
    before = snapshot(folder)
    result = cli("--ledgers", str(folder), "spend", "wijkteam-3", "1", "-c", "Overig",
                 "--household", capped, "--date", "2019-12-02")
    assert_refused(result, "max_per_household_total", "7.500")
    assert snapshot(folder) == before


def test_enschede_conditional_grant_for_a_course() -> None:
    spends = live(FOLDERS["enschede"])
    grants = [e for e in spends if e.kind == "conditional"]
    assert len(grants) == 2 and all("terug" in e.condition for e in grants)
    finished = next(e for e in grants if e.outcome == "reached")
    assert "opleiding" in finished.note and finished.repaid == 0
    failed = next(e for e in grants if e.outcome == "not-reached")
    assert Decimal("0") < failed.repaid < failed.amount
    assert all("maatwerkplan" in e.note or e.kind == "conditional" for e in spends)


def test_almere_figures() -> None:
    ledger = Ledger(FOLDERS["almere"])
    budget = sum(t.budget(2016) for t in ledger.teams())
    assert budget == Decimal("200000")
    spends = live(FOLDERS["almere"], 2016)
    assert total(spends) < budget / 2
    per_client = total(spends) / len({e.household for e in spends})
    assert Decimal("250") <= per_client <= Decimal("400")
    ointment = [e for e in spends if e.amount == Decimal("50")]
    assert len(ointment) == 1 and "schurft" in ointment[0].note
    heating = next(e for e in spends if e.amount == Decimal("211"))
    assert "stadsverwarming" in heating.note and heating.override_reason
    assert heating.extra["rules"] == ["categories"]
    assert all(e.second_opinion for e in spends if e.amount > 400)


# ---------------------------------------------------------------------------- the demo


def test_demo_holds_every_kind_of_case() -> None:
    snap = Ledger(DEMO).read()
    types = Counter(r.type for r in snap.rows)
    for kind in ("spend", "kind", "tegenprestatie", "outcome", "recovered", "repay", "void",
                 "refusal", "withdraw", "settle", "knipkaart"):
        assert types[kind] > 0, kind
    assert 140 <= types["spend"] <= 160
    entries = snap.entries
    assert {e.method for e in entries} == {"pin", "factuur", "contant"}
    assert {e.kind for e in entries} == {"gift", "loan", "conditional"}
    overdue = [e for e in entries if e.kind == "loan" and e.due and e.due < TODAY and e.outstanding > 0]
    assert len(overdue) == 1
    assert any(e.kind == "loan" and e.repaid == e.amount for e in entries)
    assert any(e.extra.get("rules") and e.override_reason for e in entries)
    assert any(r.status == "beyond" for r in snap.rows if r.type == "knipkaart")
    assert max(e.date for e in entries) <= dt.date(2026, 11, 15)
    kinds = {t.slug: t.kind for t in Ledger(DEMO).teams()}
    assert list(kinds.values()).count("team") == 5 and kinds["doorbraakfonds"] == "fund"


def test_demo_october_one_team_behind_one_over() -> None:
    ledger = Ledger(DEMO)
    october = dt.date(2026, 10, 31)
    pace = Decimal(october.timetuple().tm_yday) / 365
    share: dict[str, Decimal] = {}
    for team in ledger.teams():
        spent = total([e for e in live(DEMO) if e.team == team.slug and e.date <= october])
        share[team.slug] = spent / team.budget(2026)
    assert share["zuid"] > 1
    assert share["oost"] < pace * ledger.settings.under_share
    others = [s for t, s in share.items() if t not in ("zuid", "oost")]
    assert all(pace * Decimal("0.75") < s < 1 for s in others)


# ---------------------------------------------------------------------------- through the reports


def cli_json(cli: Callable[..., Result], *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_summary_prints_the_sources_comparison_table(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("summary", str(ROTTERDAM), str(ZAANSTAD), "--year", "2015")
    rows = {r["municipality"]: r for r in cli_json(cli, *args)}
    rdam, zaan = rows["Rotterdam"], rows["Zaanstad"]
    assert (rdam["budget"], zaan["budget"]) == (420000, 400000)
    assert Decimal(str(rdam["spent"])) == Decimal("33135.61")
    assert Decimal(str(zaan["spent"])) == Decimal("79954")
    assert (round(rdam["utilisation"], 2), round(zaan["utilisation"], 2)) == (0.08, 0.20)
    assert int(rdam["average"]) == 125 and abs(zaan["average"] - 1175) < 1
    assert (rdam["max"], zaan["max"]) == (2500, 8500)
    assert (rdam["top_category"], zaan["top_category"]) == ("Levensmiddelen", "Wonen")
    assert rdam["tegenprestatie_share"] == 0 and zaan["tegenprestatie_share"] > 0.5
    # In a wide terminal the table holds every figure of the published comparison.
    monkeypatch.setenv("COLUMNS", "200")
    table = cli(*args)
    assert table.code == 0, table.err
    for figure in ("420.000,00", "400.000,00", "33.135,61", "79.954,00", "7,9%", "20,0%", "125,51",
                   "1.175,79", "2.500,00", "8.500,00", "Levensmiddelen", "Wonen", "0,0%", "70,6%"):
        assert figure in table.out, figure


def test_rotterdam_categories_command(cli: Callable[..., Result]) -> None:
    rows = cli_json(cli, "--ledgers", str(ROTTERDAM), "categories", "--year", "2015")
    counts = {r["category"]: r["count"] for r in rows}
    assert {c: n for c, n in counts.items() if c != "Niet ingedeeld"} == PUBLISHED_CATEGORIES
    assert rows[0]["category"] == "Levensmiddelen"  # most money first


def test_rotterdam_utilisation_up_to_30_november() -> None:
    from maatwerk_cli.analysis import reports

    frame = reports.utilisation(Ledger(ROTTERDAM), as_of=dt.date(2015, 11, 30))
    total_row = frame.attrs["total"]
    assert total_row["budget"] == Decimal("420000") and total_row["spent"] == Decimal("33135.61")
    assert round(total_row["utilisation"], 3) == 0.079


def test_zaanstad_outcomes_command(cli: Callable[..., Result]) -> None:
    (row,) = cli_json(cli, "--ledgers", str(ZAANSTAD), "outcomes", "--year", "2015")
    assert (row["reached"], row["partial"], row["not_reached"]) == (16, 3, 1)
    assert (row["evaluated"], row["costed"], row["cheaper"]) == (20, 10, 7)


def test_zaanstad_outcomes_without_a_year(cli: Callable[..., Result]) -> None:
    (row,) = cli_json(cli, "--ledgers", str(ZAANSTAD), "outcomes")
    assert (row["reached"], row["partial"], row["not_reached"]) == (16, 3, 1)


def test_demo_october_check(cli: Callable[..., Result]) -> None:
    from maatwerk_cli.analysis import reports

    expected = {"noord": "on-track", "zuid": "over", "oost": "under", "west": "on-track",
                "centrum": "on-track", "doorbraakfonds": "on-track"}
    rows = cli_json(cli, "--ledgers", str(DEMO), "utilisation", "--month", "2026-10")
    assert {r["team"]: r["status"] for r in rows} == expected
    frame = reports.utilisation(Ledger(DEMO), month="2026-10")
    assert dict(zip(frame["team"], frame["status"], strict=True)) == expected


def test_readme_first_command_shows_the_demo() -> None:
    # Exactly as the README says, from the repository root, without --ledgers.
    done = run_process("utilisation", "--month", "2026-10", cwd=ROOT, env={"MAATWERK_LEDGERS": ""})
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line.strip()}
    assert "under" in lines["oost"] and "over" in lines["zuid"]
    assert all("on-track" in lines[t] for t in ("noord", "west", "centrum"))


def readme_commands() -> list[str]:
    """Every ``maatwerk ...`` command quoted in the example READMEs (not those on a copy, nor
    one that writes a folder)."""
    found: list[str] = []
    for readme in [EXAMPLES / "README.md", *(f / "README.md" for f in FOLDERS.values())]:
        for command in re.findall(r"`(maatwerk [^`]+)`", readme.read_text(encoding="utf-8")):
            # (not one that writes a folder: `maatwerk demo DIR` is tried in test_demo.py)
            if "/tmp/" not in command and not command.startswith("maatwerk demo") and command not in found:
                found.append(command)
    return found


@pytest.mark.parametrize("command", readme_commands())
def test_readme_commands_run(command: str, cli: Callable[..., Result],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("MAATWERK_LEDGERS", raising=False)
    result = cli(*shlex.split(command)[1:])
    assert result.code == 0, result.err
    assert result.out.strip()


def main_readme_block(heading: str) -> list[str]:
    """The commands of the first fenced block under a ``## heading`` of the main README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1]
    block = section.split("```", 2)[1]
    return [line.split("  #", 1)[0].strip() for line in block.strip().splitlines()[0:] if line.strip()]


@pytest.mark.parametrize("heading", ["For the coordinator: the monthly check",
                                     "The monthly report for the municipality",
                                     "For the researcher: many ledgers at once",
                                     "Cash and bank statements"])
def test_main_readme_blocks_run(heading: str, tmp_path: Path) -> None:
    """Each command as the README gives it, on a copy of the demo ledger (and the examples)."""
    demo = tmp_path / "demo"
    shutil.copytree(DEMO, demo)
    (tmp_path / "examples").symlink_to(EXAMPLES)
    fixtures = ROOT / "tests" / "fixtures" / "bank_import"
    # PYTHONPATH: this checkout's package, whichever one is installed.
    env = {"MAATWERK_LEDGERS": str(demo), "MAATWERK_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    commands = main_readme_block(heading)
    assert commands
    for command in commands:
        args = shlex.split(command)
        if args[0] == "python":
            done = subprocess.run([sys.executable, *args[1:]], capture_output=True, text=True,
                                  cwd=tmp_path, env={**os.environ, **env}, timeout=120)
        else:
            assert args[0] == "maatwerk", command
            if args[1:3] == ["import", "bank"]:
                # The README's statement stands for the team's own: use a test statement of noord.
                (tmp_path / args[3]).write_bytes((fixtures / "ing_noord_2025-03.csv").read_bytes())
            done = run_process(*args[1:], cwd=tmp_path, env=env)
        # A bank line ref in the README is an example: the command may refuse it, one line.
        if "--bank-line" in args and done.returncode == 2:
            assert len(done.stderr.strip().splitlines()) == 1, done.stderr
            continue
        # A PDF needs WeasyPrint or Chromium; without either the command says so in one line.
        if args[-1].endswith(".pdf") and done.returncode == 2:
            assert len(done.stderr.strip().splitlines()) == 1 and "Chromium" in done.stderr, done.stderr
            continue
        assert done.returncode == 0, (command, done.stderr)
        assert done.stdout.strip() or "wrote" in done.stderr, command
