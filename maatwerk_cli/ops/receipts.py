"""Receipts (*bonnen*): a file given with a spend or a correction, checked and kept.

A receipt must be a PDF or an image (PNG, JPEG, HEIC: read from its first bytes, never
its name) and at most ``receipt_max_mb`` megabytes (maatwerk.toml, default 10). It is
stored in the ledger folder (:mod:`maatwerk_cli.store.receipts`) and its SHA-256 recorded
on the line; ``check`` finds a receipt gone or changed, and a file no line records.

``receipt_required_above`` (maatwerk.toml, an amount) makes the spends above it without a
receipt a finding of ``check``, counted per team.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import InputError, LedgerError, Problem
from ..core.messages import msg
from ..core.receipts import DEFAULT_MAX_MB, RECEIPTS_DIR, TYPES, Receipt, kind_of

if TYPE_CHECKING:
    from ..core.fold import Book
    from ..store.folder import LedgerFolder

MAX_KEY = "receipt_max_mb"
REQUIRED_KEY = "receipt_required_above"


@dataclass(frozen=True, slots=True)
class Loaded:
    """A receipt file read and found good: its bytes, type and SHA-256."""

    data: bytes
    type: str
    sha256: str

    def receipt(self, entry_id: str) -> Receipt:
        return Receipt(entry_id, self.sha256, self.type, len(self.data))


def max_bytes(folder: LedgerFolder) -> int:
    """The largest receipt in bytes (``receipt_max_mb``); a LedgerError when it is not a
    number above zero."""
    value = folder.settings.raw.get(MAX_KEY, DEFAULT_MAX_MB)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1024:
        raise LedgerError(msg("receipt.max_mb", where=folder.display(folder.settings_path), key=MAX_KEY))
    return int(Decimal(str(value)) * 1024 * 1024)


def required_above(folder: LedgerFolder) -> Decimal | None:
    """``receipt_required_above`` as an amount (None when not set); a LedgerError when it is
    not one."""
    from ..core.money import parse_amount

    value = folder.settings.raw.get(REQUIRED_KEY)
    if value is None or value is False:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        amount = Decimal(str(value)) if isinstance(value, int | float) else parse_amount(str(value))
        if not amount.is_finite() or amount < 0:
            raise ValueError
    except (ValueError, ArithmeticError, InputError):
        raise LedgerError(msg("receipt.required_above", where=folder.display(folder.settings_path),
                              key=REQUIRED_KEY)) from None
    return amount


def load(folder: LedgerFolder, given: str | os.PathLike[str]) -> Loaded:
    """Read the file given as a receipt; refused (InputError) when it is not there, empty,
    larger than the limit, or not a PDF or an image."""
    path = Path(given)
    shown = str(given)
    limit = max_bytes(folder)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InputError(msg("receipt.not_a_file", path=shown))
    except FileNotFoundError:
        raise InputError(msg("receipt.not_found", path=shown)) from None
    except OSError as exc:
        raise InputError(msg("receipt.unreadable", path=shown, error=exc.strerror or str(exc))) from None
    if size == 0:
        raise InputError(msg("receipt.empty", path=shown))
    if size > limit:
        raise InputError(msg("receipt.too_large", path=shown, size=_mb(size), limit=_mb(limit), key=MAX_KEY))
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(msg("receipt.unreadable", path=shown, error=exc.strerror or str(exc))) from None
    if len(data) > limit:  # grew while we looked
        raise InputError(msg("receipt.too_large", path=shown, size=_mb(len(data)), limit=_mb(limit), key=MAX_KEY))
    kind = kind_of(data[:16])
    if kind is None:
        raise InputError(msg("receipt.wrong_type", path=shown, types=list(TYPES)))
    return Loaded(data, kind, hashlib.sha256(data).hexdigest())


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def check_receipts(folder: LedgerFolder, books: Mapping[str, Book], files: Mapping[str, str]) -> list[Problem]:
    """A receipt a line records that is gone or changed (per line), and a file in the
    receipts folder that no line records (``files``: each team's journal as named)."""
    from ..core.receipts import receipt_of
    from ..store.receipts import path_of, sha256_of, stored

    out: list[Problem] = []
    on_disk = stored(folder)
    linked: set[tuple[str, str]] = set()
    for slug, book in books.items():
        for i, _, receipt in book.receipt_lines():
            row = book.rows([i])[0]
            if receipt is None:
                value = row.extra.get("receipt")
                if receipt_of(row.id, value) is None:
                    out.append(Problem(files[slug], row.line, str(msg(
                        "check.line", id=row.id, message=msg("check.receipt_not_recorded")))))
                continue
            linked.add((slug, receipt.name))
            path = path_of(folder, slug, receipt.name)
            shown = folder.display(path)
            if (slug, receipt.name) not in on_disk or not path.is_file():
                out.append(Problem(files[slug], row.line, str(msg(
                    "check.line", id=row.id, message=msg("check.receipt_missing", file=shown)))))
            elif sha256_of(path) != receipt.sha256:
                out.append(Problem(files[slug], row.line, str(msg(
                    "check.line", id=row.id, message=msg("check.receipt_changed", file=shown)))))
    for key, path in on_disk.items():
        if key not in linked:
            out.append(Problem(folder.display(path), 0, str(msg("check.receipt_unlinked", folder=RECEIPTS_DIR))))
    return out


@dataclass(frozen=True, slots=True)
class Without:
    """Spends not voided without a receipt, for one team: how many (and their money), and
    of those how many above ``receipt_required_above`` (0 when it is not set)."""

    team: str
    count: int
    amount: Decimal
    above: int


def without_receipts(books: Mapping[str, Book], above: Decimal | None) -> list[Without]:
    """Per team: the spends not voided that have no receipt."""
    import numpy as np

    out = []
    for slug, book in books.items():
        has = np.zeros(len(book), dtype=bool)
        for e in book.receipts():
            has[e] = True
        lacking = ~book.voided & ~has
        cents = book.amounts()[lacking]
        over = int((cents > int(above * 100)).sum()) if above is not None else 0
        out.append(Without(slug, int(lacking.sum()), Decimal(int(cents.sum())).scaleb(-2), over))
    return out


def check_required(folder: LedgerFolder, books: Mapping[str, Book], files: Mapping[str, str]) -> list[Problem]:
    """With ``receipt_required_above`` set: per team, the spends above it without a receipt."""
    try:
        above = required_above(folder)
    except LedgerError as exc:
        return [Problem(folder.display(folder.settings_path), 0, str(exc))]
    if above is None:
        return []
    return [Problem(files[w.team], 0, str(msg("check.receipts_lacking", count=w.above, amount=above,
                                                key=REQUIRED_KEY)))
            for w in without_receipts(books, above) if w.above]


def receipt_paths(folder: LedgerFolder, team: str, receipts: Sequence[Receipt]) -> list[Path]:
    """The files of these receipts."""
    from ..store.receipts import path_of

    return [path_of(folder, team, r.name) for r in receipts]


def append_with_receipts(folder: LedgerFolder, per_team: Mapping[str, Sequence[Mapping[str, str]]],
                         receipts: Mapping[tuple[str, int], Loaded]) -> list[str]:
    """Append spends of several teams in one batch (all or none), with the receipts of some
    of them (by team and place in its lines): each team's files are written, named by the
    ids their lines get, just before its lines; when the batch fails they are taken back."""
    from ..store import receipts as files

    if not receipts:
        return folder.append_batches(per_team)
    kept: list[Path | None] = []

    def store(team: str, ids: list[str]) -> None:
        for (slug, at), loaded in receipts.items():
            if slug == team:
                kept.append(files.put(folder, slug, loaded.receipt(ids[at]).name, loaded.data))

    try:
        return folder.append_batches(per_team, before=store)
    except BaseException:
        for path in kept:
            files.discard(path)
        raise
