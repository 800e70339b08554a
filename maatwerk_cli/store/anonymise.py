"""Personal text taken out of old journal lines and bank lines (``maatwerk anonymise``).

An entry is old when its own date lies before the cut-off; every line of it (the spend,
its events, voids, bank links, corrections, whatever their type) is old with it, decided
by the date of the entry the line refers to, so the lines of one entry are treated
alike. A line that refers to nothing (a withdrawal, a knipkaart use, an explained bank
line) is its own entry.

In an old line every free-text cell that holds something (condition, tegenprestatie,
note, reason, by) gets :data:`PLACEHOLDER`; the personal values in ``extra`` (a second
opinion, a note or household of a correction) too, and the fingerprint of an imported
row, a hash of its texts, is dropped. The note of a bank link is the bank line's
reference and is kept, like ids, dates, amounts, categories, methods, kinds, statuses
and the other keys of ``extra``. A household code becomes ``ANON-0001`` and on, one
number per household over all journals, so counts of households stay as they were;
a household that also has an entry on or after the cut-off keeps its code (it is still
in use: the per-household rules of thumb count its old spends). In the bank files the
description and counterparty of lines dated before the cut-off get the placeholder.

A receipt (*bon*) an old line records is removed: its file in the ledger folder goes in
the same rewrite as the journal (:mod:`maatwerk_cli.store.rewrite`), and the line keeps
``receipt_removed`` in its ``extra`` instead.

Lines the reader sets aside (damaged, torn) are kept byte for byte: their cells cannot be
told for sure.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.receipts import RECEIPT, RECEIPTS_DIR, receipt_of
from ..core.records import JOURNAL_COLUMNS, Row
from .banklines import BANK_COLUMNS, BANK_HEADER
from .journal import BOM, HEADER_BYTES, TORN_END, checksum, encode_line, extra_text, judge_line

#: The ledger folder (store.folder.LedgerFolder; named loosely: it imports this module).
LedgerFolder = Any

PLACEHOLDER = "[anoniem]"
#: Set in ``extra`` where a receipt was recorded and anonymising removed it with its file.
RECEIPT_REMOVED = "receipt_removed"
#: Household codes given by anonymising: the prefix, then a number of four digits or more.
ANON_PREFIX = "ANON-"
ANON_CODE = re.compile(r"ANON-[0-9]{4,}")
#: Free-text cells of a journal line (``household`` is handled apart).
TEXT_CELLS = ("condition", "tegenprestatie", "note", "reason", "by")
#: Keys of ``extra`` whose text is personal (a correction may carry a new note or household).
EXTRA_TEXT = ("second_opinion", "note", "reason", "condition", "tegenprestatie", "by", "story", "from", "pot")
EXTRA_HOUSEHOLD = ("household",)
#: The key of an imported row's fingerprint (ops.fingerprint.KEY): a hash of its texts.
ROW_PRINT = "row"
_BANK_TEXT = (BANK_COLUMNS.index("description"), BANK_COLUMNS.index("counterparty"))
_BANK_DATE = BANK_COLUMNS.index("date")


@dataclass(slots=True)
class Line:
    """One line of a journal as read for anonymising: its raw bytes, and its cells when good."""

    raw: bytes
    cells: dict[str, str] | None = None
    entry_date: str = ""


@dataclass(slots=True)
class JournalPlan:
    """What anonymising does to one journal: the lines, which change, the new bytes."""

    team: str
    head: bytes
    lines: list[Line]
    changed: list[int] = field(default_factory=list)  # line numbers in the file (1 = header)
    max_seq: int = 0
    receipts: list[str] = field(default_factory=list)  # receipt files of old lines, removed with them


def split_journal(data: bytes, team: str) -> JournalPlan:
    """A journal's bytes as lines, each with its cells when the reader would take it."""
    body = data
    start = len(BOM) if body.startswith(BOM) else 0
    first = body.find(b"\n", start)
    head = body[: first + 1] if first >= 0 else body
    rest = body[first + 1 :] if first >= 0 else b""
    pieces = rest.split(b"\n")
    lines: list[Line] = []
    plan = JournalPlan(team, head, lines)
    if head[start:] != HEADER_BYTES and head[start:].rstrip(b"\r\n") != HEADER_BYTES.rstrip(b"\n"):
        lines.extend(Line(p) for p in [rest] if rest)
        return plan
    last = pieces.pop()  # b"" after a clean end, else an unfinished line
    for number, raw in enumerate(pieces, start=2):
        got = judge_line(raw, team, number) if not raw.endswith(TORN_END) else None
        cells = None
        if isinstance(got, Row):
            text = raw.decode("utf-8").rstrip("\r")
            values = next(csv.reader([text]))
            cells = dict(zip(JOURNAL_COLUMNS, values, strict=True))
        lines.append(Line(raw + b"\n", cells))
    if last:
        lines.append(Line(last))
    return plan


