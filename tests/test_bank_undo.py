"""Undoing an import of a bank statement (issue 24 item 5): the import's id, ``bank imports``,
``bank undo``, and ``void`` of the undo bringing the statement back.

The statements are the invented ones in ``tests/fixtures/bank_import`` (fictional accounts).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger

Cli = Callable[..., Result]
OWN = Path(__file__).resolve().parent / "fixtures" / "bank_import"
ING_MARCH = OWN / "ing_noord_2025-03.csv"  # account NL00TEST0246813579, 8 lines
ING_OVERLAP = OWN / "ing_noord_2025-03-14_tot_04-08.csv"
KNAB_ZUID = OWN / "knab_zuid_2025-04.csv"


def as_json(result: Result) -> Any:
    assert result.code == 0, result.err
    return json.loads(result.out)


def import_id(lcli: Cli, path: Path, team: str) -> str:
    summary = as_json(lcli("import", "bank", str(path), "--team", team, "--json"))
    found: str = summary["import"]
    assert found.startswith("imp-")
    return found


def undo(lcli: Cli, team: str, key: str, reason: str = "wrong team") -> str:
    result = lcli("bank", "undo", team, key, "--reason", reason)
    assert result.code == 0, result.err
    return result.out.strip()


def test_a_statement_imported_into_the_wrong_team_is_undone_and_imported_into_the_right_one(
    lcli: Cli, ledger_dir: Path
) -> None:
    assert lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "5-3-2025").code == 0
    text = lcli("import", "bank", str(ING_MARCH), "--team", "zuid")
    assert text.code == 0, text.err
    key = as_json(lcli("bank", "imports", "zuid", "-f", "json"))[0]["import"]
    assert f"import {key}; to take it out again: maatwerk bank undo zuid {key} --reason TEXT" in text.out
    # The right team is refused while the wrong one holds the account.
    before = snapshot(ledger_dir)
    assert_refused(lcli("import", "bank", str(ING_MARCH), "--team", "noord"), "of team zuid", "bank undo")
    assert snapshot(ledger_dir) == before

    done = lcli("bank", "undo", "zuid", key, "--reason", "verkeerd team")
    assert done.code == 0, done.err
    undo_id = done.out.strip()
    assert undo_id.startswith("zuid-")
    assert f"import {key} of ing_noord_2025-03.csv taken out of team zuid (8 bank lines" in done.err
    assert f"maatwerk void {undo_id}" in done.err
    # The bank file keeps the lines; they count no more.
    assert (ledger_dir / "teams" / "zuid.bank.csv").read_text(encoding="utf-8").count("\n") == 9
    assert as_json(lcli("bank", "lines", "zuid", "-f", "json")) == []
    assert_refused(lcli("reconcile", "zuid"), "no bank statement imported for team zuid")
    listed = as_json(lcli("bank", "imports", "zuid", "-f", "json"))
    assert [(i["import"], i["status"], i["undone_by"], i["bank_lines"]) for i in listed] == [
        (key, "undone", undo_id, 8)]

    summary = as_json(lcli("import", "bank", str(ING_MARCH), "--team", "noord", "--json"))
    assert summary["added"] == 8 and summary["import"].startswith("imp-") and summary["import"] != key
    lines = as_json(lcli("bank", "lines", "noord", "-f", "json"))
    assert len(lines) == 8 and {line["import"] for line in lines} == {summary["import"]}
    assert [line["id"] for line in lines if line["status"] == "linked"] == ["noord-2025-0001"]
    assert lcli("check").out.strip() == "ok: no problems found"


def test_undo_takes_links_out_and_void_of_the_undo_brings_them_back(lcli: Cli, ledger_dir: Path) -> None:
    assert lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "5-3-2025").code == 0
    key = import_id(lcli, ING_MARCH, "noord")
    assert [m["problem"] for m in as_json(lcli("reconcile", "noord", "-f", "json"))].count("bank_without_entry") == 6

    done = lcli("bank", "undo", "noord", key, "--reason", "test")
    assert "links of its lines to entries left out while it is undone: 1" in done.err
    # The card spend is on no statement now.
    assert_refused(lcli("reconcile", "noord"), "no bank statement imported")
    assert_refused(lcli("spend", "noord", "18,95", "-c", "Gezondheid", "-d", "14-3-2025",
                        "--bank-line", "h:5873ecf5f6a17203"), "no bank statement imported")

    back = lcli("void", done.out.strip(), "--reason", "it was right")
    assert back.code == 0, back.err
    lines = as_json(lcli("bank", "lines", "noord", "-f", "json"))
    assert len(lines) == 8
    assert [line["id"] for line in lines if line["status"] == "linked"] == ["noord-2025-0001"]
    assert as_json(lcli("bank", "imports", "noord", "-f", "json"))[0]["status"] == "in-use"
    assert lcli("check").out.strip() == "ok: no problems found"


def test_a_statement_undone_and_imported_again_into_the_same_team_keeps_its_links(
    lcli: Cli, ledger_dir: Path
) -> None:
    assert lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "5-3-2025").code == 0
    first = import_id(lcli, ING_MARCH, "noord")
    undo_id = undo(lcli, "noord", first)
    again = import_id(lcli, ING_MARCH, "noord")
    assert again != first
    lines = as_json(lcli("bank", "lines", "noord", "-f", "json"))
    assert len(lines) == 8 and [line["id"] for line in lines if line["status"] == "linked"] == ["noord-2025-0001"]
    # Bringing the first one back would store its lines twice: refused, nothing written.
    before = snapshot(ledger_dir)
    assert_refused(lcli("void", undo_id, "--reason", "back"), f"import {first} cannot come back",
                   f"maatwerk bank undo noord {again}")
    assert snapshot(ledger_dir) == before
    assert lcli("check").out.strip() == "ok: no problems found"


def test_bringing_back_an_account_another_team_now_holds_is_refused(lcli: Cli, ledger_dir: Path) -> None:
    key = import_id(lcli, ING_MARCH, "zuid")
    undo_id = undo(lcli, "zuid", key)
    import_id(lcli, ING_MARCH, "noord")
    before = snapshot(ledger_dir)
    assert_refused(lcli("void", undo_id, "--reason", "back"), f"import {key} cannot come back",
                   "card account of team noord")
    assert snapshot(ledger_dir) == before


def test_refusals_are_one_line_and_write_nothing(lcli: Cli, ledger_dir: Path) -> None:
    assert_refused(lcli("bank", "undo", "noord", "imp-000000", "--reason", "x"), "no bank statement imported")
    key = import_id(lcli, ING_MARCH, "noord")
    undo_id = undo(lcli, "noord", key)
    before = snapshot(ledger_dir)
    for args, needle in (
        (("bank", "undo", "noord", "imp-000000", "--reason", "x"), "team noord has no import 'imp-000000'"),
        (("bank", "undo", "noord", key, "--reason", "x"), f"undone already, by {undo_id}"),
        (("bank", "undo", "noord", "", "--reason", "x"), "give the import's id"),
        (("bank", "undo", "noord", key, "--reason", " "), "--reason"),
        (("bank", "undo", "west", key, "--reason", "x"), "west"),
        (("bank", "undo", "noord", key, "--reason", "bel 0612345678"), "phone"),
    ):
        assert_refused(lcli(*args), needle)
        assert snapshot(ledger_dir) == before


def test_each_import_has_its_own_id_and_a_dry_run_or_nothing_new_has_none(lcli: Cli) -> None:
    first = import_id(lcli, ING_MARCH, "noord")
    second = import_id(lcli, ING_OVERLAP, "noord")  # most likely in the same second
    assert first != second
    assert as_json(lcli("import", "bank", str(ING_MARCH), "--team", "noord", "--json"))["import"] == ""
    dry = lcli("import", "bank", str(KNAB_ZUID), "--team", "zuid", "--dry-run", "--json")
    assert as_json(dry)["import"] == ""
    listed = as_json(lcli("bank", "imports", "noord", "-f", "json"))
    assert [i["import"] for i in listed] == [first, second]
    assert listed[0]["account"] == "NL00TEST0246813579" and listed[0]["source"] == "ing_noord_2025-03.csv"
    # Undoing the later one leaves the lines the earlier one stored.
    undo(lcli, "noord", second)
    lines = as_json(lcli("bank", "lines", "noord", "-f", "json"))
    assert len(lines) == 8 and {line["import"] for line in lines} == {first}


def test_show_and_check_know_the_undo_line(lcli: Cli, ledger_dir: Path) -> None:
    key = import_id(lcli, ING_MARCH, "noord")
    undo_id = undo(lcli, "noord", key, "wrong team")
    shown = lcli("show", undo_id)
    assert f"statement import {key} taken out; wrong team" in shown.out
    assert lcli("check").code == 0
    # An undo that names no import of the team is reported by check.
    Ledger(ledger_dir).append_cells("noord", [{"type": "bank-undo", "date": "2025-04-01", "note": "imp-000000",
                                               "reason": "typed by hand"}])
    found = lcli("check")
    assert found.code == 1 and "undoes import imp-000000, which ledgers/teams/noord.bank.csv does not hold" in found.out


def test_undo_in_dutch(lcli: Cli) -> None:
    key = import_id(lcli, ING_MARCH, "noord")
    done = lcli("--lang", "nl", "bank", "undo", "noord", key, "--reason", "verkeerd team")
    assert done.code == 0
    assert f"inlezing {key} van ing_noord_2025-03.csv uit team noord gehaald (8 bankregels" in done.err
    listed = lcli("--lang", "nl", "bank", "imports", "noord")
    assert "teruggedraaid" in listed.out and "Inlezingen van afschriften" in listed.out


# --------------------------------------------------------------------------- a new card account


def test_a_new_card_account_is_accepted_from_its_day_and_the_old_statements_still_reconcile(
    lcli: Cli, ledger_dir: Path
) -> None:
    assert lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-d", "5-3-2025").code == 0
    assert lcli("spend", "noord", "27,45", "-c", "Levensmiddelen", "-d", "3-4-2025").code == 0
    import_id(lcli, ING_MARCH, "noord")  # the old card: NL00TEST0246813579
    before = snapshot(ledger_dir)
    assert_refused(lcli("import", "bank", str(KNAB_ZUID), "--team", "noord"),
                   "earlier statements are for NL00TEST0246813579", "maatwerk team account noord IBAN --from DATE")
    assert snapshot(ledger_dir) == before

    done = lcli("team", "account", "noord", "nl00 test 1357 9246 80", "--from", "1-4-2025")
    assert done.code == 0, done.err
    assert done.out.strip() == ("noord: card account NL00TEST1357924680 from 01-04-2025; "
                                "its statements are accepted from then on")
    text = (ledger_dir / "teams" / "noord.toml").read_text(encoding="utf-8")
    assert '[[card_account]]' in text and 'iban = "NL00TEST1357924680"\nfrom = 2025-04-01\n' in text

    summary = as_json(lcli("import", "bank", str(KNAB_ZUID), "--team", "noord", "--json"))
    assert summary["added"] == 5 and [line["id"] for line in summary["linked"]] == ["noord-2025-0002"]
    found = as_json(lcli("reconcile", "noord", "-f", "json"))
    # The March statement of the old card still links the March spend: only its open payments are listed.
    assert "noord-2025-0001" not in {m["id"] for m in found}
    assert {m["problem"] for m in found} == {"bank_without_entry", "not_covered"}
    covered = lcli("reconcile", "noord").out
    assert "statements of NL00TEST0246813579 cover 03-03-2025" in covered
    assert "statements of NL00TEST1357924680 cover 01-04-2025" in covered
    assert lcli("check").out.strip() == "ok: no problems found"
    # The old card's statement is still accepted (late bookings).
    assert as_json(lcli("import", "bank", str(ING_OVERLAP), "--team", "noord", "--json"))["added"] > 0


def test_card_account_refusals_are_one_line_and_write_nothing(lcli: Cli, ledger_dir: Path) -> None:
    import_id(lcli, ING_MARCH, "noord")
    assert lcli("team", "account", "zuid", "NL00TEST1357924680", "--from", "5-4-2025").code == 0
    before = snapshot(ledger_dir)
    for args, needle in (
        (("team", "account", "zuid", "NL00TEST1357924680", "--from", "1-5-2025"),
         "NL00TEST1357924680 is team zuid's card account already, from 05-04-2025"),
        (("team", "account", "zuid", "NL00TEST0246813579", "--from", "1-4-2025"), "card account of team noord"),
        (("team", "account", "noord", "NL00TEST1357924680", "--from", "1-4-2025"), "card account of team zuid"),
        (("team", "account", "zuid", "12345", "--from", "1-4-2025"), "is not an account number"),
        (("team", "account", "zuid", "NL00TEST1111111111", "--from", "31-2-2025"), "--from"),
        (("team", "account", "west", "NL00TEST1111111111", "--from", "1-4-2025"), "west"),
        # Lines of the new account before its day: the date in the team file is checked.
        (("import", "bank", str(KNAB_ZUID), "--team", "zuid"), "before 05-04-2025"),
        # A team file that names the account is as good as its statements for other teams.
        (("import", "bank", str(KNAB_ZUID), "--team", "noord"), "earlier statements are for"),
    ):
        assert_refused(lcli(*args), needle)
        assert snapshot(ledger_dir) == before


def test_a_first_statement_of_an_account_another_team_file_names_is_refused(lcli: Cli, ledger_dir: Path) -> None:
    assert lcli("team", "account", "zuid", "NL00TEST1357924680", "--from", "1-4-2025").code == 0
    before = snapshot(ledger_dir)
    assert_refused(lcli("import", "bank", str(KNAB_ZUID), "--team", "noord"), "card account of team zuid")
    assert snapshot(ledger_dir) == before
    assert as_json(lcli("import", "bank", str(KNAB_ZUID), "--team", "zuid", "--json"))["added"] == 5


def test_a_damaged_card_account_block_is_named(lcli: Cli, ledger_dir: Path) -> None:
    path = ledger_dir / "teams" / "noord.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[[card_account]]\niban = "NL00TEST1357924680"\n',
                    encoding="utf-8")
    result = lcli("import", "bank", str(KNAB_ZUID), "--team", "noord")
    assert result.code != 0 and "noord.toml: a [[card_account]] block needs iban" in result.err
    found = lcli("check")
    assert found.code == 1 and "a [[card_account]] block needs iban" in found.out
    said = next(line for line in found.out.splitlines() if "card_account" in line)
    assert said.count("noord.toml") == 1, said  # the file named once, not twice


def test_team_account_in_dutch(lcli: Cli) -> None:
    done = lcli("--lang", "nl", "team", "account", "noord", "NL00TEST1357924680", "--from", "1-4-2025")
    assert done.code == 0
    assert "pinrekening NL00TEST1357924680 vanaf 01-04-2025" in done.out
