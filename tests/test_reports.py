"""The reports as a library: every figure against a hand computation on a hand-made ledger.

The ledger below is small enough to add up on paper; each expected figure in these tests
is written out from the list of spends and events, never taken from the report code.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from maatwerk_cli import Ledger
from maatwerk_cli.analysis.reports import (
    Period,
    categories,
    check_share,
    compare,
    loans,
    outcomes,
    pace_status,
    period,
    projected_cents,
    story_cases,
    summary,
    transpose,
    utilisation,
)
from maatwerk_cli.core.errors import InputError, NotFoundError
from maatwerk_cli.render.stories import stories
from maatwerk_cli.store.journal import read_journal
from reference import raw_line

D = Decimal
SEP30 = dt.date(2025, 9, 30)
DEC31 = dt.date(2025, 12, 31)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclass
class Built:
    """The hand-made ledger and the ids of its entries."""

    root: Path
    ids: dict[str, str]


def _append(lg: Ledger, team: str, **cells: str) -> str:
    """A journal row written directly (cash rows: the cash commands are not under test)."""
    return lg.folder.append(team, [cells])[0]


def build(root: Path) -> Built:
    """Teststad 2025: noord (10.000), zuid (5.000), oost (no 2025 budget), fonds (10.000, fund).

    noord
      n_old   2024-12-20   400,00 Wonen loan due 2025-01-20; repaid 100 on 2025-02-01
      n_food  2025-01-15    35,00 Levensmiddelen pin, household H-7KXM4P; tegenprestatie later
      n_rent  2025-02-10   800,00 Wonen loan due 2025-05-10; repaid 200 (03-01), 100 (10-15)
      n_void  2025-03-05   120,50 Gezondheid, voided
      n_cond  2025-04-20 1.100,00 Opleiding en werk, conditional, tegenprestatie;
                         recovered 300 (06-01); outcome reached, avoided 7.414,00
      withdraw 2025-06-29 100,00; n_cash 2025-06-30 60,00 contant;
      settle  2025-10-05 write-off 5,00 and deposit 35,00
      n_late  2025-10-01   250,00 Wonen, marked loan due 2025-11-01
      refusals 2024-11-01 and 2025-05-05
    zuid
      z_big   2025-03-10 2.500,00 Wonen factuur
      z_loan  2025-05-01    45,67 Financiën loan due 2025-06-01
      z_teg   2025-09-30    12,34 Kleding, tegenprestatie; outcome partial
      z_last  2025-12-31    99,99 Overig
    oost: budget 1.000 for 2024 only
      o_a     2025-02-02    10,00 Vervoer;  o_b 2025-02-03 10,01 Vervoer
    fonds (fund)
      f_big   2025-08-01 7.500,00 Wonen; outcome not-reached, avoided -500,00
    """
    lg = Ledger.init(root, municipality="Teststad", year=2025)
    lg.add_team("noord", name="Wijkteam Noord", budget=D("10000"), year=2025)
    lg.add_team("zuid", name="Wijkteam Zuid", budget=D("5000"), year=2025)
    lg.add_team("oost", name="Wijkteam Oost", budget=D("1000"), year=2024)
    lg.add_team("fonds", name="Doorbraakfonds", budget=D("10000"), year=2025, kind="fund")
    ids: dict[str, str] = {}
    lg.refuse("noord", reason="tweede aanvraag dit jaar", date=d("2024-11-01"))
    ids["n_old"] = lg.spend("noord", D("400"), category="Wonen", kind="loan", due=d("2025-01-20"),
                            date=d("2024-12-20"), household="H-BCDF23", reason="voor de start")
    ids["n_food"] = lg.spend("noord", D("35"), category="levensmiddelen", date=d("2025-01-15"),
                             household="H-7KXM4P",
                             note="boodschappen voor H-7KXM4P, melk en brood tot de uitkering komt")
    lg.repay(ids["n_old"], D("100"), date=d("2025-02-01"))
    ids["n_rent"] = lg.spend("noord", D("800"), category="Wonen", method="factuur", kind="loan",
                             due=d("2025-05-10"), date=d("2025-02-10"), household="H-BCDF23",
                             note="huurachterstand; ontruiming voorkomen")
    lg.repay(ids["n_rent"], D("200"), date=d("2025-03-01"))
    ids["n_void"] = lg.spend("noord", D("120.50"), category="Gezondheid", date=d("2025-03-05"))
    lg.void(ids["n_void"], reason="twee keer ingevoerd")
    ids["n_cond"] = lg.spend("noord", D("1100"), category="Opleiding en werk", method="factuur",
                             kind="conditional", condition="lasmasker terug als de opleiding stopt",
                             tegenprestatie="helpt bij de buurtkamer", date=d("2025-04-20"),
                             note="lasmasker voor de opleiding tot lasser")
    lg.refuse("noord", reason="kerstpakket", date=d("2025-05-05"))
    lg.mark_recovered(ids["n_cond"], pot="bijzondere bijstand", amount=D("300"), date=d("2025-06-01"))
    lg.mark_outcome(ids["n_cond"], "reached", avoided_cost=D("7414"))
    _append(lg, "noord", type="withdraw", date="2025-06-29", amount="100.00")
    ids["n_cash"] = lg.spend("noord", D("60"), category="Levensmiddelen", method="contant",
                             date=d("2025-06-30"))
    ids["n_late"] = lg.spend("noord", D("250"), category="Wonen", date=d("2025-10-01"))
    _append(lg, "noord", type="settle", date="2025-10-05", amount="5.00", method="write-off")
    _append(lg, "noord", type="settle", date="2025-10-05", amount="35.00", method="deposit")
    lg.repay(ids["n_rent"], D("100"), date=d("2025-10-15"))
    lg.mark_tegenprestatie(ids["n_food"], "ruimt de speeltuin op", status="done")
    lg.mark_kind(ids["n_late"], "loan", due=d("2025-11-01"))

    ids["z_big"] = lg.spend("zuid", D("2500"), category="Wonen", method="factuur", date=d("2025-03-10"),
                            note="borg voor een kamer, moeder van 17")
    ids["z_loan"] = lg.spend("zuid", D("45.67"), category="financien", kind="loan", due=d("2025-06-01"),
                             date=d("2025-05-01"), household="H-QRST56")
    ids["z_teg"] = lg.spend("zuid", D("12.34"), category="Kleding", date=d("2025-09-30"),
                            tegenprestatie="schildert het hek", note="werkschoenen")
    lg.mark_outcome(ids["z_teg"], "partial")
    ids["z_last"] = lg.spend("zuid", D("99.99"), category="Overig", date=d("2025-12-31"))

    # No 2025 budget for oost: recorded over the plausibility rule, with a reason.
    ids["o_a"] = lg.spend("oost", D("10"), category="Vervoer", date=d("2025-02-02"), reason="budget volgt")
    ids["o_b"] = lg.spend("oost", D("10.01"), category="Vervoer", date=d("2025-02-03"), reason="budget volgt")

    ids["f_big"] = lg.spend("fonds", D("7500"), category="Wonen", method="factuur", date=d("2025-08-01"),
                            note="gedwongen verkoop voorkomen")
    lg.mark_outcome(ids["f_big"], "not-reached", avoided_cost=D("-500"))
    return Built(root, ids)


@pytest.fixture(autouse=True)
def _no_frame_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test the loader itself, and leave the user's cache folder alone."""
    monkeypatch.setenv("MAATWERK_NO_CACHE", "1")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("reports") / "ledgers")


