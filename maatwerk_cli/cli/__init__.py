"""The ``maatwerk`` command line: thin wrappers around the library, and the only layer that
imports typer; it may import every layer below it.

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
