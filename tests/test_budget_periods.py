"""Budgets with their own period, top-ups and cuts, and a spending profile: the pace.

Every expected figure is worked out by hand in the comment beside it (2025 and 2026 have
365 days; 1 July to 31 December is 184 days: 31 + 31 + 30 + 31 + 30 + 31).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger
from maatwerk_cli.analysis.reports import pace_curve, utilisation_report
from maatwerk_cli.core.pace import BudgetChange, BudgetYear, expected_spend, pace, profile_of, round_cents

Cli = Callable[..., Result]
D = dt.date
PROFILE = [1, 1, 1, 1, 1, 1, 0.5, 0.5, 1, 1, 1.5, 2]


def eur(value: Fraction) -> Decimal:
    return round_cents(value)


def ok(result: Result) -> Result:
    assert result.code == 0, (result.code, result.out, result.err)
    return result


# ---------------------------------------------------------------------------- the pace itself


def test_a_whole_year_budget_keeps_the_share_of_days() -> None:
    plain = BudgetYear(2026, Decimal("10000"))
    # 30 September is day 273: 10.000 x 273/365 = 7.479,452...
    assert eur(expected_spend(plain, D(2026, 9, 30))) == Decimal("7479.45")
    assert pace(plain, D(2026, 9, 30)).share == Fraction(273, 365)
    assert pace(plain, D(2026, 1, 1)).share == Fraction(1, 365)
    assert pace(plain, D(2026, 12, 31)).share == 1


def test_a_pilot_from_july_counts_from_its_own_start() -> None:
    pilot = BudgetYear(2026, Decimal("6000"), D(2026, 7, 1), D(2026, 12, 31))
    assert expected_spend(pilot, D(2026, 6, 30)) == 0  # not begun: nothing expected
    assert pace(pilot, D(2026, 3, 31)).share == 0
    # 1 July is day 1 of 184: 6.000 / 184 = 32,608...
    assert eur(expected_spend(pilot, D(2026, 7, 1))) == Decimal("32.61")
    # 30 September: 92 of 184 days, exactly half
    assert expected_spend(pilot, D(2026, 9, 30)) == 3000
    assert pace(pilot, D(2026, 9, 30)).share == Fraction(1, 2)
    assert expected_spend(pilot, D(2026, 12, 31)) == 6000


def test_a_pilot_that_ends_early_is_complete_after_its_end() -> None:
    spring = BudgetYear(2026, Decimal("3650"), None, D(2026, 6, 30))  # 1 January to 30 June: 181 days
    # 31 March is day 90: 3.650 x 90/181 = 1.814,917...
    assert eur(expected_spend(spring, D(2026, 3, 31))) == Decimal("1814.92")
    assert pace(spring, D(2026, 10, 1)).share == 1


def test_a_top_up_in_july_is_spent_from_its_own_date() -> None:
    budget = BudgetYear(2026, Decimal("10000"), changes=(BudgetChange(D(2026, 7, 1), Decimal("5000")),))
    assert budget.total == Decimal("15000")
    # 30 June (day 181): only the base, 10.000 x 181/365 = 4.958,904...; of 15.000: 33,06%
    at_june = pace(budget, D(2026, 6, 30))
    assert at_june.expected_eur() == Decimal("4958.90")
    assert round(float(at_june.share), 4) == 0.3306
    # 30 September: base 10.000 x 273/365 = 7.479,452 plus top-up 5.000 x 92/184 = 2.500,00
    at_sept = pace(budget, D(2026, 9, 30))
    assert at_sept.expected_eur() == Decimal("9979.45")
    assert round(float(at_sept.share), 4) == 0.6653
    assert pace(budget, D(2026, 12, 31)).expected == 15000


def test_a_cut_lowers_what_is_left_to_spend() -> None:
    budget = BudgetYear(2026, Decimal("12000"), changes=(BudgetChange(D(2026, 10, 1), Decimal("-2000")),))
    assert budget.total == Decimal("10000")
    # 30 September: untouched, 12.000 x 273/365 = 8.975,342...
    assert eur(expected_spend(budget, D(2026, 9, 30))) == Decimal("8975.34")
    # 31 October (day 304): 12.000 x 304/365 = 9.994,521 less 2.000 x 31/92 = 673,913: 9.320,608
    # (the same as 10.000 - 8.975,342 = 1.024,658 left, spread over October to December: 31/92)
    assert eur(expected_spend(budget, D(2026, 10, 31))) == Decimal("9320.61")
    assert expected_spend(budget, D(2026, 12, 31)) == 10000


def test_a_cut_larger_than_what_is_left_brings_the_pace_down_to_the_budget() -> None:
    budget = BudgetYear(2026, Decimal("12000"), changes=(BudgetChange(D(2026, 12, 1), Decimal("-11000")),))
    # 30 November (day 334): 12.000 x 334/365 = 10.980,82, more than the 1.000 left after the cut
    assert eur(expected_spend(budget, D(2026, 11, 30))) == Decimal("10980.82")
    assert expected_spend(budget, D(2026, 12, 1)) == 1000
    assert expected_spend(budget, D(2026, 12, 31)) == 1000


def test_a_spending_profile_replaces_the_straight_line() -> None:
    profile = profile_of(PROFILE)
    plain = BudgetYear(2026, Decimal("10000"))
    # Weighted days: January to June 181 x 1, July and August 31 x 0,5 each, September 30,
    # October 31, November 30 x 1,5 = 45, December 31 x 2 = 62: 380 in all.
    assert eur(expected_spend(plain, D(2026, 6, 30), profile)) == Decimal("4763.16")  # 181/380
    assert eur(expected_spend(plain, D(2026, 8, 31), profile)) == Decimal("5578.95")  # 212/380
    assert eur(expected_spend(plain, D(2026, 9, 30), profile)) == Decimal("6368.42")  # 242/380
    # 15 December: 318 + 15 x 2 = 348/380 (within a month the days count alike)
    assert eur(expected_spend(plain, D(2026, 12, 15), profile)) == Decimal("9157.89")
    # all ones is the straight line
    assert expected_spend(plain, D(2026, 9, 30), profile_of([1] * 12)) == expected_spend(plain, D(2026, 9, 30))


def test_a_profile_a_pilot_and_a_top_up_together() -> None:
    profile = profile_of(PROFILE)
    budget = BudgetYear(2026, Decimal("6000"), D(2026, 7, 1), None,
                        (BudgetChange(D(2026, 11, 1), Decimal("3000")),))
    # July to December weigh 15,5 + 15,5 + 30 + 31 + 45 + 62 = 199.
    # 31 October: 6.000 x 92/199 = 2.773,869
    assert eur(expected_spend(budget, D(2026, 10, 31), profile)) == Decimal("2773.87")
    # 30 November: 6.000 x 137/199 = 4.130,653 plus 3.000 x 45/107 (November and December
    # weigh 45 + 62 = 107) = 1.261,682: 5.392,336
    assert eur(expected_spend(budget, D(2026, 11, 30), profile)) == Decimal("5392.34")


@pytest.mark.parametrize("weights", [[1] * 11, [1] * 13, [0] * 12, [1] * 11 + [-1]])
def test_a_profile_needs_twelve_weights_that_are_not_negative(weights: list[int]) -> None:
    with pytest.raises(ValueError):
        profile_of(weights)


# ---------------------------------------------------------------------------- the command line


def team_file(root: Path, slug: str) -> Path:
    return root / "teams" / f"{slug}.toml"


def test_a_top_up_is_added_as_a_dated_block_and_never_overwrites(lcli: Cli, ledger_dir: Path) -> None:
    before = team_file(ledger_dir, "noord").read_text(encoding="utf-8")
    out = ok(lcli("team", "budget", "noord", "+5.000", "--from", "1-7-2025", "--note", "extra van de raad")).out
    assert out.strip() == "noord: top-up of € 5.000,00 from 01-07-2025; budget 2025 is now € 15.000,00"
    after = team_file(ledger_dir, "noord").read_text(encoding="utf-8")
    assert after.startswith(before)  # only added to: the earlier amount is where it was
    block = after[len(before):]
    assert "[[budget_change]]" in block
    assert "\nfrom = 2025-07-01\namount = 5000\nnote = \"extra van de raad\"\n" in block
    # a cut, written after it; a negative amount reaches the parser, not click
    ok(lcli("team", "budget", "noord", "-2.000", "--from", "2025-10-01"))
    final = team_file(ledger_dir, "noord").read_text(encoding="utf-8")
    assert final.startswith(after) and "\nfrom = 2025-10-01\namount = -2000\n" in final[len(after):]
    team = Ledger(ledger_dir).team("noord")
    assert team.budgets[2025] == Decimal("10000")  # the base stays
    assert team.budget(2025) == Decimal("13000")
    listed = json.loads(ok(lcli("team", "show", "noord", "-f", "json")).out)
    assert listed == [{"team": "noord", "name": "Wijkteam Noord", "kind": "team", "year": 2025,
                       "budget": 13000.0, "base": 10000.0, "changes": 3000.0,
                       "start": "2025-01-01", "end": "2025-12-31"}]
    assert ok(lcli("check")).out.strip() == "ok: no problems found"


def test_the_plain_form_still_sets_the_base(lcli: Cli, ledger_dir: Path) -> None:
    assert ok(lcli("team", "budget", "noord", "12000", "--year", "2025")).out.strip() \
        == "noord: budget 2025 is € 12.000,00"
    ok(lcli("team", "budget", "noord", "+1.000", "--from", "1-3-2025"))
    assert ok(lcli("team", "budget", "noord", "11.000", "--year", "2025")).out.strip() \
        == "noord: budget 2025 is € 11.000,00 (€ 12.000,00 with its top-ups and cuts)"


def test_a_period_is_written_in_the_budget_section(lcli: Cli, ledger_dir: Path) -> None:
    out = ok(lcli("team", "budget", "zuid", "--start", "1-7-2025", "--end", "31-12-2025")).out
    assert out.strip() == "zuid: budget 2025 runs from 01-07-2025 to 31-12-2025"
    text = team_file(ledger_dir, "zuid").read_text(encoding="utf-8")
    assert "[budget]  # budget per calendar year\n2025 = 5000\n\n[budget_period]" in text
    assert "\n2025 = {start = 2025-07-01}\n" in text  # 31 December is the default end
    # changing the base later (through tomlkit) leaves the period line as it is
    ok(lcli("team", "budget", "zuid", "6000", "--year", "2025"))
    assert "\n2025 = {start = 2025-07-01}\n" in team_file(ledger_dir, "zuid").read_text(encoding="utf-8")
    # back to the whole year
    ok(lcli("team", "budget", "zuid", "--start", "1-1-2025", "--end", "31-12-2025"))
    assert Ledger(ledger_dir).team("zuid").budget_year(2025).plain


def test_utilisation_compare_and_summary_use_the_pace(lcli: Cli, cli: Cli, ledger_dir: Path) -> None:
    ok(lcli("team", "budget", "noord", "+5.000", "--from", "1-7-2025"))
    ok(lcli("team", "budget", "zuid", "--start", "1-7-2025"))
    ok(lcli("spend", "zuid", "400", "-c", "Wonen", "-d", "15-8-2025"))
    ok(lcli("spend", "zuid", "400", "-c", "Wonen", "-d", "19-8-2025"))
    ok(lcli("spend", "zuid", "200", "-c", "Wonen", "-d", "17-8-2025"))
    rows = {r["team"]: r for r in json.loads(ok(lcli("utilisation", "--as-of", "30-9-2025", "-f", "json")).out)}
    noord, zuid = rows["noord"], rows["zuid"]
    # noord: 10.000 from January and 5.000 from July, as worked out above: 9.979,45 of 15.000
    assert noord["budget"] == 15000.0 and noord["expected_spend"] == 9979.45
    assert noord["pace"] == noord["expected"] == 0.6653
    assert noord["status"] == "under"  # nothing spent
    # zuid: a pilot of 5.000 from July, half of it expected by 30 September (92/184)
    assert zuid["expected_spend"] == 2500.0 and zuid["pace"] == 0.5
    # 1.000 spent: 20% used, below half of the pace (25%): under; projected 1.000 / 0,5
    assert zuid["utilisation"] == 0.2 and zuid["status"] == "under" and zuid["projected"] == 2000.0
    ok(lcli("spend", "zuid", "300", "-c", "Wonen", "-d", "18-8-2025"))
    zuid = next(r for r in json.loads(ok(lcli("utilisation", "--as-of", "30-9-2025", "-f", "json")).out)
                if r["team"] == "zuid")
    assert zuid["utilisation"] == 0.26 and zuid["status"] == "on-track" and zuid["projected"] == 2600.0
    # the table shows the own pace and names it in the legend
    table = ok(lcli("utilisation", "--as-of", "30-9-2025", "-f", "markdown")).out
    assert "tempo" in table and "have their own pace" in table
    compared = {r["team"]: r for r in json.loads(ok(lcli("compare", "--as-of", "30-9-2025", "-f", "json")).out)}
    assert compared["noord"]["budget"] == 15000.0 and compared["noord"]["pace"] == 0.6653
    assert compared["zuid"]["pace"] == 0.5
    whole = json.loads(ok(cli("summary", str(ledger_dir), "--as-of", "30-9-2025", "-f", "json")).out)
    # all together: (9.979,452 + 2.500) / (15.000 + 5.000) = 0,62397
    assert whole[0]["budget"] == 20000.0 and whole[0]["pace"] == 0.624
    by_team = json.loads(ok(cli("summary", str(ledger_dir), "--as-of", "30-9-2025", "--by", "team",
                                "-f", "json")).out)
    assert [r["pace"] for r in by_team] == [0.6653, 0.5]


def test_the_library_reports_pace_and_the_pace_curve(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    lg.change_budget("noord", "+5.000", D(2025, 7, 1))
    lg.set_budget_period("zuid", 2025, start=D(2025, 7, 1))
    report = utilisation_report(lg, as_of=D(2025, 9, 30))
    noord = next(r for r in report.records if r["team"] == "noord")
    assert noord["expected_spend"] == Decimal("9979.45") and isinstance(noord["expected_spend"], Decimal)
    assert isinstance(noord["pace"], float)
    assert report.attrs["total"]["expected_spend"] == Decimal("12479.45")  # 9.979,452 + 2.500
    curve = pace_curve(lg, team="noord", year=2025)
    assert len(curve) == 12 and curve[0][0] == D(2025, 1, 31) and curve[-1][0] == D(2025, 12, 31)
    values = dict(curve)
    assert values[D(2025, 1, 31)] == Decimal("849.32")  # 10.000 x 31/365
    assert values[D(2025, 6, 30)] == Decimal("4958.90")  # 10.000 x 181/365
    assert values[D(2025, 7, 31)] == Decimal("6650.61")  # 10.000 x 212/365 + 5.000 x 31/184
    assert values[D(2025, 12, 31)] == Decimal("15000.00")
    both = dict(pace_curve(lg, year=2025))
    assert both[D(2025, 6, 30)] == Decimal("4958.90")  # zuid's pilot has not begun
    assert both[D(2025, 7, 31)] == Decimal("7493.00")  # 6.650,610 + 5.000 x 31/184 = 842,391
    assert both[D(2025, 12, 31)] == Decimal("20000.00")
    # the curve and the report agree at a month's end
    at_july = utilisation_report(lg, as_of=D(2025, 7, 31))
    assert at_july.attrs["total"]["expected_spend"] == both[D(2025, 7, 31)]


def test_a_profile_in_the_settings_is_used_by_the_reports(lcli: Cli, ledger_dir: Path) -> None:
    settings = ledger_dir / "maatwerk.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "under_share = 0.5", "under_share = 0.5\nprofile = [1, 1, 1, 1, 1, 1, 0.5, 0.5, 1, 1, 1.5, 2]"),
        encoding="utf-8")
    rows = {r["team"]: r for r in json.loads(ok(lcli("utilisation", "--as-of", "30-9-2025", "-f", "json")).out)}
    # 2025 weighs as 2026 above: 242/380 of 10.000 = 6.368,42
    assert rows["noord"]["expected_spend"] == 6368.42 and rows["noord"]["pace"] == 0.6368
    assert "tempo" in ok(lcli("utilisation", "--as-of", "30-9-2025", "-f", "markdown")).out


# ---------------------------------------------------------------------------- mistakes


@pytest.mark.parametrize(("args", "needle"), [
    (["noord", "+5.000"], "needs the date"),
    (["noord", "5000", "--from", "1-7-2025"], "with its sign"),
    (["noord", "-20.000", "--from", "1-10-2025"], "below zero"),
    (["noord", "+5.000", "--from", "1-7-2025", "--year", "2026"], "not in 2026"),
    (["noord", "+abc", "--from", "1-7-2025"], "not an amount"),
    (["noord", "+0", "--from", "1-7-2025"], "changes nothing"),
    (["noord", "+5.000", "--from", "31-2-2025"], "does not exist"),
    (["noord", "5000", "--note", "x"], "--note goes with"),
    (["noord"], "give an amount"),
    (["zuid", "--start", "1-7-2025", "--end", "1-3-2025"], "before it starts"),
    (["zuid", "--start", "1-7-2024", "--year", "2025"], "not in 2025"),
    (["zuid", "--start", "1-7-2025", "--end", "1-3-2026"], "different years"),
    (["nergens", "+5.000", "--from", "1-7-2025"], "unknown team"),
    (["zuid", "+1.000", "--from", "1-3-2025", "--start", "1-7-2025"], "outside the budget period"),
])
def test_a_mistake_writes_nothing(lcli: Cli, ledger_dir: Path, args: list[str], needle: str) -> None:
    before = snapshot(ledger_dir)
    assert_refused(lcli("team", "budget", *args), needle)
    assert snapshot(ledger_dir) == before


def test_a_top_up_outside_a_pilot_or_a_period_that_leaves_one_out_is_refused(lcli: Cli,
                                                                             ledger_dir: Path) -> None:
    ok(lcli("team", "budget", "zuid", "--start", "1-7-2025"))
    ok(lcli("team", "budget", "zuid", "+1.000", "--from", "1-9-2025"))
    before = snapshot(ledger_dir)
    assert_refused(lcli("team", "budget", "zuid", "+1.000", "--from", "1-3-2025"), "outside the budget period")
    # moving the start after the top-up would leave it outside: refused, nothing written
    assert_refused(lcli("team", "budget", "zuid", "--start", "1-10-2025"), "outside the budget period")
    assert snapshot(ledger_dir) == before


# ---------------------------------------------------------------------------- check


BAD_TEAM = """\
name = "Wijkteam Noord"
kind = "team"