@pytest.fixture
def lg(built: Built) -> Ledger:
    return Ledger(built.root)


def by_team(frame: pd.DataFrame) -> dict[str, dict[str, object]]:
    return {str(r["team"]): r for r in frame.to_dict(orient="records")}


# ---------------------------------------------------------------------------- the pace


@pytest.mark.parametrize(
    ("day", "numerator", "denominator"),
    [
        ("2025-01-01", 1, 365),
        ("2025-09-30", 273, 365),
        ("2025-12-31", 365, 365),
        ("2024-01-01", 1, 366),
        ("2024-02-29", 60, 366),
        ("2024-09-30", 274, 366),
        ("2024-12-31", 366, 366),
    ],
)
def test_expected_is_the_share_of_days_passed(day: str, numerator: int, denominator: int) -> None:
    p = period(as_of=d(day), on=d("2026-06-01"))
    assert p.year == d(day).year
    assert p.expected == numerator / denominator


def test_thirtieth_of_september_is_about_three_quarters() -> None:
    assert round(period(as_of=SEP30, on=d("2026-01-01")).expected, 3) == 0.748


def test_projection_and_status_at_the_edges_of_the_year() -> None:
    jan1 = Period(2025, d("2025-01-01"))
    assert projected_cents(100, jan1) == 36500  # one euro on day one is 365 a year
    dec31 = Period(2025, DEC31)
    assert projected_cents(123456, dec31) == 123456  # on 31 December projected == spent
    leap = Period(2024, d("2024-02-29"))
    assert projected_cents(6000, leap) == 36600
    # half way through 2025 (day 182.5 would be the middle): 1 cent below and on the line
    mid = Period(2025, d("2025-07-02"))  # day 183
    threshold = Decimal("0.5") * 183 * 1_000_000 / 365  # cents of a 10.000 budget
    assert pace_status(int(threshold), 1_000_000, mid, Decimal("0.5")) == "under"
    assert pace_status(int(threshold) + 1, 1_000_000, mid, Decimal("0.5")) == "on-track"
    assert pace_status(1_000_001, 1_000_000, dec31, Decimal("0.5")) == "over"
    # on track now, but heading over the budget at this pace
    assert pace_status(600_000, 1_000_000, mid, Decimal("0.5")) == "over"
    # no budget: anything spent is over, nothing spent is on track
    assert pace_status(1, 0, mid, Decimal("0.5")) == "over"
    assert pace_status(0, 0, mid, Decimal("0.5")) == "on-track"
    # under_share 0 switches 'under' off
    assert pace_status(0, 1_000_000, mid, Decimal(0)) == "on-track"


