"""``maatwerk anonymise``: personal text of old entries replaced, every figure kept, all
journals at once even when killed (issue 27 item 1)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from maatwerk_cli.ledger import Ledger
from maatwerk_cli.ops.check import check_ledger
from tests.conftest import crash_points
from tests.test_nothing_doubled import statement

Cli = Callable[..., object]
REPORTS = (["utilisation", "--year", "2023"], ["utilisation", "--year", "2025"], ["compare", "--year", "2023"],
           ["categories", "--year", "2023"], ["loans"], ["outcomes"], ["entries"],
           ["knipkaart", "status", "--year", "2023"], ["bank", "lines", "noord"], ["cash", "status"])
#: Text fields: the only ones allowed to change.
TEXT = {"household", "note", "condition", "tegenprestatie", "reason", "by", "override_reason", "second_opinion",
        "void_reason", "recovered_from", "description", "counterparty", "uses"}
PERSONAL = ("H-AB12", "H-CD34", "boodschappen", "cursus", "Piet", "verhuizing", "schuld", "tuin", "Winkel")


@pytest.fixture
def mixed(ledger_dir: Path, tmp_path: Path) -> Path:
    """Spends of every kind in 2023 (old) and 2025 (kept), with events, voids, a refusal, a
    knipkaart use, cash and bank lines; H-CD34 is helped on both sides of the cut-off."""
    lg = Ledger(ledger_dir)
    for team in ("noord", "zuid"):
        lg.set_budget(team, Decimal("8000"), 2023)
    d = dt.date
    gift = lg.spend("noord", Decimal("40"), category="Levensmiddelen", household="H-AB12", note="boodschappen",
                    date=d(2023, 3, 1), by="Piet")
    loan = lg.spend("noord", Decimal("350"), category="Wonen", household="H-CD34", note="verhuizing",
                    kind="loan", due=d(2023, 6, 1), date=d(2023, 3, 2))
    cond = lg.spend("zuid", Decimal("600"), category="Overig", household="H-AB12", kind="conditional",
                    condition="cursus afmaken", tegenprestatie="tuin opruimen", date=d(2023, 4, 5),
                    reason="schuld dreigt", second_opinion="Piet")
    lg.repay(loan, Decimal("100"), date=d(2023, 5, 1))
    lg.repay(loan, Decimal("50"), date=d(2025, 2, 1))  # an event after the cut-off: old by its entry
    lg.mark_outcome(cond, "reached", avoided_cost=Decimal("2000"))
    lg.mark_recovered(gift, pot="bijzondere bijstand", amount=Decimal("10"))
    wrong = lg.spend("zuid", Decimal("45"), category="Overig", household="H-AB12", date=d(2023, 4, 6),
                     note="schuld")
    lg.void(wrong, reason="dubbel ingevoerd Piet")
    lg.refuse("noord", reason="tweede aanvraag Piet", household="H-AB12", date=d(2023, 7, 1))
    lg.knipkaart_use("noord", reason="uitkering eerder Piet", date=d(2023, 8, 1))
    lg.spend("noord", Decimal("35"), category="Levensmiddelen", household="H-CD34", note="boodschappen",
             date=d(2025, 3, 1))
    lg.spend("noord", Decimal("75"), category="Vervoer", household="H-EF56", note="fiets", date=d(2025, 3, 2))
    bank = statement(tmp_path / "ing.csv", 6, [(d(2023, 3, 1), "40,00")])
    lg.import_statement(bank, "noord")
    lg.spend("noord", Decimal("12.34"), category="Overig", date=d(2025, 1, 5), note="Winkel")
    return ledger_dir


def figures(cli: Cli, root: Path) -> dict[str, object]:
    got = {}
    for args in REPORTS:
        res = cli("--ledgers", str(root), *args, "--format", "json")
        assert res.code == 0, (args, res.err)  # type: ignore[attr-defined]
        got[" ".join(args)] = _without_text(json.loads(res.out))  # type: ignore[attr-defined]
    return got


def _without_text(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_text(v) for k, v in value.items() if k not in TEXT}
    if isinstance(value, list):
        return [_without_text(v) for v in value]
    return value


def old_lines(root: Path) -> list[str]:
    out = []
    for path in sorted((root / "teams").glob("*.csv")):
        out.extend(line for line in path.read_text(encoding="utf-8").splitlines() if ",2023-" in line)
    return out


def test_every_figure_stays_and_no_personal_text_is_left_before_the_cut_off(cli: Cli, mixed: Path) -> None:
    before = figures(cli, mixed)
    files = {p: p.read_bytes() for p in (mixed / "teams").iterdir()}
    dry = cli("--ledgers", str(mixed), "anonymise", "--before", "1-1-2024", "--dry-run", "--format", "json")
    assert dry.code == 0, dry.err  # type: ignore[attr-defined]
    said = json.loads(dry.out)  # type: ignore[attr-defined]
    assert said["dry_run"] is True and said["lines"] >= 8 and said["bank_lines"] == 1
    assert {p: p.read_bytes() for p in (mixed / "teams").iterdir()} == files  # a dry run writes nothing
    done = cli("--ledgers", str(mixed), "anonymise", "--before", "1-1-2024", "--by", "privacy officer")
    assert done.code == 0, done.err  # type: ignore[attr-defined]
    assert figures(cli, mixed) == before
    assert check_ledger(Ledger(mixed)) == []
    text = "\n".join(old_lines(mixed))
    for word in ("H-AB12", "boodschappen", "cursus", "Piet", "verhuizing", "schuld", "tuin", "bijstand"):
        assert word not in text, word
    assert "H-CD34" in text  # still helped after the cut-off: the code stays, its notes go
    bank = (mixed / "teams" / "noord.bank.csv").read_text(encoding="utf-8")
    assert "Winkel 0" not in bank and "[anoniem]" in bank
    # The kept side is untouched; the event is recorded in each journal that changed.
    assert "fiets" in (mixed / "teams" / "noord.csv").read_text(encoding="utf-8")
    for team in ("noord", "zuid"):
        last = (mixed / "teams" / f"{team}.csv").read_text(encoding="utf-8").splitlines()[-1]
        assert ",anonymise," in last and "privacy officer" in last and '""before"":""2024-01-01""' in last
    # Again: nothing left to do, nothing written.
    files = {p: p.read_bytes() for p in (mixed / "teams").iterdir()}
    again = cli("--ledgers", str(mixed), "anonymise", "--before", "1-1-2024", "--format", "json")
    assert json.loads(again.out)["lines"] == 0  # type: ignore[attr-defined]
    assert {p: p.read_bytes() for p in (mixed / "teams").iterdir()} == files


def test_check_reports_personal_text_kept_too_long(cli: Cli, mixed: Path) -> None:
    settings = mixed / "maatwerk.toml"
    settings.write_text("retention_years = 2\n" + settings.read_text(encoding="utf-8"), encoding="utf-8")
    found = [p.message for p in check_ledger(Ledger(mixed))]
    assert any("still hold personal text" in m for m in found), found
    assert any("bank line(s) dated before" in m for m in found), found
    res = cli("--ledgers", str(mixed), "anonymise")
    assert res.code == 0, res.err  # type: ignore[attr-defined]
    assert check_ledger(Ledger(mixed)) == []


def test_refusals_are_one_line_and_write_nothing(cli: Cli, mixed: Path) -> None:
    files = {p: p.read_bytes() for p in mixed.rglob("*") if p.is_file()}
    for args in (["anonymise"], ["anonymise", "--before", "1-1-2099"], ["anonymise", "--before", "1-1-2024",
                                                                        "--by", "BSN 123456782"]):
        res = cli("--ledgers", str(mixed), *args)
        assert res.code == 2 and res.err.count("\n") == 1, res.err  # type: ignore[attr-defined]
    assert {p: p.read_bytes() for p in mixed.rglob("*") if p.is_file()} == files


def test_dutch_help_and_result(cli: Cli, mixed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAATWERK_LANG", "nl")
    res = cli("anonymise", "--help")
    assert "Anonimiseren" in res.out  # type: ignore[attr-defined]
    res = cli("--ledgers", str(mixed), "anonymise", "--before", "1-1-2024", "--dry-run")
    assert "zou" in res.out and "anonimiseren" in res.out, res.out  # type: ignore[attr-defined]


def _state(root: Path, original: dict[str, bytes]) -> str:
    now = {p.name: p.read_bytes() for p in (root / "teams").glob("*.csv")}
    if now == original:
        return "before"
    changed = {name for name in now if now[name] != original[name]}
    assert changed == {"noord.csv", "zuid.csv", "noord.bank.csv"}, changed
    assert not any(w in line for line in old_lines(root) for w in ("H-AB12", "boodschappen"))
    return "after"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("op", ["write", "fsync", "replace"])
def test_killed_at_every_step_it_is_all_before_or_all_after(mixed: Path, tmp_path: Path, op: str) -> None:
    original = {p.name: p.read_bytes() for p in (mixed / "teams").glob("*.csv")}
    seen = set()
    for root, code in crash_points(mixed, tmp_path / op, ["anonymise", "--before", "1-1-2024"], op, "before"):
        # A reader finishes what a writer killed after its marker left; then all or nothing.
        assert check_ledger(Ledger(root)) == []
        state = _state(root, original)
        seen.add((code < 0, state))
        assert not (root / "maatwerk.rewrite").exists()
        assert not [p for p in (root / "teams").iterdir() if ".rewrite-" in p.name]  or state == "before"
        shutil.copytree(root, tmp_path / "last", dirs_exist_ok=True)
    assert (False, "after") in seen
    if op == "replace":
        assert (True, "after") in seen  # killed between the renames: rolled forward


def test_a_reference_in_a_note_is_kept_as_the_link_it_is() -> None:
    """A bank-link's note is the bank line's reference and a bank-undo's the import's id:
    replacing them would break the link or the undo, and they name no person."""
    from maatwerk_cli.core.records import JOURNAL_COLUMNS
    from maatwerk_cli.store.anonymise import PLACEHOLDER, anonymised_cells, personal

    blank = dict.fromkeys(JOURNAL_COLUMNS, "")
    for kind, note in (("bank-link", "NL00TEST0123456789:2025-03-02:1"), ("bank-undo", "imp-6b09af")):
        cells = {**blank, "id": "noord-2025-0009", "type": kind, "date": "2025-03-04", "note": note,
                 "reason": "verkeerd team, zei Jansen"}
        out = anonymised_cells(cells, {})
        assert out["note"] == note and out["reason"] == PLACEHOLDER
        assert not personal(out)
    spend = {**blank, "id": "noord-2025-0001", "type": "spend", "date": "2025-03-04", "note": "imp-6b09af"}
    assert anonymised_cells(spend, {})["note"] == PLACEHOLDER
