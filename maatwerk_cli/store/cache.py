"""A columnar cache of the journals as DataFrames, which can never be stale.

The CSV journals stay the truth. Reading a million lines and checking every checksum
takes seconds; the result of :func:`maatwerk_cli.analysis.frames.load_frame` for the same bytes
is always the same, so it is kept in the user's cache folder (never in the ledger folder)
and served again while every journal it came from is unchanged.

"Unchanged" is decided per journal, keyed by its absolute path, from what the file system
says before the journal is read: inode, size, modification and change time (in ns) and a
hash of the last 64 KiB, where appends and most edits land. Change time cannot be set
back by a program, so even an edit that keeps size and modification time is seen. A
journal changed within two seconds of being cached (when coarse file-system clocks could
hide a second change) is hashed whole on every use. Anything in doubt means rebuild:
a changed journal is read again (only that one), and an unreadable, damaged or foreign
cache file is ignored and replaced. Journals in the middle of an unfinished batch
(``maatwerk.pending``) are never cached.

Set ``MAATWERK_NO_CACHE=1`` to read the journals every time, ``MAATWERK_CACHE_DIR`` to
keep the cache somewhere else. Deleting the cache folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import Problem

if TYPE_CHECKING:
    import pandas as pd

    from ..ledger import Ledger

    Loader = Callable[[Ledger, Sequence[str] | None], tuple[pd.DataFrame, tuple[Problem, ...]]]

#: Bump when the cached data changes shape; older cache files are then ignored.
FORMAT = 1
TAIL = 64 * 1024
#: A journal changed this recently when it was cached is hashed whole on every use.
RACY_NS = 2_000_000_000
#: Cache files kept; the least recently used go first.
KEEP_FILES = 32
_MAGIC = b"maatwerk-frame-cache\n"


@dataclass(frozen=True, slots=True)
class Stamp:
    """What the file system says about a journal, taken before it is read.

    ino, dev, size, mtime_ns, ctime_ns: from ``stat``; tail: hash of the last 64 KiB;
    whole: hash of the whole file when it was changed just before caching, else "".
    A journal that does not exist has the stamp ``MISSING``.
    """

    ino: int
    dev: int
    size: int
    mtime_ns: int
    ctime_ns: int
    tail: str
    whole: str = ""


MISSING = Stamp(0, 0, -1, 0, 0, "")


@dataclass(frozen=True, slots=True)
class _Team:
    """One journal's part of the cached frame: rows start..stop, its stamp, its problems."""

    start: int
    stop: int
    stamp: Stamp
    problems: tuple[tuple[int, str], ...]


def enabled() -> bool:
    return os.environ.get("MAATWERK_NO_CACHE", "").strip().lower() not in ("1", "true", "yes", "on")