def test_period_defaults_and_mistakes() -> None:
    today = d("2026-05-20")
    assert period(on=today) == Period(2026, today)
    assert period(year=2025, on=today) == Period(2025, DEC31)
    assert period(as_of=d("2025-03-01"), on=today) == Period(2025, d("2025-03-01"))
    assert period(month="2025-02", on=today) == Period(2025, d("2025-02-28"), d("2025-02-01"))
    assert period(month="2024-02", on=today).as_of == d("2024-02-29")
    assert period(month="2026-05", on=today) == Period(2026, today, d("2026-05-01"))
    with pytest.raises(InputError, match="not both"):
        period(as_of=today, month="2026-05", on=today)
    with pytest.raises(InputError, match="not in 2024"):
        period(year=2024, as_of=d("2025-01-01"), on=today)
    with pytest.raises(InputError, match="has not begun"):
        period(year=2027, on=today)
    with pytest.raises(InputError, match="has not begun"):
        period(month="2026-06", on=today)
    with pytest.raises(InputError, match="not in 2024"):
        period(year=2024, month="2025-01", on=today)


def test_under_share_accepts_dutch_and_percent() -> None:
    assert check_share("0,5") == Decimal("0.5")
    assert check_share("25%") == Decimal("0.25")
    assert check_share(Decimal("1")) == 1
    for bad in ("1,5", "-0.1", "half", "NaN"):
        with pytest.raises(InputError):
            check_share(bad)


# ---------------------------------------------------------------------------- utilisation


def test_utilisation_on_the_thirtieth_of_september(lg: Ledger) -> None:
    frame = utilisation(lg, as_of=SEP30)
    assert list(frame.columns)[:9] == ["team", "budget", "spent", "repaid", "net", "utilisation",
                                       "expected", "status", "projected"]
    assert "month_spent" not in frame.columns
    rows = by_team(frame)
    assert list(rows) == ["fonds", "noord", "oost", "zuid"]
    expected = 273 / 365

    noord = rows["noord"]
    # 35 + 800 + 1.100 + 60; the voided 120,50, the 250 of 1 October and the write-off of
    # 5 October are not counted yet
    assert noord["spent"] == D("1995.00")
    # 100 (2024 loan, repaid in 2025) + 200 repaid + 300 recovered; the 100 of 15 October not yet
    assert noord["repaid"] == D("600.00")
    assert noord["net"] == D("1395.00")
    assert noord["utilisation"] == pytest.approx(0.1995)
    assert noord["expected"] == expected
    assert noord["status"] == "under"  # 19,95% < 0,5 x 74,8%
    assert noord["projected"] == D("2667.31")  # 1.995 x 365 / 273 = 2.667,307...
    assert noord["cash_on_hand"] == D("40.00")  # 100 withdrawn - 60 spent in cash
    assert noord["kind"] == "team" and noord["name"] == "Wijkteam Noord"

    zuid = rows["zuid"]
    assert zuid["spent"] == D("2558.01")  # 2.500 + 45,67 + 12,34 (dated 30 September itself)
    assert zuid["repaid"] == D("0.00")
    assert zuid["utilisation"] == pytest.approx(2558.01 / 5000)
    assert zuid["projected"] == D("3420.05")  # 2.558,01 x 365 / 273 = 933.673,65 / 273
    assert zuid["status"] == "on-track"

    fonds = rows["fonds"]
    assert fonds["kind"] == "fund"
    assert fonds["spent"] == D("7500.00")
    assert fonds["projected"] == D("10027.47")  # above the 10.000 budget: over by pace
    assert fonds["status"] == "over"

    oost = rows["oost"]
    assert oost["budget"] == D("0.00")
    assert oost["utilisation"] is None or pd.isna(oost["utilisation"])
    assert oost["spent"] == D("20.01")
    assert oost["status"] == "over"

    total = frame.attrs["total"]
    assert total["team"] == "totaal"
    assert total["budget"] == D("25000.00")
    assert total["spent"] == D("1995.00") + D("2558.01") + D("7500.00") + D("20.01")
    assert total["repaid"] == D("600.00")
    assert frame.attrs["as_of"] == SEP30 and frame.attrs["year"] == 2025
    assert frame.attrs["problems"] == ()


