"""Journals as pandas DataFrames: one loader for every report, and the entries it implies.

:func:`load_frame` is the single way reports read a ledger. It reads each journal once,
checks every line by the same rules as :func:`maatwerk_cli.store.storage.read_journal` (header,
cell count, checksum, id, type, amount, extra, dates), sets bad lines aside as
:class:`~maatwerk_cli.core.errors.Problem` with the same file, line and message, and hands the
good lines to pandas' C parser in one call. The result depends only on the settings and
the bytes of the selected journals, which is what lets :mod:`maatwerk_cli.store.cache` keep it.

How the lines are checked, fastest first:

* the lines are found and classified with numpy on the file's bytes (empty, carriage
  return or NUL inside, quotes, number of commas);
* a plain line (no quotes) is checked on its bytes: 19 cells and the checksum, which for
  such a line is taken over the line itself with ``,`` replaced by the unit separator;
* lines with quoted cells are parsed with the csv module in one go and checked the same
  way; the tool writes them in one canonical form, which pandas reads back identically;
* after pandas has parsed the lines, the id, type, amount, extra and dates are checked
  column by column;
* anything else, and every line a check doubts, goes through ``read_journal``'s own
  per-line code (:func:`maatwerk_cli.store.storage.parse_row`), so verdicts and messages are
  the same as the pure-Python reader's (``tests/test_reports.py`` compares the two on
  damaged journals).

pandas is imported by this module: import it lazily, never on the clerk's path.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..core.errors import Problem
from ..core.records import JOURNAL_COLUMNS, ROW_TYPES, Row
from ..store.storage import HEADER, parse_row

if TYPE_CHECKING:
    from ..ledger import Ledger

#: Columns of :func:`load_frame`'s DataFrame, in order, with their dtypes:
#:
#: ``team`` (category): the journal's team slug; ``line`` (int64): 1-based line in the file;
#: ``id``, ``ref`` (str); ``type`` (category, one of :data:`~maatwerk_cli.core.records.ROW_TYPES`);
#: ``date`` (datetime64); ``amount_cents`` (int64, 0 when the cell is empty);
#: ``has_amount`` (bool: the amount cell was filled); ``category``, ``method``, ``kind``,
#: ``status`` (category); ``household``, ``condition``, ``tegenprestatie``, ``note``,
#: ``reason``, ``by``, ``extra`` (str, ``""`` when empty; ``extra`` is JSON text);
#: ``due`` (datetime64, NaT when empty). ``recorded_at`` and ``checksum`` are checked,
#: then left out.
FRAME_COLUMNS = (
    "team",
    "line",
    "id",
    "type",
    "date",
    "ref",
    "amount_cents",
    "has_amount",
    "category",
    "method",
    "kind",
    "household",
    "due",
    "condition",
    "tegenprestatie",
    "status",
    "note",
    "reason",
    "by",
    "extra",
)
_CATEGORICAL = ("type", "category", "method", "kind", "status")
_TEXT = ("id", "ref", "household", "condition", "tegenprestatie", "note", "reason", "by", "extra")
_READ = tuple(c for c in JOURNAL_COLUMNS if c not in ("recorded_at", "checksum"))
_CELLS = len(JOURNAL_COLUMNS)
_SEPARATORS = _CELLS - 1
_ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_AMOUNT = r"-?[0-9]{1,10}\.[0-9]{2}"
_ID_TAIL = r"-[0-9]{4}-[0-9]{4,}"  # after "<team>"; ASCII digits (parse_row judges the rest)
_CELL = r'(?:[^",]*|"[^"]*(?:""[^"]*)*")'
_STRICT_CSV = re.compile(_CELL + r"(?:," + _CELL + r")*")

#: Row types that change a spend after it was recorded (they carry its id in ``ref``).
EVENT_TYPES = ("kind", "tegenprestatie", "outcome", "recovered", "repay", "void", "bank-link")


@dataclass(frozen=True, slots=True)
class _Accepted:
    """One journal's good lines, ready for pandas.

    blob: the lines joined by newlines, each in a form pandas reads as the checked cells.
    lines: their 1-based line numbers in the file.
    """

    blob: bytes
    lines: list[int]


def load_frame(
    ledger: Ledger, teams: Sequence[str] | None = None
) -> tuple[pd.DataFrame, tuple[Problem, ...]]:
    """Every good journal row of the given teams (default: all) and every line set aside.

    The frame has :data:`FRAME_COLUMNS`, teams in the order given (or by slug), lines in
    file order. The problems are those :meth:`maatwerk_cli.ledger.Ledger.read` reports.
    Raises the library's errors for a missing or damaged folder, settings or team.
    Served from the frame cache (:mod:`maatwerk_cli.store.cache`) while the journals are unchanged.
    """
    from ..store.cache import cached_frame

    return cached_frame(ledger, teams, read_frame)


def read_frame(
    ledger: Ledger, teams: Sequence[str] | None = None
) -> tuple[pd.DataFrame, tuple[Problem, ...]]:
    """:func:`load_frame` without the cache: every selected journal read and checked."""
    _ = ledger.settings  # a damaged maatwerk.toml is reported before any figure is shown
    folder = ledger.folder
    slugs = list(dict.fromkeys(teams)) if teams else folder.team_slugs()
    problems: list[Problem] = []
    blobs: list[bytes] = []
    counts: list[int] = []
    numbers: list[int] = []
    for slug in slugs:
        folder.require_team(slug)
        path = folder.journal_path(slug)
        got = _scan_journal(path, slug, folder.display(path), problems)
        if got.lines:
            blobs.append(got.blob)
        counts.append(len(got.lines))
        numbers.extend(got.lines)
    frame = _parse(b"\n".join(blobs), sum(counts))
    frame.insert(0, "line", np.asarray(numbers, dtype="int64"))
    frame.insert(0, "team", pd.Categorical(np.repeat(np.asarray(slugs, dtype=object), counts),
                                           categories=slugs))
    frame, doubted = _check_cells(frame)
    if doubted.any():
        frame = _settle_doubts(frame, doubted, folder, problems)
    return _finish(frame), tuple(sorted(problems, key=lambda p: _problem_order(p, slugs, folder)))


def _problem_order(problem: Problem, slugs: list[str], folder: Any) -> tuple[int, int]:
    """Problems in team order, then line order, as the per-team reader gives them."""
    for index, slug in enumerate(slugs):
        if problem.file == folder.display(folder.journal_path(slug)):
            return index, problem.line
    return len(slugs), problem.line


# ---------------------------------------------------------------------------- line checks


# Bytes that str.strip() and bytes.strip() remove: a line of only these is an empty line.
_BLANK = np.zeros(256, dtype=bool)
_BLANK[[9, 10, 11, 12, 13, 32]] = True


def _scan_journal(path: Path, team: str, name: str, problems: list[Problem]) -> _Accepted:
    """The good lines of one journal; bad ones go to ``problems`` as read_journal says them.

    The lines are classified with numpy on the file's bytes; Python touches each line only
    to hash it (or, for the few odd ones, to judge it as read_journal does).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _Accepted(b"", [])
    if not data:
        problems.append(Problem(name, 1, "file is empty; the header line is missing"))
        return _Accepted(b"", [])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    buf = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(buf == 10)
    torn_tail = not data.endswith(b"\n")
    starts = np.concatenate(([0], newlines + 1))
    ends = np.append(newlines, len(data))
    if not torn_tail:
        starts, ends = starts[:-1], ends[:-1]
    header = data[: int(ends[0])].decode("utf-8", "replace").rstrip("\r")
    if header + "\n" != HEADER:
        problems.append(
            Problem(name, 1, "header line is not the journal header; the file cannot be trusted")
        )
        return _Accepted(b"", [])
    found: list[tuple[int, str]] = []
    last = len(starts)
    if torn_tail and last > 1:
        found.append((last, "last line is incomplete (torn write); it was set aside"))
        starts, ends = starts[:-1], ends[:-1]
    s, e = starts[1:], ends[1:]
    numbers = np.arange(2, 2 + len(s))
    if not len(s):
        return _Accepted(b"", [])
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False  # rare: each line is judged on its own

    # Per-line facts from the bytes, one pass each: segment i runs from the start of line i
    # to the start of line i+1, its own \r\n included (neither is a comma, quote or NUL).
    # Every body line ends in a newline here (a torn last line was taken off above).
    body = buf[: int(e[-1]) + 1]
    nonblank = np.logical_or.reduceat(~_BLANK[body], s)
    blank = ~nonblank | (e == s)
    cr_end = (e > s) & (buf[np.maximum(e - 1, 0)] == 13)
    e2 = e - cr_end  # one trailing \r stripped, as read_journal's rstrip("\r")
    odd = np.zeros(len(s), dtype=bool)
    if b"\r" in data:
        odd |= np.add.reduceat(body == 13, s, dtype=np.int64) - cr_end > 0
    if b"\x00" in data:
        odd |= np.logical_or.reduceat(body == 0, s)
    quoted = np.logical_or.reduceat(body == 34, s) & (e > s)
    commas = np.add.reduceat(body == 44, s, dtype=np.int64)
    shaped = (
        ~blank & ~odd & ~quoted & (commas == _SEPARATORS) & (e2 - s >= 9)
        & (buf[np.maximum(e2 - 9, 0)] == 44)
    )
    if not utf8:
        shaped[:] = False
        quoted[:] = False
    plain = np.zeros(len(s), dtype=bool)
    at = np.flatnonzero(shaped)
    if len(at):
        # For a line without quotes the cells are the bytes between commas, so the checksum's
        # input is the line up to its last comma with every comma made a unit separator.
        swapped = data.replace(b",", b"\x1f")
        sha = hashlib.sha256
        digests = "".join(
            sha(swapped[a:b]).hexdigest()[:8]
            for a, b in zip(s[at].tolist(), (e2[at] - 9).tolist(), strict=True)
        ).encode("ascii")
        stored = buf[(e2[at] - 8)[:, None] + np.arange(8)]
        plain[at] = (np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8) == stored).all(axis=1)
    quoted &= ~blank & ~odd
    exact = ~blank & ~plain & ~quoted
    asis = plain & ~cr_end  # lines handed to pandas exactly as they stand in the file
    pieces: dict[int, bytes] = {}  # lines handed over rewritten
    for i in np.flatnonzero(exact).tolist():
        got = _verdict(data[s[i] : e[i]], team, int(numbers[i]))
        if isinstance(got, str):
            found.append((int(numbers[i]), got))
        else:
            pieces[i] = _canonical(got[0])
    for i in np.flatnonzero(plain & cr_end).tolist():
        pieces[i] = data[s[i] : e2[i]]
    qi = np.flatnonzero(quoted).tolist()
    if qi:
        starts_at, ends_at, line_of = s.tolist(), e2.tolist(), numbers.tolist()
        canonical = _check_quoted(
            [(i, line_of[i], data[starts_at[i] : ends_at[i]]) for i in qi], pieces, team, found
        )
        for i in canonical:
            if cr_end[i]:
                pieces[i] = data[s[i] : e2[i]]
            else:
                asis[i] = True
    found.extend((int(numbers[i]), "empty line") for i in np.flatnonzero(blank).tolist())
    problems.extend(Problem(name, n, message) for n, message in sorted(found, key=lambda f: f[0]))
    if asis.all():
        return _Accepted(data[int(s[0]) : int(e[-1])], numbers.tolist())
    # Runs of consecutive as-is lines are copied as one slice; the rest line by line.
    edges = np.diff(np.concatenate(([0], asis.astype(np.int8), [0])))
    runs = zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True)
    items = sorted([(a, b) for a, b in runs] + [(i, -1) for i in pieces])
    parts: list[bytes] = []
    kept: list[np.ndarray] = []
    for a, b in items:
        if b < 0:
            parts.append(pieces[a])
            kept.append(numbers[a : a + 1])
        else:
            parts.append(data[int(s[a]) : int(e[b - 1])])
            kept.append(numbers[a:b])
    lines = np.concatenate(kept).tolist() if kept else []
    return _Accepted(b"\n".join(parts), lines)


