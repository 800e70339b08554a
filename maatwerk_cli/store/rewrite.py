"""Whole files replaced together: all of them, or none of them (anonymising, the one rewrite).

Journals and bank files are append-only, with one exception: ``maatwerk anonymise``
replaces the personal text of old lines and so writes every changed file anew. A crash
must leave either every file as it was or every file as it became, never a mix:

1. each new file is written beside its target as ``teams/.<name>.rewrite-<id>.tmp`` and fsynced;
2. the marker ``maatwerk.rewrite`` is written (temporary file, fsync, rename): it names
   every target, its temporary file and the hash of the new bytes. From here on the
   rewrite counts as done;
3. each temporary file is renamed over its target, and the folder fsynced;
4. the receipt files the marker names under ``remove`` (anonymising takes old receipts
   away with their lines) are removed;
5. the marker is removed.

Whoever finds the marker (the next writer, or a reader, each under the folder lock)
finishes steps 3 to 5: roll forward. Before step 2 nothing counts: the temporary files
are left-overs, removed by the next rewrite. A marker that does not fit the files (a new
file neither waiting nor in place) is not trusted: nothing is renamed, ``check`` and
readers report it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.messages import Msg, msg
from ..core.receipts import RECEIPTS_DIR
from .atomic import fsync_dir, rename_into, write_atomic, write_beside

REWRITE_FILE = "maatwerk.rewrite"
FORMAT = 1


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Step:
    """One file of a rewrite: the target (relative to the folder), its temporary file, the new bytes' hash."""

    target: str
    temp: str
    new: str


def _temp_name(target: str, token: str) -> str:
    folder, _, name = target.rpartition("/")
    return f"{folder}/.{name}.rewrite-{token}.tmp" if folder else f".{name}.rewrite-{token}.tmp"


def rewrite_files(root: Path, files: Mapping[str, bytes], remove: Sequence[str] = ()) -> None:
    """Replace the files named (relative to ``root``, with ``/``) by their new bytes, all or
    none (see the module's note); ``remove``: receipt files (``bonnen/<team>/<name>``) that
    go with them, removed once the new files are in place. The caller holds the folder lock."""
    if not files:
        return
    remove_leftovers(root)
    token = secrets.token_hex(8)
    steps = [Step(target, _temp_name(target, token), _hash(data)) for target, data in files.items()]
    written: list[Path] = []
    try:
        for step in steps:
            path = root / step.temp
            write_beside(path, files[step.target])
            written.append(path)
        for folder in {(root / s.target).parent for s in steps}:
            fsync_dir(folder)
        marker: dict[str, object] = {"format": FORMAT, "token": token,
                                     "files": [{"target": s.target, "temp": s.temp, "new": s.new} for s in steps]}
        if remove:
            marker["remove"] = list(remove)
        text = json.dumps(marker, sort_keys=True)
        write_atomic(root / REWRITE_FILE, text)
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    finish(root)


def read_steps(root: Path) -> list[Step] | Msg | None:
    """The marker's steps; None when there is no marker; a message when it cannot be trusted."""
    try:
        data = (root / REWRITE_FILE).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return msg("rewrite.unreadable", error=exc.strerror)
    try:
        loaded = json.loads(data)
    except ValueError:
        return msg("rewrite.damaged")
    if not isinstance(loaded, dict) or loaded.get("format") != FORMAT or not isinstance(loaded.get("files"), list):
        return msg("rewrite.damaged")
    steps: list[Step] = []
    for item in loaded["files"]:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("target", "temp", "new")):
            return msg("rewrite.damaged")
        target, temp = item["target"], item["temp"]
        for name in (target, temp):
            parts = name.split("/")
            if name.startswith("/") or ".." in parts or "\\" in name or len(parts) > 2:
                return msg("rewrite.damaged")
        steps.append(Step(target, temp, item["new"]))
    removes = loaded.get("remove", [])
    if not isinstance(removes, list) or not all(isinstance(r, str) and _a_receipt(r) for r in removes):
        return msg("rewrite.damaged")
    return steps


def _a_receipt(name: str) -> bool:
    """``bonnen/<team>/<file>``, nothing that leads elsewhere."""
    parts = name.split("/")
    return (len(parts) == 3 and parts[0] == RECEIPTS_DIR and "\\" not in name
            and all(p and p not in (".", "..") for p in parts))


def _removes(root: Path) -> list[str]:
    try:
        loaded = json.loads((root / REWRITE_FILE).read_bytes())
    except (OSError, ValueError):
        return []
    found = loaded.get("remove", []) if isinstance(loaded, dict) else []
    return [r for r in found if isinstance(r, str) and _a_receipt(r)] if isinstance(found, list) else []


def _state(root: Path, step: Step) -> str:
    """``waiting`` (the new file is beside its target), ``done`` (it is in place) or ``lost``."""
    with contextlib.suppress(OSError):
        if _hash((root / step.temp).read_bytes()) == step.new:
            return "waiting"
    with contextlib.suppress(OSError):
        if _hash((root / step.target).read_bytes()) == step.new:
            return "done"
    return "lost"


def stale(root: Path) -> Msg | None:
    """Why a marker present cannot be finished (None when there is none, or it can)."""
    steps = read_steps(root)
    if steps is None:
        return None
    if isinstance(steps, Msg):
        return steps
    for step in steps:
        if _state(root, step) == "lost":
            return msg("rewrite.lost", file=step.target)
    return None


def finish(root: Path) -> bool:
    """Roll a rewrite whose marker is there forward (the caller holds the lock): rename each
    waiting file into place, then remove the marker. False when the marker cannot be
    trusted (nothing is then renamed)."""
    steps = read_steps(root)
    if steps is None:
        return True
    if isinstance(steps, Msg):
        return False
    states = [_state(root, step) for step in steps]
    if "lost" in states:
        return False
    for step, state in zip(steps, states, strict=True):
        if state == "waiting":
            rename_into(root / step.temp, root / step.target)
    for folder in {(root / s.target).parent for s in steps}:
        fsync_dir(folder)
    gone = _removes(root)
    for name in gone:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(root / name)
    for folder in {(root / name).parent for name in gone}:
        with contextlib.suppress(OSError):
            fsync_dir(folder)
    (root / REWRITE_FILE).unlink()
    fsync_dir(root)
    return True


def remove_leftovers(root: Path) -> None:
    """Temporary files of a rewrite that died before its marker was written (no marker)."""
    if os.path.lexists(root / REWRITE_FILE):
        return
    for folder in (root, root / "teams"):
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                if entry.name.startswith(".") and ".rewrite-" in entry.name and entry.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
