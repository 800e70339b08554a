"""The journal file: the one reader, the line codec, and the tail the writer looks at.

A journal (``teams/<slug>.csv``) is append-only CSV, one event per line, every line
ending in a checksum over its cells. :func:`parse_journal` is the only code that turns
journal bytes into rows. It sets aside every line it cannot trust, with file, line and
why, and gives the good ones as columns (:class:`~maatwerk_cli.core.lines.Lines`).

Inside, most lines take a vectorised path: the lines are found and classified with numpy
on the file's bytes, the checksums of unquoted lines are taken over the bytes themselves,
lines whose only quoted cell is the ``extra`` that ``import entries`` writes (batch and row)
are unquoted by byte replacement and checked the same way, other quoted lines are unquoted
by the csv module in bulk, and every cell is checked column by column. Anything that path
doubts is judged by :func:`parse_line`, the same rules written line by line, which gives
the message. ``tests/test_reader.py`` holds the two to agreement.

:func:`read_tail` is the documented tail of the reader for writers: from the last bytes of
a journal it tells the highest id there (damaged and torn lines included), whether the
file ends cleanly, and whether the next id would be uncertain. It uses :func:`parse_line`
only, so recording a spend never imports numpy.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.dates import quoted
from ..core.errors import LedgerError, Problem
from ..core.messages import Msg, msg
from ..core.records import JOURNAL_COLUMNS, ROW_TYPES, Row
from .toml import UNSAFE_TEXT, unsafe_char

if TYPE_CHECKING:
    import numpy as np

    from ..core.lines import Lines

HEADER = ",".join(JOURNAL_COLUMNS) + "\n"
HEADER_BYTES = HEADER.encode("ascii")
BOM = b"\xef\xbb\xbf"
CELLS = len(JOURNAL_COLUMNS)
#: What a writer adds to a line that an earlier writer left unfinished (it died before the
#: newline): the line stays set aside for good instead of coming to life, and its quotes
#: stay balanced for spreadsheets.
TORN_END = b',"(torn write: set aside)"'
#: How far back from the end writers look for the last id (lines are far shorter).
TAIL_CHUNK = 64 * 1024
#: Lines handled per vectorised pass: bounds the memory of reading a huge journal.
CHUNK_LINES = 32768

# Why the reader sets a line aside, as messages (locale/en/store.po). ``MSG_EMPTY_FILE`` and
# the others (:data:`_SAID`) are their sentences in English, made when first asked for: the
# messages are read from the catalogue only when a journal has something to report.
_EMPTY_FILE = msg("journal.empty_file")
_TORN_HEADER = msg("journal.torn_header")
_BAD_HEADER = msg("journal.bad_header")
_TORN_LAST = msg("journal.torn_last")
_TORN_CLOSED = msg("journal.torn_closed")
_EMPTY_LINE = msg("journal.empty_line")
_CHECKSUM = msg("journal.checksum")
_SAID = {"MSG_EMPTY_FILE": _EMPTY_FILE, "MSG_TORN_HEADER": _TORN_HEADER, "MSG_BAD_HEADER": _BAD_HEADER,
         "MSG_TORN_LAST": _TORN_LAST, "MSG_TORN_CLOSED": _TORN_CLOSED, "MSG_EMPTY_LINE": _EMPTY_LINE,
         "MSG_CHECKSUM": _CHECKSUM}


def __getattr__(name: str) -> str:
    """``MSG_TORN_LAST`` and the others of :data:`_SAID`: the message in English."""
    if name in _SAID:
        return _SAID[name].text("en")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: The ``extra`` cell every line of ``import entries`` has: the batch and the row's
#: fingerprint (``*``: a lowercase hex digit). Lines whose only quoted cell is this one are
#: checked by byte replacement instead of the csv module and read where they stand (no
#: unquoted copy), and the cell's JSON is known good by its shape; any other line takes the
#: general path.
_ROW_EXTRA = b'{"batch":"' + b"*" * 16 + b'","row":"' + b"*" * 20 + b'"}'
_ROW_QUOTED = b'"' + _ROW_EXTRA.replace(b'"', b'""') + b'"'
_EXTRA_AT = JOURNAL_COLUMNS.index("extra")
_EXTRA_COMMA = _ROW_EXTRA.index(b",")
_QUOTES_LOST = _ROW_QUOTED.count(b'"') - _ROW_EXTRA.count(b'"')
_COMMAS_SWAPPED = bytes.maketrans(b",", b"\x1f")
#: Where in :data:`_ROW_QUOTED` the quotes stand that unquoting drops: the two around the
#: cell and the first of each doubled pair.
_QUOTES_DROPPED = [0, len(_ROW_QUOTED) - 1, *(k for k in range(1, len(_ROW_QUOTED) - 2)
                                               if _ROW_QUOTED[k : k + 2] == b'""' and _ROW_QUOTED[k - 1] != 34)]

_ID_PREFIX = re.compile(rb'^"?([a-z0-9][a-z0-9-]*)-([0-9]{4})-([0-9]{4,10})"?,')
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AMOUNT = re.compile(r"-?[0-9]{1,10}\.[0-9]{2}")


# ---------------------------------------------------------------------------- the line codec


def checksum(values: Sequence[str]) -> str:
    """Eight hex digits over a line's cells: catches torn, garbled or hand-edited lines."""
    return hashlib.sha256("\x1f".join(values).encode("utf-8")).hexdigest()[:8]


#: No cell may hold these (store.toml.UNSAFE_TEXT): control characters, line separators,
#: bidi controls.
_CONTROL = UNSAFE_TEXT


