"""A ledger written by the journal format of 2026-12 (format 1) still reads, reports and takes
appends unchanged, whatever the reader does inside.

``tests/fixtures/journal-format-1`` is a small, fictional ledger made with the CLI of that
day (``init``, ``team add``, ``spend`` with a comma and quotes in notes, a loan and its
repayment, a conditional grant, a void, ``import entries`` (quoted ``extra`` cells), a
refusal). Its bytes are checked in as they were written: the figures below are what that
version reported for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result
from maatwerk_cli import Ledger
from maatwerk_cli.store.journal import HEADER, read_journal

FIXTURE = Path(__file__).parent / "fixtures" / "journal-format-1"

#: The fixture's journals as checked in: a change to the files is a change to this test.
SHA256 = {
    "noord.csv": "9f5f5a20fed1e3da4664e407551dfba42155079262784805e98b093da0a649c5",
    "zuid.csv": "170c487d734854b7f8a435b1f25a651a9966ef9a5bb0c43bd1600fabdc0b5922",
}

#: ``compare --year 2025 --format json`` as the version that wrote the fixture printed it.
COMPARE = [
    {"team": "noord", "budget": 20000.00, "spent": 373.55, "utilisation": 0.0187, "count": 4,
     "average": 93.39, "median": 51.80, "max": 250.00, "top_category": "Wonen", "loans_outstanding": 150.00,
     "tegenprestatie_share": 0.0, "refusals": 1, "pace": 1.0, "loans_only_outstanding": 150.00,
     "conditional_outstanding": 0.00},
    {"team": "zuid", "budget": 15000.00, "spent": 1309.56, "utilisation": 0.0873, "count": 2,
     "average": 654.78, "median": 654.78, "max": 1234.56, "top_category": "Wonen", "loans_outstanding": 75.00,
     "tegenprestatie_share": 0.0, "refusals": 0, "pace": 1.0, "loans_only_outstanding": 0.00,
     "conditional_outstanding": 75.00},
]


@pytest.fixture
def old_ledger(tmp_path: Path) -> Path:
    root = tmp_path / "format-1"
    shutil.copytree(FIXTURE, root)
    return root


def _compare(cli: Callable[..., Result], root: Path) -> list[dict[str, object]]:
    got = cli("--ledgers", str(root), "compare", "--year", "2025", "--format", "json")
    assert got.code == 0, got.err
    rows: list[dict[str, object]] = json.loads(got.out)
    return rows


def test_the_fixture_is_as_checked_in() -> None:
    for name, digest in SHA256.items():
        data = (FIXTURE / "teams" / name).read_bytes()
        assert data.startswith(HEADER.encode("ascii")) and b"\r" not in data
        assert hashlib.sha256(data).hexdigest() == digest, name


@pytest.mark.parametrize("cache", ["cache", "no cache"])
def test_format_1_reads_and_reports_unchanged(
    old_ledger: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    if cache == "no cache":
        monkeypatch.setenv("MAATWERK_NO_CACHE", "1")
    noord = read_journal(old_ledger / "teams" / "noord.csv", "noord")
    zuid = read_journal(old_ledger / "teams" / "zuid.csv", "zuid")
    assert not noord.problems and not zuid.problems
    assert [r.id for r in noord.rows] == [f"noord-2025-{n:04d}" for n in range(1, 7)]
    assert [r.id for r in zuid.rows] == ["zuid-2025-0001", "zuid-2025-0002", "zuid-2026-0003", "zuid-2025-0004"]
    first = noord.rows[0]
    assert (first.note, first.household, first.amount) == ("boodschappen, tot de uitkering komt", "H-AB12CD",
                                                           Decimal("43.60"))
    assert noord.rows[1].note == 'borg "kamer"' and noord.rows[1].due == dt.date(2025, 7, 1)
    imported = zuid.rows[3]
    assert imported.note == "huurachterstand, eerste maand" and imported.amount == Decimal("1234.56")
    assert imported.extra == {"batch": "9b30ca5762a11fb8", "row": "1283057ca9c9b9c76abc"}
    assert Ledger(old_ledger).check() == []
    for _ in range(2):  # the second time from the cache, when there is one
        assert _compare(cli, old_ledger) == COMPARE
    before = {p.name: p.read_bytes() for p in (old_ledger / "teams").iterdir()}
    assert before == {p.name: p.read_bytes() for p in (FIXTURE / "teams").iterdir()}


def test_format_1_takes_appends_unchanged(old_ledger: Path, cli: Callable[..., Result]) -> None:
    path = old_ledger / "teams" / "noord.csv"
    old = path.read_bytes()
    _compare(cli, old_ledger)  # a cache of the old journal first, then the append
    got = cli("--ledgers", str(old_ledger), "spend", "noord", "10", "-c", "Overig", "-d", "8-6-2025")
    assert got.code == 0, got.err
    assert got.out.strip() == "noord-2025-0007"
    new = path.read_bytes()
    assert new.startswith(old)  # the old lines stay byte for byte
    added = new[len(old):].decode("utf-8").splitlines()
    assert len(added) == 1 and added[0].startswith("noord-2025-0007,spend,2025-06-08,,10.00,Overig,pin,gift,")
    assert Ledger(old_ledger).check() == []
    rows = _compare(cli, old_ledger)
    assert rows[0]["spent"] == 383.55 and rows[0]["count"] == 5
    assert rows[1] == COMPARE[1]