def test_utilisation_for_the_whole_year(lg: Ledger) -> None:
    rows = by_team(utilisation(lg, year=2025))
    noord = rows["noord"]
    # + 250 (1 October) + 5 written off; the deposit of 35 is not spent
    assert noord["spent"] == D("2250.00")
    assert noord["repaid"] == D("700.00")
    assert noord["projected"] == noord["spent"]
    assert noord["cash_on_hand"] == D("0.00")  # 100 - 60 - 5 - 35
    assert noord["expected"] == 1.0
    assert rows["zuid"]["spent"] == D("2658.00")  # the spend of 31 December counts
    assert rows["noord"]["status"] == "under"  # 22,5% < 50%
    assert rows["zuid"]["status"] == "on-track"  # 53,16%
    assert rows["fonds"]["status"] == "on-track"  # 75%, the projection is now the spend


def test_utilisation_with_a_month(lg: Ledger) -> None:
    frame = utilisation(lg, ["noord", "ZUID"], month="2025-06")
    assert frame.attrs["as_of"] == d("2025-06-30")
    assert list(frame["team"]) == ["noord", "zuid"]
    rows = by_team(frame)
    assert rows["noord"]["month_spent"] == D("60.00")  # only the cash spend of 30 June
    assert rows["noord"]["spent"] == D("1995.00")
    assert rows["zuid"]["month_spent"] == D("0.00")
    assert rows["noord"]["expected"] == 181 / 365
    assert frame.attrs["total"]["month_spent"] == D("60.00")


def test_utilisation_under_share_override(lg: Ledger) -> None:
    # zuid at 30 September uses 51,2% against a pace of 74,8%: under only when the
    # share asked is above 51,16 / 74,79 = 0,684
    assert by_team(utilisation(lg, as_of=SEP30, under_share="0,68"))["zuid"]["status"] == "on-track"
    assert by_team(utilisation(lg, as_of=SEP30, under_share="69%"))["zuid"]["status"] == "under"


def test_unknown_team_is_named(lg: Ledger) -> None:
    with pytest.raises(NotFoundError, match="noordd"):
        utilisation(lg, ["noordd"], year=2025)


def test_leap_year_utilisation(tmp_path: Path) -> None:
    lg = Ledger.init(tmp_path / "l", municipality="Schrikkel", year=2024)
    lg.add_team("west", name="West", budget=D("3660"), year=2024)
    lg.spend("west", D("600"), category="Wonen", date=d("2024-02-29"))
    row = utilisation(lg, as_of=d("2024-02-29")).to_dict(orient="records")[0]
    assert row["expected"] == 60 / 366
    assert row["projected"] == D("3660.00")  # 600 x 366 / 60
    assert row["status"] == "on-track"  # exactly on budget at this pace is not over


# ---------------------------------------------------------------------------- compare


def test_compare_every_figure(lg: Ledger) -> None:
    frame = compare(lg, year=2025)
    assert list(frame.columns)[:12] == [
        "team", "budget", "spent", "utilisation", "count", "average", "median", "max",
        "top_category", "loans_outstanding", "tegenprestatie_share", "refusals",
    ]
    rows = by_team(frame)
    noord = rows["noord"]
    assert noord["spent"] == D("2250.00")
    assert noord["utilisation"] == pytest.approx(0.225)
    assert noord["count"] == 5  # 35, 800, 1.100, 60, 250 (not the voided one, not 2024's)
    assert noord["average"] == D("449.00")  # 2.245 / 5: the write-off is not a spend
    assert noord["median"] == D("250.00")
    assert noord["max"] == D("1100.00")
    assert noord["top_category"] == "Opleiding en werk"  # 1.100 against Wonen's 1.050
    # still owed on 31 December: 800-300 + 1.100-300 + 250
    assert noord["loans_outstanding"] == D("1550.00")
    assert noord["tegenprestatie_share"] == pytest.approx(2 / 5)
    assert noord["refusals"] == 1  # the 2024 refusal is another year

    zuid = rows["zuid"]
    assert zuid["count"] == 4
    assert zuid["average"] == D("664.50")  # 2.658 / 4
    assert zuid["median"] == D("72.83")  # (45,67 + 99,99) / 2
    assert zuid["max"] == D("2500.00")
    assert zuid["top_category"] == "Wonen"
    assert zuid["loans_outstanding"] == D("45.67")
    assert zuid["tegenprestatie_share"] == pytest.approx(0.25)
    assert zuid["refusals"] == 0

    oost = rows["oost"]
    assert oost["average"] == D("10.01")  # 10,005 rounded half up
    assert oost["median"] == D("10.01")
    assert oost["top_category"] == "Vervoer"

    total = frame.attrs["total"]
    assert total["count"] == 12
    assert total["spent"] == D("2250.00") + D("2658.00") + D("20.01") + D("7500.00")
    # all 12 amounts sorted: 10, 10.01, 12.34, 35, 45.67, 60, | 99.99, 250, ...
    assert total["median"] == D("79.995").quantize(D("0.01"), rounding="ROUND_HALF_UP")
    assert total["max"] == D("7500.00")
    assert total["top_category"] == "Wonen"  # 800 + 250 + 2.500 + 7.500
    assert total["loans_outstanding"] == D("1595.67")
    assert total["refusals"] == 1