def _check_quoted(
    quoted: list[tuple[int, int, bytes]],
    pieces: dict[int, bytes],
    team: str,
    found: list[tuple[int, str]],
) -> list[int]:
    """Check lines with quoted cells together; return the indices of good lines pandas can
    read as they stand, and put good lines that need rewriting in ``pieces``.

    ``quoted`` holds (index, line number, line without its trailing ``\\r``); none holds
    a newline or a carriage return. The id is checked later, with every other row's.
    """
    texts = b"\n".join(line for _, _, line in quoted).decode("utf-8").split("\n")
    try:
        rows = list(csv.reader(texts))
    except csv.Error:
        rows = []
    if len(rows) != len(texts):
        # A cell ran on into the next line: judge each line on its own.
        rows = [[] for _ in texts]
    sha = hashlib.sha256  # storage.checksum, inlined: it runs once per quoted line
    sound = [
        len(values) == _CELLS and sha("\x1f".join(values[:-1]).encode("utf-8")).hexdigest()[:8] == values[-1]
        for values in rows
    ]
    good: list[tuple[int, str, list[str]]] = []
    for (index, number, line), text, values, ok in zip(quoted, texts, rows, sound, strict=True):
        if ok:
            good.append((index, text, values))
            continue
        got = _verdict(line, team, number)
        if isinstance(got, str):
            found.append((number, got))
        else:
            pieces[index] = _canonical(got[0])
    # A line in strict CSV form (each cell plain, or quoted with inner quotes doubled) has
    # one reading, the same for pandas as for the csv module: the tool writes nothing else.
    # A line written otherwise (by hand, with a valid checksum) is handed over rewritten.
    as_they_stand: list[int] = []
    for index, text, values in good:
        if _STRICT_CSV.fullmatch(text) is not None:
            as_they_stand.append(index)
        else:
            pieces[index] = _canonical(values)
    return as_they_stand


