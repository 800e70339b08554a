"""Ids are never reused (issue 12, item 8), through the command line.

After a torn line (the last one, lacking its newline) or a line damaged by hand anywhere,
the next id is above every id that appears in the file, the damaged lines' too; a torn
line stays set aside after the next write and never starts counting; a damaged last line
whose id cannot be read stops the writer (one line, nothing written).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot

Cli = Callable[..., Result]


def spend(lcli: Cli, amount: str = "5", date: str = "1-3-2025") -> str:
    # The same € 5 on one day again and again: real payments, not one entered twice.
    res = lcli("spend", "noord", amount, "-c", "Overig", "-d", date, "--reason", "los kaartje")
    assert res.code == 0, res.err
    return res.out.strip()


def journal(folder: Path) -> Path:
    return folder / "teams" / "noord.csv"


def problems(lcli: Cli) -> list[dict[str, object]]:
    res = lcli("check", "-f", "json")
    found: list[dict[str, object]] = json.loads(res.out)
    return found


def entry_ids(lcli: Cli) -> list[str]:
    return [r["id"] for r in json.loads(lcli("entries", "noord", "-f", "json").out)]


def test_a_torn_last_line_stays_set_aside_and_its_id_is_not_given_again(lcli: Cli, ledger_dir: Path) -> None:
    spend(lcli)
    spend(lcli)
    path = journal(ledger_dir)
    data = path.read_bytes()
    path.write_bytes(data[:-25])  # the writer of noord-2025-0002 died mid-line
    assert entry_ids(lcli) == ["noord-2025-0001"]
    assert spend(lcli) == "noord-2025-0003"  # 0002 is in the file, torn: never again
    assert entry_ids(lcli) == ["noord-2025-0001", "noord-2025-0003"]
    [torn] = problems(lcli)
    assert torn["line"] == 3 and "torn" in str(torn["message"])
    assert spend(lcli) == "noord-2025-0004"  # and it never starts counting
    assert entry_ids(lcli) == ["noord-2025-0001", "noord-2025-0003", "noord-2025-0004"]
    assert len(problems(lcli)) == 1


def test_a_torn_line_that_lost_only_its_newline_stays_set_aside(lcli: Cli, ledger_dir: Path) -> None:
    spend(lcli)
    path = journal(ledger_dir)
    path.write_bytes(path.read_bytes()[:-1])  # whole, but without its final newline
    assert entry_ids(lcli) == []  # a line without its newline is not trusted
    assert spend(lcli) == "noord-2025-0002"
    assert entry_ids(lcli) == ["noord-2025-0002"]
    assert spend(lcli) == "noord-2025-0003"
    assert entry_ids(lcli) == ["noord-2025-0002", "noord-2025-0003"]
    [torn] = problems(lcli)
    assert torn["line"] == 2


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_line_damaged_by_hand_anywhere_keeps_its_id(lcli: Cli, ledger_dir: Path, where: str) -> None:
    for _ in range(3):
        spend(lcli)
    path = journal(ledger_dir)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = {"first": 1, "middle": 2, "last": 3}[where]
    lines[at] = lines[at].replace(",5.00,", ",50.00,")  # an amount edited: the checksum fails
    path.write_text("".join(lines), encoding="utf-8")
    assert len(problems(lcli)) == 1
    assert spend(lcli) == "noord-2025-0004"
    assert "noord-2025-0004" in entry_ids(lcli)


def test_a_damaged_line_with_the_highest_id_counts(lcli: Cli, ledger_dir: Path) -> None:
    for _ in range(3):
        spend(lcli)
    path = journal(ledger_dir)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("noord-2025-0001", "noord-2025-0042", 1)  # an id edited by hand
    path.write_text("".join(lines), encoding="utf-8")
    assert spend(lcli) == "noord-2025-0043"


def test_a_high_id_far_before_the_end_still_counts(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    """A damaged line more than the writer's tail away from the end: its id counts too."""
    sheet = tmp_path / "in.csv"
    rows = "".join(f"1-3-2025;1;Overig;regel {n} {'x' * 200};los\n" for n in range(400))
    sheet.write_text("datum;bedrag;categorie;notitie;reden\n" + rows, encoding="utf-8")
    assert lcli("import", "entries", str(sheet), "--team", "noord").code == 0
    path = journal(ledger_dir)
    text = path.read_text(encoding="utf-8")
    assert len(text) > 64 * 1024
    path.write_text(text.replace("noord-2025-0001,", "noord-2025-0999,", 1), encoding="utf-8")
    assert spend(lcli) == "noord-2025-1000"


def test_a_damaged_last_line_without_a_readable_id_stops_the_writer(lcli: Cli, ledger_dir: Path) -> None:
    spend(lcli)
    path = journal(ledger_dir)
    path.write_bytes(path.read_bytes() + b"garbage that is no journal line\n")
    before = snapshot(ledger_dir)
    res = lcli("spend", "noord", "6", "-c", "Overig", "-d", "1-3-2025")
    assert_refused(res, "noord.csv:3", "last line is damaged", "id cannot be read")
    assert snapshot(ledger_dir) == before
    # Every writer, not only spend.
    assert_refused(lcli("mark", "noord-2025-0001", "outcome", "reached"), "last line is damaged")
    assert_refused(lcli("void", "noord-2025-0001", "--reason", "x"), "last line is damaged")
    assert_refused(lcli("cash", "withdraw", "noord", "10", "-d", "1-3-2025"), "last line is damaged")
    assert snapshot(ledger_dir) == before
    # Restored (the line removed), recording goes on above every id there was.
    path.write_bytes(path.read_bytes().replace(b"garbage that is no journal line\n", b""))
    assert spend(lcli) == "noord-2025-0002"


def test_a_void_and_an_import_after_a_torn_line(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    first = spend(lcli)
    spend(lcli)
    path = journal(ledger_dir)
    path.write_bytes(path.read_bytes()[:-10])
    res = lcli("void", first, "--reason", "dubbel")
    assert res.code == 0 and res.out.strip().endswith("-0003")
    sheet = tmp_path / "in.csv"
    sheet.write_text("datum;bedrag;categorie\n2-3-2025;7;Overig\n", encoding="utf-8")
    assert "noord-2025-0004" in lcli("import", "entries", str(sheet), "--team", "noord").out
    assert len(problems(lcli)) == 1