def cache_dir() -> Path:
    given = os.environ.get("MAATWERK_CACHE_DIR")
    if given:
        return Path(given)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("maatwerk", appauthor=False)) / "frames"


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def stamp(path: Path, now_ns: int | None = None) -> Stamp:
    """The stamp of a journal as it is now (``MISSING`` when there is none).

    ``now_ns``: the moment of caching, to decide whether the journal changed so recently
    that it must be hashed whole; None leaves the whole-file hash out.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return MISSING
    try:
        st = os.fstat(fd)
        start = max(0, st.st_size - TAIL)
        os.lseek(fd, start, os.SEEK_SET)
        tail = _read_all(fd, st.st_size - start)
        whole = ""
        if now_ns is not None and now_ns - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
            os.lseek(fd, 0, os.SEEK_SET)
            whole = _hash(_read_all(fd, st.st_size))
    finally:
        os.close(fd)
    return Stamp(st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns, _hash(tail), whole)


def _read_all(fd: int, size: int) -> bytes:
    parts = []
    while size > 0:
        chunk = os.read(fd, min(size, 1 << 24))
        if not chunk:
            break
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts)


def still_valid(path: Path, old: Stamp) -> bool:
    """Whether a journal is byte for byte what it was when ``old`` was taken."""
    now = stamp(path)  # the whole file is hashed below, and only if the old stamp was
    if now == MISSING or old == MISSING:
        return now == old
    same = (now.ino, now.dev, now.size, now.mtime_ns, now.ctime_ns, now.tail) == (
        old.ino, old.dev, old.size, old.mtime_ns, old.ctime_ns, old.tail)
    if same and old.whole:
        with open(path, "rb") as fh:
            same = _hash(fh.read()) == old.whole
    return same


def cache_file(root: Path) -> Path:
    key = _hash(f"{FORMAT}\0{root.resolve()}".encode())
    return cache_dir() / f"{key}.pkl"


def _versions() -> tuple[str, ...]:
    import numpy as np
    import pandas as pd

    from .. import __version__

    return (str(FORMAT), __version__, pd.__version__, np.__version__, sys.version.split()[0])


def _load(path: Path, root: Path) -> tuple[dict[str, _Team], pd.DataFrame | None]:
    """The cached teams and frame; nothing when the file is missing, damaged or foreign."""
    try:
        with open(path, "rb") as fh:
            if fh.read(len(_MAGIC)) != _MAGIC:
                return {}, None
            head = pickle.load(fh)
            if head != (_versions(), str(root.resolve())):
                return {}, None
            teams = pickle.load(fh)
            frame = pickle.load(fh)
        if not isinstance(teams, dict) or not all(isinstance(t, _Team) for t in teams.values()):
            return {}, None
        if sum(t.stop - t.start for t in teams.values()) != len(frame):
            return {}, None
        return teams, frame
    except Exception:  # a damaged cache is only a slower start: read the journals again
        return {}, None


def _store(path: Path, root: Path, teams: dict[str, _Team], frame: pd.DataFrame) -> None:
    """Write the cache file atomically; a cache that cannot be written is simply skipped."""
    write_cache_file(path, _MAGIC, [(_versions(), str(root.resolve())), teams, frame])


def write_cache_file(path: Path, magic: bytes, parts: Sequence[object]) -> None:
    """``magic`` and the pickled ``parts`` as ``path``, atomically (temp file, rename), then
    evict old files. A cache that cannot be written is simply skipped: it is only speed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(tmp, "wb") as fh:
            fh.write(magic)
            for part in parts:
                pickle.dump(part, fh, protocol=5)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    _evict(path.parent, keep=path)


