"""A progress bar on the terminal for work that takes a while (rich, on stderr).

It appears only once a command has run for half a second and only when stderr is a
terminal, so quick commands and piped output never show one, and it costs a quick command
nothing but a clock reading: rich's progress module is imported when the bar appears.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

from ..core.messages import N_, tr
from ..core.progress import listening

#: What the library says it is doing (the ``what`` of ``advance``), marked here for the catalogue:
#: the bar shows it in the run's language (store/books.py, ops/importer.py, ops/bank.py).
LABELS = (N_("reading the journals"), N_("checking rows"), N_("reading the sheet"), N_("importing the statement"))

#: Work that finishes sooner than this (seconds) shows no bar; MAATWERK_PROGRESS_AFTER sets it.
DELAY = 0.5


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get("MAATWERK_PROGRESS_AFTER", DELAY)))
    except ValueError:
        return DELAY


class TerminalBar:
    """Listens to :func:`~maatwerk_cli.core.progress.advance` and draws a bar per kind of work."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.delay = _delay()
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, what: str, done: int, total: int) -> None:
        if self.bar is None:
            if (total and done >= total) or time.monotonic() - self.started < self.delay:
                return
            from rich.console import Console
            from rich.progress import Progress

            # Output stays where it belongs: stdout is not drawn through the bar.
            self.bar = Progress(console=Console(stderr=True), transient=True,
                                redirect_stdout=False, redirect_stderr=False)
            self.bar.start()
        task = self.tasks.get(what)
        if task is None:
            task = self.tasks[what] = self.bar.add_task(tr(what), total=total or None)
        self.bar.update(task, completed=done, total=total or None)
        if total and done >= total:  # this work is done: clear the bar before anything is printed
            self.tasks.pop(what)
            if not self.tasks:
                self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def wanted() -> bool:
    """A bar only for a person at a terminal (not piped, not in CI logs, not asked away)."""
    if os.environ.get("MAATWERK_NO_PROGRESS") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def progress_bar(force: bool = False) -> Iterator[TerminalBar | None]:
    """Show long work's progress while the block runs (where :func:`wanted`, or ``force``)."""
    if not (force or wanted()):
        yield None
        return
    bar = TerminalBar()
    try:
        with listening(bar):
            yield bar
    finally:
        bar.close()
