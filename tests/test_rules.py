"""Rules of thumb (vuistregels): each one refused, overridden with a recorded reason, listed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger, RuleError
from maatwerk_cli.ops.rules import SpendRules, load_rules

Cli = Callable[..., Result]


def set_rules(path: Path, **values: Any) -> None:
    """Set keys under [rules] of a TOML file (maatwerk.toml or a team file), keeping the rest."""
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    table = doc.get("rules")
    if table is None:
        table = tomlkit.table()
        doc["rules"] = table
    for key, value in values.items():
        table[key] = value
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")


def settings(ledger_dir: Path) -> Path:
    return ledger_dir / "maatwerk.toml"


def team_file(ledger_dir: Path, slug: str) -> Path:
    return ledger_dir / "teams" / f"{slug}.toml"


def journal_rows(ledger_dir: Path, slug: str) -> list[dict[str, str]]:
    text = (ledger_dir / "teams" / f"{slug}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def entry(lcli: Cli, entry_id: str) -> dict[str, Any]:
    res = lcli("entries", "--format", "json")
    assert res.code == 0, res.err
    rows: list[dict[str, Any]] = json.loads(res.out)
    return next(r for r in rows if r["id"] == entry_id)


def rules_json(lcli: Cli, *args: str) -> dict[str, Any]:
    res = lcli("rules", "--format", "json", *args)
    assert res.code == 0, res.err
    data: dict[str, Any] = json.loads(res.out)
    return data


def refused_untouched(lcli: Cli, ledger_dir: Path, *args: str) -> Result:
    """Run a command that a rule must refuse; prove nothing was written."""
    before = snapshot(ledger_dir)
    res = lcli(*args)
    assert_refused(res)
    assert snapshot(ledger_dir) == before
    return res


def spend(lcli: Cli, *args: str) -> str:
    res = lcli("spend", *args)
    assert res.code == 0, res.err
    return res.out.strip()


# --------------------------------------------------------------------------- max_per_spend


def test_max_per_spend_refused_then_overridden_and_listed(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(settings(ledger_dir), max_per_spend=500)
    res = refused_untouched(lcli, ledger_dir, "spend", "noord", "650", "-c", "Wonen", "-d", "3-3-2025")
    assert "rule max_per_spend" in res.err
    assert "€ 650,00" in res.err and "€ 500,00" in res.err
    assert '--reason "why"' in res.err

    assert spend(lcli, "noord", "500", "-c", "Wonen", "-d", "3-3-2025")  # at the limit is fine
    sid = spend(lcli, "noord", "650", "-c", "Wonen", "-d", "3-3-2025", "--by", "Fatima",
                "--reason", "borg voor een kamer; anders dakloos")
    row = entry(lcli, sid)
    assert row["override_reason"] == "borg voor een kamer; anders dakloos"
    line = next(r for r in journal_rows(ledger_dir, "noord") if r["id"] == sid)
    assert json.loads(line["extra"])["rules"] == ["max_per_spend"]
    assert line["reason"] == "borg voor een kamer; anders dakloos"

    data = rules_json(lcli)
    by_rule = {r["rule"]: r for r in data["rules"] if r["team"] == "noord"}
    assert by_rule["max_per_spend"]["value"] == 500
    [override] = data["overrides"]
    assert set(override) >= {"id", "team", "date", "amount", "rules", "reason", "by"}
    assert override["id"] == sid and override["team"] == "noord"
    assert override["date"] == "2025-03-03" and override["amount"] == 650
    assert override["rules"] == ["max_per_spend"]
    assert override["reason"] == "borg voor een kamer; anders dakloos"
    assert override["by"] == "Fatima"


def test_a_reason_without_a_rule_hit_records_no_rules(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(settings(ledger_dir), max_per_spend=500)
    sid = spend(lcli, "noord", "20", "-c", "Vervoer", "--reason", "just in case", "-d", "3-3-2025")
    line = next(r for r in journal_rows(ledger_dir, "noord") if r["id"] == sid)
    assert line["extra"] == ""
    assert rules_json(lcli)["overrides"] == []


# --------------------------------------------------------------------------- household rules


def test_max_per_household_year_counts_all_teams_this_year(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(settings(ledger_dir), max_per_household_year=1000)
    spend(lcli, "noord", "600", "-c", "Wonen", "--household", "H-7KXM4P", "-d", "10-1-2025")
    spend(lcli, "noord", "900", "-c", "Wonen", "--household", "H-7KXM4P", "-d", "10-12-2024",
          "--reason", "no budget for 2024 in this ledger")
    spend(lcli, "zuid", "800", "-c", "Wonen", "--household", "H-BBBB22", "-d", "12-1-2025")
    res = refused_untouched(lcli, ledger_dir, "spend", "zuid", "450", "-c", "Wonen",
                            "--household", "h-7kxm4p", "-d", "2-2-2025")
    assert "rule max_per_household_year" in res.err
    assert "H-7KXM4P" in res.err and "€ 1.050,00" in res.err and "€ 600,00" in res.err
    assert "€ 1.000,00" in res.err and "2025" in res.err
    assert spend(lcli, "zuid", "400", "-c", "Wonen", "--household", "H-7KXM4P", "-d", "2-2-2025")
    # Without a household code the household rules do not apply.
    assert spend(lcli, "zuid", "900", "-c", "Wonen", "-d", "2-2-2025")
    sid = spend(lcli, "zuid", "450", "-c", "Wonen", "--household", "H-7KXM4P", "-d", "3-2-2025",
                "--reason", "huurachterstand, ontruiming dreigt")
    [mine] = [o for o in rules_json(lcli)["overrides"] if o["id"] == sid]
    assert mine["rules"] == ["max_per_household_year"]
    assert entry(lcli, sid)["override_reason"] == "huurachterstand, ontruiming dreigt"


def test_voided_spends_do_not_count(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(settings(ledger_dir), max_per_household_year=1000, repeat_household_days=30)
    first = spend(lcli, "noord", "900", "-c", "Wonen", "--household", "H-7KXM4P", "-d", "10-1-2025")
    assert lcli("void", first, "--reason", "twee keer ingevoerd").code == 0
    assert spend(lcli, "noord", "900", "-c", "Wonen", "--household", "H-7KXM4P", "-d", "10-1-2025")


def test_max_per_household_total_counts_every_year_and_team(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(settings(ledger_dir), max_per_household_total=7500)
    for team in ("noord", "zuid"):  # budgets for the earlier years too (plausibility)
        for year in ("2023", "2024"):
            assert lcli("team", "budget", team, "10.000", "--year", year).code == 0
    spend(lcli, "noord", "5000", "-c", "Wonen", "--household", "H-7KXM4P", "-d", "1-6-2023")
    spend(lcli, "zuid", "2000", "-c", "Wonen", "--household", "H-7KXM4P", "-d", "1-6-2024")
    res = refused_untouched(lcli, ledger_dir, "spend", "zuid", "600", "-c", "Financiën",
                            "--household", "H-7KXM4P", "-d", "1-2-2025")
    assert "rule max_per_household_total" in res.err
    assert "€ 7.600,00" in res.err and "€ 7.000,00" in res.err and "€ 7.500,00" in res.err
    assert spend(lcli, "zuid", "500", "-c", "Financiën", "--household", "H-7KXM4P", "-d", "1-2-2025")
    sid = spend(lcli, "zuid", "10", "-c", "Financiën", "--household", "H-7KXM4P", "-d", "2-2-2025",
                "--reason", "griffierecht, laatste stap")
    assert rules_json(lcli, "zuid")["overrides"][0]["id"] == sid


def test_repeat_household_days(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(settings(ledger_dir), repeat_household_days=30)
    spend(lcli, "noord", "35", "-c", "Levensmiddelen", "--household", "H-7KXM4P", "-d", "1-3-2025")
    res = refused_untouched(lcli, ledger_dir, "spend", "zuid", "40", "-c", "Levensmiddelen",
                            "--household", "H-7KXM4P", "-d", "31-3-2025")
    assert "rule repeat_household_days" in res.err
    assert "30 days before" in res.err and "noord-2025-0001" in res.err and "within 30 days" in res.err
    # Recorded late: a spend after this one within the window counts too.
    res = refused_untouched(lcli, ledger_dir, "spend", "noord", "20", "-c", "Levensmiddelen",
                            "--household", "H-7KXM4P", "-d", "20-2-2025")
    assert "9 days after" in res.err
    # Another household, or a day outside the window, is fine.
    assert spend(lcli, "noord", "40", "-c", "Levensmiddelen", "--household", "H-CCCC33", "-d", "2-3-2025")
    assert spend(lcli, "noord", "40", "-c", "Levensmiddelen", "--household", "H-7KXM4P", "-d", "1-4-2025")
    sid = spend(lcli, "noord", "45", "-c", "Levensmiddelen", "--household", "H-7KXM4P",
                "-d", "2-4-2025", "--reason", "koelkast kapot, eten bedorven")
    assert rules_json(lcli)["overrides"] == [
        {"id": sid, "team": "noord", "date": "2025-04-02", "amount": 45, "category": "Levensmiddelen",
         "rules": ["repeat_household_days"], "reason": "koelkast kapot, eten bedorven", "by": "",
         "second_opinion": "", "voided": False}
    ]


# --------------------------------------------------------------------------- second opinion


def test_second_opinion_above(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(settings(ledger_dir), second_opinion_above=1000)
    res = refused_untouched(lcli, ledger_dir, "spend", "noord", "1.100", "-c", "Opleiding en werk",
                            "-d", "5-5-2025")
    assert "rule second_opinion_above" in res.err and "--second-opinion NAME" in res.err
    assert "€ 1.100,00" in res.err and "€ 1.000,00" in res.err
    # The normal way: name who agreed. No override is recorded.
    sid = spend(lcli, "noord", "1.100", "-c", "Opleiding en werk", "-d", "5-5-2025",
                "--second-opinion", "teamleider West")
    assert entry(lcli, sid)["second_opinion"] == "teamleider West"
    assert rules_json(lcli)["overrides"] == []
    # A reason stands in for it, and is recorded as an override.
    other = spend(lcli, "noord", "1.100", "-c", "Opleiding en werk", "-d", "9-5-2025",
                  "--reason", "teamleider ziek; lasmasker nodig voor de proefplaatsing maandag")
    [override] = rules_json(lcli)["overrides"]
    assert override["id"] == other and override["rules"] == ["second_opinion_above"]


# --------------------------------------------------------------------------- categories


def test_category_message(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(settings(ledger_dir),
              categories={"wonen": "Kijk eerst of de bijzondere bijstand moet betalen."})
    res = refused_untouched(lcli, ledger_dir, "spend", "noord", "211", "-c", "WONEN", "-d", "1-2-2025")
    assert "rule categories" in res.err
    assert "Kijk eerst of de bijzondere bijstand moet betalen." in res.err
    assert spend(lcli, "noord", "50", "-c", "Gezondheid", "-d", "1-2-2025")
    sid = spend(lcli, "noord", "211", "-c", "wonen", "-d", "1-2-2025",
                "--reason", "stadsverwarming, bijstand wijst af")
    [override] = rules_json(lcli)["overrides"]
    assert override["id"] == sid and override["rules"] == ["categories"]
    assert override["category"] == "Wonen"
    rule = next(r for r in rules_json(lcli)["rules"] if r["rule"] == "categories")
    assert rule["category"] == "Wonen" and rule["value"].startswith("Kijk eerst")


def test_several_rules_in_one_line(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(settings(ledger_dir), max_per_spend=500, second_opinion_above=1000,
              categories={"Wonen": "Bijzondere bijstand eerst?"})
    res = refused_untouched(lcli, ledger_dir, "spend", "noord", "1200", "-c", "Wonen", "-d", "1-2-2025")
    for name in ("max_per_spend", "second_opinion_above", "categories"):
        assert f"rule {name}" in res.err
    sid = spend(lcli, "noord", "1200", "-c", "Wonen", "-d", "1-2-2025", "--reason", "executieverkoop")
    assert rules_json(lcli)["overrides"][0]["rules"] == [
        "max_per_spend", "second_opinion_above", "categories"]
    assert entry(lcli, sid)["override_reason"] == "executieverkoop"


# --------------------------------------------------------------------------- per-team overrides


def test_team_overrides_win_key_by_key(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(settings(ledger_dir), max_per_spend=500, repeat_household_days=30,
              categories={"Wonen": "Bijzondere bijstand eerst?"})
    set_rules(team_file(ledger_dir, "noord"), max_per_spend="2.500",
              categories={"Wonen": False})
    set_rules(team_file(ledger_dir, "zuid"), max_per_spend=False)
    assert spend(lcli, "noord", "2500", "-c", "Wonen", "-d", "1-2-2025")
    assert spend(lcli, "zuid", "4000", "-c", "Vervoer", "-d", "1-2-2025")
    res = refused_untouched(lcli, ledger_dir, "spend", "zuid", "40", "-c", "Wonen", "-d", "1-2-2025")
    assert "rule categories" in res.err
    res = refused_untouched(lcli, ledger_dir, "spend", "noord", "2.600", "-c", "Vervoer", "-d", "1-2-2025")
    assert "€ 2.500,00" in res.err

    rows = rules_json(lcli)["rules"]
    noord = {r["rule"]: r for r in rows if r["team"] == "noord"}
    zuid = {r["rule"]: r for r in rows if r["team"] == "zuid"}
    assert noord["max_per_spend"]["value"] == 2500
    assert noord["max_per_spend"]["source"].endswith("noord.toml")
    assert noord["repeat_household_days"]["source"].endswith("maatwerk.toml")
    assert "categories" not in noord and "max_per_spend" not in zuid
    assert zuid["categories"]["category"] == "Wonen"
    table = lcli("rules")
    assert table.code == 0 and "max_per_spend" in table.out and "€ 2.500,00" in table.out


def test_init_and_team_add_write_the_rules_commented_out(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "l"
    assert cli("--ledgers", str(root), "init", "--year", "2025").code == 0
    assert cli("--ledgers", str(root), "team", "add", "west", "--name", "West", "--budget", "100").code == 0
    text = (root / "maatwerk.toml").read_text(encoding="utf-8")
    for name in ("max_per_spend", "max_per_household_year", "max_per_household_total",
                 "repeat_household_days", "second_opinion_above", "rules.categories"):
        assert f"# {name}" in text or f"# [{name}]" in text
    assert "# [rules]" in (root / "teams" / "west.toml").read_text(encoding="utf-8")
    # Only the plausibility rules are on by default.
    assert [r for r, _, _ in load_rules(Ledger(root), "west").listing()] == [
        "year_without_budget", "over_remaining_budget", "times_largest_spend", "times_largest_minimum",
        "times_largest_after", "duplicate_days"]
    listing = cli("--ledgers", str(root), "rules")
    assert listing.code == 0 and "year_without_budget" in listing.out and "default" in listing.out


# --------------------------------------------------------------------------- bad settings


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ({"max_per_spnd": 500}, "did you mean 'max_per_spend'"),
        ({"max_per_spend": 0}, "use false to switch it off"),
        ({"max_per_spend": "veel"}, "rules.max_per_spend"),
        ({"max_per_spend": True}, "rules.max_per_spend"),
        ({"repeat_household_days": 2.5}, "whole number of days"),
        ({"repeat_household_days": 0}, "whole number of days"),
        ({"categories": {"Vakantie": "nee"}}, "unknown category"),
        ({"categories": {"Wonen": 12}}, "message in quotes"),
    ],
)
def test_bad_rules_are_named_with_their_file(
    lcli: Cli, ledger_dir: Path, values: dict[str, Any], needle: str
) -> None:
    set_rules(settings(ledger_dir), **values)
    res = refused_untouched(lcli, ledger_dir, "spend", "noord", "10", "-c", "Vervoer", "-d", "1-2-2025")
    assert "maatwerk.toml" in res.err and needle in res.err
    checked = lcli("check")
    assert checked.code == 1 and needle in checked.out
    assert checked.out.count(needle) == 1  # once, not once per team


def test_bad_team_rules_name_the_team_file(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(team_file(ledger_dir, "zuid"), max_per_spend=-5)
    res = refused_untouched(lcli, ledger_dir, "spend", "zuid", "10", "-c", "Vervoer", "-d", "1-2-2025")
    assert "zuid.toml" in res.err
    assert spend(lcli, "noord", "10", "-c", "Vervoer", "-d", "1-2-2025")
    checked = lcli("check")
    assert checked.code == 1 and "zuid.toml" in checked.out


# --------------------------------------------------------------------------- import entries


def write_csv(path: Path, header: str, *lines: str) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_import_applies_rules_per_row(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    set_rules(settings(ledger_dir), max_per_spend=500, repeat_household_days=14)
    spend(lcli, "noord", "35", "-c", "Levensmiddelen", "--household", "H-7KXM4P", "-d", "1-3-2025")
    bad = write_csv(
        tmp_path / "in.csv", "datum;bedrag;categorie;huishouden;reden",
        "2-3-2025;25;Levensmiddelen;H-7KXM4P;",          # repeat of the journal's spend
        "3-3-2025;650;Wonen;;",                           # above max_per_spend
        "4-3-2025;20;Vervoer;H-DDDD44;",                  # fine
        "6-3-2025;22;Vervoer;H-DDDD44;",                  # repeat of the row above
    )
    before = snapshot(ledger_dir)
    res = lcli("import", "entries", str(bad), "--team", "noord")
    assert res.code == 2
    assert snapshot(ledger_dir) == before
    assert "in.csv:2: rule repeat_household_days" in res.err and "noord-2025-0001" in res.err
    assert "in.csv:3: rule max_per_spend" in res.err
    assert "in.csv:4" not in res.err
    assert "in.csv:5: rule repeat_household_days" in res.err and "earlier in this import" in res.err
    assert "reason column" in res.err

    good = write_csv(
        tmp_path / "ok.csv", "datum;bedrag;categorie;huishouden;reden",
        "2-3-2025;25;Levensmiddelen;H-7KXM4P;tweede keer: kinderen jarig",
        "3-3-2025;650;Wonen;;borg kamer",
        "4-3-2025;20;Vervoer;H-DDDD44;",
    )
    res = lcli("import", "entries", str(good), "--team", "noord")
    assert res.code == 0, res.err
    overrides = rules_json(lcli)["overrides"]
    assert [(o["rules"], o["reason"]) for o in overrides] == [
        (["repeat_household_days"], "tweede keer: kinderen jarig"),
        (["max_per_spend"], "borg kamer"),
    ]


def test_import_second_opinion_column(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    set_rules(settings(ledger_dir), second_opinion_above=1000)
    sheet = write_csv(tmp_path / "in.csv", "date,amount,category,team,tweede mening",
                      "2025-03-02,1100,Wonen,noord,teamleider", "2025-03-02,1200,Wonen,zuid,")
    res = lcli("import", "entries", str(sheet))
    assert res.code == 2 and "in.csv:3: rule second_opinion_above" in res.err
    sheet.write_text("date,amount,category,team,tweede mening\n2025-03-02,1100,Wonen,noord,teamleider\n",
                     encoding="utf-8")
    assert lcli("import", "entries", str(sheet)).code == 0
    assert entry(lcli, "noord-2025-0001")["second_opinion"] == "teamleider"


# --------------------------------------------------------------------------- the listing


def test_rules_listing_year_team_voided_and_redact(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(settings(ledger_dir), max_per_spend=100)
    assert lcli("team", "budget", "noord", "10.000", "--year", "2024").code == 0
    a = spend(lcli, "noord", "150", "-c", "Wonen", "-d", "1-6-2024", "--reason", "oud", "--by", "Anna")
    b = spend(lcli, "zuid", "150", "-c", "Wonen", "-d", "1-6-2025", "--reason", "nieuw", "--by", "Bram",
              "--household", "H-7KXM4P")
    c = spend(lcli, "zuid", "160", "-c", "Wonen", "-d", "2-6-2025", "--reason", "nieuw", "--by", "Bram")
    assert lcli("void", c, "--reason", "dubbel").code == 0
    # A voided spend overrode nothing: left out, unless asked for (and then marked).
    assert [o["id"] for o in rules_json(lcli)["overrides"]] == [a, b]
    assert [o["id"] for o in rules_json(lcli, "--voided")["overrides"]] == [a, b, c]
    assert [o["id"] for o in rules_json(lcli, "--year", "2025")["overrides"]] == [b]
    assert [o["id"] for o in rules_json(lcli, "noord")["overrides"]] == [a]
    assert [o["voided"] for o in rules_json(lcli, "zuid", "--voided")["overrides"]] == [False, True]

    redacted = rules_json(lcli, "--redact")["overrides"]
    assert all("reason" not in o and "by" not in o for o in redacted)
    plain = lcli("rules", "--format", "csv")
    assert plain.code == 0
    rows = list(csv.DictReader(io.StringIO(plain.out)))
    assert [r["id"] for r in rows] == [a, b] and rows[0]["reason"] == "oud"
    assert rows[0]["rules"] == "max_per_spend"
    md = lcli("rules", "--format", "markdown")
    assert md.code == 0 and "## Rules of thumb in force" in md.out and "## Overrides" in md.out
    table = lcli("rules", "--year", "2024")
    assert table.code == 0 and "max_per_spend" in table.out and "oud" in table.out
    assert lcli("rules", "oost").code == 2


def test_rules_output_to_xlsx(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    set_rules(settings(ledger_dir), max_per_spend=100)
    spend(lcli, "noord", "150", "-c", "Wonen", "-d", "1-6-2025", "--reason", "=HYPERLINK(\"x\")")
    out = tmp_path / "overrides.xlsx"
    assert lcli("rules", "--output", str(out)).code == 0
    ws = load_workbook(out).active
    assert ws is not None
    header = [c.value for c in ws[3]]
    row = dict(zip(header, [c.value for c in ws[4]], strict=True))
    assert row["reason"] == "'=HYPERLINK(\"x\")"
    assert row["amount"] == 150


# --------------------------------------------------------------------------- the library


def test_library_raises_rule_error_and_records_the_override(ledger_dir: Path) -> None:
    set_rules(settings(ledger_dir), max_per_spend=500)
    lg = Ledger(ledger_dir)
    with pytest.raises(RuleError, match="max_per_spend"):
        lg.spend("noord", Decimal("501"), category="Wonen", date=dt.date(2025, 2, 1))
    sid = lg.spend("noord", Decimal("501"), category="Wonen", date=dt.date(2025, 2, 1), reason="nodig")
    got = lg.entry(sid)
    assert got.override_reason == "nodig" and got.extra["rules"] == ["max_per_spend"]


def test_journals_are_read_only_for_household_rules_with_a_household(ledger_dir: Path) -> None:
    """Recording costs the same on any size of ledger unless a household rule must look back."""
    lg = Ledger(ledger_dir)
    cells = {"_team": "noord", "date": "2025-02-01", "amount": "50.00", "category": "Wonen",
             "household": "H-7KXM4P"}
    set_rules(settings(ledger_dir), max_per_spend=500)
    checker = SpendRules(Ledger(ledger_dir))
    assert checker.check(dict(cells), reason="", second_opinion="") == []
    assert checker._history is None  # no household rule: nothing read
    set_rules(settings(ledger_dir), repeat_household_days=7)
    checker = SpendRules(Ledger(ledger_dir))
    assert checker.check({**cells, "household": ""}, reason="", second_opinion="") == []
    assert checker._history is None  # no household given: nothing read
    checker.check(dict(cells), reason="", second_opinion="")
    assert checker._history is not None
    assert lg.folder.exists()