def test_compare_empty_team_and_as_of(lg: Ledger) -> None:
    rows = by_team(compare(lg, ["oost", "noord"], year=2025, as_of=d("2025-01-31")))
    assert list(rows) == ["oost", "noord"]
    assert rows["oost"]["count"] == 0
    # nothing to average: missing (None for money, NaN for text and fractions)
    assert rows["oost"]["average"] is None and pd.isna(rows["oost"]["top_category"])
    assert pd.isna(rows["oost"]["tegenprestatie_share"])
    # noord in January: only the 35 of 15 January
    assert rows["noord"]["count"] == 1 and rows["noord"]["spent"] == D("35.00")
    # the 2024 loan is not this year's; no loan of January
    assert rows["noord"]["loans_outstanding"] == D("0.00")


def test_transpose_puts_teams_in_columns(lg: Ledger) -> None:
    flipped = transpose(compare(lg, ["noord", "zuid"], year=2025))
    assert list(flipped.columns) == ["field", "noord", "zuid"]
    spent = flipped[flipped["field"] == "spent"].iloc[0]
    assert spent["noord"] == D("2250.00") and spent["zuid"] == D("2658.00")


# ---------------------------------------------------------------------------- categories


def test_categories_by_money(lg: Ledger) -> None:
    frame = categories(lg, year=2025)
    assert list(frame.columns) == ["category", "count", "amount", "share_count", "share_amount"]
    rows = [(r["category"], r["count"], r["amount"]) for r in frame.to_dict(orient="records")]
    assert rows == [
        ("Wonen", 4, D("11050.00")),
        ("Opleiding en werk", 1, D("1100.00")),
        ("Overig", 1, D("99.99")),
        ("Levensmiddelen", 2, D("95.00")),
        ("Financiën", 1, D("45.67")),
        ("Vervoer", 2, D("20.01")),
        ("Kleding", 1, D("12.34")),
    ]
    total_money = D("12423.01")
    first = frame.iloc[0]
    assert first["share_count"] == pytest.approx(4 / 12)
    assert first["share_amount"] == pytest.approx(float(D("11050") / total_money))
    assert frame.attrs["total"]["amount"] == total_money
    assert frame.attrs["total"]["count"] == 12


def test_categories_of_one_team(lg: Ledger) -> None:
    frame = categories(lg, "zuid", year=2025, as_of=SEP30)
    assert [r["category"] for r in frame.to_dict(orient="records")] == ["Wonen", "Financiën", "Kleding"]


# ---------------------------------------------------------------------------- loans


def test_open_loans_on_the_thirtieth_of_september(lg: Ledger, built: Built) -> None:
    frame = loans(lg, as_of=SEP30)
    rows = {r["id"]: r for r in frame.to_dict(orient="records")}
    ids = built.ids
    assert set(rows) == {ids["n_old"], ids["n_rent"], ids["n_cond"], ids["z_loan"]}
    old = rows[ids["n_old"]]
    assert (old["amount"], old["repaid"], old["outstanding"]) == (D("400.00"), D("100.00"), D("300.00"))
    assert old["days_overdue"] == (SEP30 - d("2025-01-20")).days == 253
    rent = rows[ids["n_rent"]]
    assert rent["repaid"] == D("200.00") and rent["outstanding"] == D("600.00")
    assert rent["days_overdue"] == 143
    assert rent["household"] == "H-BCDF23"
    cond = rows[ids["n_cond"]]
    assert cond["kind"] == "conditional" and cond["due"] is None and cond["days_overdue"] == 0
    assert cond["recovered"] == D("300.00") and cond["outstanding"] == D("800.00")
    assert rows[ids["z_loan"]]["days_overdue"] == 121
    # most overdue first; the conditional grant without a due date last
    assert list(frame["id"]) == [ids["n_old"], ids["n_rent"], ids["z_loan"], ids["n_cond"]]
    assert frame.attrs["total"]["outstanding"] == D("300") + D("600") + D("800") + D("45.67")


