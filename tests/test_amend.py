"""``maatwerk amend`` (issue 24, item 1): a correction that keeps the id. Through the real
command line, on real files: every view follows the corrected values, ``show`` tells the
old and new ones, voiding the correction undoes it, and a refused correction writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger

Cli = Callable[..., Result]
HERE = Path(__file__).resolve().parent
ING_MARCH = HERE / "fixtures" / "bank_import" / "ing_noord_2025-03.csv"
DRUGSTORE_REF = "h:5873ecf5f6a17203"


def ok(result: Result) -> str:
    assert result.code == 0, result.err
    return result.out.strip()


def entry(lcli: Cli, entry_id: str) -> dict[str, object]:
    rows = json.loads(ok(lcli("entries", "-f", "json")))
    found: dict[str, object] = next(r for r in rows if r["id"] == entry_id)
    return found


def categories(lcli: Cli) -> dict[str, object]:
    return {r["category"]: r["amount"] for r in json.loads(ok(lcli("categories", "--year", "2025", "-f", "json")))}


def test_a_wrong_category_is_corrected_and_every_view_follows(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    spend = ok(lcli("spend", "noord", "35", "-c", "Vervoer", "-d", "15-3-2025", "--household", "H-AB12",
                    "-n", "boodschappen"))
    assert categories(lcli) == {"Vervoer": 35.0}
    res = lcli("amend", spend, "--category", "levensmiddelen", "--reason", "verkeerde categorie")
    fix = ok(res)
    assert fix != spend and fix.startswith("noord-")
    assert res.err.startswith(f"maatwerk: recorded {fix}: correction of {spend}, team noord, € 35,00, "
                              "Levensmiddelen, pin, gift, 15-03-2025")
    assert entry(lcli, spend)["category"] == "Levensmiddelen"
    assert categories(lcli) == {"Levensmiddelen": 35.0}
    frame = Ledger(ledger_dir).entries_frame()
    assert list(frame["category"]) == ["Levensmiddelen"]
    workbook = tmp_path / "cat.csv"
    ok(lcli("categories", "--year", "2025", "-o", str(workbook)))
    assert "Levensmiddelen" in workbook.read_text(encoding="utf-8-sig")
    ledger_out = tmp_path / "x.journal"
    ok(lcli("export", "hledger", "-o", str(ledger_out)))
    text = ledger_out.read_text(encoding="utf-8")
    assert "Levensmiddelen" in text and "Vervoer" not in text
    told = json.loads(ok(lcli("show", spend, "-f", "json")))
    assert told["entry"][0]["category"] == "Levensmiddelen"
    line = next(x for x in told["lines"] if x["id"] == fix)
    assert line["type"] == "amend" and line["ref"] == spend
    assert line["details"] == "category Vervoer → Levensmiddelen; corrected: verkeerde categorie"
    assert ok(lcli("check")).startswith("ok")


def test_voiding_the_correction_undoes_it_and_repayments_stay(lcli: Cli) -> None:
    loan = ok(lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-k", "loan", "-d", "1-3-2025"))
    ok(lcli("repay", loan, "20", "-d", "3-3-2025"))
    fix = ok(lcli("amend", loan, "--amount", "40", "--date", "2-3-2025", "--note", "bon bekeken",
                  "--reason", "bedrag verkeerd overgenomen"))
    got = entry(lcli, loan)
    assert (got["amount"], got["date"], got["note"], got["repaid"], got["outstanding"]) == \
        (40.0, "2025-03-02", "bon bekeken", 20.0, 20.0)
    details = next(x for x in json.loads(ok(lcli("show", loan, "-f", "json")))["lines"] if x["id"] == fix)["details"]
    assert details == ("note (none) → bon bekeken; date 01-03-2025 → 02-03-2025; amount € 35,00 → € 40,00; "
                       "corrected: bedrag verkeerd overgenomen")
    ok(lcli("void", fix, "--reason", "toch goed"))
    got = entry(lcli, loan)
    assert (got["amount"], got["date"], got["note"], got["outstanding"]) == (35.0, "2025-03-01", "", 15.0)
    story = json.loads(ok(lcli("show", loan, "-f", "json")))["lines"]
    assert next(x for x in story if x["id"] == fix)["voided"] is True


def test_kind_due_and_condition(lcli: Cli) -> None:
    spend = ok(lcli("spend", "noord", "200", "-c", "Opleiding en werk", "-d", "1-3-2025"))
    ok(lcli("amend", spend, "--kind", "voorwaardelijk", "--condition", "cursus afmaken", "--reason", "afspraak"))
    got = entry(lcli, spend)
    assert (got["kind"], got["condition"]) == ("conditional", "cursus afmaken")
    ok(lcli("amend", spend, "--kind", "loan", "--due", "1-6-2025", "--reason", "toch een lening"))
    got = entry(lcli, spend)
    assert (got["kind"], got["due"], got["condition"]) == ("loan", "2025-06-01", "")
    loans = json.loads(ok(lcli("loans", "-f", "json")))
    assert [r["id"] for r in loans] == [spend]
    ok(lcli("repay", spend, "50", "-d", "2-3-2025"))
    assert_refused(lcli("amend", spend, "--kind", "gift", "--reason", "x"), "repayments")


def test_refusals_are_one_line_and_write_nothing(lcli: Cli, ledger_dir: Path) -> None:
    loan = ok(lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-k", "loan", "-d", "1-3-2025"))
    ok(lcli("repay", loan, "20", "-d", "3-3-2025"))
    refusal = ok(lcli("refuse", "noord", "--reason", "tweede aanvraag", "-d", "4-3-2025"))
    before = snapshot(ledger_dir)
    cases = [
        (("amend", loan, "--category", "Wonen"), "--reason"),
        (("amend", loan, "--reason", "x"), "nothing to correct"),
        (("amend", loan, "--category", "Levensmiddelen", "--reason", "x"), "nothing to correct"),
        (("amend", loan, "--amount", "15", "--reason", "x"), "€ 20,00 already paid back"),
        (("amend", loan, "--kind", "gift", "--reason", "x"), "repayments"),
        (("amend", loan, "--note", "bel 0612345678", "--reason", "x"), "phone number"),
        (("amend", loan, "--category", "Bestaatniet", "--reason", "x"), "Bestaatniet"),
        (("amend", loan, "--date", "1-3-2024", "--reason", "x"), "--override"),
        (("amend", loan, "--amount", "20.000", "--reason", "x"), "--override"),
        (("amend", loan, "--method", "contant", "--reason", "x"), "cash box"),
        (("amend", loan, "--condition", "cursus", "--reason", "x"), "conditional"),
        (("amend", loan, "--due", "1-1-2025", "--reason", "x"), "due"),
        (("amend", refusal, "--category", "Wonen", "--reason", "x"), "refusal"),
        (("amend", "noord-2025-0099", "--category", "Wonen", "--reason", "x"), "noord-2025-0099"),
    ]
    for args, needle in cases:
        assert_refused(lcli(*args), needle)
        assert snapshot(ledger_dir) == before, args
    # A rule of thumb is overridden on purpose, with --override; the reason says why.
    ok(lcli("amend", loan, "--date", "28-2-2025", "--reason", "datum van de bon", "--override"))


def test_the_entry_itself_is_no_twin_of_its_correction(lcli: Cli) -> None:
    spend = ok(lcli("spend", "noord", "50", "-c", "Wonen", "-d", "10-3-2025"))
    # Its own date moves by a day: the spend is not a possible duplicate of itself.
    ok(lcli("amend", spend, "--date", "11-3-2025", "--reason", "datum verkeerd"))
    other = ok(lcli("spend", "noord", "60", "-c", "Wonen", "-d", "11-3-2025"))
    # Another spend of the team becomes the same amount on the same day: asked about.
    assert_refused(lcli("amend", other, "--amount", "50", "--reason", "x"), "possible_duplicate", spend)


def test_cash_box_and_bank_link(lcli: Cli, ledger_dir: Path) -> None:
    ok(lcli("cash", "withdraw", "noord", "50", "-d", "1-3-2025"))
    cash = ok(lcli("spend", "noord", "43,60", "-c", "Levensmiddelen", "-m", "contant", "-d", "2-3-2025"))
    assert_refused(lcli("amend", cash, "--amount", "60", "--reason", "x"), "cash box")
    ok(lcli("amend", cash, "--amount", "45", "--reason", "bon"))
    status = json.loads(ok(lcli("cash", "status", "-f", "json")))
    assert status[0]["cash_on_hand"] == 5.0
    ok(lcli("import", "bank", str(ING_MARCH), "--team", "noord"))
    card = ok(lcli("spend", "noord", "18,95", "-c", "Gezondheid", "--bank-line", DRUGSTORE_REF[:10]))
    before = snapshot(ledger_dir)
    assert_refused(lcli("amend", card, "--amount", "19,95", "--reason", "x"), DRUGSTORE_REF, "€ 18,95")
    assert_refused(lcli("amend", card, "--method", "contant", "--reason", "x"), DRUGSTORE_REF)
    assert snapshot(ledger_dir) == before
    ok(lcli("amend", card, "--category", "Overig", "--reason", "categorie"))
    assert json.loads(ok(lcli("reconcile", "noord", "--month", "2025-03", "-f", "json"))) is not None
    assert entry(lcli, card)["category"] == "Overig"


def test_a_cached_fold_does_not_hide_a_correction(lcli: Cli) -> None:
    spend = ok(lcli("spend", "noord", "35", "-c", "Vervoer", "-d", "15-3-2025"))
    assert categories(lcli) == {"Vervoer": 35.0}  # folded and cached
    ok(lcli("amend", spend, "-c", "Wonen", "--amount", "36", "--reason", "x"))
    assert categories(lcli) == {"Wonen": 36.0}


def test_in_dutch(lcli: Cli) -> None:
    spend = ok(lcli("spend", "noord", "35", "-c", "Vervoer", "-d", "15-3-2025"))
    res = lcli("--lang", "nl", "amend", spend, "-c", "Wonen", "--reason", "verkeerde categorie")
    assert "vastgelegd" in res.err and f"correctie van {spend}" in res.err
    shown = ok(lcli("--lang", "nl", "show", spend))
    assert "categorie Vervoer → Wonen" in shown and "gecorrigeerd: verkeerde categorie" in shown
    assert "Een uitgave corrigeren" in ok(lcli("--lang", "nl", "amend", "--help"))
    assert_refused(lcli("--lang", "nl", "amend", spend, "--reason", "x"), "niets te corrigeren")