def _canonical(values: list[str]) -> bytes:
    """A line pandas parses back into exactly ``values``; a ``\\r`` in a cell gets quoted too."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(values)
    return buf.getvalue()[:-2].encode("utf-8")


def _verdict(raw: bytes, team: str, number: int) -> tuple[list[str], Row] | str:
    """The cells and Row of a good line, or the message read_journal gives a bad one."""
    try:
        text = raw.decode("utf-8")
        values = next(csv.reader([text.rstrip("\r")]))
        row = parse_row(values, team, number)
    except (ValueError, UnicodeDecodeError, csv.Error, StopIteration) as exc:
        return f"damaged line set aside: {exc}"
    return values, row


# ---------------------------------------------------------------------------- pandas


def _parse(blob: bytes, expected: int) -> pd.DataFrame:
    """The accepted lines as a DataFrame of text and category columns."""
    dtypes: dict[str, Any] = {c: ("category" if c in _CATEGORICAL else str) for c in _READ}
    if expected == 0:
        return pd.DataFrame({c: pd.Series([], dtype=dtypes[c]) for c in _READ})
    frame = pd.read_csv(
        io.BytesIO(blob),
        header=None,
        names=list(JOURNAL_COLUMNS),
        usecols=list(_READ),
        dtype=dtypes,
        keep_default_na=False,
        na_filter=False,
        engine="c",
        encoding="utf-8",
        skip_blank_lines=False,
    )
    if len(frame) != expected:  # pragma: no cover - every line handed over is canonical
        raise RuntimeError(f"pandas read {len(frame)} journal lines, expected {expected}")
    return frame


def _check_cells(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Vectorised cell checks of parse_row; rows that fail are 'doubted' and judged again."""
    types = frame["type"].astype(object)
    ok = types.isin(list(ROW_TYPES)).to_numpy(dtype=bool, copy=True)
    # The id must be one of this journal's: "<team>-<year>-<number>" (ASCII digits here;
    # anything else is judged again by parse_row, which decides).
    ids = frame["id"]
    codes = frame["team"].cat.codes.to_numpy()
    bounds = np.flatnonzero(np.diff(codes)) + 1  # the rows come in one block per journal
    for start, stop in zip([0, *bounds.tolist()], [*bounds.tolist(), len(frame)], strict=True):
        if stop > start:
            team = str(frame["team"].cat.categories[codes[start]])
            pattern = re.escape(team) + _ID_TAIL
            block = ids.iloc[start:stop].str.fullmatch(pattern).to_numpy(dtype=bool, na_value=False)
            ok[start:stop] &= block
    amount = frame["amount"]
    has_amount = (amount != "").to_numpy()
    ok &= ~has_amount | amount.str.fullmatch(_AMOUNT).to_numpy(dtype=bool, na_value=False)
    extra = frame["extra"]
    filled = (extra != "").to_numpy()
    if filled.any():
        ok[filled] &= np.fromiter((_is_object(x) for x in extra[filled]), dtype=bool,
                                  count=int(filled.sum()))
    date_text = frame["date"]
    date_ok = date_text.str.fullmatch(_ISO_DATE).to_numpy(dtype=bool, na_value=False, copy=True)
    dates = pd.to_datetime(date_text.where(date_ok, ""), format="%Y-%m-%d", errors="coerce")
    date_ok &= dates.notna().to_numpy()
    due_text = frame["due"]
    due_filled = (due_text != "").to_numpy()
    due_ok = due_text.str.fullmatch(_ISO_DATE).to_numpy(dtype=bool, na_value=False, copy=True)
    dues = pd.to_datetime(due_text.where(due_ok, ""), format="%Y-%m-%d", errors="coerce")
    due_ok &= dues.notna().to_numpy()
    ok &= date_ok & (~due_filled | due_ok)
    # Checked to the form -1234567890.12 above, so a float holds each exactly enough to
    # round back to its cents.
    cents = amount.where(has_amount & ok, "0").astype("float64")
    frame = frame.assign(
        date=dates,
        due=dues,
        amount_cents=np.rint(cents.to_numpy(dtype="float64") * 100).astype("int64"),
        has_amount=has_amount,
    ).drop(columns=["amount"])
    return frame, ~ok


