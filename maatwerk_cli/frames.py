"""Journals as pandas DataFrames: one loader for every report, and the entries it implies.

:func:`load_frame` is the single way reports read a ledger. It reads each journal once,
checks every line by the same rules as :func:`maatwerk_cli.storage.read_journal` (header,
cell count, checksum, id, type, amount, extra, dates), sets bad lines aside as
:class:`~maatwerk_cli.errors.Problem` with the same file, line and message, and hands the
good lines to pandas' C parser in one call. A cache may wrap it later: the result depends
only on the settings and the bytes of the selected journals.

How the lines are checked, fastest first:

* a plain line (no quotes, all ASCII-safe separators) is checked on its bytes: 19 cells,
  the id of this team, and the checksum over the cells, which for such a line is the line
  itself with ``,`` replaced by the unit separator;
* lines with quoted cells are parsed with the csv module in one go and checked the same
  way; the tool writes them in one canonical form, which pandas reads back identically;
* anything else, and every line a later check doubts, goes through ``read_journal``'s
  own per-line code (:func:`maatwerk_cli.storage.parse_row`), so verdicts and messages
  are the same as the pure-Python reader's.

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

from .errors import Problem
from .model import JOURNAL_COLUMNS, ROW_TYPES, Row
from .storage import HEADER, checksum, parse_row

if TYPE_CHECKING:
    from .ledger import Ledger

#: Columns of :func:`load_frame`'s DataFrame, in order, with their dtypes:
#:
#: ``team`` (category): the journal's team slug; ``line`` (int64): 1-based line in the file;
#: ``id``, ``ref`` (str); ``type`` (category, one of :data:`~maatwerk_cli.model.ROW_TYPES`);
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
_STORAGE_ID = re.compile(r"^([a-z0-9][a-z0-9-]*)-(\d{4})-(\d{4,})$")

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
    """
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


def _scan_journal(path: Path, team: str, name: str, problems: list[Problem]) -> _Accepted:
    """The good lines of one journal; bad ones go to ``problems`` as read_journal says them."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _Accepted(b"", [])
    if not data:
        problems.append(Problem(name, 1, "file is empty; the header line is missing"))
        return _Accepted(b"", [])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    torn_tail = lines[-1] != b""
    if not torn_tail:
        lines.pop()
    header = lines[0].decode("utf-8", "replace").rstrip("\r")
    if header + "\n" != HEADER:
        problems.append(
            Problem(name, 1, "header line is not the journal header; the file cannot be trusted")
        )
        return _Accepted(b"", [])
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False  # rare: each line is decoded on its own below
    last = len(lines)
    sha = hashlib.sha256
    own_id = re.compile(rb"^" + re.escape(team.encode()) + rb"-[0-9]{4}-[0-9]{4,},")
    pieces: list[bytes | None] = []
    accepted: list[int] = []
    quoted: list[tuple[int, int, bytes]] = []  # (index in pieces, line number, raw)
    for number, raw in enumerate(lines[1:], start=2):
        if number == last and torn_tail:
            problems.append(Problem(name, number, "last line is incomplete (torn write); it was set aside"))
            break
        if not raw.strip():
            problems.append(Problem(name, number, "empty line"))
            continue
        line = raw.rstrip(b"\r") if raw.endswith(b"\r") else raw
        if not utf8 or b"\r" in line or b"\x00" in line:
            got = _exact(raw, team, number, name, problems)
        elif b'"' in line:
            quoted.append((len(pieces), number, line))
            pieces.append(None)
            accepted.append(number)
            continue
        elif (
            line.count(b",") == _SEPARATORS
            and line[-9:-8] == b","
            and own_id.match(line) is not None
            and sha(line[:-9].replace(b",", b"\x1f")).hexdigest()[:8] == line[-8:].decode("latin-1")
        ):
            got = line
        else:
            got = _exact(raw, team, number, name, problems)
        if got is not None:
            pieces.append(got)
            accepted.append(number)
    if quoted:
        _check_quoted(quoted, pieces, team, name, problems)
    keep = [(n, p) for n, p in zip(accepted, pieces, strict=True) if p is not None]
    return _Accepted(b"\n".join(p for _, p in keep), [n for n, _ in keep])


def _check_quoted(
    quoted: list[tuple[int, int, bytes]],
    pieces: list[bytes | None],
    team: str,
    name: str,
    problems: list[Problem],
) -> None:
    """Check lines with quoted cells together; fill their places in ``pieces``."""
    texts = [line.decode("utf-8") for _, _, line in quoted]
    try:
        rows = list(csv.reader(texts))
    except csv.Error:
        rows = []
    if len(rows) != len(texts):
        # A cell ran on into the next line: judge each line on its own.
        for index, number, line in quoted:
            pieces[index] = _exact(line, team, number, name, problems)
        return
    good: list[tuple[int, str, list[str]]] = []
    for (index, number, line), text, values in zip(quoted, texts, rows, strict=True):
        m = _STORAGE_ID.match(values[0]) if values else None
        if (
            len(values) == _CELLS
            and m is not None
            and m[1] == team
            and checksum(values[:-1]) == values[-1]
        ):
            good.append((index, text, values))
        else:
            pieces[index] = _exact(line, team, number, name, problems)
    # The tool writes quoted lines in csv's one canonical form, which pandas reads back
    # cell for cell; a line written otherwise (by hand, with a valid checksum) is
    # rewritten into that form.
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(values for _, _, values in good)
    if buf.getvalue() == "".join(text + "\n" for _, text, _ in good):
        for index, text, _ in good:
            pieces[index] = text.encode("utf-8")
    else:
        for index, _, values in good:
            pieces[index] = _canonical(values)


def _canonical(values: list[str]) -> bytes:
    """A line pandas parses back into exactly ``values``; a ``\\r`` in a cell gets quoted too."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(values)
    return buf.getvalue()[:-2].encode("utf-8")


