"""The numbers of a ledger as numpy arrays: what the figure reports count, nothing more.

utilisation, compare, categories, outcomes and summary need no free text and no ids:
only, per spend as it stands after its events, its team, date, amount, category, kind
and a few flags; the repayments on those spends; and the cash and refusal rows. Held
as a handful of numpy arrays they are small, quick to count with, and quick to keep:
:func:`load` serves them from a cache file in the user's cache folder while every
journal they came from is unchanged (the same stamps as :mod:`maatwerk_cli.store.cache`), so
a report on an unchanged ledger reads neither the journals nor pandas.

When a journal has changed, the figures are made again from :func:`maatwerk_cli.analysis.frames.load_frame`
(itself cached per journal), which is the one reader and checker of journals for reports:
the numbers here are those of the frames, in another shape.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.errors import Problem

if TYPE_CHECKING:
    import pandas as pd

    from ..ledger import Ledger

#: Bump when the arrays change shape; older cache files are then ignored.
FORMAT = 2
_MAGIC = b"maatwerk-figures-cache\n"

#: Codes of ``outcome``: 0 none recorded, then :data:`maatwerk_cli.core.records.OUTCOMES` in order.
OUTCOME_CODES = {"": 0, "reached": 1, "partial": 2, "not-reached": 3}
#: Codes of ``row_type``.
ROW_CODES = {"withdraw": 0, "settle": 1, "refusal": 2}

_ENTRY_ARRAYS = ("team", "date", "cents", "category", "cash", "loan", "tegenprestatie", "voided",
                 "outcome", "avoided", "costed")
_PAYBACK_ARRAYS = ("spend", "date", "cents")
_ROW_ARRAYS = ("team", "type", "date", "cents", "write_off")


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of some teams' journals.

    teams: the team slugs; a ``team`` array holds indexes into it.
    categories: category names, sorted; a ``category`` array holds indexes into it.
    entries: one array per name of ``_ENTRY_ARRAYS``, one element per spend as it stands
      after its events, in journal order: ``team``; ``date`` (days since 1970-01-01);
      ``cents``; ``category``; ``cash`` (paid in cash); ``loan`` (a loan or conditional
      grant); ``tegenprestatie`` (one recorded); ``voided``; ``outcome``
      (:data:`OUTCOME_CODES`); ``avoided`` (avoided cost in cents, 0 when none) and
      ``costed`` (an avoided cost was recorded).
    paybacks: repayments and recoveries on the spends: ``spend`` (index into the
      entries), ``date``, ``cents``.
    rows: withdrawals, cash settlements and refusals: ``team``, ``type``
      (:data:`ROW_CODES`), ``date``, ``cents``, ``write_off`` (a settle that wrote off).
    problems: the journal lines set aside, as the frames report them.
    """

    teams: tuple[str, ...]
    categories: tuple[str, ...]
    entries: dict[str, np.ndarray]
    paybacks: dict[str, np.ndarray]
    rows: dict[str, np.ndarray]
    problems: tuple[Problem, ...]

    @property
    def count(self) -> int:
        return len(self.entries["team"])


def day_number(day: Any) -> int:
    """A date as the ``date`` arrays hold it: days since 1970-01-01."""
    return int(np.datetime64(day, "D").astype(np.int64))