def _is_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def _settle_doubts(
    frame: pd.DataFrame, doubted: np.ndarray, folder: Any, problems: list[Problem]
) -> pd.DataFrame:
    """Judge doubted rows with read_journal's own code; keep the good, report the rest."""
    drop: list[int] = []
    fixes: dict[int, Row] = {}
    cache: dict[str, list[bytes]] = {}
    for pos in np.flatnonzero(doubted):
        team = str(frame["team"].iat[pos])
        number = int(frame["line"].iat[pos])
        if team not in cache:
            data = folder.journal_path(team).read_bytes()
            cache[team] = (data[3:] if data.startswith(b"\xef\xbb\xbf") else data).split(b"\n")
        got = _verdict(cache[team][number - 1], team, number)
        if isinstance(got, str):
            path = folder.journal_path(team)
            problems.append(Problem(folder.display(path), number, got))
            drop.append(int(pos))
        else:
            fixes[int(pos)] = got[1]
    if fixes:
        # A date parse_row accepts but the vectorised check doubted (e.g. digits outside
        # ASCII): take the values parse_row read.
        date_col = frame.columns.get_loc("date")
        due_col = frame.columns.get_loc("due")
        cents_col = frame.columns.get_loc("amount_cents")
        for at, row in fixes.items():
            frame.iat[at, date_col] = pd.Timestamp(row.date)
            frame.iat[at, due_col] = pd.Timestamp(row.due) if row.due else pd.NaT
            frame.iat[at, cents_col] = int(row.amount * 100) if row.amount is not None else 0
    if drop:
        frame = frame.drop(index=frame.index[drop])
    return frame


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True)[list(FRAME_COLUMNS)]


