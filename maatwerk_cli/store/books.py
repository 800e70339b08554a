"""Journals read and folded: the one path from the files to every view of a ledger.

:func:`read_books` reads the journals it is given with the one reader
(:func:`~maatwerk_cli.store.journal.parse_journals`, all at once), folds each with the one
fold (:func:`~maatwerk_cli.core.fold.fold`), and keeps the result in the one cache
(:mod:`~maatwerk_cli.store.cache`); a journal that is unchanged since is served from there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Problem
from .folded import Folded

__all__ = ["Books", "Folded", "Wanted", "read_books"]


@dataclass(frozen=True, slots=True)
class Books(Mapping[str, Folded]):
    """The folded journals of some teams, in the order asked for.

    folded: by team; notes: problems that belong to no one journal (a stale batch marker).
    """

    folded: dict[str, Folded]
    notes: tuple[Problem, ...] = ()

    def __getitem__(self, team: str) -> Folded:
        return self.folded[team]

    def __iter__(self) -> Iterator[str]:
        return iter(self.folded)

    def __len__(self) -> int:
        return len(self.folded)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem: the notes, then each journal's lines set aside, in team order."""
        return (*self.notes, *(p for f in self.folded.values() for p in f.problems))


@dataclass(frozen=True, slots=True)
class Wanted:
    """A journal to read: team, path, how users see the path, and the cut of an
    unfinished batch (read only the bytes before it; None: the whole file)."""

    team: str
    path: Path
    file: str
    cut: int | None = None
    new_in_batch: bool = False


def read_books(wanted: Sequence[Wanted], *, use_cache: bool) -> dict[str, Folded]:
    """Each wanted journal, read and folded (from the cache where it is still true)."""
    from . import cache

    out: dict[str, Folded] = {}
    misses: list[tuple[Wanted, cache.Stamp | None]] = []
    now = cache.now_ns()
    for w in wanted:
        cacheable = use_cache and w.cut is None and not w.new_in_batch
        if cacheable:
            hit = cache.load(w.path)
            if hit is not None:
                out[w.team] = _relabel(hit[1], w.file)
                continue
        # Stamps before reading: a journal that changes while it is read is read again next time.
        misses.append((w, cache.stamp(w.path, now) if cacheable else None))
    if misses:
        fresh = _read([w for w, _ in misses])
        for (w, st), folded in zip(misses, fresh, strict=True):
            out[w.team] = folded
            if st is not None and st.size == folded.size:
                cache.store(w.path, st, folded)
    return {w.team: out[w.team] for w in wanted}


def _relabel(folded: Folded, file: str) -> Folded:
    if folded.file == file:
        return folded
    problems = tuple(Problem(file, p.line, p.message) for p in folded.problems)
    return Folded(folded.team, file, folded.book, problems, folded.size, folded.max_seq)


def _read(wanted: Sequence[Wanted]) -> list[Folded]:
    """The journals read into one buffer (no copy per file) and parsed in one pass."""
    import os

    from ..core.fold import fold
    from .journal import Given, parse_buffer

    given: list[Given] = []
    sizes: list[int] = []
    handles = []
    for w in wanted:
        size = 0
        fh = None
        if not w.new_in_batch:
            try:
                fh = open(w.path, "rb")  # noqa: SIM115 - closed below
                size = os.fstat(fh.fileno()).st_size
                if w.cut is not None:
                    size = min(size, w.cut)
            except (FileNotFoundError, NotADirectoryError):
                fh = None
        given.append(Given(b"", w.team, w.file, missing=fh is None))
        sizes.append(size)
        handles.append(fh)
    big = bytearray(sum(sizes))
    view = memoryview(big)
    spans = []
    at = 0
    try:
        for fh, size in zip(handles, sizes, strict=True):
            got = 0
            while fh is not None and got < size:
                n = fh.readinto(view[at + got : at + size])
                if not n:
                    break  # the file shrank while being read: what is there is read
                got += n
            spans.append((at, at + got))
            at += size
    finally:
        view.release()
        for fh in handles:
            if fh is not None:
                fh.close()
    journals = parse_buffer(big, spans, given)
    return [Folded(j.team, j.file, fold(j.lines), j.problems, j.size, j.max_seq) for j in journals]
