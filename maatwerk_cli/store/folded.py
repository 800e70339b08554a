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