[budget]
2025 = 10000

[budget_period]
2025 = {start = 2025-07-01, end = 2025-06-01}
2026 = {start = 2026-07-01}

[[budget_change]]
from = 2026-03-01
amount = 500

[[budget_change]]
from = "31-2-2026"
amount = 500

[[budget_change]]
from = 2026-08-01
amount = -4000

[[budget_change]]
from = 2026-09-01
amount = "veel"

[[budget_change]]
amount = 100
"""


def test_check_finds_every_problem_of_a_hand_edited_team_file(lcli: Cli, ledger_dir: Path) -> None:
    team_file(ledger_dir, "noord").write_text(BAD_TEAM, encoding="utf-8")
    result = lcli("check", "-f", "json")
    assert result.code == 1, result
    found = {(p["line"], p["message"]) for p in json.loads(result.out)}
    where = {p["file"] for p in json.loads(result.out)}
    assert len(where) == 1 and where.pop().endswith("teams/noord.toml")
    lines = sorted(line for line, _ in found)
    # 8: the 2025 period ends before it starts; 12: a top-up before the 2026 pilot begins;
    # 16: a date that does not exist; 21: a cut that leaves 2026 at 500 - 4.000 = -3.500;
    # 25: an amount that is not one; 27: a block without its date
    messages = dict(found)
    assert "ends (01-06-2025) before it starts (01-07-2025)" in messages[8]
    assert "top-up from 01-03-2026 lies outside the budget period of 2026" in messages[12]
    assert "does not exist" in messages[16]
    assert "takes the budget of 2026 below zero" in messages[21]
    assert "not an amount" in messages[25]
    assert "needs from" in messages[27]
    assert lines == [8, 12, 16, 21, 25, 27]
    # the reports refuse the file in one line, naming the first problem and its line
    assert_refused(lcli("utilisation"), "teams/noord.toml:8:", "run maatwerk check")


def test_check_finds_a_bad_profile_at_its_line(lcli: Cli, ledger_dir: Path) -> None:
    settings = ledger_dir / "maatwerk.toml"
    text = settings.read_text(encoding="utf-8").replace("under_share = 0.5", "under_share = 0.5\nprofile = [1, 2]")
    settings.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("profile"))
    result = lcli("check")
    assert result.code == 1
    assert f"maatwerk.toml:{line}: pace.profile is not 12 numbers" in result.out
    before = snapshot(ledger_dir)
    assert_refused(lcli("utilisation"), "pace.profile")
    assert snapshot(ledger_dir) == before


def test_the_worked_example_of_the_docs(lcli: Cli, ledger_dir: Path) -> None:
    """docs/reports.md, "The pace": the same figures, through the command line (2025 has 365
    days like 2026)."""
    ok(lcli("team", "budget", "noord", "+5.000", "--from", "1-7-2025"))
    ok(lcli("spend", "noord", "400", "-c", "Wonen", "-d", "2-2-2025"))
    for day in range(3, 12):
        ok(lcli("spend", "noord", "400", "-c", "Wonen", "-d", f"{day}-3-2025", "--reason", "elke dag een nacht"))
    noord = next(r for r in json.loads(ok(lcli("utilisation", "--as-of", "30-9-2025", "-f", "json")).out)
                 if r["team"] == "noord")
    assert noord["spent"] == 4000.0 and noord["expected_spend"] == 9979.45 and noord["pace"] == 0.6653
    assert noord["status"] == "under" and noord["projected"] == 6012.35
    ok(lcli("team", "budget", "noord", "-2.000", "--from", "1-10-2025"))
    noord = next(r for r in json.loads(ok(lcli("utilisation", "--as-of", "31-10-2025", "-f", "json")).out)
                 if r["team"] == "noord")
    assert noord["budget"] == 13000.0 and noord["expected_spend"] == 10997.25 and noord["pace"] == 0.8459


def test_the_readme_block_on_budgets_runs(cli: Cli, tmp_path: Path) -> None:
    """The README's commands for periods, top-ups and cuts, on a copy of the demo ledger."""
    import shlex
    import shutil

    root = Path(__file__).resolve().parents[1]
    demo = tmp_path / "demo"
    shutil.copytree(root / "ledgers", demo)
    text = (root / "README.md").read_text(encoding="utf-8")
    block = next(b for b in text.split("```")[1::2] if "team budget oost" in b)
    commands = [line.split("  #", 1)[0].strip() for line in block.strip().splitlines()]
    assert len(commands) == 4
    for command in commands:
        args = shlex.split(command)
        assert args[0] == "maatwerk"
        result = ok(cli("--ledgers", str(demo), *args[1:]))
        assert result.out.strip()
    oost = Ledger(demo).team("oost").budget_year(2026)
    assert (oost.first, oost.last, oost.total) == (D(2026, 7, 1), D(2026, 12, 31), Decimal("6000"))
    assert Ledger(demo).team("noord").budget(2026) == Decimal("15000")  # 12.000 + 5.000 - 2.000
