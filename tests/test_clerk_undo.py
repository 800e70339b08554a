"""The clerk's safety net (issue 12): the echo after recording, undoing any line, one entry's
whole story. Everything through the real command line, on real files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, assert_refused, run_process, snapshot
from maatwerk_cli import Ledger

Cli = Callable[..., Result]


def ok(result: Result) -> str:
    assert result.code == 0, result.err
    return result.out.strip()


def story(lcli: Cli, line_id: str) -> dict[str, list[dict[str, object]]]:
    data: dict[str, list[dict[str, object]]] = json.loads(ok(lcli("show", line_id, "-f", "json")))
    return data


def entries(lcli: Cli) -> dict[str, dict[str, object]]:
    return {r["id"]: r for r in json.loads(ok(lcli("entries", "-f", "json")))}


# ----------------------------------------------------------------------------- item 1: the echo


def test_spend_echoes_what_was_read_in_dutch_and_stdout_stays_the_id(lcli: Cli) -> None:
    res = lcli("spend", "noord", "12.505", "-c", "wonen", "-m", "factuur", "-k", "lening", "-d", "14-3-2025",
               "--reason", "borg en huurachterstand")
    assert res.code == 0, res.err
    assert res.out == "noord-2025-0001\n"
    assert res.err == ("maatwerk: recorded noord-2025-0001: spend, team noord, € 12.505,00, Wonen, "
                       "factuur, loan, 14-03-2025\n")
    as_json = lcli("spend", "zuid", "15", "-c", "Overig", "-d", "15-3-2025", "-f", "json")
    assert json.loads(as_json.out) == {"id": "zuid-2025-0001"}
    assert "€ 15,00" in as_json.err and "15-03-2025" in as_json.err


def test_repay_refuse_and_withdraw_echo_too(lcli: Cli) -> None:
    loan = ok(lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-k", "loan", "-d", "1-3-2025"))
    res = lcli("repay", loan, "20", "-d", "3-3-2025")
    assert res.out == "noord-2025-0002\n"
    assert res.err == ("maatwerk: recorded noord-2025-0002: repayment on noord-2025-0001, team noord, "
                       "€ 20,00, Levensmiddelen, pin, loan, 03-03-2025; still owed € 15,00\n")
    assert json.loads(lcli("repay", loan, "5", "-d", "3-3-2025", "-f", "json").out) == {"id": "noord-2025-0003"}
    res = lcli("refuse", "noord", "--reason", "tweede aanvraag", "--amount", "1.500", "-c", "wonen",
               "-d", "4-3-2025")
    assert res.out == "noord-2025-0004\n"
    assert res.err == ("maatwerk: recorded noord-2025-0004: refusal, team noord, € 1.500,00, Wonen, "
                       "04-03-2025; amount asked\n")
    res = lcli("cash", "withdraw", "noord", "50", "-d", "5-3-2025", "-f", "json")
    assert json.loads(res.out) == {"id": "noord-2025-0005"}
    assert res.err == ("maatwerk: recorded noord-2025-0005: cash withdrawal, team noord, € 50,00, pin, "
                       "05-03-2025; cash on hand € 50,00\n")


def test_the_echo_in_a_real_process(ledger_dir: Path) -> None:
    res = run_process("--ledgers", str(ledger_dir), "spend", "noord", "1.234,56", "-c", "Wonen",
                      "-d", "2-1-2025")
    assert res.returncode == 0 and res.stdout == "noord-2025-0001\n"
    assert "€ 1.234,56" in res.stderr and "02-01-2025" in res.stderr


# ----------------------------------------------------------------------------- item 3: void anything


@pytest.fixture
def busy(lcli: Cli) -> dict[str, str]:
    """A loan with a mark, two repayments, a recovery and an outcome; a gift; a refusal;
    a withdrawal and a cash spend; a knipkaart use."""
    ids: dict[str, str] = {}
    ids["loan"] = ok(lcli("spend", "noord", "100", "-c", "Levensmiddelen", "-d", "1-3-2025"))
    ids["mark"] = ok(lcli("mark", ids["loan"], "loan", "--due", "1-6-2025"))
    ids["repay1"] = ok(lcli("repay", ids["loan"], "20", "-d", "2-3-2025"))
    ids["repay2"] = ok(lcli("repay", ids["loan"], "30", "-d", "3-3-2025"))
    ids["outcome"] = ok(lcli("mark", ids["loan"], "outcome", "reached"))
    ids["gift"] = ok(lcli("spend", "noord", "40", "-c", "Kleding", "-d", "4-3-2025"))
    ids["teg"] = ok(lcli("mark", ids["gift"], "tegenprestatie", "helpt in de buurtkamer"))
    ids["recovered"] = ok(lcli("mark", ids["gift"], "recovered", "--from", "bijzondere bijstand",
                               "--amount", "10", "--date", "5-3-2025"))
    ids["refusal"] = ok(lcli("refuse", "noord", "--reason", "kerstpakket", "-d", "5-3-2025"))
    ids["withdraw"] = ok(lcli("cash", "withdraw", "noord", "50", "-d", "6-3-2025"))
    ids["cash"] = ok(lcli("spend", "noord", "30", "-c", "Vervoer", "-m", "contant", "-d", "6-3-2025"))
    ids["knip"] = ok(lcli("knipkaart", "use", "noord", "--reason", "uitkering eerder laten ingaan",
                          "-d", "6-3-2025"))
    return ids


def test_a_repayment_is_voided_and_the_loan_owes_again(lcli: Cli, busy: dict[str, str]) -> None:
    res = lcli("void", busy["repay2"], "--reason", "verkeerde lening")
    void_id = ok(res)
    assert f"voided {busy['repay2']} by {void_id}: repay € 30,00, 03-03-2025" in res.err
    loan = entries(lcli)[busy["loan"]]
    assert loan["repaid"] == 20.0 and loan["outstanding"] == 80.0
    assert lcli("check").code == 0


@pytest.mark.parametrize("what", ["outcome", "teg", "recovered", "refusal", "knip"])
def test_every_kind_of_event_can_be_voided(lcli: Cli, ledger_dir: Path, busy: dict[str, str],
                                           what: str) -> None:
    ok(lcli("void", busy[what], "--reason", "vergissing"))
    got = entries(lcli)
    if what == "outcome":
        assert got[busy["loan"]]["outcome"] == ""
    elif what == "teg":
        assert got[busy["gift"]]["tegenprestatie"] == ""
    elif what == "recovered":
        assert got[busy["gift"]]["recovered"] == 0.0
    elif what == "refusal":
        assert Ledger(ledger_dir).read().refusals == ()
    else:
        status = json.loads(ok(lcli("knipkaart", "status", "noord", "--year", "2025", "-f", "json")))
        assert status[0]["used"] == 0
    assert story(lcli, busy[what])["lines"][-1]["details"] == f"voids {busy[what]}: vergissing"
    assert lcli("check").code == 0


def test_a_mark_with_repayments_after_it_is_not_undone_alone(lcli: Cli, ledger_dir: Path,
                                                          busy: dict[str, str]) -> None:
    before = snapshot(ledger_dir)
    res = lcli("void", busy["mark"], "--reason", "toch een gift")
    assert_refused(res, "would be a gift with repayments", busy["repay1"], busy["repay2"])
    assert snapshot(ledger_dir) == before
    # Named together, it is fine.
    ok(lcli("void", busy["mark"], busy["repay1"], busy["repay2"], "--reason", "toch een gift"))
    assert entries(lcli)[busy["loan"]]["kind"] == "gift"
    assert lcli("check").code == 0


def test_a_withdrawal_and_a_settlement(lcli: Cli, ledger_dir: Path, busy: dict[str, str]) -> None:
    before = snapshot(ledger_dir)
    # € 30 of the € 50 was spent in cash: the box would go below zero.
    assert_refused(lcli("void", busy["withdraw"], "--reason", "dubbel"), "cash box", "€ -30,00", "would go below zero")
    assert snapshot(ledger_dir) == before
    ok(lcli("void", busy["withdraw"], busy["cash"], "--reason", "dubbel"))
    assert json.loads(ok(lcli("cash", "status", "noord", "-f", "json")))[0]["cash_on_hand"] == 0.0
    # Settle a fresh remainder, then take the settlement back.
    ok(lcli("cash", "withdraw", "noord", "20", "-d", "7-3-2025"))
    settled = lcli("cash", "settle", "noord", "--deposit", "-d", "8-3-2025").out.split()[0]
    ok(lcli("void", settled, "--reason", "niet teruggestort"))
    assert json.loads(ok(lcli("cash", "status", "noord", "-f", "json")))[0]["cash_on_hand"] == 20.0
    assert lcli("check").code == 0


def test_a_repaid_loan_is_refused_with_the_repayments_named_then_voided_with_events(
    lcli: Cli, ledger_dir: Path, busy: dict[str, str]
) -> None:
    before = snapshot(ledger_dir)
    res = lcli("void", busy["loan"], "--reason", "verkeerd team")
    assert_refused(res, "--with-events", busy["repay1"], busy["repay2"], "€ 20,00", "€ 30,00")
    assert snapshot(ledger_dir) == before
    dry = lcli("void", busy["loan"], "--reason", "verkeerd team", "--with-events", "--dry-run")
    assert dry.code == 0 and dry.out == ""
    assert snapshot(ledger_dir) == before
    assert f"would void {busy['repay1']}: repay € 20,00" in dry.err
    res = lcli("void", busy["loan"], "--reason", "verkeerd team", "--with-events")
    assert res.code == 0, res.err
    listed = [line for line in res.err.splitlines() if line.startswith("maatwerk: voiding")]
    # Every later event that stands, then the spend itself, listed before the write.
    assert [line.split()[2].rstrip(":") for line in listed] == [
        busy["mark"], busy["repay1"], busy["repay2"], busy["outcome"], busy["loan"]]
    assert len(res.out.split()) == 5
    row = entries(lcli)[busy["loan"]]
    assert row["voided"] is True and row["repaid"] == 0.0 and row["outstanding"] == 0.0
    assert lcli("check").code == 0
    # The spend may go to the right team now.
    ok(lcli("spend", "zuid", "100", "-c", "Levensmiddelen", "-k", "loan", "-d", "1-3-2025"))


def test_several_ids_over_two_teams_all_or_nothing(lcli: Cli, ledger_dir: Path) -> None:
    a = ok(lcli("spend", "noord", "10", "-c", "Overig", "-d", "1-3-2025"))
    b = ok(lcli("spend", "zuid", "11", "-c", "Overig", "-d", "1-3-2025"))
    c = ok(lcli("spend", "zuid", "12", "-c", "Overig", "-d", "1-3-2025"))
    ok(lcli("void", c, "--reason", "eerder"))
    before = snapshot(ledger_dir)
    assert_refused(lcli("void", a, b, c, "--reason", "dubbel"), f"{c} is voided already")
    assert_refused(lcli("void", a, "zuid-2025-0999", "--reason", "dubbel"), "no entry 'zuid-2025-0999'")
    assert snapshot(ledger_dir) == before
    res = lcli("void", a, b, "--reason", "dubbel")
    assert res.code == 0 and len(res.out.split()) == 2
    got = entries(lcli)
    assert got[a]["voided"] and got[b]["voided"]
    assert lcli("check").code == 0


def test_a_void_of_a_void_undoes_it(lcli: Cli) -> None:
    spend = ok(lcli("spend", "noord", "25", "-c", "Overig", "-d", "1-3-2025"))
    first = ok(lcli("void", spend, "--reason", "dubbel"))
    assert entries(lcli)[spend]["voided"] is True
    res = lcli("void", spend, "--reason", "nog eens")
    assert_refused(res, f"voided already by {first}", f"void {first}")
    ok(lcli("void", first, "--reason", "was toch goed"))
    assert entries(lcli)[spend]["voided"] is False
    assert lcli("check").code == 0


BAD_VOIDS = [
    (("void", "noord-2025-0001"), "--reason"),
    (("void", "noord-2025-0001", "--reason", " "), "say why"),
    (("void", "geen-id", "--reason", "x"), "not an entry id"),
    (("void", "west-2025-0001", "--reason", "x"), "no team 'west'"),
    (("void", "noord-2025-0001", "--reason", "bsn 123.456.782"), "BSN"),
    (("void", "--reason", "x"), "Missing argument"),
]


@pytest.mark.parametrize(("args", "needle"), BAD_VOIDS, ids=[" ".join(a) for a, _ in BAD_VOIDS])
def test_void_mistakes(lcli: Cli, ledger_dir: Path, args: tuple[str, ...], needle: str) -> None:
    ok(lcli("spend", "noord", "25", "-c", "Overig", "-d", "1-3-2025"))
    before = snapshot(ledger_dir)
    assert_refused(lcli(*args), needle)
    assert snapshot(ledger_dir) == before


# ----------------------------------------------------------------------------- item 3: show ID


def test_show_tells_the_whole_story_in_order_with_voids_marked(lcli: Cli, busy: dict[str, str]) -> None:
    undo = ok(lcli("void", busy["repay2"], "--reason", "verkeerde lening"))
    got = story(lcli, busy["loan"])
    [entry] = got["entry"]
    assert entry["id"] == busy["loan"] and entry["kind"] == "loan" and entry["repaid"] == 20.0
    lines = got["lines"]
    assert [line["id"] for line in lines] == [busy["loan"], busy["mark"], busy["repay1"], busy["repay2"],
                                              busy["outcome"], undo]
    assert [line["type"] for line in lines] == ["spend", "kind", "repay", "repay", "outcome", "void"]
    by_id = {line["id"]: line for line in lines}
    assert by_id[busy["repay2"]]["voided"] is True and by_id[busy["repay2"]]["voided_by"] == undo
    assert by_id[busy["repay1"]]["voided"] is False
    assert by_id[undo]["details"] == f"voids {busy['repay2']}: verkeerde lening"
    assert by_id[busy["mark"]]["details"] == "now a loan; due 01-06-2025"
    # An event's id tells its entry's story, with that line marked.
    from_event = story(lcli, busy["repay1"])
    assert [line["id"] for line in from_event["lines"]] == [line["id"] for line in lines]
    assert [line["asked"] for line in from_event["lines"]].index(True) == 2
    # A line about no entry: itself and its voids.
    assert story(lcli, busy["refusal"])["entry"] == []
    assert [line["type"] for line in story(lcli, busy["refusal"])["lines"]] == ["refusal"]
    table = lcli("show", busy["loan"])
    assert table.code == 0 and "verkeerde lening" in table.out and "€ 30,00" in table.out


def test_show_and_entries_with_an_id_help_the_clerk(lcli: Cli, ledger_dir: Path) -> None:
    sid = ok(lcli("spend", "noord", "25", "-c", "Overig", "-d", "1-3-2025"))
    before = snapshot(ledger_dir)
    assert_refused(lcli("entries", sid), f"`maatwerk show {sid}`")
    assert_refused(lcli("show", "noord-2025-0099"), "no entry")
    assert_refused(lcli("show", "nonsense"), "not an entry id")
    assert_refused(lcli("show", sid, "-f", "pdf"), "format")
    assert snapshot(ledger_dir) == before


def test_rules_leave_voided_overrides_out(lcli: Cli) -> None:
    sid = ok(lcli("spend", "noord", "2.500", "-c", "Wonen", "-d", "1-3-2025"))
    big = ok(lcli("spend", "noord", "30.000", "-c", "Wonen", "-d", "2-3-2025", "--reason", "doorbraak"))
    data = json.loads(ok(lcli("rules", "-f", "json")))
    assert [o["id"] for o in data["overrides"]] == [big]
    ok(lcli("void", big, "--reason", "verkeerd bedrag"))
    assert json.loads(ok(lcli("rules", "-f", "json")))["overrides"] == []
    [marked] = json.loads(ok(lcli("rules", "--voided", "-f", "json")))["overrides"]
    assert marked["id"] == big and marked["voided"] is True
    assert sid


def test_a_withdrawal_an_earlier_cash_spend_was_paid_from_stays(lcli: Cli, ledger_dir: Path) -> None:
    first = ok(lcli("cash", "withdraw", "noord", "50", "-d", "1-3-2025"))
    ok(lcli("spend", "noord", "30", "-c", "Vervoer", "-m", "contant", "-d", "1-3-2025"))
    ok(lcli("cash", "withdraw", "noord", "100", "-d", "2-3-2025"))
    before = snapshot(ledger_dir)
    # At the end the box would still hold € 70, but the € 30 was paid before the second
    # withdrawal: `check` would find the box below zero there.
    assert_refused(lcli("void", first, "--reason", "dubbel"), "below zero at noord-2025-0002")
    assert snapshot(ledger_dir) == before