def test_overdue_loans_at_the_end_of_the_year(lg: Ledger, built: Built) -> None:
    frame = loans(lg, overdue=True, as_of=DEC31)
    rows = {r["id"]: r for r in frame.to_dict(orient="records")}
    ids = built.ids
    # n_rent: 800 - 300; n_late: marked a loan, due 1 November, nothing repaid
    assert set(rows) == {ids["n_old"], ids["n_rent"], ids["z_loan"], ids["n_late"]}
    assert rows[ids["n_rent"]]["outstanding"] == D("500.00")
    assert rows[ids["n_late"]]["days_overdue"] == 60


def test_loans_of_one_team(lg: Ledger, built: Built) -> None:
    frame = loans(lg, ["zuid"], as_of=SEP30)
    assert list(frame["id"]) == [built.ids["z_loan"]]


# ---------------------------------------------------------------------------- outcomes


def test_outcomes(lg: Ledger) -> None:
    frame = outcomes(lg, year=2025)
    assert list(frame.columns)[:5] == ["team", "reached", "partial", "not_reached", "avoided_cost"]
    rows = by_team(frame)
    assert (rows["noord"]["reached"], rows["noord"]["avoided_cost"]) == (1, D("7414.00"))
    assert rows["noord"]["cases"] == 5 and rows["noord"]["evaluated"] == 1
    assert rows["zuid"]["partial"] == 1 and rows["zuid"]["costed"] == 0
    assert rows["fonds"]["not_reached"] == 1 and rows["fonds"]["avoided_cost"] == D("-500.00")
    assert rows["fonds"]["cheaper"] == 0
    total = frame.attrs["total"]
    assert (total["reached"], total["partial"], total["not_reached"]) == (1, 1, 1)
    assert total["avoided_cost"] == D("6914.00")
    assert (total["evaluated"], total["costed"], total["cheaper"]) == (3, 2, 1)


# ---------------------------------------------------------------------------- stories


def test_stories_hide_household_codes(lg: Ledger, built: Built) -> None:
    text = stories(lg)
    assert "H-7KXM4P" not in text and "H-BCDF23" not in text and "H-QRST56" not in text
    assert "boodschappen voor [huishouden], melk" in text
    assert "## Wonen" in text and "## Levensmiddelen" in text
    assert "twee keer ingevoerd" not in text and "€ 120,50" not in text  # voided: left out
    assert "Tegenprestatie: ruimt de speeltuin op (done)" in text
    assert "Outcome: reached; avoided cost € 7.414,00" in text
    cases = story_cases(lg)
    assert "household" not in cases.columns


def test_stories_filters(lg: Ledger, built: Built) -> None:
    cases = story_cases(lg, team="zuid", category="FINANCIEN")
    assert list(cases["id"]) == [built.ids["z_loan"]]
    big = story_cases(lg, min_amount=D("1000"), since=d("2025-01-01"))
    assert set(big["id"]) == {built.ids["n_cond"], built.ids["z_big"], built.ids["f_big"]}
    text = stories(lg, team="zuid", min_amount=D("100000"))
    assert "No cases match" in text
    with pytest.raises(NotFoundError):
        story_cases(lg, category="Bestaat niet")


# ---------------------------------------------------------------------------- summary


