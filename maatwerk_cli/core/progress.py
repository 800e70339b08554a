"""Progress of long work, told to whoever wants to show it.

The library never draws anything: code that may take long (reading big journals, an
import of a big sheet or statement) calls :func:`advance`, which does nothing unless a
caller (the command line, on a terminal) has set a listener with :func:`listening`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

#: A listener: called with what is being done, how much is done, and of how much in all
#: (0 when that is not known yet).
Listener = Callable[[str, int, int], None]

_listener: ContextVar[Listener | None] = ContextVar("maatwerk_progress", default=None)


@contextlib.contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Tell ``listener`` of the progress of the work done inside the ``with`` block."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def advance(what: str, done: int, total: int) -> None:
    """``done`` of ``total`` units of ``what`` are done (``total`` 0: not known yet); cheap
    when nobody listens."""
    listener = _listener.get()
    if listener is not None:
        listener(what, done, total)