# ---------------------------------------------------------------------------- entries


#: Columns of :func:`entry_frame`: one row per spend, as it stands after its events
#: (the same state as :class:`~maatwerk_cli.core.records.Entry`). ``amount_cents``,
#: ``repaid_cents``, ``recovered_cents``, ``outstanding_cents`` (int64);
#: ``avoided_cents`` (float64, NaN when no avoided cost was recorded); ``voided`` and
#: ``has_tegenprestatie`` (bool); ``category`` and ``method`` (category); ``kind`` and
#: ``outcome`` (object); ``sidx`` (int64) numbers the spends 0..n-1 and links
#: :func:`linked_events` to them. The columns in :data:`ENTRY_TEXT` are left out when
#: ``text=False`` (they are costly to copy on a big ledger and most reports need none).
ENTRY_FRAME_COLUMNS = (
    "sidx",
    "team",
    "line",
    "id",
    "date",
    "amount_cents",
    "category",
    "method",
    "kind",
    "household",
    "note",
    "by",
    "due",
    "condition",
    "tegenprestatie",
    "tegenprestatie_status",
    "has_tegenprestatie",
    "repaid_cents",
    "recovered_cents",
    "recovered_from",
    "outstanding_cents",
    "voided",
    "void_reason",
    "outcome",
    "avoided_cents",
    "override_reason",
    "extra",
)
ENTRY_TEXT = (
    "household",
    "note",
    "by",
    "condition",
    "tegenprestatie",
    "tegenprestatie_status",
    "recovered_from",
    "void_reason",
    "override_reason",
    "extra",
)
_SPEND_TEXT = ("ref", "household", "condition", "tegenprestatie", "status", "note", "reason", "by", "extra")
_EVENT_TEXT = ("condition", "tegenprestatie", "note", "reason")


