"""Issue 24, items 2 and 6: the same payment entered twice is stopped (rule possible_duplicate,
set by duplicate_days), and times_largest_spend waits for a history (times_largest_after).
Every refusal is one line, exit 2, and leaves the ledger byte for byte as it was."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot

Cli = Callable[..., Result]


def ok(result: Result) -> str:
    assert result.code == 0, result.err
    return result.out.strip()


def refused(lcli: Cli, folder: Path, *args: str) -> str:
    before = snapshot(folder)
    res = lcli(*args)
    assert_refused(res)
    assert snapshot(folder) == before
    return res.err


def set_rules(folder: Path, text: str) -> None:
    toml = folder / "maatwerk.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[rules]\n", f"[rules]\n{text}\n"), encoding="utf-8")


def overrides(lcli: Cli) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(ok(lcli("rules", "-f", "json")))["overrides"]
    return found


# ----------------------------------------------------------------------------- item 2


def test_the_same_card_payment_twice_is_stopped_until_given_a_reason(lcli: Cli, ledger_dir: Path) -> None:
    first = ok(lcli("spend", "noord", "12,50", "-c", "Vervoer", "-d", "3-3-2025"))
    err = refused(lcli, ledger_dir, "spend", "noord", "12,50", "-c", "Vervoer", "-d", "3-3-2025")
    assert err.startswith("maatwerk: rule possible_duplicate: ")
    assert f"{first} (03-03-2025, on the same day) is also € 12,50 (pin), within 3 days" in err
    assert '--reason "why"' in err
    # Any category, note or household: the same money out of the same account is what counts.
    err = refused(lcli, ledger_dir, "spend", "noord", "12,50", "-c", "Overig", "-d", "6-3-2025", "-n", "kaartje")
    assert f"{first} (03-03-2025, 3 days before)" in err
    err = refused(lcli, ledger_dir, "spend", "noord", "12,50", "-c", "Vervoer", "-d", "28-2-2025")
    assert f"{first} (03-03-2025, 3 days after)" in err
    second = ok(lcli("spend", "noord", "12,50", "-c", "Vervoer", "-d", "3-3-2025",
                     "--reason", "twee buskaarten, moeder en kind"))
    [override] = overrides(lcli)
    assert override["id"] == second and override["rules"] == ["possible_duplicate"]
    assert override["reason"] == "twee buskaarten, moeder en kind"
    # The nearest twin is named: the one recorded with a reason is a twin too.
    err = refused(lcli, ledger_dir, "spend", "noord", "12,50", "-c", "Vervoer", "-d", "4-3-2025")
    assert "(03-03-2025, 1 day before)" in err
    assert lcli("check").code == 0


def test_what_is_no_duplicate(lcli: Cli, ledger_dir: Path) -> None:
    first = ok(lcli("spend", "noord", "40", "-c", "Wonen", "-d", "10-3-2025"))
    ok(lcli("spend", "noord", "40", "-c", "Wonen", "-d", "15-3-2025"))  # 5 days later
    ok(lcli("spend", "noord", "40", "-c", "Wonen", "-d", "6-3-2025"))  # 4 days before
    ok(lcli("spend", "noord", "40", "-c", "Wonen", "-m", "factuur", "-d", "10-3-2025"))  # another method
    ok(lcli("spend", "noord", "40,01", "-c", "Wonen", "-d", "10-3-2025"))  # another amount
    ok(lcli("spend", "zuid", "40", "-c", "Wonen", "-d", "10-3-2025"))  # another team
    refused(lcli, ledger_dir, "spend", "noord", "40", "-c", "Wonen", "-d", "11-3-2025")
    # A voided spend is no twin: the wrong one voided, the right one goes in.
    ok(lcli("void", first, "--reason", "verkeerde datum"))
    ok(lcli("spend", "noord", "40", "-c", "Wonen", "-d", "11-3-2025"))
    assert overrides(lcli) == []


def test_a_spend_typed_in_late_is_compared_with_the_journal(lcli: Cli, ledger_dir: Path) -> None:
    """Months after the newest spend, the twins are not in the note: the fold is read."""
    early = ok(lcli("spend", "noord", "75", "-c", "Kleding", "-d", "2-1-2025"))
    ok(lcli("spend", "noord", "20", "-c", "Kleding", "-d", "1-6-2025"))
    err = refused(lcli, ledger_dir, "spend", "noord", "75", "-c", "Kleding", "-d", "4-1-2025")
    assert f"{early} (02-01-2025, 2 days before)" in err
    # And once more on the note as the writers keep it, spend after spend.
    recent = ok(lcli("spend", "noord", "30", "-c", "Kleding", "-d", "2-6-2025"))
    err = refused(lcli, ledger_dir, "spend", "noord", "30", "-c", "Kleding", "-d", "3-6-2025")
    assert f"{recent} (02-06-2025, 1 day before)" in err


def test_duplicate_days_is_set_like_the_other_rules(lcli: Cli, ledger_dir: Path) -> None:
    set_rules(ledger_dir, "duplicate_days = 1")
    ok(lcli("spend", "noord", "15", "-c", "Overig", "-d", "1-3-2025"))
    ok(lcli("spend", "noord", "15", "-c", "Overig", "-d", "3-3-2025"))
    err = refused(lcli, ledger_dir, "spend", "noord", "15", "-c", "Overig", "-d", "4-3-2025")
    assert "within 1 days" in err or "within 1 day" in err
    listed = {r["rule"]: r for r in json.loads(ok(lcli("rules", "noord", "-f", "json")))["rules"]}
    assert listed["duplicate_days"]["value"] == 1 and str(listed["duplicate_days"]["source"]).endswith("maatwerk.toml")
    assert "possible_duplicate" in listed["duplicate_days"]["meaning"]
    # A team switches it off with 0 (or false).
    team = ledger_dir / "teams" / "noord.toml"
    team.write_text(team.read_text(encoding="utf-8") + "\n[rules]\nduplicate_days = 0\n", encoding="utf-8")
    ok(lcli("spend", "noord", "15", "-c", "Overig", "-d", "4-3-2025"))
    listed = {r["rule"]: r for r in json.loads(ok(lcli("rules", "noord", "-f", "json")))["rules"]}
    assert "duplicate_days" not in listed
    assert overrides(lcli) == []


def test_duplicate_days_by_default_and_badly_set(lcli: Cli, ledger_dir: Path) -> None:
    listed = {r["rule"]: r for r in json.loads(ok(lcli("rules", "zuid", "-f", "json")))["rules"]}
    assert listed["duplicate_days"]["value"] == 3 and listed["duplicate_days"]["source"] == "default"
    assert "3 days" in ok(lcli("rules", "zuid"))
    set_rules(ledger_dir, "duplicate_days = -2")
    before = snapshot(ledger_dir)
    assert_refused(lcli("spend", "noord", "5", "-c", "Overig", "-d", "1-3-2025"), "duplicate_days", "days")
    assert snapshot(ledger_dir) == before


def test_an_import_is_held_to_the_ledger_and_to_its_own_rows(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    first = ok(lcli("spend", "noord", "60", "-c", "Wonen", "-m", "factuur", "-d", "5-3-2025"))
    sheet = tmp_path / "maart.csv"
    sheet.write_text("datum;bedrag;categorie;betaalwijze\n"
                     "6-3-2025;60;Wonen;factuur\n"      # the ledger's invoice again
                     "10-3-2025;25;Kleding;pin\n"
                     "11-3-2025;25;Kleding;pin\n"       # the row above again
                     "20-3-2025;60;Wonen;factuur\n", encoding="utf-8")
    before = snapshot(ledger_dir)
    res = lcli("import", "entries", str(sheet), "--team", "noord")
    assert res.code == 2 and snapshot(ledger_dir) == before
    assert f"maart.csv:2: rule possible_duplicate: {first} (05-03-2025, 1 day before)" in res.err
    assert "maart.csv:4: rule possible_duplicate: earlier in this import (10-03-2025, 1 day before)" in res.err
    assert "maart.csv:3" not in res.err and "maart.csv:5" not in res.err
    assert "give the row a reason in a reason column" in res.err and "--reason" not in res.err
    # With a reason, the rows go in; the overrides list them.
    sheet.write_text("datum;bedrag;categorie;betaalwijze;reden\n"
                     "6-3-2025;60;Wonen;factuur;tweede maand huurachterstand\n"
                     "10-3-2025;25;Kleding;pin;\n"
                     "11-3-2025;25;Kleding;pin;schoenen voor het tweede kind\n"
                     "20-3-2025;60;Wonen;factuur;\n", encoding="utf-8")
    assert "imported 4 entries" in ok(lcli("import", "entries", str(sheet), "--team", "noord"))
    assert [(o["date"], o["rules"]) for o in overrides(lcli)] == [
        ("2025-03-06", ["possible_duplicate"]), ("2025-03-11", ["possible_duplicate"])]


def test_the_refusal_in_dutch(lcli: Cli, ledger_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = ok(lcli("spend", "noord", "12,50", "-c", "Vervoer", "-d", "3-3-2025"))
    monkeypatch.delenv("MAATWERK_LANG", raising=False)
    err = refused(lcli, ledger_dir, "--lang", "nl", "spend", "noord", "12,50", "-c", "Vervoer", "-d", "5-3-2025")
    assert f"vuistregel possible_duplicate: {first} (03-03-2025, 2 dagen eerder) is ook € 12,50 (pin)" in err
    assert "binnen 3 dagen: dubbel ingevoerd?" in err
    for english in ("rule ", "within", "entered twice", "before", "record it"):
        assert english not in err
    table = ok(lcli("--lang", "nl", "rules", "noord"))
    assert "3 dagen" in table and "10 uitgaven" in table and "zodra het team zoveel uitgaven heeft" in table


# ----------------------------------------------------------------------------- item 6


def test_a_young_teams_first_large_invoice_is_recorded(lcli: Cli, ledger_dir: Path) -> None:
    ok(lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "1-3-2025"))
    big = ok(lcli("spend", "noord", "1.234", "-c", "Wonen", "-m", "factuur", "-d", "2-3-2025",
                  "-n", "huurachterstand"))
    assert overrides(lcli) == []
    assert big == "noord-2025-0002"


def test_after_ten_spends_times_largest_spend_applies_as_before(lcli: Cli, ledger_dir: Path) -> None:
    for day in range(1, 10):
        ok(lcli("spend", "noord", str(20 + day), "-c", "Levensmiddelen", "-d", f"{day}-2-2025"))
    # Nine spends: no history yet, the large invoice is no typo.
    ok(lcli("spend", "zuid", "35", "-c", "Levensmiddelen", "-d", "1-3-2025"))
    ok(lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "1-3-2025"))  # the tenth
    err = refused(lcli, ledger_dir, "spend", "noord", "1.234", "-c", "Wonen", "-m", "factuur", "-d", "2-3-2025")
    assert "rule times_largest_spend: € 1.234,00 is more than 10 times the largest spend of noord so far (€ 35,00)" \
        in err
    # A voided spend does not count towards the ten.
    ok(lcli("void", "noord-2025-0010", "--reason", "fout bedrag"))
    ok(lcli("spend", "noord", "1.234", "-c", "Wonen", "-m", "factuur", "-d", "2-3-2025"))


def test_times_largest_after_is_set_listed_and_explained(lcli: Cli, cli: Cli, ledger_dir: Path) -> None:
    set_rules(ledger_dir, "times_largest_after = 2")
    ok(lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "1-3-2025"))
    ok(lcli("spend", "noord", "1.234", "-c", "Wonen", "-m", "factuur", "-d", "2-3-2025"))
    err = refused(lcli, ledger_dir, "spend", "noord", "99.000", "-c", "Wonen", "-m", "factuur", "-d", "3-3-2025")
    assert "rule times_largest_spend" in err
    listed = {r["rule"]: r for r in json.loads(ok(lcli("rules", "noord", "-f", "json")))["rules"]}
    assert listed["times_largest_after"]["value"] == 2
    assert listed["times_largest_after"]["meaning"] == "... once the team has this many spends (times_largest_spend)"
    assert "2 spends" in ok(lcli("rules", "noord"))
    help_text = " ".join(ok(cli("--lang", "en", "rules", "--help")).split())
    assert "times_largest_after" in help_text and "duplicate_days" in help_text and "possible_duplicate" in help_text
    toml = ledger_dir / "maatwerk.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("times_largest_after = 2", "times_largest_after = -1"),
                    encoding="utf-8")
    assert_refused(lcli("spend", "noord", "5", "-c", "Overig", "-d", "9-3-2025"), "times_largest_after",
                   "whole number of spends")
