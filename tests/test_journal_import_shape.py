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


def _resealed(line: str) -> str:
    """A hand-edited line given a right checksum again, its bytes otherwise as edited: what
    parse_line reads of it decides."""
    import csv

    from maatwerk_cli.store.journal import checksum

    body = line.rstrip("\n")
    values = next(csv.reader([body]))
    return body[: len(body) - len(values[-1])] + checksum(values[:-1]) + "\n"


def _spend(seq: int, **cells: str) -> str:
    base = {"id": f"noord-2025-{seq:04d}", "type": "spend", "date": "2025-06-04", "amount": "12.50",
            "category": "Wonen", "method": "pin", "kind": "gift", "recorded_at": "2026-12-07T12:04:11Z"}
    return encode_line({**base, **cells})


def test_quoted_text_cells_read_as_parse_line_reads_them() -> None:
    row = json.dumps(ROW, separators=(",", ":"), sort_keys=True)
    lines = [
        _spend(1, note="huurachterstand, eerste maand"),  # a comma: quoted at both ends
        _spend(2, note='borg "kamer" voor moeder'),  # doubled quotes: the general path
        _spend(3, note="a, b", reason="twee, keer", household="H-7KXM4P"),  # two quoted cells
        _spend(4, note="boodschappen, brood", extra=row),  # a quoted note and the import extra
        _spend(5, note='x, "y"', extra=row),  # a doubled quote beside the import extra
        _spend(6, note=",", by="a,b,c"),  # commas only
        _spend(7, condition="diploma, dan gift", tegenprestatie="vrijwilligerswerk, 2 uur"),
        _spend(8, category="Water en energie", note="gas, licht"),
        _spend(9, note="ok"),
        _spend(10, extra=json.dumps({"a": "b,c"}, separators=(",", ":"))),  # another extra: general
    ]
    # Hand-edited, then sealed with a right checksum: what the csv module makes of them.
    edited = [
        _resealed(_spend(11, note="z").replace(",z,", ',"z",')),  # quotes nobody needed
        _resealed(_spend(12).replace(",Wonen,", ',"Wonen",')),  # a quoted category
        _resealed(_spend(13, note="z").replace(",z,", ',"",')),  # an empty quoted note
        _resealed(_spend(14).replace(",12.50,", ',"12.50",')),  # a quoted amount
        _resealed(_spend(15, note="q").replace(",q,", ',q"q,')),  # a quote inside a bare cell
        _resealed(_spend(16, note="r, s").replace('"r, s"', '"r, s"x')),  # text after the quote
        _resealed(_spend(20, note="u").replace(",u,", ",a\x1fb,")),  # U+001F: parse_line refuses it
        _resealed(_spend(21, note="u", extra=row).replace(",u,", ",a\x1fb,")),  # the same, imported
        _resealed(_spend(22, note="u").replace(",u,", ",a\tb,")),  # a tab: read as it is
    ]
    damaged = [
        _spend(17, note="kapot, echt").replace("12.50", "12.51"),  # checksum does not fit
        _spend(18, note="open, nooit").replace('"open, nooit"', '"open, nooit'),  # unbalanced
        _spend(19, note="a, b").replace('"a, b"', '"a", b"'),
    ]
    data = (HEADER + "".join(lines + edited + damaged)).encode("utf-8")
    _agree(data)
    journal = parse_journal(data, "noord", "noord.csv")
    rows = {r.line: r for r in journal.rows}
    assert rows[2].note == "huurachterstand, eerste maand"
    assert rows[4].reason == "twee, keer" and rows[4].note == "a, b"
    assert rows[5].note == "boodschappen, brood" and rows[5].extra == ROW
    assert rows[7].by == "a,b,c" and rows[7].note == ","
    set_aside = {p.line for p in journal.problems}
    assert set_aside >= {18, 19, 21, 22, 23} and 20 not in set_aside  # the U+001F lines; the damaged
    # What the figures count without reading the text (a filled cell) agrees with the text.
    for column in ("note", "reason", "by", "household", "condition", "tegenprestatie"):
        assert journal.lines.filled_mask(column).tolist() == [bool(getattr(r, column)) for r in journal.rows]


def test_random_text_cells_and_edits_read_as_parse_line_reads_them() -> None:
    import random

    rng = random.Random(26)
    alphabet = 'ab ,"é{}:'
    row = json.dumps(ROW, separators=(",", ":"), sort_keys=True)
    lines = []
    for seq in range(1, 400):
        cells = {name: "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 6)))
                 for name in ("note", "reason", "by", "condition") if rng.random() < 0.5}
        if rng.random() < 0.5:
            cells["extra"] = row
        line = _spend(seq, **cells)
        if rng.random() < 0.15:  # a hand edit: one byte changed, dropped or doubled
            k = rng.randrange(len(line) - 1)
            pick = rng.random()
            edit = rng.choice('",a\r')
            line = line[:k] + edit + line[k + 1:] if pick < 0.4 else \
                line[:k] + line[k + 1:] if pick < 0.7 else line[:k] + edit + line[k:]
            if "\r" not in line and line.count('"') % 2 == 0 and rng.random() < 0.5:
                line = _resealed(line)  # a change its checksum was made to fit
        lines.append(line)
    data = (HEADER + "".join(lines)).encode("utf-8")
    _agree(data)
    journal = parse_journal(data, "noord", "noord.csv")
    for column in ("note", "reason", "by", "condition"):
        assert journal.lines.filled_mask(column).tolist() == [bool(getattr(r, column)) for r in journal.rows]