def entry_dates(plans: Iterable[JournalPlan]) -> None:
    """Each good line's entry date: the date of the line its ``ref`` leads to, in the end."""
    for plan in plans:
        by_id = {ln.cells["id"]: ln.cells for ln in plan.lines if ln.cells is not None}
        for ln in plan.lines:
            if ln.cells is None:
                continue
            cells = ln.cells
            seen = set()
            while cells["ref"] and cells["ref"] in by_id and cells["id"] not in seen:
                seen.add(cells["id"])
                cells = by_id[cells["ref"]]
            ln.entry_date = cells["date"]


def households(plans: Iterable[JournalPlan], cutoff: str) -> dict[str, str]:
    """The household codes to replace, each with its ``ANON-`` code: the codes seen only on
    old lines, numbered in the order of their first old entry (date, team, line), after the
    highest number given before."""
    plans = list(plans)
    current: set[str] = set()
    old: dict[str, tuple[str, str, int]] = {}
    highest = 0
    for plan in plans:
        for number, ln in enumerate(plan.lines):
            if ln.cells is None:
                continue
            codes = _codes_of(ln.cells)
            for code in codes:
                if ANON_CODE.fullmatch(code):
                    highest = max(highest, int(code[len(ANON_PREFIX):]))
                    continue
                if ln.entry_date >= cutoff:
                    current.add(code)
                else:
                    where = (ln.entry_date, plan.team, number)
                    if code not in old or where < old[code]:
                        old[code] = where
    order = sorted((where, code) for code, where in old.items() if code not in current)
    return {code: f"{ANON_PREFIX}{highest + n:04d}" for n, (_, code) in enumerate(order, start=1)}


def _codes_of(cells: Mapping[str, str]) -> list[str]:
    codes = [cells["household"]] if cells["household"] else []
    if cells["extra"]:
        extra = json.loads(cells["extra"])
        codes += [v for k, v in extra.items() if k in EXTRA_HOUSEHOLD and isinstance(v, str) and v]
    return codes


#: Line types whose note is a reference (a bank line's, an import's id), not a person's text.
NOTE_IS_A_REFERENCE = ("bank-link", "bank-undo")


def anonymised_cells(cells: Mapping[str, str], codes: Mapping[str, str]) -> dict[str, str]:
    """The cells of an old line with its personal text replaced (unchanged when none is left)."""
    out = dict(cells)
    if out["household"] in codes:
        out["household"] = codes[out["household"]]
    for name in TEXT_CELLS:
        if name == "note" and out["type"] in NOTE_IS_A_REFERENCE:
            continue  # a bank line's or an import's reference: the link itself
        if out[name] and out[name] != PLACEHOLDER:
            out[name] = PLACEHOLDER
    if out["extra"]:
        extra: dict[str, Any] = json.loads(out["extra"])
        extra.pop(ROW_PRINT, None)
        if RECEIPT in extra:  # the file goes too (the plan lists it)
            del extra[RECEIPT]
            extra[RECEIPT_REMOVED] = True
        for key, value in list(extra.items()):
            if key in EXTRA_HOUSEHOLD and isinstance(value, str) and value in codes:
                extra[key] = codes[value]
            elif key in EXTRA_TEXT and isinstance(value, str) and value and value != PLACEHOLDER:
                extra[key] = PLACEHOLDER
        out["extra"] = extra_text(extra)
    return out


