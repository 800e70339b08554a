"""The ``maatwerk`` command line: thin wrappers around the library, and the only layer that
imports typer.

A command reads the user's text into values (or a request object), asks
:class:`~maatwerk_cli.ledger.Ledger` (or a documented library function, such as the reports
of :mod:`maatwerk_cli.analysis.reports`) to do the work, and hands what comes back to
:mod:`maatwerk_cli.render` to print or write. It may import ``core``, ``formats``,
``analysis``, ``ledger`` and ``render``, never ``ops`` or ``store`` (``tests/test_layers.py``).

Each module registers its commands on the one Typer app when imported here.
"""

from __future__ import annotations

from . import (
    cash,  # noqa: F401  (registers commands)
    clerk,  # noqa: F401  (registers commands)
    export,  # noqa: F401  (registers commands)
    report,  # noqa: F401  (registers commands)
    reports,  # noqa: F401  (registers commands)
    rules,  # noqa: F401  (registers commands)
)
from .app import app, main, run

__all__ = ["app", "main", "run"]
