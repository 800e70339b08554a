"""What every operation starts from: the ledger folder it works on, and the team it names."""

from __future__ import annotations

from typing import Any

from ..store.folder import LedgerFolder


def folder_of(ledger: Any) -> LedgerFolder:
    """A Ledger's folder, or the folder itself (the public functions take either)."""
    folder: LedgerFolder = ledger if isinstance(ledger, LedgerFolder) else ledger.folder
    return folder


def team_slug(folder: LedgerFolder, team: str) -> str:
    """The team as named in a command (any case), checked to exist."""
    folder.require()
    slug = team.strip().lower()
    folder.require_team(slug)
    return slug