def personal(cells: Mapping[str, str], current: set[str] | None = None) -> bool:
    """Whether a line still holds personal text that anonymising would replace; ``current``:
    household codes still in use (kept)."""
    if cells["household"] and not ANON_CODE.fullmatch(cells["household"]) \
            and (current is None or cells["household"] not in current):
        return True
    if any(cells[n] and cells[n] != PLACEHOLDER for n in TEXT_CELLS
           if not (n == "note" and cells["type"] in NOTE_IS_A_REFERENCE)):
        return True
    if cells["extra"]:
        extra = json.loads(cells["extra"])
        if ROW_PRINT in extra or RECEIPT in extra:
            return True
        if any(k in EXTRA_TEXT and isinstance(v, str) and v and v != PLACEHOLDER for k, v in extra.items()):
            return True
    return False


def apply(plan: JournalPlan, cutoff: str, codes: Mapping[str, str]) -> None:
    """Replace the personal text of the plan's old lines (in place); notes which lines changed."""
    for number, ln in enumerate(plan.lines, start=2):
        if ln.cells is None or not ln.entry_date or ln.entry_date >= cutoff:
            continue
        name = _receipt_file(ln.cells)
        if name:
            plan.receipts.append(f"{RECEIPTS_DIR}/{plan.team}/{name}")
        new = anonymised_cells(ln.cells, codes)
        if new != ln.cells:
            new.pop("checksum", None)
            ln.raw = encode_line(new).encode("utf-8")
            ln.cells = dict(zip(JOURNAL_COLUMNS, [*(new[c] for c in JOURNAL_COLUMNS[:-1]),
                                                  checksum([new[c] for c in JOURNAL_COLUMNS[:-1]])], strict=True))
            plan.changed.append(number)


def _receipt_file(cells: Mapping[str, str]) -> str:
    """The name of the receipt file a line records ("" when none): a spend's own, or one
    a correction gives its spend (named by the spend's id, the correction's ``ref``)."""
    if not cells["extra"] or f'"{RECEIPT}"' not in cells["extra"]:
        return ""
    extra = json.loads(cells["extra"])
    entry = cells["id"] if cells["type"] == "spend" else cells["ref"]
    got = receipt_of(entry, extra.get(RECEIPT)) if isinstance(extra, dict) else None
    return got.name if got is not None else ""


def journal_bytes(plan: JournalPlan, extra_lines: Iterable[str] = ()) -> bytes:
    """The plan's journal as bytes, with lines appended (already encoded)."""
    parts = [plan.head, *(ln.raw for ln in plan.lines)]
    tail = b"".join(line.encode("utf-8") for line in extra_lines)
    if tail and plan.lines and not plan.lines[-1].raw.endswith(b"\n"):
        # An unfinished last line stays set aside for good, as a writer leaves it.
        from .journal import close_torn

        parts[-1] = plan.lines[-1].raw + close_torn(plan.lines[-1].raw)
    return b"".join(parts) + tail


# ---------------------------------------------------------------------------- bank files


def anonymise_bank(data: bytes, cutoff: str) -> tuple[bytes, int]:
    """A bank file with the description and counterparty of lines dated before the cut-off
    replaced; and how many lines changed. Damaged lines are kept as they are."""
    if not data.startswith(BANK_HEADER.encode("ascii")):
        return data, 0
    pieces = data.split(b"\n")
    changed = 0
    out = [pieces[0]]
    for raw in pieces[1:]:
        new = _bank_line(raw, cutoff)
        if new is not None:
            changed += 1
            out.append(new)
        else:
            out.append(raw)
    return b"\n".join(out), changed


def _bank_line(raw: bytes, cutoff: str) -> bytes | None:
    try:
        values = next(csv.reader([raw.decode("utf-8").rstrip("\r")]))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    if len(values) != len(BANK_COLUMNS) or checksum(values[:-1]) != values[-1]:
        return None
    if not values[_BANK_DATE] or values[_BANK_DATE] >= cutoff:
        return None
    new = list(values[:-1])
    for at in _BANK_TEXT:
        if new[at] and new[at] != PLACEHOLDER:
            new[at] = PLACEHOLDER
    if new == values[:-1]:
        return None
    new.append(checksum(new))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(new)
    return buf.getvalue().encode("utf-8")


