"""Every path agrees to the cent: random ledgers, folded by the package and by the independent
reference (tests/reference.py), compared through every report and listing, with the cache
cold, warm, and after a further write.

The ledgers hold spends of every kind and method, repayments, recoveries, marks, outcomes,
tegenprestaties, voids (of spends and of events, and voids of voids), refusals, cash
withdrawals and settlements; some end in an unfinished import (a pending marker with lines
beyond it), a torn last line, or carry a hand-damaged line in the middle.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference
from conftest import Result
from maatwerk_cli import Ledger
from maatwerk_cli.cli.app import run
from maatwerk_cli.core.records import make_id
from maatwerk_cli.store.journal import HEADER, encode_line
from maatwerk_cli.store.pending import marker_text, tail_hash

TEAMS = ("noord", "zuid")
CATEGORIES = ("Wonen", "Levensmiddelen", "Overig")
ZERO = Decimal("0.00")
YEAR_END = dt.date(2025, 12, 31)

spend_op = st.tuples(st.just("spend"), st.integers(1, 200_000), st.sampled_from(("pin", "factuur", "contant")),
                     st.sampled_from(("gift", "loan", "conditional")), st.integers(0, 2), st.integers(1, 360))
event_op = st.tuples(st.sampled_from(("repay", "recovered", "kind", "tegenprestatie", "outcome")),
                     st.integers(0, 10_000), st.integers(1, 50_000), st.integers(1, 360))
void_op = st.tuples(st.just("void"), st.integers(0, 10_000))
other_op = st.tuples(st.sampled_from(("refusal", "withdraw", "settle-deposit", "settle-write-off")),
                     st.integers(1, 20_000), st.integers(1, 360))
journal = st.lists(st.one_of(spend_op, spend_op, event_op, event_op, void_op, other_op), min_size=1, max_size=40)
ending = st.sampled_from(("clean", "pending", "torn", "damaged", "pending+torn"))


def _day(n: int) -> str:
    return (dt.date(2025, 1, 1) + dt.timedelta(days=n % 365)).isoformat()


def _cents(n: int) -> str:
    return f"{n // 100}.{n % 100:02d}"


def lines_of(team: str, ops: list[tuple[Any, ...]]) -> list[dict[str, str]]:
    """Journal cells for the operations: events and voids refer to earlier lines."""
    out: list[dict[str, str]] = []
    spends: list[int] = []
    for op in ops:
        seq = len(out) + 1
        cells: dict[str, str] = {"id": make_id(team, 2025, seq), "recorded_at": "2025-01-01T00:00:00Z"}
        kind = op[0]
        if kind == "spend":
            _, cents, method, spend_kind, cat, day = op
            cells.update(type="spend", date=_day(day), amount=_cents(cents), category=CATEGORIES[cat],
                         method=method, kind=spend_kind, note=f"n{seq}, \"x\"" if seq % 3 == 0 else "")
            if spend_kind == "conditional":
                cells["condition"] = "cursus afmaken"
            if seq % 4 == 0:
                cells.update(tegenprestatie="helpt mee", status="agreed")
            spends.append(seq)
        elif kind in ("repay", "recovered", "kind", "tegenprestatie", "outcome"):
            if not spends:
                continue
            _, pick, cents, day = op
            ref = make_id(team, 2025, spends[pick % len(spends)])
            cells.update(type=kind, date=_day(day), ref=ref)
            if kind in ("repay", "recovered"):
                cells["amount"] = _cents(cents)
                if kind == "recovered":
                    cells["note"] = "bijzondere bijstand"
            elif kind == "kind":
                cells.update(kind=("gift", "loan", "conditional")[cents % 3],
                             due="2025-12-01" if cents % 3 == 1 else "")
                if cents % 3 == 2:
                    cells["condition"] = "diploma halen"
                if cents % 3 != 1:
                    cells["due"] = ""
            elif kind == "tegenprestatie":
                cells.update(tegenprestatie="schildert het hek", status="done")
            else:
                cells.update(status=("reached", "partial", "not-reached")[cents % 3],
                             amount=_cents(cents) if cents % 2 else "")
        elif kind == "void":
            if not out:
                continue
            target = out[op[1] % len(out)]
            cells.update(type="void", date=target["date"], ref=target["id"], reason="dubbel")
        else:
            _, cents, day = op
            if kind == "refusal":
                cells.update(type="refusal", date=_day(day), reason="kerstpakket", amount=_cents(cents))
            elif kind == "withdraw":
                cells.update(type="withdraw", date=_day(day), amount=_cents(cents), method="pin")
            else:
                cells.update(type="settle", date=_day(day), amount=_cents(cents),
                             method=kind.removeprefix("settle-"))
        out.append(cells)
    return out


def build(root: Path, teams: dict[str, list[tuple[Any, ...]]], end: str) -> None:
    lg = Ledger.init(root, municipality="Paritystad", year=2025)
    for team in TEAMS:
        lg.add_team(team, name=team, budget=Decimal("100000"), year=2025)
    for team, ops in teams.items():
        cells = lines_of(team, ops)
        body = [encode_line(c).encode() for c in cells]
        if end == "damaged" and len(body) > 2:
            middle = len(body) // 2
            body[middle] = body[middle].replace(b"2025-", b"2025_", 1)
        data = HEADER.encode() + b"".join(body)
        (root / "teams" / f"{team}.csv").write_bytes(data)
    if end.startswith("pending"):
        path = root / "teams" / "noord.csv"
        data = path.read_bytes()
        seq = data.count(b"\n")
        marker = marker_text("b-test", {"noord": (len(data), tail_hash(data, len(data)))})
        (root / "maatwerk.pending").write_text(marker)
        extra = [encode_line({"id": make_id("noord", 2025, seq + i), "type": "spend", "date": "2025-06-01",
                              "amount": "999.99", "category": "Wonen", "method": "pin", "kind": "gift",
                              "extra": '{"batch":"b-test"}', "recorded_at": "2025-06-01T00:00:00Z"}).encode()
                 for i in range(2)]
        path.write_bytes(data + b"".join(extra))
    if end.endswith("torn"):
        path = root / "teams" / "zuid.csv"
        seq = path.read_bytes().count(b"\n")
        torn = encode_line({"id": make_id("zuid", 2025, seq), "type": "spend", "date": "2025-06-02",
                            "amount": "55.55", "category": "Wonen", "method": "pin", "kind": "gift"}).encode()
        path.write_bytes(path.read_bytes() + torn[: len(torn) // 2])


def expected(root: Path) -> dict[str, reference.Folded]:
    """The reference fold of each journal, honouring an unfinished import's cut."""
    cut: dict[str, int] = {}
    marker = root / "maatwerk.pending"
    if marker.exists():
        cut = {t: v["size"] for t, v in json.loads(marker.read_text())["journals"].items()}
    out = {}
    for team in TEAMS:
        data = (root / "teams" / f"{team}.csv").read_bytes()
        if team in cut:
            data = data[: cut[team]]
        rows, _ = reference.read(data, team, team)
        out[team] = reference.fold(rows)
    return out