def spends_and_events(frame: pd.DataFrame, *, text: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The spends of a journal frame and the event rows that apply to them, linked.

    Spends: a repeated id counts once, as its last line (as fold_rows does); each gets
    ``sidx`` (0..n-1) and ``has_tegenprestatie``. Events: rows whose ``ref`` is the id of a
    spend of the same team on an earlier line; each gets that spend's ``sidx``; sorted by
    spend, then file order. Events about an unknown id are left out, as fold_rows ignores
    them. ``text=False`` leaves out the free-text columns.
    """
    is_spend = (frame["type"] == "spend").to_numpy()
    is_event = frame["type"].isin(EVENT_TYPES).to_numpy()
    has_teg = (frame["tegenprestatie"] != "").to_numpy()
    spend_at, event_at = np.flatnonzero(is_spend), np.flatnonzero(is_event)
    # One factorisation of spend ids and event refs together gives integer keys for both
    # (ids carry their team, which load_frame checked, so an id is unique across teams).
    keys = pd.concat([frame["id"].iloc[spend_at], frame["ref"].iloc[event_at]], ignore_index=True)
    codes, uniques = pd.factorize(keys)
    spend_codes, event_codes = codes[: len(spend_at)], codes[len(spend_at) :]
    last = np.full(len(uniques), -1, dtype=np.int64)
    np.maximum.at(last, spend_codes, np.arange(len(spend_at)))
    kept = last[spend_codes] == np.arange(len(spend_at))
    spend_at = spend_at[kept]
    sidx_of = np.full(len(uniques), -1, dtype=np.int64)
    sidx_of[spend_codes[kept]] = np.arange(len(spend_at))
    columns = [c for c in frame.columns if text or c not in _SPEND_TEXT]
    spends = frame[columns].iloc[spend_at].reset_index(drop=True)
    spends = spends.assign(sidx=np.arange(len(spend_at), dtype="int64"), has_tegenprestatie=has_teg[spend_at])

    sidx = sidx_of[event_codes]
    found = sidx >= 0
    safe = np.where(found, sidx, 0)
    team = frame["team"].cat.codes.to_numpy()
    line = frame["line"].to_numpy()
    owner = spend_at[safe] if len(spend_at) else np.zeros(len(event_at), dtype=np.int64)
    keep = found & (team[event_at] == team[owner]) & (line[event_at] > line[owner])
    event_at, sidx = event_at[keep], sidx[keep]
    order = np.lexsort((line[event_at], sidx))
    event_at, sidx = event_at[order], sidx[order]
    columns = ["team", "line", "type", "date", "ref", "amount_cents", "has_amount", "kind", "due",
               "status", *(_EVENT_TEXT if text else ())]
    events = frame[columns].iloc[event_at].reset_index(drop=True)
    events = events.assign(sidx=sidx, has_tegenprestatie=has_teg[event_at])
    return spends, events


def spend_rows(frame: pd.DataFrame, *, text: bool = True) -> pd.DataFrame:
    """The spends of :func:`spends_and_events`."""
    return spends_and_events(frame, text=text)[0]


def linked_events(
    frame: pd.DataFrame, spends: pd.DataFrame | None = None, *, text: bool = True
) -> pd.DataFrame:
    """The events of :func:`spends_and_events` (``spends`` is accepted for compatibility)."""
    return spends_and_events(frame, text=text)[1]


def entry_frame(
    frame: pd.DataFrame,
    spends: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    *,
    text: bool = True,
) -> pd.DataFrame:
    """One row per spend as it stands after every later event (see :data:`ENTRY_FRAME_COLUMNS`).

    ``spends`` and ``events`` may be passed when already computed from ``frame`` (with the
    same ``text``).
    """
    if spends is None or events is None:
        spends, events = spends_and_events(frame, text=text)
    n = len(spends)
    # kind and outcome stay categorical: cheap to copy and to compare on a big ledger
    kind_names = _with(spends["kind"], "gift")
    kind = _codes(spends["kind"], kind_names)
    if "" in kind_names:
        kind[kind == kind_names.index("")] = kind_names.index("gift")
    due = spends["due"].to_numpy(copy=True)
    has_teg = spends["has_tegenprestatie"].to_numpy(copy=True)
    kinds = _last(events, "kind")
    if len(kinds):
        at = kinds["sidx"].to_numpy()
        new_kind = _codes(kinds["kind"], kind_names)
        kind[at] = new_kind
        due[at] = np.where(new_kind == kind_names.index("loan") if "loan" in kind_names else False,
                           kinds["due"].to_numpy(), np.datetime64("NaT"))
    last_teg = _last(events, "tegenprestatie")
    if len(last_teg):
        has_teg[last_teg["sidx"].to_numpy()] = last_teg["has_tegenprestatie"].to_numpy()
    outcome_names = _with(events["status"], "")
    outcome = np.full(n, outcome_names.index(""), dtype=np.int16)
    avoided = np.full(n, np.nan)
    last_outcome = _last(events, "outcome")
    if len(last_outcome):
        at = last_outcome["sidx"].to_numpy()
        outcome[at] = _codes(last_outcome["status"], outcome_names)
        avoided[at] = np.where(last_outcome["has_amount"].to_numpy(),
                               last_outcome["amount_cents"].to_numpy(dtype="float64"), np.nan)
    repaid = _sum(events, "repay", n)
    recovered = _sum(events, "recovered", n)
    voided = np.zeros(n, dtype=bool)
    last_void = _last(events, "void")
    if len(last_void):
        voided[last_void["sidx"].to_numpy()] = True
    amount = spends["amount_cents"].to_numpy()
    owes = ~voided & (kind != kind_names.index("gift"))
    outstanding = np.where(owes, np.maximum(amount - repaid - recovered, 0), 0)
    columns: dict[str, Any] = {
        "sidx": spends["sidx"],
        "team": spends["team"],
        "line": spends["line"],
        "id": spends["id"],
        "date": spends["date"],
        "amount_cents": spends["amount_cents"],
        "category": spends["category"],
        "method": spends["method"],
        "kind": pd.Categorical.from_codes(kind, categories=kind_names),
        "due": due,
        "has_tegenprestatie": has_teg,
        "repaid_cents": repaid,
        "recovered_cents": recovered,
        "outstanding_cents": outstanding.astype("int64"),
        "voided": voided,
        "outcome": pd.Categorical.from_codes(outcome, categories=outcome_names),
        "avoided_cents": avoided,
    }
    if text:
        columns.update(_entry_text(spends, events, n))
    out = pd.DataFrame(columns)
    return out[[c for c in ENTRY_FRAME_COLUMNS if c in out.columns]]


def _with(column: pd.Series, name: str) -> list[str]:
    """The categories of a categorical column, with ``name`` added when missing."""
    names = [str(c) for c in column.cat.categories]
    return names if name in names else [*names, name]


def _codes(column: pd.Series, names: list[str]) -> np.ndarray:
    """A categorical column's codes against the categories ``names`` (a superset)."""
    codes: np.ndarray = column.cat.set_categories(names).cat.codes.to_numpy().astype(np.int16)
    return codes


def _entry_text(spends: pd.DataFrame, events: pd.DataFrame, n: int) -> dict[str, Any]:
    """The free-text columns of :func:`entry_frame`, after the events that change them."""
    condition = spends["condition"].to_numpy(dtype=object, copy=True)
    teg = spends["tegenprestatie"].to_numpy(dtype=object, copy=True)
    teg_status = np.where(teg != "", spends["status"].astype(object).to_numpy(), "").astype(object)
    kinds = _last(events, "kind")
    if len(kinds):
        at = kinds["sidx"].to_numpy()
        new_kind = kinds["kind"].astype(object).to_numpy()
        condition[at] = np.where(new_kind == "conditional", kinds["condition"].to_numpy(dtype=object), "")
    last_teg = _last(events, "tegenprestatie")
    if len(last_teg):
        at = last_teg["sidx"].to_numpy()
        teg[at] = last_teg["tegenprestatie"].to_numpy(dtype=object)
        teg_status[at] = last_teg["status"].astype(object).to_numpy()
    recovered_from = np.full(n, "", dtype=object)
    last_recovered = _last(events, "recovered")
    if len(last_recovered):
        recovered_from[last_recovered["sidx"].to_numpy()] = last_recovered["note"].to_numpy(dtype=object)
    void_reason = np.full(n, "", dtype=object)
    last_void = _last(events, "void")
    if len(last_void):
        void_reason[last_void["sidx"].to_numpy()] = last_void["reason"].to_numpy(dtype=object)
    return {
        "household": spends["household"],
        "note": spends["note"],
        "by": spends["by"],
        "condition": condition,
        "tegenprestatie": teg,
        "tegenprestatie_status": teg_status,
        "recovered_from": recovered_from,
        "void_reason": void_reason,
        "override_reason": spends["reason"],
        "extra": spends["extra"],
    }


def _last(events: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The last event of one type per spend (events are sorted by spend, then file order)."""
    rows = events[(events["type"] == kind).to_numpy()]
    return rows.drop_duplicates("sidx", keep="last")


def _sum(events: pd.DataFrame, kind: str, n: int, until: Any = None) -> np.ndarray:
    """Cents of one event type summed per spend (optionally only events dated up to ``until``)."""
    mask = (events["type"] == kind).to_numpy()
    if until is not None:
        mask = mask & (events["date"] <= until).to_numpy()
    total = np.zeros(n, dtype="int64")
    if mask.any():
        np.add.at(total, events["sidx"].to_numpy()[mask], events["amount_cents"].to_numpy()[mask])
    return total


def paid_back(events: pd.DataFrame, n: int, until: Any = None) -> np.ndarray:
    """Repayments plus recoveries per spend, in cents (optionally dated up to ``until``)."""
    total: np.ndarray = _sum(events, "repay", n, until) + _sum(events, "recovered", n, until)
    return total
