"""One journal read and folded: the unit the cache keeps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.errors import Problem

if TYPE_CHECKING:
    from ..core.fold import Book


@dataclass(frozen=True, slots=True)
class Folded:
    """One journal read and folded.

    team: its team; file: its path as users see it; book: the fold's result.
    problems: the lines the reader set aside; size: bytes read; max_seq: the highest id
    sequence on any line, damaged and torn ones included.
    """

    team: str
    file: str
    book: Book
    problems: tuple[Problem, ...]
    size: int
    max_seq: int


def fold_bytes(team: str, file: str, data: bytes) -> Folded:
    """One journal's bytes read and folded, as :func:`~maatwerk_cli.store.books.read_many`
    reads and folds a file (the cache's fallback when a cached array fails its checksum)."""
    from ..core.fold import fold
    from .journal import Given, parse_buffer

    [j] = parse_buffer(data, [(0, len(data))], [Given(b"", team, file)])
    return Folded(j.team, j.file, fold(j.lines), j.problems, j.size, j.max_seq)
