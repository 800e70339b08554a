"""Journals read and folded: the one path from the files to every view of a ledger.

:func:`read_many` reads the journals it is given with the one reader
(:func:`~maatwerk_cli.store.journal.parse_journals`, all at once), folds each with the one
fold (:func:`~maatwerk_cli.core.fold.fold`), and keeps the result in the one cache
(:mod:`~maatwerk_cli.store.cache`); a journal that is unchanged since is served from there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..core.errors import Problem
from ..core.progress import advance
from .folded import Folded

__all__ = ["Books", "Folded", "Wanted", "read_many"]


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


def read_many(wanted: Sequence[Wanted], *, use_cache: bool) -> list[Folded]:
    """Each wanted journal, read and folded (from the cache where it is still true), in the
    order given: journals of several ledger folders at once too (their team slugs may
    repeat), one read for all of them, however many folders."""
    from . import cache

    out: list[Folded | None] = [None] * len(wanted)
    misses: list[tuple[int, cache.Stamp | None]] = []
    now = cache.now_ns()
    for k, w in enumerate(wanted):
        if use_cache and w.cut is None and not w.new_in_batch:
            hit = cache.load(w.path)
            if hit is not None:
                out[k] = _relabel(hit[1], w.file)
                continue
        # Stamps before reading: a journal that changes while it is read is read again next
        # time, and a view that needs the text later reads it from the same file, checked.
        misses.append((k, cache.stamp(w.path, now) if not w.new_in_batch else None))
    if misses:
        fresh = _read([wanted[k] for k, _ in misses])
        for (k, st), folded in zip(misses, fresh, strict=True):
            out[k] = folded
            if st is None:
                continue
            w = wanted[k]
            # The journals' bytes are not kept in memory: the figures need none of them.
            folded.book.lines.source.set_loader(cache.reader_of(w.path, st, folded.size))
            if st.size == folded.size and w.cut is None and use_cache:
                cache.store(w.path, st, folded)
    return [f for f in out if f is not None]


def _relabel(folded: Folded, file: str) -> Folded:
    if folded.file == file:
        return folded
    problems = tuple(Problem(file, p.line, p.msg or p.message) for p in folded.problems)
    return Folded(folded.team, file, folded.book, problems, folded.size, folded.max_seq)


#: Journals are read together in groups of about this many bytes: few enough passes for
#: four hundred small journals, and never the whole of a big ledger in memory at once.
GROUP_BYTES = 32 * 1024 * 1024


def _read(wanted: Sequence[Wanted]) -> list[Folded]:
    """The journals, read a group at a time into one buffer each (no copy per file), parsed
    in one pass per group, and folded."""
    import os

    sizes: list[int] = []
    for w in wanted:
        try:
            size = 0 if w.new_in_batch else os.stat(w.path).st_size
        except (FileNotFoundError, NotADirectoryError):
            size = 0
        sizes.append(size if w.cut is None else min(size, w.cut))
    groups: list[list[Wanted]] = [[]]
    total = 0
    for w, size in zip(wanted, sizes, strict=True):
        if groups[-1] and total + size > GROUP_BYTES:
            groups.append([])
            total = 0
        groups[-1].append(w)
        total += size
    if len(groups) > 1 and _can_fork():
        return _read_in_two(groups)
    out: list[Folded] = []
    for n, group in enumerate(groups):
        out.extend(_read_group(group))
        if len(groups) > 1:
            advance(READING, n + 1, len(groups))
    return out


#: What :func:`~maatwerk_cli.core.progress.advance` says while big journals are read.
READING = "reading the journals"


def _can_fork() -> bool:
    """Whether a second process may read half the groups: on a POSIX machine with more than
    one core, from a process without other threads (forking those is not safe)."""
    import os
    import sys
    import threading

    if sys.platform == "win32" or not hasattr(os, "fork") or os.environ.get("MAATWERK_ONE_PROCESS"):
        return False  # Windows has no fork: one process reads every journal
    if sys.platform == "linux":
        try:
            cores = len(os.sched_getaffinity(0))
        except OSError:
            cores = os.cpu_count() or 1
    else:  # macOS and the BSDs have no affinity call
        cores = os.cpu_count() or 1
    return cores > 1 and threading.active_count() == 1


def _read_in_two(groups: list[list[Wanted]]) -> list[Folded]:
    """The groups read by two processes at once: a child reads every other group and hands
    its folds back through a pipe (arrays as raw bytes), this process reads the rest."""
    import os
    import pickle
    import sys

    if sys.platform == "win32":  # pragma: no cover - never asked for there (_can_fork)
        return [f for g in groups for f in _read_group(g)]
    theirs = groups[1::2]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read, send, and leave without running anything else
        code = 0
        try:
            os.close(read_end)
            try:
                payload: object = [_read_group(g) for g in theirs]
            except BaseException as exc:  # noqa: BLE001 - handed to the parent to raise
                payload = exc
            buffers: list[pickle.PickleBuffer] = []
            body = pickle.dumps(payload, protocol=5, buffer_callback=buffers.append)
            raws = [b.raw() for b in buffers]
            head = pickle.dumps((len(body), [r.nbytes for r in raws]))
            with os.fdopen(write_end, "wb") as pipe_out:
                pipe_out.write(len(head).to_bytes(8, "little"))
                pipe_out.write(head)
                pipe_out.write(body)
                for raw in raws:
                    pipe_out.write(raw)
        except BaseException:  # noqa: BLE001 - the parent sees a short pipe and reads alone
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        ours = groups[0::2]
        mine = []
        for n, g in enumerate(ours):  # the child reads as fast: this half's pace is the whole's
            mine.append(_read_group(g))
            advance(READING, n + 1, len(ours) + 1)
        with os.fdopen(read_end, "rb") as pipe:
            size = int.from_bytes(pipe.read(8), "little")
            body_len, lengths = pickle.loads(pipe.read(size)) if size else (0, [])
            body = pipe.read(body_len)
            received = [pipe.read(n) for n in lengths]
        got = pickle.loads(body, buffers=received) if size else None
    finally:
        os.waitpid(pid, 0)
    if isinstance(got, BaseException):
        raise got
    if not isinstance(got, list) or len(got) != len(theirs):
        got = [_read_group(g) for g in theirs]  # the child failed: read its part here
    advance(READING, len(ours) + 1, len(ours) + 1)
    out: list[Folded] = []
    for i in range(len(groups)):
        out.extend(mine[i // 2] if i % 2 == 0 else got[i // 2])
    return out


def _settled_size(fh: BinaryIO) -> int:
    """The journal's size once a line being appended right now is whole.

    Readers take no lock. The kernel may show a writer's line before all of it is copied
    in (its size grows a page at a time), so an end without a newline is looked at again
    for a few milliseconds: a writer that is busy finishes its line by then, while the
    torn end a crashed writer left stays as it is and is reported as torn.
    """
    import os
    import time

    size = os.fstat(fh.fileno()).st_size
    for _ in range(SETTLE_TRIES):
        if size == 0:
            break
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            break
        time.sleep(SETTLE_WAIT)
        size = os.fstat(fh.fileno()).st_size
    fh.seek(0)
    return size


#: How often, and how long apart, an end without a newline is looked at again.
SETTLE_TRIES = 10
SETTLE_WAIT = 0.002


def _read_group(wanted: Sequence[Wanted]) -> list[Folded]:
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
                size = _settled_size(fh)
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