def _exact(raw: bytes, team: str, number: int, name: str, problems: list[Problem]) -> bytes | None:
    """read_journal's own verdict on one line: the line for pandas, or a Problem."""
    got = _verdict(raw, team, number)
    if isinstance(got, str):
        problems.append(Problem(name, number, got))
        return None
    return _canonical(got[0])


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
    cents = pd.to_numeric(amount.where(has_amount & ok, "0"), errors="coerce").fillna(0.0)
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
#: (the same state as :class:`~maatwerk_cli.model.Entry`). ``amount_cents``,
#: ``repaid_cents``, ``recovered_cents``, ``outstanding_cents`` (int64);
#: ``avoided_cents`` (float64, NaN when no avoided cost was recorded); ``voided`` (bool);
#: ``sidx`` (int64) numbers the spends 0..n-1 and links :func:`linked_events` to them.
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


def spend_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The spends of a journal frame; a repeated id counts once, as its last line (as fold_rows)."""
    spends = frame[frame["type"] == "spend"]
    if spends.duplicated(["team", "id"]).any():
        spends = spends.drop_duplicates(["team", "id"], keep="last")
    spends = spends.reset_index(drop=True)
    return spends.assign(sidx=np.arange(len(spends), dtype="int64"))


def linked_events(frame: pd.DataFrame, spends: pd.DataFrame) -> pd.DataFrame:
    """Event rows that apply to a spend: same team, ``ref`` = its id, later in the file.

    Each gets the spend's ``sidx``; file order is kept. Events about an unknown id are
    left out here, as :func:`maatwerk_cli.model.fold_rows` ignores them.
    """
    events = frame[frame["type"].isin(EVENT_TYPES) & (frame["ref"] != "")]
    keys = spends[["team", "id", "line", "sidx"]].rename(columns={"id": "ref", "line": "spend_line"})
    linked = events.merge(keys, on=["team", "ref"], how="inner", sort=False)
    linked = linked[linked["line"] > linked["spend_line"]]
    return linked.sort_values(["sidx", "line"], kind="stable").reset_index(drop=True)


def entry_frame(
    frame: pd.DataFrame, spends: pd.DataFrame | None = None, events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per spend as it stands after every later event (see :data:`ENTRY_FRAME_COLUMNS`).

    ``spends`` and ``events`` may be passed when already computed from ``frame``.
    """
    spends = spend_rows(frame) if spends is None else spends
    events = linked_events(frame, spends) if events is None else events
    n = len(spends)
    out = pd.DataFrame({
        "sidx": spends["sidx"],
        "team": spends["team"],
        "line": spends["line"],
        "id": spends["id"],
        "date": spends["date"],
        "amount_cents": spends["amount_cents"],
        "category": spends["category"].astype(object),
        "method": spends["method"].astype(object),
        "kind": spends["kind"].astype(object).where(spends["kind"].astype(object) != "", "gift"),
        "household": spends["household"],
        "note": spends["note"],
        "by": spends["by"],
        "due": spends["due"],
        "condition": spends["condition"],
        "tegenprestatie": spends["tegenprestatie"],
        "tegenprestatie_status": spends["status"].astype(object).where(spends["tegenprestatie"] != "", ""),
        "override_reason": spends["reason"],
        "extra": spends["extra"],
    })
    kind_col = out["kind"].to_numpy(dtype=object, copy=True)
    due_col = out["due"].to_numpy(copy=True)
    cond_col = out["condition"].to_numpy(dtype=object, copy=True)
    kinds = _last(events, "kind")
    if len(kinds):
        at = kinds["sidx"].to_numpy()
        new_kind = kinds["kind"].astype(object).to_numpy()
        kind_col[at] = new_kind
        due_col[at] = np.where(new_kind == "loan", kinds["due"].to_numpy(), np.datetime64("NaT"))
        cond_col[at] = np.where(new_kind == "conditional", kinds["condition"].to_numpy(dtype=object), "")
    teg = out["tegenprestatie"].to_numpy(dtype=object, copy=True)
    teg_status = out["tegenprestatie_status"].to_numpy(dtype=object, copy=True)
    last_teg = _last(events, "tegenprestatie")
    if len(last_teg):
        at = last_teg["sidx"].to_numpy()
        teg[at] = last_teg["tegenprestatie"].to_numpy(dtype=object)
        teg_status[at] = last_teg["status"].astype(object).to_numpy()
    outcome = np.full(n, "", dtype=object)
    avoided = np.full(n, np.nan)
    last_outcome = _last(events, "outcome")
    if len(last_outcome):
        at = last_outcome["sidx"].to_numpy()
        outcome[at] = last_outcome["status"].astype(object).to_numpy()
        avoided[at] = np.where(last_outcome["has_amount"].to_numpy(),
                               last_outcome["amount_cents"].to_numpy(dtype="float64"), np.nan)
    repaid = _sum(events, "repay", n)
    recovered = _sum(events, "recovered", n)
    recovered_from = np.full(n, "", dtype=object)
    last_recovered = _last(events, "recovered")
    if len(last_recovered):
        recovered_from[last_recovered["sidx"].to_numpy()] = last_recovered["note"].to_numpy(dtype=object)
    voided = np.zeros(n, dtype=bool)
    void_reason = np.full(n, "", dtype=object)
    last_void = _last(events, "void")
    if len(last_void):
        voided[last_void["sidx"].to_numpy()] = True
        void_reason[last_void["sidx"].to_numpy()] = last_void["reason"].to_numpy(dtype=object)
    owes = ~voided & (kind_col != "gift")
    outstanding = np.where(owes, np.maximum(out["amount_cents"].to_numpy() - repaid - recovered, 0), 0)
    out = out.assign(
        kind=kind_col,
        due=due_col,
        condition=cond_col,
        tegenprestatie=teg,
        tegenprestatie_status=teg_status,
        repaid_cents=repaid,
        recovered_cents=recovered,
        recovered_from=recovered_from,
        outstanding_cents=outstanding.astype("int64"),
        voided=voided,
        void_reason=void_reason,
        outcome=outcome,
        avoided_cents=avoided,
    )
    return out[list(ENTRY_FRAME_COLUMNS)]


def _last(events: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The last event of one type per spend (events are in file order per spend)."""
    rows = events[events["type"] == kind]
    return rows.drop_duplicates("sidx", keep="last")


def _sum(events: pd.DataFrame, kind: str, n: int, until: Any = None) -> np.ndarray:
    """Cents of one event type summed per spend (optionally only events dated up to ``until``)."""
    rows = events[events["type"] == kind]
    if until is not None:
        rows = rows[rows["date"] <= until]
    total = np.zeros(n, dtype="int64")
    if len(rows):
        sums = rows.groupby("sidx", sort=False)["amount_cents"].sum()
        total[sums.index.to_numpy()] = sums.to_numpy()
    return total


def paid_back(events: pd.DataFrame, n: int, until: Any = None) -> np.ndarray:
    """Repayments plus recoveries per spend, in cents (optionally dated up to ``until``)."""
    total: np.ndarray = _sum(events, "repay", n, until) + _sum(events, "recovered", n, until)
    return total
