"""``import entries`` applies corrections (issue 24, item 1): a row with an id (``id`` or
``nummer``) corrects that spend with the row's filled cells and its reason, checked as
``maatwerk amend`` checks one; any refused row refuses the whole sheet and nothing is
written. Through the real command line, on real files."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from conftest import Result, snapshot

Cli = Callable[..., Result]


def ok(result: Result) -> str:
    assert result.code == 0, result.err
    return result.out.strip()


def entries(lcli: Cli) -> dict[str, dict[str, object]]:
    return {r["id"]: r for r in json.loads(ok(lcli("entries", "-f", "json")))}


def sheet(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def refused(res: Result, *needles: str) -> None:
    """Exit 2, the bad rows named, nothing imported, no traceback."""
    assert res.code == 2, (res.code, res.out, res.err)
    assert "Traceback" not in res.err and res.out == ""
    assert "nothing was imported" in res.err, res.err
    for needle in needles:
        assert needle.lower() in res.err.lower(), res.err


def test_a_sheet_with_an_id_column_corrects_those_spends(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    bus = ok(lcli("spend", "noord", "35", "-c", "Vervoer", "-d", "1-3-2025", "--household", "H-AB12"))
    rent = ok(lcli("spend", "noord", "100", "-c", "Wonen", "-d", "2-3-2025"))
    course = ok(lcli("spend", "noord", "200", "-c", "Opleiding en werk", "-d", "3-3-2025"))
    f = sheet(tmp_path, "Nummer;Datum;Bedrag;Categorie;Betaalwijze;Soort;Vervaldatum;Huishouden;Notitie;Reden\n"
                        f"{bus};;;Levensmiddelen;;;;H-CD34;boodschappen;verkeerde categorie\n"
                        f"{rent};4-3-2025;120;;factuur;;;;;bon bekeken\n"
                        f"{course};;;;;lening;1-9-2025;;;toch een lening\n"
                        ";5-3-2025;12,50;Kleding;pin;;;;;\n")
    before = snapshot(ledger_dir)
    res = lcli("import", "entries", str(f), "--team", "noord", "--dry-run")
    assert ok(res).splitlines() == ["would import 1 entries", "would correct 3 entries:",
                                    f"  row 2: {bus}", f"  row 3: {rent}", f"  row 4: {course}"]
    assert snapshot(ledger_dir) == before
    done = json.loads(ok(lcli("import", "entries", str(f), "--team", "noord", "-f", "json")))
    assert done["count"] == 1 and done["first_id"] == done["last_id"]
    assert [(c["row"], c["id"]) for c in done["corrected"]] == [(2, bus), (3, rent), (4, course)]
    got = entries(lcli)
    assert (got[bus]["category"], got[bus]["household"], got[bus]["note"]) == \
        ("Levensmiddelen", "H-CD34", "boodschappen")
    assert (got[rent]["amount"], got[rent]["date"], got[rent]["method"]) == (120.0, "2025-03-04", "factuur")
    assert (got[course]["kind"], got[course]["due"]) == ("loan", "2025-09-01")
    assert got[done["first_id"]]["category"] == "Kleding"
    story = json.loads(ok(lcli("show", rent, "-f", "json")))["lines"]
    fix = next(x for x in story if x["id"] == done["corrected"][1]["correction"])
    assert fix["type"] == "amend" and fix["details"].endswith("corrected: bon bekeken")
    # Every view agrees to the cent, and check finds nothing.
    cats = json.loads(ok(lcli("categories", "--year", "2025", "-f", "json")))
    assert sum(Decimal(str(c["amount"])) for c in cats) == sum(Decimal(str(r["amount"])) for r in got.values()) \
        == Decimal("367.50")
    assert ok(lcli("check")).startswith("ok")


def test_two_rows_of_one_spend_follow_each_other(lcli: Cli, tmp_path: Path) -> None:
    loan = ok(lcli("spend", "noord", "50", "-c", "Wonen", "-k", "loan", "-d", "1-3-2025"))
    ok(lcli("repay", loan, "40", "-d", "2-3-2025"))
    f = sheet(tmp_path, f"id,amount,note,reason\n{loan},60,,receipt\n{loan},,second look,note added\n")
    ok(lcli("import", "entries", str(f)))
    got = entries(lcli)[loan]
    assert (got["amount"], got["note"], got["outstanding"]) == (60.0, "second look", 20.0)
    # The second row saw the first: lowering below what was repaid is refused on that row.
    f2 = sheet(tmp_path, f"id,amount,reason\n{loan},45,x\n{loan},35,y\n", "again.csv")
    refused(lcli("import", "entries", str(f2)), "again.csv:3", "€ 40,00 already paid back")


def test_any_refused_row_refuses_the_whole_sheet(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    ok(lcli("cash", "withdraw", "noord", "50", "-d", "1-3-2025"))
    cash = ok(lcli("spend", "noord", "40", "-c", "Levensmiddelen", "-m", "contant", "-d", "2-3-2025"))
    loan = ok(lcli("spend", "noord", "35", "-c", "Wonen", "-k", "loan", "-d", "1-3-2025"))
    ok(lcli("repay", loan, "20", "-d", "3-3-2025"))
    gone = ok(lcli("spend", "noord", "10", "-c", "Wonen", "-d", "4-3-2025"))
    ok(lcli("void", gone, "--reason", "dubbel"))
    refusal = ok(lcli("refuse", "noord", "--reason", "geen noodzaak", "-d", "4-3-2025"))
    other = ok(lcli("spend", "zuid", "20", "-c", "Wonen", "-d", "4-3-2025"))
    good = f"{loan};;;Levensmiddelen;;;goed\n"
    head = "nummer;datum;bedrag;categorie;soort;aangevraagd;reden\n"
    cases = [
        (f"{loan};;;Levensmiddelen;;;x\n", "has these values already"),  # the row before did it
        (f"{loan};;;Bestaatniet;;;x\n", "Bestaatniet"),
        (f"{loan};;;Kleding;;;\n", "needs a reason in the reason (reden) column"),
        (f"{loan};;;;;;x\n", "fill in the values to correct"),
        (f"{loan};;15;;;;x\n", "€ 20,00 already paid back"),
        (f"{loan};;;;gift;;x\n", "repayments"),
        (f"{loan};;;;;1-3-2025;x\n", "requested"),
        (f"{loan};1-3-2024;;;;;x\n", "maatwerk amend"),
        (f"{gone};;;Kleding;;;x\n", "voided"),
        (f"{refusal};;;Kleding;;;x\n", "refusal"),
        ("noord-2025-0099;;;Kleding;;;x\n", "noord-2025-0099"),
        (f"{other};;;Kleding;;;x\n", "not an entry of team noord"),
        (f"{cash};;55;;;;x\n", "cash box"),
        (";5-3-2025;12,50;;;;\n", "needs the columns category"),
    ]
    before = snapshot(ledger_dir)
    for row, needle in cases:
        f = sheet(tmp_path, head + good + row)
        refused(lcli("import", "entries", str(f), "--team", "noord"), "in.csv:3", needle)
        assert snapshot(ledger_dir) == before, row
    # A correction and a new cash spend that fit the box each, but not together.
    f = sheet(tmp_path, "id;date;amount;category;method;reason\n"
                        f"{cash};;45;;;bon\n;5-3-2025;8;Levensmiddelen;contant;\n")
    refused(lcli("import", "entries", str(f), "--team", "noord"), "cash box of noord would go below zero")
    assert snapshot(ledger_dir) == before
    f = sheet(tmp_path, "id;amount;reason\n" f"{cash};45;bon\n")
    ok(lcli("import", "entries", str(f), "--team", "noord"))
    assert json.loads(ok(lcli("cash", "status", "-f", "json")))[0]["cash_on_hand"] == 5.0


def test_in_dutch(lcli: Cli, tmp_path: Path) -> None:
    spend = ok(lcli("spend", "noord", "35", "-c", "Vervoer", "-d", "15-3-2025"))
    f = sheet(tmp_path, f"nummer;categorie;reden\n{spend};Wonen;verkeerde categorie\n")
    out = ok(lcli("--lang", "nl", "import", "entries", str(f), "--dry-run"))
    assert "zou 1 uitgave corrigeren:" in out and f"regel 2: {spend}" in out
    res = lcli("--lang", "nl", "import", "entries", str(sheet(tmp_path, f"nummer;categorie\n{spend};Wonen\n")))
    assert res.code == 2 and "ontbrekende kolom(men): reason" in res.err
