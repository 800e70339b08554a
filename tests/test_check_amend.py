"""``maatwerk check`` knows corrections (issue 24, item 1): entries are judged as the fold
leaves them after ``amend`` lines, and the ``amend`` lines are checked themselves. Through
the real command line, on real files; broken lines are written straight into the journal
with valid checksums, as a careless hand or another tool might."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from conftest import Result
from maatwerk_cli.store.journal import encode_line

Cli = Callable[..., Result]


def ok(result: Result) -> str:
    assert result.code == 0, result.err
    return result.out.strip()


def journal(ledger_dir: Path) -> Path:
    return ledger_dir / "teams" / "noord.csv"


def test_amendments_of_every_field_and_voided_ones_give_no_finding(lcli: Cli) -> None:
    # A loan whose amount was raised, then repaid beyond the first amount.
    raised = ok(lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-k", "loan", "-m", "factuur",
                     "-d", "1-3-2025"))
    ok(lcli("amend", raised, "--amount", "50", "--reason", "bon bekeken"))
    ok(lcli("repay", raised, "45", "-d", "3-3-2025"))
    # A gift that was a loan after all, then repaid in part.
    became_loan = ok(lcli("spend", "noord", "100", "-c", "Wonen", "-m", "factuur", "-d", "2-3-2025"))
    ok(lcli("amend", became_loan, "--kind", "loan", "--due", "1-6-2025", "--reason", "toch een lening"))
    ok(lcli("repay", became_loan, "20", "-d", "4-3-2025"))
    # A conditional grant, its condition corrected.
    grant = ok(lcli("spend", "noord", "200", "-c", "Opleiding en werk", "-m", "factuur", "-d", "3-3-2025",
                    "-k", "conditional", "--condition", "cursus"))
    ok(lcli("amend", grant, "--condition", "cursus afmaken", "--reason", "voorwaarde aangevuld"))
    # Every other field, then corrections voided (one undoes a category, one an amount).
    other = ok(lcli("spend", "noord", "60", "-c", "Vervoer", "-d", "5-3-2025", "--household", "H-AB12",
                    "-n", "ov-kaart"))
    ok(lcli("amend", other, "--category", "Kleding", "--note", "winterjas", "--household", "H-CD34",
            "--date", "6-3-2025", "--method", "factuur", "--reason", "verkeerd overgenomen"))
    wrong = ok(lcli("amend", other, "--category", "Wonen", "--reason", "vergissing"))
    ok(lcli("void", wrong, "--reason", "de vorige correctie was goed"))
    too_much = ok(lcli("amend", raised, "--amount", "60", "--reason", "vergissing"))
    ok(lcli("void", too_much, "--reason", "50 was goed"))
    # A loan that became a gift before anything was repaid, and a voided one back.
    ok(lcli("spend", "noord", "70", "-c", "Wonen", "-k", "loan", "-m", "factuur", "-d", "7-3-2025"))
    gift_again = ok(lcli("spend", "noord", "80", "-c", "Wonen", "-m", "factuur", "-d", "8-3-2025"))
    to_loan = ok(lcli("amend", gift_again, "--kind", "loan", "--reason", "lening?"))
    ok(lcli("void", to_loan, "--reason", "toch een gift"))

    res = lcli("check")
    assert res.code == 0, res.out
    assert res.out.startswith("ok")
    # Never a wrong figure: the listing, the categories and the loans agree to the cent.
    rows = json.loads(ok(lcli("entries", "-f", "json")))
    by_id = {r["id"]: r for r in rows}
    assert (by_id[raised]["amount"], by_id[raised]["outstanding"]) == (50.0, 5.0)
    assert (by_id[became_loan]["kind"], by_id[became_loan]["outstanding"]) == ("loan", 80.0)
    assert by_id[other]["category"] == "Kleding" and by_id[gift_again]["kind"] == "gift"
    total = sum(Decimal(str(r["amount"])) for r in rows)
    cats = json.loads(ok(lcli("categories", "--year", "2025", "-f", "json")))
    assert sum(Decimal(str(c["amount"])) for c in cats) == total == Decimal("560")


def _append(path: Path, *lines: dict[str, str]) -> list[int]:
    """Append lines (cells without id) with the next ids and valid checksums; their line
    numbers in the file (the header is line 1)."""
    text = path.read_text(encoding="utf-8")
    seq = max(int(line.split(",", 1)[0].rsplit("-", 1)[1]) for line in text.splitlines()[1:])
    numbers = []
    with path.open("a", encoding="utf-8", newline="") as fh:
        for n, cells in enumerate(lines, start=1):
            fh.write(encode_line({"id": f"noord-2025-{seq + n:04d}", "recorded_at": "2025-03-20T10:00:00Z",
                                  **cells}))
            numbers.append(len(text.splitlines()) + n)
    return numbers


def test_a_broken_correction_is_a_finding_with_file_and_line(lcli: Cli, ledger_dir: Path) -> None:
    spend = ok(lcli("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025"))
    gone = ok(lcli("spend", "noord", "40", "-c", "Wonen", "-d", "2-3-2025"))
    asked = ok(lcli("spend", "noord", "45", "-c", "Wonen", "-d", "10-3-2025", "--requested", "9-3-2025"))
    ok(lcli("void", gone, "--reason", "dubbel"))
    refusal = ok(lcli("refuse", "noord", "--reason", "geen noodzaak", "-d", "3-3-2025"))
    assert ok(lcli("check")).startswith("ok")

    def amend(ref: str, fields: list[str], reason: str = "hand", **cells: str) -> dict[str, str]:
        extra = {"amended": fields, **({"date": cells.pop("new_date")} if "new_date" in cells else {})}
        return {"type": "amend", "date": "2025-03-20", "ref": ref, "reason": reason,
                "extra": json.dumps(extra), **cells}

    broken = [
        (amend(refusal, ["category"], category="Wonen"), f"refers to {refusal}, which is not an earlier spend"),
        (amend(spend, ["note"], reason="", note="bon"), "a correction without a reason"),
        (amend(spend, ["colour"]), "it names 'colour'"),
        (amend(spend, ["date"], new_date="14-3-2025"), "the corrected date '14-3-2025' is not a date"),
        (amend(spend, ["category"], category="Bestaatniet"), "unknown category 'Bestaatniet'"),
        (amend(gone, ["note"], note="bon"), f"refers to {gone}, which was voided"),
        (amend(spend, ["amount"]), "a spend needs an amount above zero"),
        (amend(asked, ["date"], new_date="2025-03-05"), "requested on 2025-03-09, after it was paid on 2025-03-05"),
    ]
    path = journal(ledger_dir)
    numbers = _append(path, *(cells for cells, _ in broken))
    res = lcli("check")
    assert res.code == 1
    found = res.out.splitlines()
    for number, (_, needle) in zip(numbers, broken, strict=True):
        mine = [line for line in found if line.startswith(f"ledgers/teams/noord.csv:{number}: ")]
        assert any(needle in line for line in mine), (number, needle, res.out)
    assert len(found) == len(broken), res.out