def cli(*args: str) -> Result:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run([str(a) for a in args])
    return Result(code, out.getvalue(), err.getvalue())


def as_json(root: Path, *args: str) -> Any:
    got = cli("--ledgers", str(root), *args, "--format", "json")
    assert got.code == 0, got.err
    return json.loads(got.out)


def D(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def owed(e: reference.State) -> Decimal:
    return e.outstanding


def check_every_path(root: Path) -> None:
    want = expected(root)
    lg = Ledger(root)
    # the library's records
    got = {e.id: e for e in lg.entries()}
    states = {s.row.id: s for f in want.values() for s in f.entries.values()}
    assert set(got) == set(states)
    for key, s in states.items():
        e = got[key]
        assert (e.amount, e.kind, e.voided, e.repaid, e.recovered, e.outstanding) == (
            s.row.amount, s.kind, s.voided, s.repaid, s.recovered, s.outstanding), key
        assert (e.outcome, e.avoided_cost, e.tegenprestatie, e.void_reason) == (
            s.outcome, s.avoided, s.tegenprestatie, s.void_reason), key
    # the DataFrame
    frame = lg.entries_frame()
    assert sum(frame["outstanding"], ZERO) == sum((s.outstanding for s in states.values()), ZERO)
    cents = lg.entries_frame(money="cents")
    assert int(cents["amount"].sum()) == int(sum((s.row.amount or ZERO for s in states.values()), ZERO) * 100)
    # the command line
    listed = {r["id"]: r for r in as_json(root, "entries")}
    assert {k: D(r["outstanding"]) for k, r in listed.items()} == {k: s.outstanding for k, s in states.items()}
    start = dt.date(2025, 1, 1)
    spent = {t: reference.spent(f, start, YEAR_END) for t, f in want.items()}
    util = {r["team"]: r for r in as_json(root, "utilisation", "--year", "2025")}
    assert {t: D(util[t]["spent"]) for t in TEAMS} == spent
    comp = {r["team"]: r for r in as_json(root, "compare", "--year", "2025")}
    for t, f in want.items():
        live = [s for s in f.entries.values() if not s.voided and start <= s.row.date <= YEAR_END]
        assert D(comp[t]["spent"]) == spent[t]
        assert comp[t]["count"] == len(live)
        loans = sum((max((s.row.amount or ZERO) - s.repaid - s.recovered, ZERO) for s in live
                     if s.kind in ("loan", "conditional")), ZERO)
        assert D(comp[t]["loans_outstanding"]) == loans
        refused = [r for r in f.counted if r.type == "refusal"]
        assert comp[t]["refusals"] == len(refused)
    cats: dict[str, Decimal] = {}
    for f in want.values():
        for s in f.entries.values():
            if not s.voided:
                cats[s.row.category] = cats.get(s.row.category, ZERO) + (s.row.amount or ZERO)
    assert {r["category"]: D(r["amount"]) for r in as_json(root, "categories", "--year", "2025")} == cats
    open_loans = {r["id"]: D(r["outstanding"]) for r in as_json(root, "loans", "--as-of", "31-12-2025")}
    assert open_loans == {k: s.outstanding for k, s in states.items()
                          if s.kind in ("loan", "conditional") and s.outstanding > 0 and not s.voided}
    box = {r["team"]: D(r["cash_on_hand"]) for r in as_json(root, "cash", "status")}
    assert box == {t: reference.cash_on_hand(f) for t, f in want.items()}
    summed = as_json(Path("."), "summary", str(root), "--year", "2025", "--by", "team")
    assert {r["team"]: D(r["spent"]) for r in summed} == spent


@settings(max_examples=int(os.environ.get("MAATWERK_PARITY_EXAMPLES", "25")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(noord=journal, zuid=journal, end=ending)
def test_every_path_agrees_with_the_reference(noord: list[tuple[Any, ...]], zuid: list[tuple[Any, ...]],
                                              end: str) -> None:
    work = Path(tempfile.mkdtemp(prefix="parity-"))
    old = os.environ.get("MAATWERK_CACHE_DIR")
    os.environ["MAATWERK_CACHE_DIR"] = str(work / "cache")
    try:
        root = work / "ledger"
        build(root, {"noord": noord, "zuid": zuid}, end)
        before = {t: (root / "teams" / f"{t}.csv").read_bytes() for t in TEAMS}
        check_every_path(root)  # cold
        check_every_path(root)  # warm: from the cache
        assert {t: (root / "teams" / f"{t}.csv").read_bytes() for t in TEAMS} == before  # readers never write
        # a further write: the next id is above every id the file shows, damaged and torn ones too
        seen = {t: _ids_in(root / "teams" / f"{t}.csv", t, cut=end.startswith("pending") and t == "noord")
                for t in TEAMS}
        for t in TEAMS:
            new_id = Ledger(root).spend(t, Decimal("12.34"), category="Wonen", date=dt.date(2025, 7, 1))
            assert new_id not in seen[t] and int(new_id.rsplit("-", 1)[1]) > max(seen[t], default=0)
        assert not (root / "maatwerk.pending").exists()
        check_every_path(root)  # after the write, cache partly stale
    finally:
        if old is None:
            os.environ.pop("MAATWERK_CACHE_DIR", None)
        else:
            os.environ["MAATWERK_CACHE_DIR"] = old
        shutil.rmtree(work, ignore_errors=True)


def _ids_in(path: Path, team: str, *, cut: bool) -> set[str]:
    """Every id any line of the journal shows (the lines an unfinished import left are cut by
    the next write, so they do not count)."""
    import re

    data = path.read_bytes()
    if cut:
        marker = json.loads((path.parents[1] / "maatwerk.pending").read_text())
        data = data[: marker["journals"][team]["size"]]
    return {int(m[1]) for m in re.finditer(rb"(?m)^" + team.encode() + rb"-2025-([0-9]{4,})", data)}  # type: ignore[misc]


def test_the_535_case_an_unfinished_import_never_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: after an import died half-way, utilisation reported EUR 535 where the ledger
    held EUR 35. Every report and listing now leaves the unfinished batch out."""
    root = tmp_path / "ledger"
    build(root, {"noord": [("spend", 3500, "pin", "gift", 0, 10)], "zuid": []}, "clean")
    path = root / "teams" / "noord.csv"
    data = path.read_bytes()
    (root / "maatwerk.pending").write_text(marker_text("b-535", {"noord": (len(data), tail_hash(data, len(data)))}))
    path.write_bytes(data + encode_line({"id": "noord-2025-0002", "type": "spend", "date": "2025-02-01",
                                         "amount": "500.00", "category": "Wonen", "method": "pin", "kind": "gift",
                                         "extra": '{"batch":"b-535"}'}).encode())
    for cache in ("0", "1"):
        monkeypatch.setenv("MAATWERK_NO_CACHE", "1" if cache == "0" else "")
        assert D(next(r for r in as_json(root, "utilisation", "--year", "2025") if r["team"] == "noord")["spent"]) \
            == Decimal("35.00")
        assert D(next(r for r in as_json(root, "compare", "--year", "2025") if r["team"] == "noord")["spent"]) \
            == Decimal("35.00")
        assert [D(r["amount"]) for r in as_json(root, "entries")] == [Decimal("35.00")]
        assert [D(r["amount"]) for r in as_json(root, "categories", "--year", "2025")] == [Decimal("35.00")]


def test_no_id_is_given_twice_after_a_damaged_last_line(tmp_path: Path) -> None:
    """Regression: after a hand-damaged last line the next spend reused that line's id."""
    root = tmp_path / "ledger"
    build(root, {"noord": [("spend", 1000, "pin", "gift", 0, 10), ("spend", 2000, "pin", "gift", 0, 11)],
                 "zuid": []}, "clean")
    path = root / "teams" / "noord.csv"
    path.write_bytes(path.read_bytes().replace(b",20.00,", b",29.00,"))  # the last line, by hand
    new_id = Ledger(root).spend("noord", Decimal("5"), category="Wonen", date=dt.date(2025, 3, 1))
    assert new_id == "noord-2025-0003"
    lines = path.read_bytes().split(b"\n")
    assert sum(1 for line in lines if line.startswith(b"noord-2025-0002,")) == 1


Check = Callable[[Path], None]