def encode_line(cells: Mapping[str, str]) -> str:
    """One journal line, with its checksum, ending in a newline.

    A cell holding a control character (a newline would split the line, a carriage return
    confuses readers) is refused: callers clean free text, and settings are checked on read.
    """
    values = [cells.get(name, "") for name in JOURNAL_COLUMNS[:-1]]
    for name, value in zip(JOURNAL_COLUMNS, values, strict=False):
        if _CONTROL.search(value):
            fix = msg("journal.fix_in_settings") if name == "category" else msg("journal.fix_give_again")
            raise LedgerError(msg("journal.control_in_cell", column=name, value=ascii(value[:60]),
                                  char=unsafe_char(value), fix=fix))
    values.append(checksum(values))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def extra_text(extra: Mapping[str, Any]) -> str:
    return json.dumps(dict(extra), ensure_ascii=False, sort_keys=True, separators=(",", ":")) if extra else ""


@lru_cache(maxsize=256)
def _id_pattern(team: str) -> re.Pattern[str]:
    return re.compile(re.escape(team) + r"-([0-9]{4})-([0-9]{4,10})")


def split_own_id(text: str, team: str) -> tuple[int, int] | None:
    """(year, sequence) of an id of ``team`` as the tool writes it, else None.

    The sequence has four digits, or more without a leading zero (``noord-2025-10000``).
    """
    m = _id_pattern(team).fullmatch(text)
    if m is None:
        return None
    digits = m[2]
    if len(digits) > 4 and digits[0] == "0":
        return None
    return int(m[1]), int(digits)


def _date(text: str, name: str, required: bool) -> dt.date | None:
    if not text:
        if required:
            raise ValueError(msg("journal.cell_empty", column=name))
        return None
    if not _DATE.fullmatch(text):
        raise ValueError(msg("journal.not_a_date", column=name, value=quoted(text)))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(msg("journal.not_a_date", column=name, value=quoted(text))) from None


def parse_values(values: Sequence[str], team: str, line: int) -> Row:
    """A journal line's cells as a Row; ValueError says what is wrong.

    These are the reader's rules, line by line: the vectorised path accepts exactly the
    lines this accepts.
    """
    if len(values) != CELLS:
        raise ValueError(msg("journal.cells", count=len(values), expected=CELLS))
    if checksum(values[:-1]) != values[-1]:
        raise ValueError(_CHECKSUM)
    if any("\x1f" in v for v in values):
        raise ValueError(msg("journal.unit_separator"))
    c = dict(zip(JOURNAL_COLUMNS, values, strict=True))
    if split_own_id(c["id"], team) is None:
        raise ValueError(msg("journal.id_of_other_team", id=repr(c["id"]), team=repr(team)))
    if c["type"] not in ROW_TYPES:
        raise ValueError(msg("journal.unknown_type", type=repr(c["type"])))
    if c["ref"] and split_own_id(c["ref"], team) is None:
        raise ValueError(msg("journal.ref_of_other_team", ref=repr(c["ref"]), team=repr(team)))
    amount: Decimal | None = None
    if c["amount"]:
        if not _AMOUNT.fullmatch(c["amount"]):
            raise ValueError(msg("journal.not_an_amount", value=quoted(c["amount"])))
        amount = Decimal(c["amount"])
    extra: dict[str, Any] = {}
    if c["extra"]:
        try:
            loaded = json.loads(c["extra"])
        except ValueError:
            raise ValueError(msg("journal.extra_not_json")) from None
        if not isinstance(loaded, dict):
            raise ValueError(msg("journal.extra_not_object"))
        extra = loaded
    return Row(
        id=c["id"], type=c["type"], date=_date(c["date"], "date", True) or dt.date.min,
        ref=c["ref"], amount=amount, category=c["category"], method=c["method"], kind=c["kind"],
        household=c["household"], due=_date(c["due"], "due", False), condition=c["condition"],
        tegenprestatie=c["tegenprestatie"], status=c["status"], note=c["note"], reason=c["reason"],
        by=c["by"], extra=extra, recorded_at=c["recorded_at"], team=team, line=line,
    )


def parse_line(raw: bytes | bytearray, team: str, line: int) -> Row | str:
    """One journal line (without its newline) as a Row, or why it is set aside."""
    got = judge_line(raw, team, line)
    return got if isinstance(got, Row) else str(got)


def judge_line(raw: bytes | bytearray, team: str, line: int) -> Row | Msg:
    """:func:`parse_line` with why a line is set aside as a message."""
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    if raw.endswith(TORN_END):
        return _TORN_CLOSED
    if not raw.strip():
        return _EMPTY_LINE
    if b"\x00" in raw:
        return msg("journal.damaged_line", error=msg("journal.nul_byte"))
    try:
        text = raw.decode("utf-8")
        values = next(csv.reader([text]))
        return parse_values(values, team, line)
    except UnicodeDecodeError:
        return msg("journal.damaged_line", error=msg("journal.not_utf8"))
    except (ValueError, csv.Error, StopIteration) as exc:
        said = exc.args[0] if exc.args and isinstance(exc.args[0], Msg) else str(exc)
        return msg("journal.damaged_line", error=said)


def id_seq(raw: bytes | bytearray, team: str) -> int:
    """The sequence number an id at the start of a line shows, damaged or not (0: none)."""
    m = _ID_PREFIX.match(raw)
    if m is None or m[1].decode("ascii") != team:
        return 0
    return int(m[3])


# ---------------------------------------------------------------------------- the reader


@dataclass(frozen=True, slots=True)
class Journal:
    """What the reader got from one journal.

    team: its team; file: its path as users see it.
    lines: every good line, as columns.
    problems: every line set aside, with file, line and why.
    size: bytes read (up to an unfinished batch's cut, see :mod:`maatwerk_cli.store.pending`).
    max_seq: the highest id sequence on any line, damaged and torn ones included.
    """

    team: str
    file: str
    lines: Lines
    problems: tuple[Problem, ...]
    size: int
    max_seq: int

    @property
    def rows(self) -> tuple[Row, ...]:
        """The good lines as :class:`~maatwerk_cli.core.records.Row` records."""
        from ..core.lines import rows_of

        return tuple(rows_of(self.lines))