def _evict(folder: Path, keep: Path) -> None:
    """Keep the cache folder small: drop the least recently used files beyond KEEP_FILES."""
    with contextlib.suppress(OSError):
        files = sorted(folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in files[KEEP_FILES:]:
            if old != keep:
                old.unlink(missing_ok=True)


def cached_frame(
    ledger: Ledger, teams: Sequence[str] | None, load: Loader
) -> tuple[pd.DataFrame, tuple[Problem, ...]]:
    """``load(ledger, teams)``, served from the cache for every journal that is unchanged."""
    if not enabled():
        return load(ledger, teams)
    _ = ledger.settings  # the same errors, in the same order, as the loader gives
    folder = ledger.folder
    slugs = list(dict.fromkeys(teams)) if teams else folder.team_slugs()
    for slug in slugs:
        folder.require_team(slug)
    if folder.pending_sizes() or not slugs:
        return load(ledger, teams)  # an unfinished batch: the truth is being written
    root = folder.root
    path = cache_file(root)
    stored, frame = _load(path, root)
    wanted = slugs
    fresh_stamps = {}
    stale: list[str] = []
    for slug in slugs:
        team = stored.get(slug)
        if team is None or not still_valid(folder.journal_path(slug), team.stamp):
            stale.append(slug)
    if not stale and frame is not None:
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by the eviction
        if list(stored)[: len(wanted)] == wanted:
            return _prefix(frame, stored, wanted), _problems(folder, stored, wanted)
        # Another choice of teams, all cached: served without rewriting the cache.
        part = _concat([frame.iloc[stored[s].start:stored[s].stop] for s in wanted], wanted, frame)
        return part, _problems(folder, stored, wanted)

    # Stamps first, then read: a journal that changes while it is read gets a stamp that
    # no longer matches, so it is read again next time.
    now = time.time_ns()
    for slug in stale:
        fresh_stamps[slug] = stamp(folder.journal_path(slug), now)
    new_frame, new_problems = load(ledger, stale) if stale else (None, ())
    fresh = _split(new_frame, stale) if new_frame is not None else {}
    by_file = {folder.display(folder.journal_path(s)): s for s in stale}
    problems: dict[str, list[tuple[int, str]]] = {s: [] for s in stale}
    for p in new_problems:
        if p.file not in by_file:  # not about a journal: do not cache what we cannot place
            return load(ledger, teams)
        problems[by_file[p.file]].append((p.line, p.message))

    # The new cache: the wanted teams first, in order, then the other valid cached ones.
    order = wanted + [s for s in stored if s not in wanted and s not in stale]
    pieces: list[pd.DataFrame] = []
    teams_out: dict[str, _Team] = {}
    at = 0
    for slug in order:
        if slug in fresh:
            piece = fresh[slug]
            entry_stamp, entry_problems = fresh_stamps[slug], tuple(problems[slug])
        else:
            old = stored[slug]
            assert frame is not None
            piece = frame.iloc[old.start:old.stop]
            entry_stamp, entry_problems = old.stamp, old.problems
        pieces.append(piece)
        teams_out[slug] = _Team(at, at + len(piece), entry_stamp, entry_problems)
        at += len(piece)
    combined = _concat(pieces, order, new_frame if new_frame is not None else frame)
    _store(path, root, teams_out, combined)
    return _prefix(combined, teams_out, wanted), _problems(folder, teams_out, wanted)


def _split(frame: pd.DataFrame, slugs: list[str]) -> dict[str, pd.DataFrame]:
    """A loaded frame cut into its teams (rows of a team are together, in team order)."""
    import numpy as np

    codes = frame["team"].cat.codes.to_numpy()
    order = {name: i for i, name in enumerate(frame["team"].cat.categories)}
    out = {}
    for slug in slugs:
        rows = np.flatnonzero(codes == order[slug]) if slug in order else np.array([], dtype=int)
        start = int(rows[0]) if len(rows) else 0
        out[slug] = frame.iloc[start:start + len(rows)]
    return out


def _concat(pieces: list[pd.DataFrame], order: list[str], like: pd.DataFrame | None) -> pd.DataFrame:
    """One piece per team of ``order`` into one frame with the loader's dtypes (categories merged)."""
    import numpy as np
    import pandas as pd
    from pandas.api.types import union_categoricals

    counts = [len(p) for p in pieces]
    # A team without lines adds nothing, and its empty columns may have other dtypes.
    filled = [p for p in pieces if len(p)] or pieces[:1]
    combined = pd.concat(filled, ignore_index=True) if len(filled) > 1 else filled[0].reset_index(drop=True)
    columns = {}
    for name in filled[0].columns:
        if name == "team":
            continue
        if isinstance(filled[0][name].dtype, pd.CategoricalDtype):
            # As the loader gives them: the sorted values that occur, no others.
            merged = union_categoricals([p[name].array for p in filled], sort_categories=True)
            columns[name] = merged.remove_unused_categories()
    if columns:
        combined = combined.assign(**columns)
    team = pd.Categorical.from_codes(np.repeat(np.arange(len(order)), counts), categories=order)
    combined = combined.assign(team=team)
    if like is not None:
        combined = combined[list(like.columns)]
    return combined


def _prefix(frame: pd.DataFrame, teams: dict[str, _Team], wanted: list[str]) -> pd.DataFrame:
    """The rows of the wanted teams (the first ones in the cache), as the loader gives them."""
    import pandas as pd

    stop = teams[wanted[-1]].stop
    if stop == len(frame) and list(frame["team"].cat.categories) == wanted:
        return frame
    part = frame.iloc[:stop].reset_index(drop=True)
    # The wanted teams are the first categories, so the codes stay as they are.
    columns = {"team": part["team"].cat.set_categories(wanted)}
    for name in part.columns:
        if name != "team" and isinstance(part[name].dtype, pd.CategoricalDtype):
            columns[name] = part[name].cat.remove_unused_categories()
    return part.assign(**columns)


def _problems(folder: Any, teams: dict[str, _Team], wanted: list[str]) -> tuple[Problem, ...]:
    out: list[Problem] = []
    for slug in wanted:
        name = folder.display(folder.journal_path(slug))
        out.extend(Problem(name, line, message) for line, message in teams[slug].problems)
    return tuple(out)


def clear() -> int:
    """Delete every cache file; returns how many there were."""
    count = 0
    with contextlib.suppress(OSError):
        for path in cache_dir().glob("*.pkl"):
            path.unlink(missing_ok=True)
            count += 1
    return count
