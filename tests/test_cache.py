"""The one cache: each journal's fold, the same as reading the journal, and never a stale one."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import Result, posix_only, snapshot
from maatwerk_cli import Ledger
from maatwerk_cli.analysis import reports
from maatwerk_cli.ops.cash import settle, withdraw
from maatwerk_cli.store import books as books_module
from maatwerk_cli.store import cache
from maatwerk_cli.store import folded as folded_module
from maatwerk_cli.store.books import Books

Cli = Callable[..., Result]


@pytest.fixture
def ledger(ledger_dir: Path) -> Ledger:
    """Three teams with loans, repayments, cash, a void, outcomes, a refusal, quoted notes and
    a damaged line."""
    lg = _filled(Ledger(ledger_dir))
    path = lg.folder.journal_path("zuid")
    path.write_bytes(path.read_bytes().replace(b",14.00,", b",41.00,", 1))  # a hand edit
    return lg


@pytest.fixture
def clean(ledger_dir: Path) -> Ledger:
    """The same three teams without the damaged line: ``check`` finds nothing."""
    return _filled(Ledger(ledger_dir))


def _filled(lg: Ledger) -> Ledger:
    lg.add_team("west", name="Wijkteam West", budget=Decimal("7000"), year=2025)
    withdraw(lg, "west", Decimal("50"), date=dt.date(2025, 1, 2))
    lg.spend("west", Decimal("43.60"), category="Levensmiddelen", method="contant", date=dt.date(2025, 1, 3))
    settle(lg, "west", "write-off", date=dt.date(2025, 1, 4))
    for i in range(30):
        team = ("noord", "zuid", "west")[i % 3]
        sid = lg.spend(team, Decimal(10 + i), category=("Wonen", "Levensmiddelen", "Overig")[i % 3],
                       date=dt.date(2025, 1 + i % 12, 1), kind="loan" if i % 5 == 0 else "gift",
                       note=f"regel {i}, \"x\"" if i % 4 == 0 else None,
                       tegenprestatie="helpt mee" if i % 4 == 0 else None)
        if i % 5 == 0:
            lg.repay(sid, Decimal("5"), date=dt.date(2025, 12, 1))
        if i % 7 == 0:
            lg.mark_outcome(sid, "reached" if i % 2 else "partial", avoided_cost=Decimal(i * 3 - 20))
        if i == 11:
            lg.void(sid, reason="dubbel")
    lg.refuse("zuid", reason="kerstpakket", date=dt.date(2025, 12, 2))
    return lg


def read_count(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Which journals the reader is asked for, from now on."""
    asked: list[list[str]] = []
    real = books_module._read

    def counting(wanted: Sequence[books_module.Wanted]) -> list[books_module.Folded]:
        asked.append([w.team for w in wanted])
        return real(wanted)

    monkeypatch.setattr(books_module, "_read", counting)
    return asked


def same(got: Books, want: Books) -> None:
    """Two reads agree on everything: every array of every book, problems, sizes, ids, text."""
    assert list(got) == list(want)
    assert got.problems == want.problems
    for team in want:
        a, b = got[team], want[team]
        assert (a.team, a.file, a.size, a.max_seq) == (b.team, b.file, b.size, b.max_seq)
        assert a.problems == b.problems
        for f in fields(a.book):
            if f.name in ("lines", "_memo"):
                continue
            x, y = getattr(a.book, f.name), getattr(b.book, f.name)
            assert (np.array_equal(x, y) if isinstance(y, np.ndarray) else x == y), (team, f.name)
        for f in fields(a.book.lines):
            if f.name == "source":
                continue
            x, y = getattr(a.book.lines, f.name), getattr(b.book.lines, f.name)
            if isinstance(y, dict):
                assert x.keys() == y.keys()
                for k in y:
                    assert np.array_equal(x[k], y[k]) if isinstance(y[k], np.ndarray) else x[k] == y[k]
            else:
                assert (np.array_equal(x, y) if isinstance(y, np.ndarray) else x == y), (team, f.name)
        assert a.book.entries() == b.book.entries()  # the text, read from the journal again


