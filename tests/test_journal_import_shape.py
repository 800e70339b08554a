"""Lines written by ``import entries`` (an ``extra`` of batch and row, quoted) take a path of
their own in the reader: it accepts exactly what :func:`parse_line` accepts, and sets aside
what it sets aside."""

from __future__ import annotations

import json

from maatwerk_cli.store.journal import HEADER, encode_line, parse_journal, parse_line

ROW = {"batch": "9b30ca5762a11fb8", "row": "1283057ca9c9b9c76abc"}


def _line(seq: int, note: str = "", extra: dict[str, str] | None = None, amount: str = "12.50") -> str:
    cells = {"id": f"noord-2025-{seq:04d}", "type": "spend", "date": "2025-06-04", "amount": amount,
             "category": "Wonen", "method": "pin", "kind": "gift", "note": note,
             "extra": json.dumps(extra if extra is not None else ROW, separators=(",", ":"), sort_keys=True),
             "recorded_at": "2026-12-07T12:04:11Z"}
    return encode_line(cells)


def _agree(data: bytes) -> None:
    journal = parse_journal(data, "noord", "noord.csv")
    lines = data.split(b"\n")[1:-1]
    want_good = {}
    want_bad = set()
    for number, raw in enumerate(lines, start=2):
        got = parse_line(raw, "noord", number)
        if isinstance(got, str):
            want_bad.add(number)
        else:
            want_good[number] = got
    assert {p.line for p in journal.problems} == want_bad
    rows = {r.line: r for r in journal.rows}
    assert set(rows) == set(want_good)
    for number, row in want_good.items():
        assert rows[number] == row


def test_import_lines_read_as_parse_line_reads_them() -> None:
    lines = [_line(1), _line(2, note="huurachterstand, eerste maand"), _line(3, note='borg "kamer"'),
             _line(4, extra={"batch": "9B30CA5762A11FB8", "row": "1283057ca9c9b9c76abc"}),
             _line(5, extra={"batch": "9b30ca5762a11fb8", "row": "1283057ca9c9b9c76abc", "x": "y"}),
             _line(6, amount="1234.56"), _line(7)]
    data = (HEADER + "".join(lines)).encode("utf-8")
    _agree(data)
    journal = parse_journal(data, "noord", "noord.csv")
    assert not journal.problems
    assert [r.extra for r in journal.rows][0] == ROW
    assert journal.rows[1].note == "huurachterstand, eerste maand"


def test_damaged_import_lines_are_set_aside() -> None:
    good = [_line(n) for n in range(1, 9)]
    damaged = list(good)
    damaged[1] = damaged[1].replace("12.50", "12.60")  # a changed amount: the checksum says so
    damaged[3] = damaged[3].replace('""row""', '""rov""')  # a changed key: not the shape any more
    damaged[5] = damaged[5].replace('{""batch', '{ ""batch')  # a space: not the shape, checksum wrong
    damaged[6] = damaged[6].replace('""}"', '""}', 1)  # an unbalanced quote
    data = (HEADER + "".join(damaged)).encode("utf-8")
    _agree(data)
    journal = parse_journal(data, "noord", "noord.csv")
    assert {p.line for p in journal.problems} == {3, 5, 7, 8}
    assert [r.id for r in journal.rows] == ["noord-2025-0001", "noord-2025-0003", "noord-2025-0005",
                                            "noord-2025-0008"]


def test_import_lines_need_no_csv_module(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from maatwerk_cli.store import journal as module

    def refuse(*args: object) -> None:
        raise AssertionError("the general path was taken")

    monkeypatch.setattr(module, "_quoted", refuse)
    data = (HEADER + "".join(_line(n) for n in range(1, 40))).encode("utf-8")
    got = parse_journal(data, "noord", "noord.csv")
    assert not got.problems and len(got.rows) == 39 and got.rows[-1].extra == ROW