def load(ledger: Ledger, teams: Sequence[str] | None = None) -> Figures:
    """The figures of the given teams (default: all), from the cache where it is sound.

    The cache keeps each journal's figures with that journal's stamp: after a spend, only
    the journal that changed is read again.
    """
    from ..store import cache

    _ = ledger.settings  # a damaged maatwerk.toml is reported before any figure is shown
    folder = ledger.folder
    slugs = list(dict.fromkeys(teams)) if teams else folder.team_slugs()
    for slug in slugs:
        folder.require_team(slug)
    if not cache.enabled() or folder.pending_sizes() or not slugs:
        return build(ledger, slugs)
    root = folder.root
    path = _cache_file(root)
    stored = _load(path, root)
    stale = [s for s in slugs
             if s not in stored or not cache.still_valid(folder.journal_path(s), stored[s][0])]
    if not stale:
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by the eviction
        return combine([stored[s][1] for s in slugs], slugs)
    # Stamps before reading: a journal that changes while it is read is read again next time.
    now = time.time_ns()
    stamps = {s: cache.stamp(folder.journal_path(s), now) for s in stale}
    fresh = build_teams(ledger, stale)
    names = {folder.display(folder.journal_path(s)): s for s in stale}
    kept = {s: got for s, got in stored.items() if s not in stale and folder.has_team(s)}
    if all(p.file in names for f in fresh.values() for p in f.problems):
        kept.update({s: (stamps[s], fresh[s]) for s in stale})
        _store(path, root, kept)
    return combine([fresh[s] if s in fresh else stored[s][1] for s in slugs], slugs)


def build(ledger: Ledger, slugs: Sequence[str]) -> Figures:
    """The figures of the given teams read from their journals now (no cache)."""
    slugs = list(slugs) or ledger.folder.team_slugs()
    teams = build_teams(ledger, slugs)
    return combine([teams[s] for s in slugs], slugs)


def build_teams(ledger: Ledger, slugs: Sequence[str]) -> dict[str, Figures]:
    """Each team's own figures (its team index 0), read from the journals in one go."""
    from .frames import entry_frame, read_frame, spends_and_events

    rows, problems = read_frame(ledger, list(slugs))
    spends, events = spends_and_events(rows, text=False)
    entries = entry_frame(rows, spends, events, text=False)
    whole = from_frames(list(slugs), rows, events, entries, problems)
    return split(whole, ledger)


def split(whole: Figures, ledger: Ledger) -> dict[str, Figures]:
    """One Figures per team of ``whole`` (whose arrays are grouped by team, in team order)."""
    folder = ledger.folder
    e, b, r = whole.entries, whole.paybacks, whole.rows
    bounds = np.searchsorted(e["team"], np.arange(len(whole.teams) + 1))
    row_bounds = np.searchsorted(r["team"], np.arange(len(whole.teams) + 1))
    back_bounds = np.searchsorted(b["spend"], bounds)
    out: dict[str, Figures] = {}
    names = {folder.display(folder.journal_path(slug)): slug for slug in whole.teams}
    # A problem that names no journal (none is known) stays with the first team, never lost.
    owner = {id(p): names.get(p.file, whole.teams[0] if whole.teams else "") for p in whole.problems}
    for i, slug in enumerate(whole.teams):
        a, z = int(bounds[i]), int(bounds[i + 1])
        used = np.unique(e["category"][a:z])
        entries = {k: v[a:z].copy() for k, v in e.items()}
        entries["team"] = np.zeros(z - a, dtype=np.int32)
        # Each team keeps only the categories it uses, renumbered.
        entries["category"] = np.searchsorted(used, e["category"][a:z]).astype(np.int32)
        pa, pz = int(back_bounds[i]), int(back_bounds[i + 1])
        paybacks = {k: v[pa:pz].copy() for k, v in b.items()}
        paybacks["spend"] = paybacks["spend"] - a
        ra, rz = int(row_bounds[i]), int(row_bounds[i + 1])
        rows = {k: v[ra:rz].copy() for k, v in r.items()}
        rows["team"] = np.zeros(rz - ra, dtype=np.int32)
        out[slug] = Figures((slug,), tuple(whole.categories[c] for c in used.tolist()), entries, paybacks,
                            rows, tuple(p for p in whole.problems if owner[id(p)] == slug))
    return out


