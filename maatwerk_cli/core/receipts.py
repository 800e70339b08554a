"""Receipts (*bonnen*): proof of a spend, a till receipt or an invoice, kept beside the ledger.

Pure rules, no files: what kind of file a receipt is (read from its first bytes, never its
name), how it is named in the ledger folder, and how a journal line records it.

A spend (or a correction of field ``receipt``) records its receipt in its ``extra`` cell
as ``{"receipt": {"sha256": "<64 hex>", "type": "pdf", "size": 1234}}``. The file is
``bonnen/<team>/<entry id>-<first 8 of the hash>.<type>`` in the ledger folder: the name
follows from the line, so the journal holds no path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The key in a line's ``extra`` cell that records a receipt.
RECEIPT = "receipt"
#: The folder in the ledger folder that holds the receipts, one folder per team in it.
RECEIPTS_DIR = "bonnen"
#: The largest receipt in megabytes unless ``receipt_max_mb`` in maatwerk.toml says otherwise.
DEFAULT_MAX_MB = 10
#: The kinds of file taken, as the file names end.
TYPES = ("pdf", "png", "jpg", "heic")

_HEX = re.compile(r"[0-9a-f]{64}")
_HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")


def kind_of(head: bytes) -> str | None:
    """What a file is from its first bytes (at least 16 of them): ``pdf``, ``png``, ``jpg``,
    ``heic``, or None when it is none of these."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return "heic"
    return None


@dataclass(frozen=True, slots=True)
class Receipt:
    """A receipt as a line records it: the entry it proves, its SHA-256 (hex), its type and
    size in bytes."""

    entry: str
    sha256: str
    type: str
    size: int

    @property
    def name(self) -> str:
        """The file's name in the team's receipt folder."""
        return file_name(self.entry, self.sha256, self.type)

    def cell(self) -> dict[str, Any]:
        """What goes under :data:`RECEIPT` in the line's ``extra``."""
        return {"sha256": self.sha256, "type": self.type, "size": self.size}


def file_name(entry_id: str, sha256: str, kind: str) -> str:
    """``noord-2025-0042-1a2b3c4d.pdf``: a receipt's name, from its entry's id and its hash."""
    return f"{entry_id}-{sha256[:8]}.{kind}"


def receipt_of(entry_id: str, value: object) -> Receipt | None:
    """The receipt an ``extra`` cell's :data:`RECEIPT` value records for ``entry_id``; None
    when it records none, or not in the tool's form (``check`` says so)."""
    if not isinstance(value, Mapping):
        return None
    sha, kind, size = value.get("sha256"), value.get("type"), value.get("size", 0)
    if not isinstance(sha, str) or not _HEX.fullmatch(sha) or kind not in TYPES:
        return None
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return None
    return Receipt(entry_id, sha, str(kind), size)