@dataclass(frozen=True, slots=True)
class Given:
    """One journal handed to the reader.

    data: its bytes (up to a cut, when a batch is unfinished); team: its team;
    file: its path as users see it; missing: there is no such file (no lines, no problem).
    """

    data: bytes
    team: str
    file: str
    missing: bool = False


def read_journal(path: Path, team: str, display: str | None = None, limit: int | None = None) -> Journal:
    """Read one journal from disk (``limit``: only its first bytes)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return parse_journals([Given(b"", team, display or str(path), missing=True)])[0]
    return parse_journals([Given(data if limit is None else data[:limit], team, display or str(path))])[0]


def parse_journal(data: bytes, team: str, name: str) -> Journal:
    return parse_journals([Given(data, team, name)])[0]


def parse_journals(given: Sequence[Given]) -> list[Journal]:
    """Every good line of each journal as columns, and a Problem for every line set aside."""
    big = b"".join(g.data for g in given)
    spans = []
    at = 0
    for g in given:
        spans.append((at, at + len(g.data)))
        at += len(g.data)
    return parse_buffer(big, spans, given)


def parse_buffer(
    big: bytes | bytearray, spans: Sequence[tuple[int, int]], given: Sequence[Given]
) -> list[Journal]:
    """The journals whose bytes stand one after the other in ``big`` (journal ``j`` at
    ``spans[j]``; the ``data`` of ``given`` is not used), read in one vectorised pass, so a
    ledger of four hundred small journals costs about what one large one does."""

    from ..core.lines import Source, empty_lines

    problems: list[list[tuple[int, Msg]]] = [[] for _ in given]
    max_seq = [0] * len(given)
    bodies: list[tuple[int, int, int, int]] = []  # (journal, body start, body end, header lines)
    for j, (g, (start, end)) in enumerate(zip(given, spans, strict=True)):
        if g.missing:
            continue
        if start == end:
            problems[j].append((1, _EMPTY_FILE))
            continue
        bom = len(BOM) if big[start : start + len(BOM)] == BOM else 0
        first = big.find(b"\n", start + bom, end)
        head = bytes(big[start + bom : end if first < 0 else first])
        if head.endswith(b"\r"):
            head = head[:-1]
        if first < 0 and HEADER_BYTES.startswith(head):
            problems[j].append((1, _TORN_HEADER))
            continue
        if head != HEADER_BYTES[:-1]:
            problems[j].append((1, _BAD_HEADER))
            max_seq[j] = max((id_seq(raw, g.team) for raw in bytes(big[start:end]).split(b"\n")), default=0)
            continue
        last = big.rfind(b"\n", start, end) + 1
        if last < end:  # the last line has no newline: its writer died mid-line
            problems[j].append((big.count(b"\n", start, last) + 1, _TORN_LAST))
            max_seq[j] = id_seq(bytes(big[last:end]), g.team)
        if last > first + 1:
            bodies.append((j, first + 1, last, big.count(b"\n", start, first + 1)))
    cols = _read_lines(big, bodies, given, problems, max_seq, spans) if bodies else {}
    out: list[Journal] = []
    for j, (g, (start, end)) in enumerate(zip(given, spans, strict=True)):
        size = end - start
        lines = cols.pop(j) if j in cols else empty_lines(g.team, Source(size, b""))
        lines.source.size = size
        lines.source.attach(big, start)
        found = sorted(problems[j], key=lambda p: p[0])
        best = max(max_seq[j], int((lines.key % 10**10).max()) if len(lines) else 0)
        out.append(Journal(g.team, g.file, lines, tuple(Problem(g.file, n, m) for n, m in found), size, best))
    return out


def _read_lines(
    big: bytes | bytearray, bodies: list[tuple[int, int, int, int]], given: Sequence[Given],
    problems: list[list[tuple[int, Msg]]], max_seq: list[int], spans: Sequence[tuple[int, int]],
) -> dict[int, Lines]:
    """The good lines of the journals' bodies in ``big``, per journal."""
    import numpy as np

    buf = np.frombuffer(big, dtype=np.uint8)
    # Every line of every body: a body starts after its header's newline, ends after its
    # last newline, so its lines are those that start inside it.
    found = []
    for _, a, b, _ in bodies:
        found.append(np.flatnonzero(buf[a:b] == 10).astype(np.int64) + a)
    ends = np.concatenate(found)
    counts = np.array([len(f) for f in found], dtype=np.int64)
    starts = np.concatenate([np.concatenate(([a], f[:-1] + 1))
                             for (_, a, _, _), f in zip(bodies, found, strict=True)])
    del found
    owner = np.repeat(np.array([j for j, _, _, _ in bodies], dtype=np.int32), counts)
    # A line's number: its place in its body, after the header's line(s).
    numbers = (np.arange(len(starts), dtype=np.int64)
               - np.repeat(np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
               + np.repeat(np.array([h + 1 for _, _, _, h in bodies], dtype=np.int64), counts))
    numbers = numbers.astype(np.int32)
    teams = [g.team for g in given]
    groups: list[_Cols] = []
    aux: list[bytes] = []
    aux_at = [0]
    for lo in range(0, len(starts), CHUNK_LINES):
        hi = min(lo + CHUNK_LINES, len(starts))
        groups.extend(_chunk(big, buf, starts[lo:hi], ends[lo:hi], numbers[lo:hi], owner[lo:hi],
                             teams, problems, max_seq, aux, aux_at))
    del starts, ends, owner, numbers  # not needed any more: free them before the merge
    blob = b"".join(aux)
    aux.clear()
    base = np.array([a for a, _ in spans], dtype=np.int64)
    return _per_journal(groups, [b - a for a, b in spans], given, blob, base)


class _Cols:
    """Good lines of several journals as columns while reading (see ``_per_journal``)."""

    __slots__ = ("arrays", "codes", "in_aux", "names")

    def __init__(self, arrays: dict[str, np.ndarray], codes: dict[str, np.ndarray],
                 names: dict[str, tuple[str, ...]], in_aux: bool) -> None:
        self.arrays = arrays
        self.codes = codes
        self.names = names
        self.in_aux = in_aux


def _chunk(
    big: bytes | bytearray, buf: np.ndarray, s: np.ndarray, e: np.ndarray, numbers: np.ndarray,
    owner: np.ndarray, teams: list[str], problems: list[list[tuple[int, Msg]]], max_seq: list[int],
    aux: list[bytes], aux_at: list[int],
) -> list[_Cols]:
    """The lines ``s .. e`` (newline positions) of ``big``: the good ones as columns, in two
    groups (unquoted lines where they stand, unquoted copies of quoted lines in ``aux``), the
    bad ones in ``problems``."""
    import numpy as np

    n = len(s)
    lo, hi = int(s[0]), int(e[-1]) + 1
    seg = buf[lo:hi]

    def count(byte: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions of ``byte`` in the chunk, and how many each line holds."""
        pos = np.flatnonzero(seg == byte).astype(np.int64) + lo
        return pos, np.searchsorted(pos, e) - np.searchsorted(pos, s)

    cr_end = (e > s) & (buf[np.maximum(e - 1, 0)] == 13)
    e2 = e - cr_end
    cpos, commas = count(44)
    _, quotes = count(34)
    # Control bytes: a line read here may hold none but the CR of a CRLF ending. (A NUL or
    # U+001F, which parse_line refuses, or any other, sends it to the general path.)
    below = np.flatnonzero(seg < 32).astype(np.int64) + lo
    ctrls = np.searchsorted(below, e) - np.searchsorted(below, s)
    try:
        big[lo:hi].decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False  # rare: every line is judged on its own
    # Plain: the way the tool writes a line with no quotes; anything else is looked at apart.
    plain = ((quotes == 0) & (ctrls == cr_end) & (commas == CELLS - 1) & (e2 - s >= 9)
             & (buf[np.maximum(e2 - 9, 0)] == 44))
    if not utf8:
        plain[:] = False
    # Lines written by ``import entries``: their only quoted cell is an ``extra`` of batch
    # and row (:data:`_ROW_QUOTED`), followed by two cells as the tool writes them.
    shaped = np.zeros(n, dtype=bool)
    quoted_at = np.zeros(n, dtype=np.int64)  # where a shaped line's extra cell starts
    if utf8:
        cand = np.flatnonzero(~plain & (quotes == _ROW_QUOTED.count(b'"')) & (ctrls == cr_end)
                              & (commas == CELLS))
        if len(cand):
            first = np.searchsorted(cpos, s[cand])
            at = cpos[first + _EXTRA_AT - 1] + 1
            fits = (_shaped_as(buf, at, _ROW_QUOTED) & (cpos[first + _EXTRA_AT + 1] == at + len(_ROW_QUOTED))
                    & (cpos[first + CELLS - 1] == e2[cand] - 9))
            shaped[cand[fits]] = True
            quoted_at[cand[fits]] = at[fits]
    # Checksums over the cells joined by U+001F, as :func:`checksum` takes them: for an
    # unquoted line that is its bytes with commas swapped; a shaped line also loses the ten
    # quotes of its extra (where they stand is known by its shape) and keeps the comma
    # inside it. One pass over the chunk does both, so neither kind is copied line by line,
    # and the lines stay where they are in the journal's bytes.
    hashed = np.flatnonzero(plain | shaped)
    sound = np.zeros(n, dtype=bool)
    if len(hashed):
        ts, te2 = s - lo, e2 - lo
        sh = np.flatnonzero(shaped)
        swapped = big[lo:hi].translate(_COMMAS_SWAPPED)
        if len(sh):
            keep = np.ones(len(seg), dtype=bool)
            keep[((quoted_at[sh] - lo)[:, None] + _QUOTES_DROPPED).ravel()] = False
            tb = np.frombuffer(swapped, dtype=np.uint8)[keep]
            # Each shaped line is ten bytes shorter: the lines before it moved it that far.
            before = np.cumsum(shaped) * _QUOTES_LOST
            ts = ts - (before - shaped * _QUOTES_LOST)
            te2 = te2 - before
            tb[ts[sh] + (quoted_at[sh] - s[sh]) + _EXTRA_COMMA] = 44
            text: bytes | bytearray = tb.tobytes()
            del tb, swapped
        else:
            text = swapped
        sha = hashlib.sha256
        digests = b"".join([sha(text[a:b]).digest()[:4]
                            for a, b in zip(ts[hashed].tolist(), (te2[hashed] - 9).tolist(), strict=True)])
        del text
        wanted = np.frombuffer(digests.hex().encode("ascii"), dtype=np.uint8).reshape(-1, 8)
        stored = buf[(e2[hashed] - 8)[:, None] + np.arange(8)]
        sound[hashed] = (wanted == stored).all(axis=1)
    out: list[_Cols] = []
    judge: list[int] = np.flatnonzero((plain | shaped) & ~sound).tolist()
    ok_a = np.flatnonzero(sound)
    if len(ok_a):
        # The cells lie between the commas; a shaped line's comma inside its extra is skipped.
        first = np.searchsorted(cpos, s[ok_a])
        steps = np.arange(CELLS - 1)
        skip = shaped[ok_a]
        inner = cpos[first[:, None] + np.where(skip[:, None], steps + (steps >= _EXTRA_AT), steps)]
        starts = np.concatenate((s[ok_a][:, None], inner + 1), axis=1)
        ends = np.concatenate((inner, e2[ok_a][:, None]), axis=1)
        got, doubted = _columns(buf, big, starts, ends, numbers[ok_a], owner[ok_a], teams, b",", skip)
        out.append(got)
        judge.extend(ok_a[doubted].tolist())
    others = np.flatnonzero(~plain & ~shaped).tolist()
    blank = [i for i in others if not big[int(s[i]) : int(e[i])].strip()]
    empty = set(blank)
    rest = [i for i in others if i not in empty]
    if rest:
        got_b, doubted_b = _quoted(big, s, e2, numbers, owner, rest, teams, aux, aux_at)
        if got_b is not None:
            out.append(got_b)
        judge.extend(doubted_b)
    for i in blank:
        problems[int(owner[i])].append((int(numbers[i]), _EMPTY_LINE))
    for i in judge:
        raw = big[int(s[i]) : int(e[i])]
        j = int(owner[i])
        verdict = judge_line(raw, teams[j], int(numbers[i]))
        if isinstance(verdict, Row):
            # The vectorised checks and parse_line disagree: never take a line in doubt.
            verdict = msg("journal.damaged_line", error=msg("journal.not_in_form"))
        problems[j].append((int(numbers[i]), verdict))
        max_seq[j] = max(max_seq[j], id_seq(raw, teams[j]))
    return out


def _shaped_as(buf: np.ndarray, at: np.ndarray, template: bytes) -> np.ndarray:
    """Whether the bytes at each of ``at`` are ``template``, a lowercase hex digit where it has ``*``."""
    import numpy as np

    want = np.frombuffer(template, dtype=np.uint8)
    hexed = want == ord("*")
    m = _take(buf, at, len(template))
    digit = ((m >= 48) & (m <= 57)) | ((m >= 97) & (m <= 102))
    ok: np.ndarray = (np.where(hexed, digit, m == want)).all(axis=1) & (at + len(template) <= len(buf))
    return ok


def _quoted(
    big: bytes | bytearray, s: np.ndarray, e2: np.ndarray, numbers: np.ndarray, owner: np.ndarray,
    rest: list[int], teams: list[str], aux: list[bytes], aux_at: list[int],
) -> tuple[_Cols | None, list[int]]:
    """Lines with quoted cells (or anything else unusual): unquoted by the csv module, the
    good ones copied into ``aux`` with their cells separated by U+001F, then checked as columns."""
    import numpy as np

    raws = [big[a:b] for a, b in zip(s[rest].tolist(), e2[rest].tolist(), strict=True)]
    judge: list[int] = []
    index: list[int] = []
    texts: list[str] = []
    try:
        joined_text = b"\n".join(raws).decode("utf-8")
        whole = joined_text.split("\n")
    except UnicodeDecodeError:
        whole = []
    if len(whole) == len(raws):
        for i, raw, text in zip(rest, raws, whole, strict=True):
            if raw.endswith(TORN_END) or "\x00" in text:
                judge.append(i)
            else:
                index.append(i)
                texts.append(text)
    else:
        for i, raw in zip(rest, raws, strict=True):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                judge.append(i)
                continue
            if raw.endswith(TORN_END) or "\x00" in text:
                judge.append(i)
            else:
                index.append(i)
                texts.append(text)
    rows: list[list[str]] = []
    if texts:
        try:
            rows = list(csv.reader(texts))
        except csv.Error:
            rows = []
        if len(rows) != len(texts):  # a cell ran on into the next line: one by one
            rows = []
            for text in texts:
                try:
                    rows.append(next(csv.reader([text])))
                except (csv.Error, StopIteration):
                    rows.append([])
    joined: list[str] = []
    good: list[int] = []
    sha = hashlib.sha256
    for i, values in zip(index, rows, strict=True):
        if len(values) == CELLS:
            line = "\x1f".join(values)
            if line.count("\x1f") == CELLS - 1:
                body = line[: len(line) - len(values[-1]) - 1]
                if sha(body.encode("utf-8")).hexdigest()[:8] == values[-1]:
                    joined.append(line)
                    good.append(i)
                    continue
        judge.append(i)
    if not good:
        return None, judge
    blob = "\n".join(joined).encode("utf-8")
    offset = aux_at[0]
    aux.append(blob)
    aux_at[0] += len(blob) + 1
    aux.append(b"\n")
    bb = np.frombuffer(blob, dtype=np.uint8)
    seps = np.flatnonzero(bb == 31).astype(np.int64).reshape(len(good), CELLS - 1)
    breaks = np.flatnonzero(bb == 10).astype(np.int64)
    line_start = np.concatenate((np.array([0], dtype=np.int64), breaks + 1))
    line_end = np.concatenate((breaks, np.array([len(blob)], dtype=np.int64)))
    starts = np.concatenate((line_start[:, None], seps + 1), axis=1)
    ends = np.concatenate((seps, line_end[:, None]), axis=1)
    idx = np.asarray(good, dtype=np.int64)
    got, doubted = _columns(bb, blob, starts, ends, numbers[idx], owner[idx], teams, b"\x1f")
    got.arrays["span"] += offset
    return got, judge + [good[i] for i in doubted.tolist()]


_AR: dict[int, np.ndarray] = {}


def _take(buf: np.ndarray, at: np.ndarray, width: int) -> np.ndarray:
    """``width`` bytes from each position of ``at`` (clipped at the buffer's edges)."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    if len(at) and width <= len(buf) and int(at.min()) >= 0 and int(at.max()) <= len(buf) - width:
        # Rows of a window over the buffer: a copy of each row, not an index per byte.
        rows: np.ndarray = sliding_window_view(buf, width)[at]
        return rows
    ar = _AR.get(width)
    if ar is None:
        ar = _AR[width] = np.arange(width, dtype=np.int64)
    got: np.ndarray = np.take(buf, at[:, None] + ar, mode="clip")
    return got


def _digits(m: np.ndarray, inside: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The numbers written right-aligned in the rows of byte matrix ``m`` where ``inside``,
    and whether those bytes are all ASCII digits."""
    import numpy as np

    d = m.astype(np.int64) - 48
    ok = (((d >= 0) & (d <= 9)) | ~inside).all(axis=1)
    width = m.shape[1]
    value = (np.where(inside, d, 0) * (10 ** np.arange(width - 1, -1, -1, dtype=np.int64))).sum(axis=1)
    return value, ok


def _ids(buf: np.ndarray, s: np.ndarray, e: np.ndarray, owner: np.ndarray,
         prefixes: np.ndarray, plen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Id cells of each line's own team as keys (year * 10**10 + sequence), and which are
    ids as the tool writes them: ``<team>-YYYY-NNNN``, four digits or more without a leading zero."""
    import numpy as np

    from ..core.lines import ID_SCALE

    n = len(s)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    p = plen[owner]
    width = prefixes.shape[1]
    total = width + 15  # the longest id: prefix, year, hyphen, ten digits
    m = _take(buf, s, total)
    length = e - s
    ok = (length >= p + 9) & (length <= p + 15)
    within = np.arange(width) < p[:, None]
    ok &= ((m[:, :width] == prefixes[owner]) | ~within).all(axis=1)
    rows = np.arange(n)[:, None]
    year, ok_year = _digits(m[rows, p[:, None] + np.arange(4)], np.ones((n, 4), dtype=bool))
    ok &= ok_year & (m[np.arange(n), np.minimum(p + 4, total - 1)] == 45)
    # The sequence right-aligned: the ten bytes before the cell's end.
    count = length - p - 5
    tail = m[rows, np.clip(length - 10, 0, total - 10)[:, None] + np.arange(10)]
    inside = np.arange(10) >= (10 - np.clip(count, 0, 10))[:, None]
    seq, ok_seq = _digits(tail, inside)
    ok &= ok_seq & (count >= 4) & (count <= 10)
    lead = m[np.arange(n), np.clip(p + 5, 0, total - 1)]
    ok &= (count == 4) | (lead != 48)
    return np.where(ok, year * ID_SCALE + seq, -1), ok


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DATE_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9)


def _dates(buf: np.ndarray, s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``YYYY-MM-DD`` cells as day numbers since 1970-01-01, and which are real dates."""
    import numpy as np

    m10 = _take(buf, s, 10).astype(np.int64)
    d = m10[:, list(_DATE_DIGITS)] - 48
    ok = ((e - s) == 10) & ((d >= 0) & (d <= 9)).all(axis=1) & (m10[:, 4] == 45) & (m10[:, 7] == 45)
    y = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
    m = d[:, 4] * 10 + d[:, 5]
    dd = d[:, 6] * 10 + d[:, 7]
    ok &= (y >= 1) & (m >= 1) & (m <= 12) & (dd >= 1)
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    month_days = np.asarray(_MONTH_DAYS, dtype=np.int64)[np.clip(m, 0, 12)] + (leap & (m == 2))
    ok &= dd <= month_days
    # Days from the civil date (the proleptic Gregorian calendar, as datetime.date has it).
    yy = y - (m <= 2)
    era = yy // 400
    yoe = yy - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + dd - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    return np.where(ok, days, 0).astype(np.int32), ok


def _amounts(buf: np.ndarray, s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``-1234.56`` cells as cents; whether the cell is filled; whether it is well formed."""
    import numpy as np

    length = e - s
    filled = length > 0
    m = _take(buf, e - 14, 14)  # right-aligned: up to ten units, the point, two cents
    neg = filled & (buf[np.minimum(s, len(buf) - 1)] == 45)
    whole = length - 3 - neg
    ok = (whole >= 1) & (whole <= 10) & (m[:, 11] == 46)
    inside = np.arange(11) >= (11 - np.clip(whole, 0, 10))[:, None]
    units, ok_units = _digits(m[:, :11], inside)
    cents, ok_cents = _digits(m[:, 12:], np.ones((len(s), 2), dtype=bool))
    ok &= ok_units & ok_cents
    value = np.where(neg, -1, 1) * (units * 100 + cents)
    return np.where(ok, value, 0), filled, ok | ~filled


def _factorise(
    buf: np.ndarray, raw: bytes | bytearray, s: np.ndarray, e: np.ndarray
) -> tuple[np.ndarray, list[bytes]]:
    """Codes for the cells' values and the values (as bytes) in code order."""
    import numpy as np

    length = e - s
    n = len(s)
    if not n:
        return np.zeros(0, dtype=np.int32), []
    width = int(length.max())
    if width > 64 or width == 0:  # long values are rare: a dictionary does it
        seen: dict[bytes, int] = {}
        codes = [seen.setdefault(bytes(raw[a:b]), len(seen))
                 for a, b in zip(s.tolist(), e.tolist(), strict=True)]
        return np.asarray(codes, dtype=np.int32), list(seen)
    padded = (width + 7) // 8 * 8
    m = _take(buf, s, padded)
    m *= np.arange(padded) < length[:, None]
    words = m.view(np.uint64)
    h = words[:, 0].copy()
    for k in range(1, padded // 8):
        h = h * np.uint64(0x9E3779B97F4A7C15) ^ words[:, k]
    _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    if not (words == words[first][inverse]).all():  # a hash collision: compare the bytes
        _, first, inverse = np.unique(m.view(f"V{padded}").ravel(), return_index=True, return_inverse=True)
        inverse = inverse.ravel()
    values = [bytes(raw[a:b]) for a, b in zip(s[first].tolist(), e[first].tolist(), strict=True)]
    return inverse.astype(np.int32), values


def _columns(
    buf: np.ndarray, raw: bytes | bytearray, starts: np.ndarray, ends: np.ndarray, numbers: np.ndarray,
    owner: np.ndarray, teams: list[str], sep: bytes, row_extra: np.ndarray | None = None,
) -> tuple[_Cols, np.ndarray]:
    """Cells given by their bounds (19 per line) checked and turned into columns.

    ``raw`` holds the bytes of ``buf``; ``sep`` separates cells in it. ``row_extra``: the lines
    whose ``extra`` is the quoted one of ``import entries``, already checked by its shape.
    Returns the good lines and the positions (into ``numbers``) of the lines in doubt.
    """
    import numpy as np

    from ..core.lines import NO_DATE, TEXT_COLUMNS, TYPE_CODE

    col = {name: i for i, name in enumerate(JOURNAL_COLUMNS)}

    def cell(name: str) -> tuple[np.ndarray, np.ndarray]:
        return starts[:, col[name]], ends[:, col[name]]

    prefix_bytes = [(t + "-").encode("ascii") for t in teams]
    plen = np.array([len(p) for p in prefix_bytes], dtype=np.int64)
    prefixes = np.zeros((len(teams), int(plen.max())), dtype=np.uint8)
    for i, p in enumerate(prefix_bytes):
        prefixes[i, : len(p)] = np.frombuffer(p, dtype=np.uint8)
    key, ok = _ids(buf, *cell("id"), owner, prefixes, plen)
    type_codes, type_values = _factorise(buf, raw, *cell("type"))
    known = np.array([TYPE_CODE.get(v.decode("utf-8", "replace"), -1) for v in type_values], dtype=np.int8)
    type_code = known[type_codes] if len(type_values) else np.zeros(0, dtype=np.int8)
    ok &= type_code >= 0
    date, date_ok = _dates(buf, *cell("date"))
    ok &= date_ok
    rs, re_ = cell("ref")
    has_ref = np.flatnonzero(re_ > rs)  # events only: most lines have none
    ref_key = np.full(len(rs), -1, dtype=np.int64)
    ref_key[has_ref], ref_ok = _ids(buf, rs[has_ref], re_[has_ref], owner[has_ref], prefixes, plen)
    ok[has_ref] &= ref_ok
    amount, has_amount, amount_ok = _amounts(buf, *cell("amount"))
    ok &= amount_ok
    ds, de = cell("due")
    has_due = np.flatnonzero(de > ds)
    due = np.full(len(ds), NO_DATE, dtype=np.int32)
    due[has_due], due_ok = _dates(buf, ds[has_due], de[has_due])
    ok[has_due] &= due_ok
    xs, xe = cell("extra")
    has_extra = np.flatnonzero(xe > xs)
    if row_extra is not None:
        has_extra = has_extra[~row_extra[has_extra]]
    # The extra of ``import entries`` (batch and row) is good JSON by its shape; others are parsed.
    as_rows = ((xe - xs)[has_extra] == len(_ROW_EXTRA)) & _shaped_as(buf, xs[has_extra], _ROW_EXTRA)
    for i in has_extra[~as_rows].tolist():
        try:
            value = json.loads(raw[int(xs[i]) : int(xe[i])])
        except (ValueError, UnicodeDecodeError):
            value = None
        if not isinstance(value, dict):
            ok[i] = False
    doubted = np.flatnonzero(~ok)
    keep = np.flatnonzero(ok)
    # category, method and kind stand side by side: one pass over the three together.
    cs, ce = cell("category")[0][keep], cell("kind")[1][keep]
    triple, triple_values = _factorise(buf, raw, cs, ce)
    codes: dict[str, np.ndarray] = {}
    names: dict[str, tuple[str, ...]] = {}
    split = [v.decode("utf-8").split(sep.decode()) for v in triple_values]
    for k, name in enumerate(("category", "method", "kind")):
        values = [parts[k] if len(parts) == 3 else "" for parts in split]
        local = {v: i for i, v in enumerate(dict.fromkeys(values))}
        remap = np.array([local[v] for v in values], dtype=np.int32)
        codes[name] = remap[triple] if len(triple) else np.zeros(0, dtype=np.int32)
        names[name] = tuple(local)
    ss, se = cell("status")
    ss, se = ss[keep], se[keep]
    has_status = np.flatnonzero(se > ss)
    status = np.zeros(len(keep), dtype=np.int32)
    found, status_values = _factorise(buf, raw, ss[has_status], se[has_status])
    status[has_status] = found + 1
    codes["status"] = status
    names["status"] = ("", *(v.decode("utf-8") for v in status_values))
    filled = np.zeros(len(keep), dtype=np.uint8)
    for bit, name in enumerate(TEXT_COLUMNS):
        a, b = cell(name)
        filled |= ((b[keep] > a[keep]).astype(np.uint8) << bit)
    span = np.stack((starts[keep, 0], ends[keep, -1]), axis=1)
    arrays = {
        "owner": owner[keep].astype(np.int32), "line": numbers[keep].astype(np.int32),
        "key": key[keep], "ref": ref_key[keep], "type": type_code[keep], "date": date[keep],
        "due": due[keep], "amount": amount[keep], "has_amount": has_amount[keep], "span": span,
        "filled": filled,
    }
    return _Cols(arrays, codes, names, sep != b","), doubted


def _own_codes(codes: np.ndarray, names: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
    """A journal's codes and names of its own: the values it holds, ``""`` first, then in
    the order they first appear, so a journal reads the same whatever is read with it."""
    import numpy as np

    used, first = np.unique(codes, return_index=True)
    order = [int(u) for u, _ in sorted(zip(used.tolist(), first.tolist(), strict=True),
                                       key=lambda uf: (uf[0] != 0, uf[1]))]
    if not order or order[0] != 0:
        order = [0, *order]
    remap = np.zeros(len(names), dtype=np.int32)
    remap[order] = np.arange(len(order), dtype=np.int32)
    return remap[codes], tuple(names[i] for i in order)


def _own_aux(blob: bytes, spans: np.ndarray, size: int) -> tuple[bytes, np.ndarray]:
    """The copies of one journal's quoted lines out of ``blob``, and their spans in them
    (after the journal's ``size`` bytes). Its lines stand in runs there, one line after the
    next (up to two runs a chunk: the lines of ``import entries`` and the others); only
    the runs are copied, not what other journals have between them."""
    import numpy as np

    order = np.argsort(spans[:, 0], kind="stable")
    sq = spans[order]
    new_run = np.ones(len(sq), dtype=bool)
    new_run[1:] = sq[1:, 0] > sq[:-1, 1] + 1
    firsts = np.flatnonzero(new_run)
    run_lo = sq[firsts, 0]
    run_hi = np.maximum.reduceat(sq[:, 1], firsts)
    pieces = [blob[a:b] for a, b in zip(run_lo.tolist(), run_hi.tolist(), strict=True)]
    at = np.concatenate((np.zeros(1, dtype=np.int64), np.cumsum(run_hi - run_lo + 1)[:-1]))
    sq = sq + (size + at - run_lo)[np.cumsum(new_run) - 1][:, None]
    out = np.empty_like(spans)
    out[order] = sq
    return b"\n".join(pieces), out


def _per_journal(
    groups: list[_Cols], sizes: Sequence[int], given: Sequence[Given], blob: bytes, base: np.ndarray
) -> dict[int, Lines]:
    """The groups' lines split per journal, in line order, with codes merged per journal."""
    import numpy as np

    from ..core.lines import CODED_COLUMNS, Lines, Source

    if not groups:
        return {}
    # One set of names per coded column for the whole read; codes remapped to it.
    names: dict[str, tuple[str, ...]] = {}
    codes: dict[str, np.ndarray] = {}
    for column in CODED_COLUMNS:
        merged: dict[str, int] = {"": 0}
        parts = []
        for g in groups:
            remap = np.array([merged.setdefault(v, len(merged)) for v in g.names[column]], dtype=np.int32)
            parts.append(remap[g.codes[column]] if len(remap) else g.codes[column])
        names[column] = tuple(merged)
        codes[column] = np.concatenate(parts)
    # Lines in journal order: each group is in order, the two groups of a chunk interleave.
    # One column at a time, so that at most one extra copy is alive at once.
    sizes_of = [len(g.arrays["line"]) for g in groups]
    in_aux = np.repeat(np.array([g.in_aux for g in groups], dtype=bool), sizes_of)
    order = np.lexsort((np.concatenate([g.arrays["line"] for g in groups]),
                        np.concatenate([g.arrays["owner"] for g in groups])))
    arrays: dict[str, np.ndarray] = {}
    for k in list(groups[0].arrays):
        arrays[k] = np.concatenate([g.arrays.pop(k) for g in groups])[order]
    for k in list(codes):
        codes[k] = codes[k][order]
    in_aux = in_aux[order]
    owner = arrays["owner"]
    cut = np.searchsorted(owner, np.arange(len(given) + 1))
    out: dict[int, Lines] = {}
    for j in range(len(given)):
        a, b = int(cut[j]), int(cut[j + 1])
        if a == b:
            continue
        size = sizes[j]
        span = arrays["span"][a:b].copy()
        quoted = in_aux[a:b]
        own_aux = b""
        if quoted.any():
            own_aux, span[quoted] = _own_aux(blob, span[quoted], size)
        span[~quoted] -= int(base[j])
        own = {k: _own_codes(v[a:b], names[k]) for k, v in codes.items()}
        out[j] = Lines(
            team=given[j].team, line=arrays["line"][a:b].astype(np.int32), key=arrays["key"][a:b],
            ref=arrays["ref"][a:b], type=arrays["type"][a:b], date=arrays["date"][a:b],
            due=arrays["due"][a:b], amount=arrays["amount"][a:b], has_amount=arrays["has_amount"][a:b],
            codes={k: own[k][0] for k in codes}, names={k: own[k][1] for k in codes}, span=span,
            filled=arrays["filled"][a:b], source=Source(size, own_aux),
        )
    return out


# ---------------------------------------------------------------------------- the tail, for writers


@dataclass(frozen=True, slots=True)
class Tail:
    """What a writer needs to know of a journal's end.

    max_seq: the highest id sequence in the tail, damaged and torn lines included.
    clean: the file ends in a newline.
    torn: the unfinished last line (no newline), ``b""`` when none.
    uncertain: why the next id cannot be told (a damaged last line without a readable
      id), ``""`` when it can; with the line's number counted from the end (-1 = last).
    """

    max_seq: int
    clean: bool
    torn: bytes
    uncertain: str | Msg


def read_tail(fd: int, size: int, team: str) -> Tail:
    """The end of an open journal (``size`` bytes long), read from ``fd``."""
    chunk = TAIL_CHUNK
    while True:
        start = max(0, size - chunk)
        os.lseek(fd, start, os.SEEK_SET)
        got = _read(fd, size - start)
        lines = got.split(b"\n")
        torn = lines.pop()  # b"" after a clean end, else the unfinished line
        if start > 0:
            lines = lines[1:]  # may be the end of a longer line
        elif lines and (lines[0].lstrip(BOM).rstrip(b"\r") + b"\n") == HEADER_BYTES:
            lines = lines[1:]
        seqs = [id_seq(raw, team) for raw in lines]
        best = max([*seqs, id_seq(torn, team)], default=0)
        if best or start == 0:
            uncertain: str | Msg = ""
            if lines:
                last = lines[-1]
                verdict = judge_line(last, team, 0)
                if isinstance(verdict, Msg) and verdict != _EMPTY_LINE and not seqs[-1]:
                    uncertain = verdict
            return Tail(best, not torn, torn, uncertain)
        chunk *= 4


def _read(fd: int, size: int) -> bytes:
    parts = []
    while size > 0:
        piece = os.read(fd, min(size, 1 << 24))
        if not piece:
            break
        parts.append(piece)
        size -= len(piece)
    return b"".join(parts)


def close_torn(torn: bytes) -> bytes:
    """What a writer appends after an unfinished line so that it stays set aside for good."""
    quote = b'"' if torn.count(b'"') % 2 else b""
    return quote + TORN_END + b"\n"