def combine(parts: Sequence[Figures], slugs: Sequence[str]) -> Figures:
    """Teams' own figures (as :func:`split` gives them) as one Figures, in ``slugs`` order."""
    categories = tuple(sorted({c for f in parts for c in f.categories}))
    lookup = {c: i for i, c in enumerate(categories)}
    offset = 0
    entries: dict[str, list[np.ndarray]] = {k: [] for k in _ENTRY_ARRAYS}
    paybacks: dict[str, list[np.ndarray]] = {k: [] for k in _PAYBACK_ARRAYS}
    rows: dict[str, list[np.ndarray]] = {k: [] for k in _ROW_ARRAYS}
    problems: list[Problem] = []
    for i, f in enumerate(parts):
        n = f.count
        for k in _ENTRY_ARRAYS:
            entries[k].append(f.entries[k])
        entries["team"][-1] = np.full(n, i, dtype=np.int32)
        renumber = np.array([lookup[c] for c in f.categories], dtype=np.int32)
        entries["category"][-1] = renumber[f.entries["category"]] if n else f.entries["category"]
        for k in _PAYBACK_ARRAYS:
            paybacks[k].append(f.paybacks[k])
        paybacks["spend"][-1] = f.paybacks["spend"] + offset
        for k in _ROW_ARRAYS:
            rows[k].append(f.rows[k])
        rows["team"][-1] = np.full(len(f.rows["team"]), i, dtype=np.int32)
        problems.extend(f.problems)
        offset += n
    return Figures(tuple(slugs), categories, _joined(entries, _ENTRY_DTYPES),
                   _joined(paybacks, _PAYBACK_DTYPES), _joined(rows, _ROW_DTYPES), tuple(problems))


_ENTRY_DTYPES = {"team": np.int32, "date": np.int64, "cents": np.int64, "category": np.int32,
                 "cash": bool, "loan": bool, "tegenprestatie": bool, "voided": bool, "outcome": np.int8,
                 "avoided": np.int64, "costed": bool}
_PAYBACK_DTYPES = {"spend": np.int64, "date": np.int64, "cents": np.int64}
_ROW_DTYPES = {"team": np.int32, "type": np.int8, "date": np.int64, "cents": np.int64, "write_off": bool}


def _joined(parts: dict[str, list[np.ndarray]], dtypes: dict[str, Any]) -> dict[str, np.ndarray]:
    return {k: np.concatenate(v).astype(dtypes[k], copy=False) if v else np.zeros(0, dtype=dtypes[k])
            for k, v in parts.items()}


def from_frames(
    slugs: list[str], rows: pd.DataFrame, events: pd.DataFrame, entries: pd.DataFrame,
    problems: Sequence[Problem],
) -> Figures:
    """The arrays of the journal frame ``rows`` and its ``events`` and ``entries``."""
    categories = tuple(sorted({str(c) for c in entries["category"].cat.categories}))
    kind = entries["kind"].astype(object).to_numpy()
    outcome = entries["outcome"].astype(object).to_numpy()
    avoided = entries["avoided_cents"].to_numpy(dtype="float64")
    costed = ~np.isnan(avoided)
    entry_arrays = {
        "team": _codes(entries["team"], slugs),
        "date": _days(entries["date"]),
        "cents": entries["amount_cents"].to_numpy(dtype=np.int64),
        "category": _codes(entries["category"], list(categories)),
        "cash": (entries["method"].astype(object) == "contant").to_numpy(dtype=bool),
        "loan": np.isin(kind, ["loan", "conditional"]),
        "tegenprestatie": entries["has_tegenprestatie"].to_numpy(dtype=bool),
        "voided": entries["voided"].to_numpy(dtype=bool),
        "outcome": np.array([OUTCOME_CODES.get(str(o), 0) for o in outcome], dtype=np.int8),
        "avoided": np.where(costed, avoided, 0).astype(np.int64),
        "costed": costed,
    }
    back = events[events["type"].isin(["repay", "recovered"]).to_numpy()]
    payback_arrays = {
        "spend": back["sidx"].to_numpy(dtype=np.int64),
        "date": _days(back["date"]),
        "cents": back["amount_cents"].to_numpy(dtype=np.int64),
    }
    other = rows[rows["type"].isin(list(ROW_CODES)).to_numpy()]
    row_arrays = {
        "team": _codes(other["team"], slugs),
        "type": np.array([ROW_CODES[str(t)] for t in other["type"]], dtype=np.int8),
        "date": _days(other["date"]),
        "cents": other["amount_cents"].to_numpy(dtype=np.int64),
        "write_off": ((other["type"].astype(object) == "settle")
                      & (other["method"].astype(object) == "write-off")).to_numpy(dtype=bool),
    }
    return Figures(tuple(slugs), categories, entry_arrays, payback_arrays, row_arrays, tuple(problems))


