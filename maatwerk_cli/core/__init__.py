"""The core: what the ledger is, without any file or screen.

Errors, money, dates, text and personal-data guards, names and household codes, the
records (settings, teams, rows, entries), a journal's lines as columns, and the one fold
from lines to entries. Imports nothing else of the package; numpy only in ``lines`` and
``fold`` (never loaded by ``import maatwerk_cli``).
"""