def test_summary_by_municipality_and_team(built: Built, tmp_path: Path) -> None:
    other = Ledger.init(tmp_path / "zaanstad", municipality="Zaanstad", year=2025)
    other.add_team("centrum", name="Centrum", budget=D("400000"), year=2025)
    other.spend("centrum", D("8500"), category="Wonen", date=d("2025-06-01"))
    other.spend("centrum", D("1100"), category="Opleiding en werk", date=d("2025-06-02"),
                tegenprestatie="helpt de buurman")
    nameless = Ledger.init(tmp_path / "proefdorp", year=2025)
    nameless.add_team("a", name="A", budget=D("100"), year=2025)

    frame = summary([built.root, tmp_path / "zaanstad", tmp_path / "proefdorp"], year=2025)
    assert list(frame.columns)[:12] == [
        "municipality", "budget", "spent", "utilisation", "count", "average", "median", "max",
        "top_category", "loans_outstanding", "tegenprestatie_share", "refusals",
    ]
    rows = {r["municipality"]: r for r in frame.to_dict(orient="records")}
    assert list(rows) == ["Teststad", "Zaanstad", "proefdorp"]
    assert rows["Teststad"]["spent"] == D("12428.01") and rows["Teststad"]["teams"] == 4
    zaan = rows["Zaanstad"]
    assert (zaan["budget"], zaan["spent"], zaan["count"]) == (D("400000.00"), D("9600.00"), 2)
    assert zaan["average"] == D("4800.00") and zaan["max"] == D("8500.00")
    assert zaan["utilisation"] == pytest.approx(0.024)
    assert zaan["tegenprestatie_share"] == pytest.approx(0.5)
    assert rows["proefdorp"]["count"] == 0

    teams = summary([built.root, tmp_path / "zaanstad"], year=2025, by="team")
    assert list(teams.columns)[:3] == ["municipality", "team", "budget"]
    keyed = {(r["municipality"], r["team"]): r for r in teams.to_dict(orient="records")}
    assert keyed[("Teststad", "noord")]["spent"] == D("2250.00")
    assert keyed[("Zaanstad", "centrum")]["top_category"] == "Wonen"


def test_summary_names_a_folder_that_is_not_a_ledger(built: Built, tmp_path: Path) -> None:
    """A path that is not a ledger is skipped and named (so `summary examples/*` works)."""
    got = summary([built.root, tmp_path / "leeg"], year=2025)
    assert len(got) == 1 and any("leeg" in s and "not a ledger folder" in s for s in got.attrs["skipped"])
    with pytest.raises(InputError, match="given twice"):
        summary([built.root, built.root / ".." / built.root.name], year=2025)
    with pytest.raises(InputError):
        summary([built.root], year=2025, by="province")


# ---------------------------------------------------------------------------- one loader, two readers


def _compare_readers(lg: Ledger, teams: list[str] | None = None) -> None:
    """The reader and the fold against the line-by-line reference (tests/reference.py):
    the same lines set aside with the same messages, the same rows, the same entries."""
    import reference

    snap = lg.read(teams)
    expected_problems: list[str] = []
    expected_entries = []
    for slug in teams or lg.team_slugs():
        path = lg.folder.journal_path(slug)
        name = lg.folder.display(path)
        if not path.exists():
            continue
        rows, problems = reference.read(path.read_bytes(), slug, name)
        expected_problems.extend(f"{name}:{n}: {m}" for n, m in problems)
        got = lg.folder.book(slug)
        assert [(r.id, r.type, r.line) for r in read_journal(path, slug, name).rows] == \
            [(r.id, r.type, r.line) for r in rows]
        assert len(got.book.lines) == len(rows)
        expected_entries.extend(reference.fold(rows).entries.values())
    assert [str(p) for p in snap.problems] == expected_problems
    assert [e.id for e in snap.entries] == [s.row.id for s in expected_entries]
    for e, s in zip(snap.entries, expected_entries, strict=True):
        assert (e.team, e.date, e.amount, e.category, e.kind) == (s.row.team, s.row.date, s.row.amount,
                                                                 s.row.category, s.kind)
        assert (e.voided, e.void_reason, e.repaid, e.recovered, e.outstanding) == (
            s.voided, s.void_reason, s.repaid, s.recovered, s.outstanding)
        assert (e.due, e.condition, e.tegenprestatie, e.tegenprestatie_status) == (
            s.due, s.condition, s.tegenprestatie, s.tegenprestatie_status)
        assert (e.outcome, e.avoided_cost, e.note, e.household) == (s.outcome, s.avoided, s.row.note,
                                                                    s.row.household)


def test_loader_agrees_with_the_library_reader(lg: Ledger) -> None:
    _compare_readers(lg)