def _codes(column: pd.Series, names: list[str]) -> np.ndarray:
    codes: np.ndarray = column.cat.set_categories(names).cat.codes.to_numpy().astype(np.int32)
    return codes


def _days(column: pd.Series) -> np.ndarray:
    days: np.ndarray = column.to_numpy(dtype="datetime64[D]").astype(np.int64)
    return days


# ---------------------------------------------------------------------------- the cache file


def _versions() -> tuple[str, ...]:
    # pandas parsed the journals these figures came from; it is known here by the file it
    # is loaded from (found without importing pandas): a new pandas, a new cache.
    from importlib.util import find_spec

    from .. import __version__

    spec = find_spec("pandas")
    pandas_file = spec.origin if spec is not None and spec.origin else "?"
    try:
        st = os.stat(pandas_file)
        pandas_stamp = f"{pandas_file}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        pandas_stamp = pandas_file
    return (str(FORMAT), __version__, pandas_stamp, np.__version__, sys.version.split()[0])


def _cache_file(root: Path) -> Path:
    from ..store.cache import _hash, cache_dir

    key = _hash(f"figures\0{FORMAT}\0{root.resolve()}".encode())
    return cache_dir() / f"{key}.fig.pkl"


def _load(path: Path, root: Path) -> dict[str, tuple[Any, Figures]]:
    """Each cached team's stamp and figures; nothing when missing, damaged or foreign."""
    from ..store.cache import Stamp

    try:
        with open(path, "rb") as fh:
            if fh.read(len(_MAGIC)) != _MAGIC:
                return {}
            if pickle.load(fh) != (_versions(), str(root.resolve())):
                return {}
            stored = pickle.load(fh)
        out: dict[str, tuple[Any, Figures]] = {}
        for slug, (stamp, parts) in stored.items():
            if not isinstance(stamp, Stamp):
                return {}
            categories, entries, paybacks, rows, problems = parts
            team = Figures((slug,), tuple(categories), entries, paybacks, rows,
                           tuple(Problem(f, n, m) for f, n, m in problems))
            _check_shape(team)
            out[slug] = (stamp, team)
        return out
    except Exception:  # a damaged cache is only a slower start: read the journals again
        return {}


def _check_shape(f: Figures) -> None:
    """Refuse one team's arrays when they do not fit together (a file cut short or tampered with)."""
    for group, names in ((f.entries, _ENTRY_ARRAYS), (f.paybacks, _PAYBACK_ARRAYS), (f.rows, _ROW_ARRAYS)):
        if set(group) != set(names) or len({len(group[n]) for n in names}) > 1:
            raise ValueError("arrays do not fit")
        if not all(isinstance(group[n], np.ndarray) and group[n].ndim == 1 for n in names):
            raise ValueError("not arrays")
    if f.entries["team"].any() or f.rows["team"].any():
        raise ValueError("team out of range")
    if len(f.entries["category"]) and (
        f.entries["category"].min() < 0 or f.entries["category"].max() >= len(f.categories)
    ):
        raise ValueError("category out of range")
    spend = f.paybacks["spend"]
    if len(spend) and (spend.min() < 0 or spend.max() >= f.count):
        raise ValueError("payback out of range")


def _store(path: Path, root: Path, teams: dict[str, tuple[Any, Figures]]) -> None:
    """Write the cache file atomically; one that cannot be written is simply skipped."""
    from ..store.cache import write_cache_file

    stored = {
        slug: (stamp, (f.categories, f.entries, f.paybacks, f.rows,
                       tuple((p.file, p.line, p.message) for p in f.problems)))
        for slug, (stamp, f) in teams.items()
    }
    write_cache_file(path, _MAGIC, [(_versions(), str(root.resolve())), stored])