def bank_personal(data: bytes, cutoff: str) -> int:
    """How many good lines of a bank file dated before the cut-off still hold a description
    or counterparty."""
    return anonymise_bank(data, cutoff)[1]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# ---------------------------------------------------------------------------- the ledger folder


@dataclass(frozen=True, slots=True)
class TeamChange:
    """What anonymising changes for one team: journal lines (their line numbers and ids),
    bank lines (how many), and the event line that records it (its id, "" in a dry run)."""

    team: str
    changed: tuple[tuple[int, str, str], ...]  # (line number, id, type)
    bank_lines: int
    event: str = ""


@dataclass(frozen=True, slots=True)
class Planned:
    """A whole ledger's anonymising: per team what changes; the household codes replaced."""

    cutoff: dt.date
    teams: tuple[TeamChange, ...]
    households: int
    files: Mapping[str, bytes] = field(default_factory=dict)
    #: Receipt files of old lines (relative to the folder), removed in the same rewrite.
    remove: tuple[str, ...] = ()


def read_plans(folder: LedgerFolder, slugs: Iterable[str]) -> dict[str, JournalPlan]:
    plans = {}
    for slug in slugs:
        try:
            data = folder.journal_path(slug).read_bytes()
        except FileNotFoundError:
            continue
        plans[slug] = split_journal(data, slug)
    return plans


def current_households(folder: LedgerFolder, slugs: Iterable[str],
                       cutoff: str) -> tuple[dict[str, JournalPlan], set[str]]:
    """The journals as plans (entry dates set), and the household codes on lines not old."""
    plans = read_plans(folder, slugs)
    entry_dates(plans.values())
    current: set[str] = set()
    for plan in plans.values():
        for ln in plan.lines:
            if ln.cells is not None and ln.entry_date >= cutoff:
                current.update(_codes_of(ln.cells))
    return plans, current


def plan(folder: LedgerFolder, cutoff: dt.date, *, when: dt.date, by: str, stamp: str) -> Planned:
    """What anonymising up to ``cutoff`` (the first day kept) changes, with the new bytes of
    every file that changes (the caller holds the lock when it means to write them)."""
    from .journal import id_seq

    slugs = folder.team_slugs()
    before = cutoff.isoformat()
    plans = read_plans(folder, slugs)
    entry_dates(plans.values())
    codes = households(plans.values(), before)
    files: dict[str, bytes] = {}
    teams: list[TeamChange] = []
    for slug in slugs:
        journal = plans.get(slug)
        bank_path = folder.bank_path(slug)
        bank_changed = 0
        if bank_path.exists():
            new_bank, bank_changed = anonymise_bank(bank_path.read_bytes(), before)
            if bank_changed:
                files[f"teams/{bank_path.name}"] = new_bank
        if journal is not None:
            apply(journal, before, codes)
        changed = journal.changed if journal is not None else []
        if not changed and not bank_changed:
            continue
        listed = tuple((n, journal.lines[n - 2].cells["id"], journal.lines[n - 2].cells["type"])  # type: ignore[index]
                       for n in changed) if journal is not None else ()
        seq = max((id_seq(ln.raw, slug) for ln in journal.lines), default=0) if journal is not None else 0
        seq = max(seq, folder.ids_above(slug))
        from ..core.records import make_id

        event_id = make_id(slug, when.year, seq + 1)
        extra = {"before": before, "lines": len(changed), "bank_lines": bank_changed}
        line = encode_line({"id": event_id, "type": "anonymise", "date": when.isoformat(), "by": by,
                            "extra": extra_text(extra), "recorded_at": stamp})
        if journal is None:
            from .journal import HEADER

            files[f"teams/{slug}.csv"] = HEADER.encode("ascii") + line.encode("utf-8")
        else:
            files[f"teams/{slug}.csv"] = journal_bytes(journal, [line])
        teams.append(TeamChange(slug, listed, bank_changed, event_id))
    remove = tuple(sorted({name for p in plans.values() for name in p.receipts
                           if os.path.lexists(folder.root / name)}))
    return Planned(cutoff, tuple(teams), len(codes), files, remove)