def test_loader_agrees_on_a_damaged_ledger(built: Built, tmp_path: Path) -> None:
    root = tmp_path / "damaged"
    shutil.copytree(built.root, root)
    noord = root / "teams" / "noord.csv"
    lines = noord.read_bytes().split(b"\n")
    # a hand edit (checksum no longer matches), an empty line, a CRLF ending, a line cut short
    lines[2] = lines[2].replace(b"400.00", b"40.00")
    lines.insert(5, b"")
    lines[6] = lines[6] + b"\r"
    lines[8] = lines[8][:20]
    # lines with a valid checksum that still break the rules: unknown type, another team's
    # id, a date that does not exist, extra that is not an object, an amount in Dutch
    cells = {"type": "spend", "date": "2025-03-01", "amount": "1.00", "category": "Overig",
             "method": "pin", "kind": "gift"}
    crafted = [
        {**cells, "id": "noord-2025-0900", "type": "bogus"},
        {**cells, "id": "zuid-2025-0901"},
        {**cells, "id": "noord-2025-0902", "date": "2025-02-30"},
        {**cells, "id": "noord-2025-0903", "extra": "[1, 2]"},
        {**cells, "id": "noord-2025-0904", "amount": "1,00"},
        {**cells, "id": "noord-2025-0905", "due": "2025-3-1"},
        {**cells, "id": "noord-2025-0906", "note": 'een "quote", en een komma'},
        {**cells, "id": "noord-2025-0907", "extra": '{"bank_ref": "x"}'},
        {**cells, "id": "noord-2025-0908", "category": "een heel lange categorie " * 4},
    ]
    text = b"\n".join(lines)
    text += b"".join(raw_line(c) for c in crafted)
    text += b'noord-2025-0950,spend,"2025-01-01,open quote\n'  # a quote never closed
    text += b"noord-2025-0999,spend,2025-12-01,,9.99"  # torn last line, no newline
    noord.write_bytes(text)
    # zuid: a byte order mark and bytes that are not UTF-8 in one line
    zuid = root / "teams" / "zuid.csv"
    zlines = zuid.read_bytes().split(b"\n")
    zlines[2] = zlines[2].replace(b"Wonen", b"W\xffnen")
    zuid.write_bytes(b"\xef\xbb\xbf" + b"\n".join(zlines))
    # oost: not a journal header at all
    (root / "teams" / "oost.csv").write_bytes(b"datum,bedrag\n2025-01-01,5\n")
    # fonds: empty file
    (root / "teams" / "fonds.csv").write_bytes(b"")

    damaged = Ledger(root)
    _compare_readers(damaged)
    snap = damaged.read()
    problems = snap.problems
    messages = [p.message for p in problems]
    assert any("checksum does not match" in m for m in messages)
    assert any("unknown type 'bogus'" in m for m in messages)
    assert any("is not an id of team 'noord'" in m for m in messages)
    assert any("torn write" in m for m in messages)
    assert "empty line" in messages
    assert any("header line" in m for m in messages)
    assert any("header line is missing" in m for m in messages)
    # the quoted line and the one with a JSON object were good
    assert {"noord-2025-0906", "noord-2025-0907", "noord-2025-0908"} <= {r.id for r in snap.rows}
    # reports keep working and carry the problems
    report = utilisation(damaged, year=2025)
    assert len(report.attrs["problems"]) == len(problems) > 5


def test_loader_agrees_on_randomly_damaged_journals(built: Built, tmp_path: Path) -> None:
    """Byte flips, stray quotes, separators, CRs, NULs, cuts and repeated lines: whatever the
    damage, the vectorised loader sets aside exactly the lines the library reader does."""
    import random

    root = tmp_path / "fuzz"
    shutil.copytree(built.root, root)
    journal = root / "teams" / "noord.csv"
    original = journal.read_bytes()
    extra = b"".join(raw_line(c) for c in (
        {"id": "noord-2025-0800", "type": "spend", "date": "2025-03-01", "amount": "5.00",
         "category": "Overig", "method": "pin", "kind": "gift", "note": "a\rb"},
        {"id": "noord-2025-0801", "type": "spend", "date": "2025-03-01", "amount": "6.00",
         "category": "Overig", "method": "pin", "kind": "gift", "note": "nul\x00byte"},
        {"id": "noord-2025-0802", "type": "spend", "date": "2025-03-01", "amount": "7.00",
         "category": "Overig", "method": "pin", "kind": "gift", "note": 'zegt "ja", toch'},
    ))
    noise = [b'"', b",", b"\r", b"\n", b"\x00", b"x", b"\xff", b"9", b"-", b" ", b"\x1f"]
    rng = random.Random(int(os.environ.get("MAATWERK_FUZZ_SEED", "2025")))
    for _ in range(int(os.environ.get("MAATWERK_FUZZ_ROUNDS", "60"))):
        data = bytearray(original + extra)
        for _ in range(rng.randint(1, 4)):
            action = rng.random()
            at = rng.randrange(len(data))
            if action < 0.5:
                data[at : at + 1] = rng.choice(noise)
            elif action < 0.7:
                del data[at]
            elif action < 0.85:
                lines = bytes(data).split(b"\n")
                pick = rng.randrange(1, len(lines) - 1)
                lines.insert(pick, lines[pick])
                data = bytearray(b"\n".join(lines))
            else:
                del data[rng.randrange(len(data) // 2, len(data)):]
        journal.write_bytes(bytes(data))
        _compare_readers(Ledger(root), ["noord"])