def truth(lg: Ledger, teams: Sequence[str] | None = None) -> Books:
    return Ledger(lg.root).folder.books(teams, use_cache=False)


def test_served_from_the_cache_while_nothing_changed(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    first = ledger.folder.books()
    assert first.problems and "zuid.csv" in first.problems[0].file  # the hand edit is reported
    same(first, truth(ledger))
    asked = read_count(monkeypatch)
    same(Ledger(ledger.root).folder.books(), first)
    assert asked == []
    # another choice of teams, in another order, from the same cache
    part = Ledger(ledger.root).folder.books(["zuid", "noord"])
    assert list(part) == ["zuid", "noord"] and asked == []
    same(part, truth(ledger, ["zuid", "noord"]))
    # a fold from the cache pickles as a plain one (its arrays taken from the file first)
    import pickle

    copied = pickle.loads(pickle.dumps(Ledger(ledger.root).folder.books()["zuid"]))
    assert type(copied.book) is type(first["zuid"].book) and type(copied.book.lines) is type(first["zuid"].book.lines)
    copied.book.lines.source.set_loader(first["zuid"].book.lines.source._load)
    same(Books({"zuid": copied}), Books({"zuid": first["zuid"]}))


def test_only_the_changed_journal_is_read_again(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger.folder.books()
    ledger.spend("west", Decimal("7"), category="Wonen", date=dt.date(2025, 7, 7))
    asked = read_count(monkeypatch)
    got = Ledger(ledger.root).folder.books()
    assert asked == [["west"]]
    monkeypatch.undo()
    same(got, truth(ledger))
    assert len(got["west"].book) == len(truth(ledger)["west"].book)


def _edit_keeping_size_and_mtime(path: Path, old: bytes, new: bytes, at: str) -> None:
    assert len(old) == len(new)
    data = path.read_bytes()
    st = os.stat(path)
    where = data.index(old) if at == "first" else data.rindex(old)
    path.write_bytes(data[:where] + new + data[where + len(old):])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(path).st_size == st.st_size and os.stat(path).st_mtime_ns == st.st_mtime_ns


@pytest.mark.parametrize("at", ["first", "last"], ids=["far from the end", "in the last 64 KiB"])
def test_an_edit_that_keeps_size_and_mtime_is_never_served_stale(ledger: Ledger, at: str) -> None:
    lg = ledger
    # make noord's journal longer than the hashed tail, so "first" lies outside it
    lg.folder.append("noord", [{"type": "spend", "date": "2025-02-02", "amount": "1.00",
                                "category": "Overig", "method": "pin", "kind": "gift",
                                "note": "n" * 1000} for _ in range(80)])
    path = lg.folder.journal_path("noord")
    assert path.stat().st_size > cache.TAIL
    lg.folder.books()
    _edit_keeping_size_and_mtime(path, b",10.00,Wonen,", b",90.00,Wonen,", "first")
    _edit_keeping_size_and_mtime(path, b",1.00,Overig,", b",9.00,Overig,", at)
    got = Ledger(lg.root).folder.books()
    same(got, truth(lg))
    assert any("checksum" in p.message for p in got["noord"].problems)


def test_stamps_compare_every_part(ledger: Ledger, tmp_path: Path) -> None:
    """Each part of a stamp on its own decides: size, times, inode, the tail, the whole."""
    path = ledger.folder.journal_path("noord")
    old = cache.stamp(path)
    assert old is not None and cache.same_file(path, old)
    for change in ({"size": old.size + 1}, {"mtime_ns": old.mtime_ns + 1}, {"ctime_ns": old.ctime_ns - 1},
                   {"ino": old.ino + 1}, {"tail": "0" * 32}, {"whole": "0" * 32}):
        assert not cache.same_file(path, replace(old, **change)), change
    assert not cache.same_file(tmp_path / "gone.csv", old)
    assert cache.stamp(tmp_path / "gone.csv") is None
    # a journal changed just now is hashed whole, so a second change in the same clock tick shows
    import time

    fresh = cache.stamp(path, time.time_ns())
    assert fresh is not None and fresh.whole and cache.same_file(path, fresh)


@pytest.mark.parametrize("damage", ["empty", "garbage", "magic-only", "truncate", "spans", "header"])
def test_a_damaged_cache_file_is_ignored_and_rebuilt(ledger: Ledger, damage: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    good = ledger.folder.books()
    path = cache.cache_file(ledger.folder.journal_path("noord"))
    data = path.read_bytes()
    head_len = int.from_bytes(data[len(cache._MAGIC) : len(cache._MAGIC) + 8], "little")
    damaged = {
        "empty": b"",
        "garbage": b"garbage",
        "magic-only": cache._MAGIC + b"\x80\x05junk",
        "truncate": data[: len(data) // 2],
        "spans": data[: len(data) - 8],  # the arrays no longer fit in the file
        "header": cache._MAGIC + (head_len + 5).to_bytes(8, "little") + data[len(cache._MAGIC) + 8:],
    }[damage]
    path.write_bytes(damaged)
    asked = read_count(monkeypatch)
    same(Ledger(ledger.root).folder.books(), good)
    assert asked == [["noord"]]  # read again, and kept again
    asked.clear()
    Ledger(ledger.root).folder.books()
    assert asked == []


def test_switched_off_and_never_in_the_ledger_folder(ledger: Ledger, own_cache_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(ledger.root)
    ledger.folder.books()
    ledger.folder.books()
    assert snapshot(ledger.root) == before
    assert len(list(own_cache_dir.glob("*.book"))) == 3  # one per journal
    notes = len(list(own_cache_dir.glob("*.json")))  # the writers' notes (ops.plausible)
    assert cache.clear() == 3 + notes
    monkeypatch.setenv("MAATWERK_NO_CACHE", "1")
    same(ledger.folder.books(), truth(ledger))
    assert list(own_cache_dir.glob("*.book")) == []


def test_unwritable_cache_folder_still_reads(ledger: Ledger, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("MAATWERK_CACHE_DIR", str(blocker / "cache"))
    same(ledger.folder.books(), truth(ledger))


def test_an_unfinished_batch_is_never_cached(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    before = ledger.folder.books()
    # a batch that wrote one line to noord's journal and died before it finished
    from maatwerk_cli.store.journal import encode_line
    from maatwerk_cli.store.pending import marker_text, tail_hash

    path = ledger.folder.journal_path("noord")
    data = path.read_bytes()
    marker = marker_text("b1", {"noord": (len(data), tail_hash(data, len(data)))})
    (ledger.root / "maatwerk.pending").write_text(marker)
    with open(path, "ab") as fh:
        fh.write(encode_line({"id": f"noord-2025-{before['noord'].max_seq + 1:04d}", "type": "spend",
                              "date": "2025-03-03", "amount": "9.99", "category": "Wonen", "method": "pin",
                              "kind": "gift", "extra": '{"batch":"b1"}'}).encode())
    assert ledger.folder.pending().cuts == {"noord": len(data)}
    asked = read_count(monkeypatch)
    got = Ledger(ledger.root).folder.books()
    assert asked == [["noord"]]  # read directly, up to the cut
    assert len(got["noord"].book) == len(before["noord"].book)
    Ledger(ledger.root).folder.books()
    assert asked == [["noord"], ["noord"]]  # and never kept


def test_teams_come_and_go(ledger: Ledger) -> None:
    ledger.folder.books()
    ledger.add_team("oost", name="Oost", budget=Decimal("1"), year=2025)
    same(Ledger(ledger.root).folder.books(), truth(ledger))
    ledger.spend("oost", Decimal("3"), category="Wonen", date=dt.date(2025, 3, 3), reason="over budget")
    same(Ledger(ledger.root).folder.books(), truth(ledger))
    ledger.folder.journal_path("oost").unlink()
    same(Ledger(ledger.root).folder.books(), truth(ledger))


def test_old_cache_files_are_evicted(ledger: Ledger, own_cache_dir: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    ledger.folder.books()
    sizes = sum(p.stat().st_size for p in own_cache_dir.glob("*.book"))
    monkeypatch.setattr(cache, "KEEP_BYTES", sizes * 2)
    for i in range(6):
        lg = Ledger.init(tmp_path / f"l{i}", year=2025)
        lg.add_team("noord", name="N", budget=Decimal("1"), year=2025)
        lg.spend("noord", Decimal("1"), category="Wonen", date=dt.date(2025, 1, 1), note="x" * 1900)
        lg.folder.books()
    assert sum(p.stat().st_size for p in own_cache_dir.glob("*.book")) <= sizes * 2


def test_text_is_read_from_the_journal_when_it_grew_meanwhile(ledger: Ledger) -> None:
    """A cached book gets its notes from the journal itself; lines appended in between (a clerk
    recording meanwhile) do not spoil it, a changed journal is refused with a clear message."""
    ledger.spend("noord", Decimal("2"), category="Wonen", date=dt.date(2025, 1, 1), note="gewone notitie")
    ledger.folder.books()
    cached = Ledger(ledger.root).folder.books()["noord"]
    ledger.spend("noord", Decimal("1"), category="Wonen", date=dt.date(2025, 1, 1))
    assert "gewone notitie" in [e.note for e in cached.book.entries()]
    Ledger(ledger.root).folder.books()
    again = Ledger(ledger.root).folder.books()["noord"]  # from the cache: its text not read yet
    path = ledger.folder.journal_path("noord")
    path.write_bytes(path.read_bytes().replace(b"gewone notitie", b"andere notitie"))
    from maatwerk_cli.core.errors import LedgerError

    with pytest.raises(LedgerError, match="changed while it was being read"):
        again.book.entries()


def test_reports_are_the_same_with_and_without_the_cache(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    def everything() -> list[Any]:
        return [
            reports.utilisation_report(ledger, year=2025, month="2025-06").records,
            reports.compare_report(ledger, year=2025).records,
            reports.compare_report(ledger, year=2025).attrs["total"],
            reports.categories_report(ledger, year=2025).records,
            reports.outcomes_report(ledger, year=2025).records,
            reports.summary_report([ledger.root], year=2025, by="team").records,
            reports.loans(ledger, as_of=dt.date(2025, 12, 31)).to_dict(orient="records"),
            reports.story_cases(ledger).to_dict(orient="records"),
        ]

    cold = everything()
    warm = everything()
    monkeypatch.setenv("MAATWERK_NO_CACHE", "1")
    assert cold == warm == everything()
    frame = reports.compare(ledger, year=2025)
    assert list(frame.columns) == list(reports.COMPARE_COLUMNS + reports.COMPARE_EXTRA)
    assert frame["spent"].tolist() == [r["spent"] for r in cold[1]]


def test_no_report_imports_pandas(ledger: Ledger, own_cache_dir: Path) -> None:
    program = (
        "import sys\n"
        "from maatwerk_cli.cli import run\n"
        f"code = run(['--ledgers', {str(ledger.root)!r}, 'compare', '--year', '2025', '-f', 'json'])\n"
        "print(code, 'pandas' in sys.modules)\n"
    )
    env = {**os.environ, "MAATWERK_CACHE_DIR": str(own_cache_dir)}

    def run() -> list[str]:
        done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env,
                              check=True)
        return done.stdout.strip().splitlines()

    assert run()[-1] == "0 False"  # cold: the journals were read, without pandas
    assert run()[-1] == "0 False"  # warm


def test_reports_through_the_command_line_see_every_change(lcli: Cli, ledger_dir: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    lcli("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2025")
    first = lcli("compare", "--year", "2025", "--format", "json")
    assert first.code == 0, first.err
    again = lcli("compare", "--year", "2025", "--format", "json")
    assert again.out == first.out
    lcli("spend", "noord", "15", "-c", "Wonen", "-d", "2-3-2025")
    after = lcli("compare", "--year", "2025", "--format", "json")
    monkeypatch.setenv("MAATWERK_NO_CACHE", "1")
    assert after.out == lcli("compare", "--year", "2025", "--format", "json").out
    assert after.out != first.out and '"spent": 50.00' in after.out


THREADS_AFTER_MAIN = """
import re, sys
from maatwerk_cli.cli.app import main
sys.argv = ["maatwerk", "--version"]
try:
    main()
except SystemExit:
    pass
import numpy
print(re.search(r"Threads:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
@posix_only("Windows has no fork; one process reads every journal there")
def test_the_command_keeps_one_thread_so_its_reader_may_fork() -> None:
    # numpy's BLAS would start a thread per core; the command asks for one, so the process
    # that forks the second reader has no other thread (a fork with threads can deadlock).
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    got = subprocess.run([sys.executable, "-c", THREADS_AFTER_MAIN], capture_output=True, text=True,
                         env=env, check=True)
    assert got.stdout.strip().splitlines()[-1] == "1", got.stdout


@posix_only("the second reader is a forked process; Windows reads in one")
def test_two_processes_read_the_same_as_one(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big ledger is read in groups, half of them by a second process: same books."""
    monkeypatch.setattr(books_module, "GROUP_BYTES", 1)  # one journal a group
    monkeypatch.setenv("MAATWERK_NO_CACHE", "1")
    assert books_module._can_fork() or sys.platform == "win32"
    two = Ledger(ledger.root).folder.books()
    monkeypatch.setenv("MAATWERK_ONE_PROCESS", "1")
    one = Ledger(ledger.root).folder.books()
    same(two, one)
    same(one, truth(ledger))


# ------------------------------------------- a damaged cache file is rebuilt (issue 20, item 9)

#: What a damaged cache file must not change: the figures, the listing and the check.
COMMANDS = (("compare", "--year", "2025", "--format", "json"), ("entries", "--format", "json"),
            ("check",), ("check", "--format", "json"))


def _run_all(cli: Cli, root: Path) -> list[tuple[int, str]]:
    got = []
    for args in COMMANDS:
        res = cli("--ledgers", str(root), *args)
        assert "Traceback" not in res.err, res.err
        got.append((res.code, res.out))
    return got


def _no_cache(cli: Cli, root: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    monkeypatch.setenv("MAATWERK_NO_CACHE", "1")
    want = _run_all(cli, root)
    monkeypatch.delenv("MAATWERK_NO_CACHE")
    assert [code for code, _ in want] == [0] * len(COMMANDS)
    return want


def _regions(data: bytes) -> list[tuple[str, int, int]]:
    """Every part of a cache file that carries something: name, start, end."""
    import pickle

    at = len(cache._MAGIC)
    head_len = int.from_bytes(data[at : at + 8], "little")
    _, _, _, body_len, _, arrays = pickle.loads(data[cache._HEAD_AT : cache._HEAD_AT + head_len])
    body_at = cache._HEAD_AT + head_len
    out = [("magic", 0, at), ("header length", at, at + 8), ("header checksum", at + 8, cache._HEAD_AT),
           ("header", cache._HEAD_AT, body_at), ("body", body_at, body_at + body_len)]
    region = cache._region(head_len, body_len)
    out += [(f"array {n}", region + a[0], region + a[1]) for n, a in enumerate(arrays)]
    return out


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _middle(data: bytes, name: str) -> bytes:
    [(_, a, b)] = [r for r in _regions(data) if r[0] == name]
    return _flip(data, (a + b) // 2)


DAMAGES: dict[str, Callable[[bytes, np.random.Generator], bytes]] = {
    "second half random": lambda d, rng: d[: len(d) // 2] + rng.bytes(len(d) - len(d) // 2),
    "first half random": lambda d, rng: rng.bytes(len(d) // 2) + d[len(d) // 2 :],
    "truncated to half": lambda d, rng: d[: len(d) // 2],
    "one byte short": lambda d, rng: d[:-1],
    "header byte flipped": lambda d, rng: _middle(d, "header"),
    "body byte flipped": lambda d, rng: _middle(d, "body"),
    "last array byte flipped": lambda d, rng: _flip(d, _regions(d)[-1][2] - 1),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_garbled_cache_file_gives_the_figures_of_the_journal(
        damage: str, cli: Cli, clean: Ledger, own_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    want = _no_cache(cli, clean.root, monkeypatch)
    assert _run_all(cli, clean.root) == want  # cold: fills the cache
    assert _run_all(cli, clean.root) == want  # warm
    books = sorted(own_cache_dir.glob("*.book"))
    assert len(books) == 3
    journals = snapshot(clean.root)
    rng = np.random.default_rng(20)
    for path in books:
        data = path.read_bytes()
        path.write_bytes(DAMAGES[damage](data, rng))
    assert _run_all(cli, clean.root) == want  # the journals are read again
    assert _run_all(cli, clean.root) == want  # and the cache rebuilt
    assert snapshot(clean.root) == journals


def test_one_byte_flipped_anywhere_in_a_cache_file_is_caught(
        cli: Cli, clean: Ledger, own_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    want = _no_cache(cli, clean.root, monkeypatch)
    assert _run_all(cli, clean.root) == want
    path = cache.cache_file(clean.folder.journal_path("noord"))
    good = path.read_bytes()
    regions = [r for r in _regions(good) if r[2] > r[1]]
    assert len(regions) > 30  # the header, the body and every array of the fold
    for name, a, b in regions:
        path.write_bytes(_flip(good, (a + b) // 2))
        assert _run_all(cli, clean.root) == want, name


def test_every_byte_before_the_arrays_is_checked_on_load(clean: Ledger) -> None:
    """The magic, the header's length and checksum, the header and the body: one byte
    changed anywhere there and the file is not used at all."""
    clean.folder.books()
    journal = clean.folder.journal_path("west")
    path = cache.cache_file(journal)
    good = path.read_bytes()
    assert cache.load(journal) is not None
    body_end = _regions(good)[4][2]
    for at in [*range(cache._HEAD_AT), *range(cache._HEAD_AT, body_end, 5)]:  # every part, quickly
        path.write_bytes(_flip(good, at))
        assert cache.load(journal) is None, at
    path.write_bytes(good + b"\0")  # longer than was written
    assert cache.load(journal) is None


def _flip_in_place(path: Path, regions: Sequence[tuple[str, int, int]]) -> None:
    """Flip a byte in the middle of each region in the file itself (a mapping of it sees it)."""
    with open(path, "r+b") as fh:
        for _, a, b in regions:
            fh.seek((a + b) // 2)
            byte = fh.read(1)[0]
            fh.seek((a + b) // 2)
            fh.write(bytes([byte ^ 0x01]))


@pytest.mark.parametrize("meanwhile", ["nothing", "a line appended"])
def test_an_array_found_damaged_after_the_fold_was_handed_out(
        clean: Ledger, meanwhile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The arrays are checked when first used, perhaps in the middle of a report: one that
    fails makes the journal be read again right there, and every array not used yet comes
    from that fold; the cache file is replaced."""
    before = truth(clean)
    clean.folder.books()
    got = Ledger(clean.root).folder.books()  # from the cache, its arrays not taken yet
    amounts = got["noord"].book.lines.amount  # one taken (and checked) before the damage
    path = cache.cache_file(clean.folder.journal_path("noord"))
    arrays = [r for r in _regions(path.read_bytes()) if r[0].startswith("array") and r[2] > r[1]]
    taken = [r for r in arrays if r[2] - r[1] == amounts.nbytes and
             bytes(memoryview(amounts).cast("B")) == path.read_bytes()[r[1] : r[2]]]
    if meanwhile == "a line appended":  # a clerk records meanwhile: the fold stays the one read
        clean.spend("noord", Decimal("3"), category="Wonen", date=dt.date(2025, 5, 5))
    _flip_in_place(path, [r for r in arrays if r != taken[0]])
    folds: list[str] = []
    real = folded_module.fold_bytes

    def counting(team: str, file: str, data: bytes) -> folded_module.Folded:
        folds.append(team)
        return real(team, file, data)

    monkeypatch.setattr(folded_module, "fold_bytes", counting)
    same(got, before)
    assert folds == ["noord"]  # read again once, when the first damaged array was used
    want = truth(clean, ["noord"])
    asked = read_count(monkeypatch)
    again = Ledger(clean.root).folder.books(["noord"])
    if sys.platform != "win32":  # where a mapped file can be renamed over
        assert asked == ([] if meanwhile == "nothing" else [["noord"]])  # the file was replaced
    same(again, want)
    assert folds == ["noord"]


def test_an_array_found_damaged_after_the_journal_was_rewritten(clean: Ledger) -> None:
    from maatwerk_cli.core.errors import LedgerError

    clean.folder.books()
    got = Ledger(clean.root).folder.books()
    path = cache.cache_file(clean.folder.journal_path("noord"))
    _flip_in_place(path, [r for r in _regions(path.read_bytes()) if r[0].startswith("array") and r[2] > r[1]])
    journal = clean.folder.journal_path("noord")
    journal.write_bytes(journal.read_bytes().replace(b",10.00,", b",90.00,"))
    with pytest.raises(LedgerError, match="changed while it was being read"):
        got["noord"].book.amounts()


def test_a_garbled_note_is_never_trusted(lcli: Cli, ledger_dir: Path) -> None:
    """The plausibility note ends in a hash of itself: a note with any byte changed, or cut
    short, is not used, and the figures come from the journal."""
    assert lcli("spend", "zuid", "1.000", "-c", "Overig", "-d", "1-3-2025").code == 0
    journal = ledger_dir / "teams" / "zuid.csv"
    path = cache.note_file(journal, "sums")
    good = path.read_bytes()
    # Day numbers 20148 and 20150: 1 and 3 March 2025, as the fold counts days (since 1970).
    first = [20148, 100000, "pin", "zuid-2025-0001"]
    assert cache.load_note(journal, "sums") == {"spent": {"2025": 100000}, "largest": 100000, "max_seq": 1,
                                                "count": 1, "recent": [first], "since": 20148 - 31}
    for at in range(len(good)):
        path.write_bytes(_flip(good, at))
        assert cache.load_note(journal, "sums") is None, at
    for end in range(0, len(good), 7):
        path.write_bytes(good[:end])
        assert cache.load_note(journal, "sums") is None, end
    # 3.000 more spent in the note: trusted, it would refuse 3.500 with 1.000 left
    path.write_bytes(good.replace(b'"2025": 100000', b'"2025": 400000'))
    res = lcli("spend", "zuid", "3.500", "-c", "Overig", "-d", "3-3-2025")
    assert res.code == 0, res.err
    assert cache.load_note(journal, "sums") == {"spent": {"2025": 450000}, "largest": 350000, "max_seq": 2,
                                                "count": 2, "recent": [first, [20150, 350000, "pin", "zuid-2025-0002"]],
                                                "since": 20150 - 31}
