"""Receipt files (*bonnen*) in the ledger folder: ``bonnen/<team>/<name>``.

A receipt is written whole (:func:`~maatwerk_cli.store.atomic.write_atomic`) before the
journal line that records it, and removed again when that line is not written: a crash
in between leaves a file no line records, which ``maatwerk check`` lists as unlinked,
never a line without its file. The names and the rules are :mod:`maatwerk_cli.core.receipts`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import LedgerError
from ..core.messages import msg
from ..core.receipts import RECEIPTS_DIR
from .atomic import fsync_dir, write_atomic

if TYPE_CHECKING:
    from .folder import LedgerFolder


def folder_of(folder: LedgerFolder, team: str) -> Path:
    """The folder of a team's receipts."""
    return folder.root / RECEIPTS_DIR / team


def path_of(folder: LedgerFolder, team: str, name: str) -> Path:
    """A receipt file's path."""
    return folder_of(folder, team) / name


def _refuse_links(folder: LedgerFolder, team: str) -> None:
    """A receipt stays inside the ledger folder: a link on its way is refused."""
    for path in (folder.root / RECEIPTS_DIR, folder_of(folder, team)):
        if path.is_symlink():
            from .folder import LINK_FIX

            raise LedgerError(msg("ledger.link", path=folder.display(path), fix=LINK_FIX))


def put(folder: LedgerFolder, team: str, name: str, data: bytes) -> Path | None:
    """Write a receipt file, whole; the path written, or None when that file is there
    already with these bytes (it is then left alone, and not the caller's to remove)."""
    _refuse_links(folder, team)
    path = path_of(folder, team, name)
    if path.is_file() and not path.is_symlink() and sha256_of(path) == hashlib.sha256(data).hexdigest():
        return None
    made = not folder_of(folder, team).is_dir()
    folder_of(folder, team).mkdir(parents=True, exist_ok=True)
    if made:
        fsync_dir(folder.root / RECEIPTS_DIR)
        fsync_dir(folder.root)
    write_atomic(path, data, shown=folder.display(path))
    return path


def discard(path: Path | None) -> None:
    """Take back a receipt file written for a line that was not written after all."""
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.unlink()
        fsync_dir(path.parent)


def remove(folder: LedgerFolder, paths: list[Path]) -> None:
    """Remove receipt files (past the retention period), durably; a file gone already is fine."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    for parent in sorted({p.parent for p in paths}):
        with contextlib.suppress(OSError):
            fsync_dir(parent)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex), read in pieces."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for piece in iter(lambda: fh.read(1 << 20), b""):
            digest.update(piece)
    return digest.hexdigest()


def stored(folder: LedgerFolder) -> dict[tuple[str, str], Path]:
    """Every file in the receipts folder, by (team folder, file name); a file straight in
    ``bonnen/`` has team folder ``""``."""
    root = folder.root / RECEIPTS_DIR
    out: dict[tuple[str, str], Path] = {}
    if not root.is_dir() or root.is_symlink():
        return out
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.is_dir(follow_symlinks=False):
            for inner in sorted(os.scandir(entry.path), key=lambda e: e.name):
                out[(entry.name, inner.name)] = Path(inner.path)
        else:
            out[("", entry.name)] = Path(entry.path)
    return out
