"""Bulk entry from a spreadsheet (CSV or XLSX): every row is checked, then all or none.

Coordinators moving from their Excel sheets start here, so headers may be Dutch or
English in any case, and values may be Dutch (``14-3-2025``, ``1.234,56``) or ISO.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..core.dates import parse_date
from ..core.errors import InputError, MaatwerkError, Problem
from ..core.messages import Msg, Opt, msg
from ..core.money import CENT, parse_amount
from ..core.progress import advance
from ..core.records import KIND_ALIASES, METHOD_ALIASES
from ..core.text import fold_text, resolve_choice
from ..store.toml import unsafe_char
from .base import folder_of, team_slug
from .fingerprint import Skipped

MAX_BYTES = 200 * 1024 * 1024
#: What :func:`~maatwerk_cli.core.progress.advance` says while the rows are checked.
CHECKING = "checking rows"
READING = "reading the sheet"
MAX_CELL = 5000
#: Numbers from a workbook from this size on are given as text (and refused as amounts).
HUGE = Decimal(10) ** 15

#: Accepted header names (folded) and the field each one fills.
HEADERS = {
    "date": "date", "datum": "date",
    "amount": "amount", "bedrag": "amount",
    "category": "category", "categorie": "category",
    "method": "method", "betaalwijze": "method", "methode": "method", "betaling": "method",
    "kind": "kind", "soort": "kind",
    "household": "household", "huishouden": "household",
    "note": "note", "notitie": "note", "toelichting": "note", "omschrijving": "note",
    "tegenprestatie": "tegenprestatie", "wederkerigheid": "tegenprestatie",
    "team": "team", "wijkteam": "team",
    "due": "due", "vervaldatum": "due",
    "requested": "requested", "aangevraagd": "requested", "aanvraagdatum": "requested",
    "datum aanvraag": "requested",
    "condition": "condition", "voorwaarde": "condition",
    "by": "by", "door": "by",
    "reason": "reason", "reden": "reason",
    "second_opinion": "second_opinion", "second opinion": "second_opinion",
    "tweede mening": "second_opinion", "tweede_mening": "second_opinion",
    "id": "id", "nummer": "id",
    "receipt": "receipt", "bon": "receipt",
}
REQUIRED = ("date", "amount", "category")
#: What a row with an id (a correction of that spend) may correct: an empty cell keeps the value.
CORRECTS = ("category", "note", "household", "date", "method", "kind", "due", "condition", "amount")


#: The option that lets a date after today through.
ALLOW_FUTURE = Opt("allow-future")


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did or would do.

    count: new spends that are (or would be) recorded; problems: every bad row; nothing is
    written when there are any. first_id, last_id: the ids the new spends got (empty on a
    dry run). skipped: rows left out because they were imported before (``new_only``).
    corrected: the rows with an id, each a correction of that spend.
    """

    count: int
    problems: tuple[Problem, ...]
    first_id: str = ""
    last_id: str = ""
    skipped: tuple[Skipped, ...] = ()
    corrected: tuple[Corrected, ...] = ()


@dataclass(frozen=True, slots=True, order=True)
class Corrected:
    """A row with an id: the spend it corrects (``id``) and the id of the ``amend`` line
    written for it (``correction``; empty on a dry run)."""

    row: int
    id: str
    correction: str = ""


def _read_csv(path: Path) -> Iterator[tuple[int, list[str]]]:
    data = path.read_bytes()
    name = str(path)
    if b"\x00" in data[:4096]:
        raise InputError(msg("import.binary", file=name))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Dutch Excel's plain "CSV" is Windows-1252; anything else would show as garbage.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(msg("import.encoding", file=name)) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    csv.field_size_limit(MAX_CELL * 4)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise InputError(msg("import.csv_damaged", file=name, line=reader.line_num, error=str(exc))) from None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        # Excel stores 12.5 as a float; keep it exact and refuse sub-cent values.
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not exact.is_finite() or abs(exact) >= HUGE:
            # 1E+300 or 10**30 cannot be quantized: as typed, for the amount parser to refuse.
            return repr(value)
        if exact != exact.quantize(CENT):
            return repr(value).replace(".", ",")  # let the amount parser explain
        return f"{exact.quantize(CENT):.2f}" if exact != exact.to_integral_value() else str(int(exact))
    return str(value)


def _spaced(text: str) -> str:
    """``text`` as free text is stored: C0 controls (tab, newline) become spaces."""
    return " ".join("".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text).split())


class FormulaCell(str):
    """A workbook cell that holds a formula (its text is the formula): refused on import.

    With ``data_only`` openpyxl gives a formula's cached value, and None when there is
    none (a sheet written by a program rather than saved by Excel): a note ``=A1`` was
    imported as an empty note without a word. So formulas are read as formulas, and a row
    holding one is a bad row, named with its column.
    """


def _read_xlsx(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise InputError(msg("import.bad_xlsx", file=str(path), error=type(exc).__name__)) from None
    try:
        ws = wb.worksheets[0]
        for number, row in enumerate(ws.iter_rows(), start=1):
            yield number, [FormulaCell(str(c.value) or "=") if getattr(c, "data_type", None) == "f"
                           else _cell_text(c.value) for c in row]
    finally:
        wb.close()


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a spreadsheet, header first."""
    if not path.is_file():
        raise InputError(msg("import.no_such_file", file=str(path)))
    if path.stat().st_size > MAX_BYTES:
        raise InputError(msg("import.too_large", file=str(path), megabytes=MAX_BYTES // 1024 // 1024))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if path.suffix.lower() == ".xls":
        raise InputError(msg("import.old_xls", file=str(path)))
    return _read_csv(path)


def import_entries(
    ledger: Any,
    path: str | Path,
    *,
    team: str | None = None,
    dry_run: bool = False,
    allow_future: bool = False,
    progress: Callable[[int, int], None] | None = None,
    again: bool = False,
    new_only: bool = False,
) -> ImportResult:
    """Check every row of a spreadsheet; record them all, or none when any is bad.

    Rows imported before (:mod:`.fingerprint`) are refused, naming when and as which ids,
    unless ``again`` (import them anyway) or ``new_only`` (import only the others).
    """
    folder = folder_of(ledger)
    path = Path(path)
    name = str(path)
    rows = read_rows(path)
    try:
        number, header = next(rows)
    except StopIteration:
        raise InputError(msg("import.empty", file=name)) from None
    fields: list[str | None] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for cell in header:
        key = fold_text(cell.lstrip("\ufeff"))
        if not key:
            fields.append(None)
            continue
        if key not in HEADERS:
            problems.append(Problem(name, number, str(msg("import.unknown_column", column=repr(cell)))))
        field = HEADERS.get(key)
        if field is not None and field in seen:
            # Which one would win is a guess; the sheet must say it once.
            raise InputError(msg("import.column_twice", file=name, line=number, first=repr(seen[field]),
                                 second=repr(cell), field=field))
        if field is not None:
            seen[field] = cell
        fields.append(field)
    present = {f for f in fields if f}
    # A sheet with an id column may hold corrections only; a new row still needs these.
    missing: list[str | Msg] = [f for f in REQUIRED if f not in present and "id" not in present]
    if "id" in present and "reason" not in present:
        missing.append("reason")
    if "team" not in present and not team and "id" not in present:
        missing.append(msg("import.team_missing", option=Opt("team")))
    if missing:
        problems.append(Problem(name, number, str(msg("import.missing_columns", columns=missing))))
    if problems:
        return ImportResult(0, tuple(problems))
    default_team = team.strip().lower() if team else None
    if default_team:
        team_slug(folder, default_team)  # unknown team: one clear error before any row
    all_rows = []
    for row in rows:  # reading a big workbook takes longest: say so, its length not yet known
        all_rows.append(row)
        if len(all_rows) % 2000 == 0:
            advance(READING, len(all_rows), 0)
    total = len(all_rows)
    # Everything that decides what is written (never twice, the rules of thumb, the cash
    # box, the ids) is checked on the journals as they are under the write's lock: two
    # clerks importing the same sheet at once get one import and one refusal.
    with contextlib.nullcontext() if dry_run else folder.lock():
        return _check_and_write(folder, name, header, all_rows, fields, default_team, total, problems,
                                again=again, new_only=new_only, dry_run=dry_run,
                                allow_future=allow_future, progress=progress)


def _check_and_write(
    folder: Any, name: str, header: list[str], all_rows: list[tuple[int, list[str]]], fields: list[str | None],
    default_team: str | None, total: int, problems: list[Problem], *, again: bool, new_only: bool,
    dry_run: bool, allow_future: bool, progress: Callable[[int, int], None] | None,
) -> ImportResult:
    """:func:`import_entries` from the rows read: check them all, then write them all."""
    from ..core.receipts import RECEIPT
    from .receipts import Loaded, append_with_receipts
    from .receipts import load as load_receipt
    from .record import spend_cells

    receipts: dict[tuple[str, int], Loaded] = {}

    per_team: dict[str, list[dict[str, str]]] = {}
    # Per team, what each line is: the row it comes from and, for a correction, its spend.
    made: dict[str, list[tuple[int, str]]] = {}
    read: dict[str, Any] = {}
    count = 0
    prints, skipped = _imported_before(folder, name, all_rows, fields, default_team, again=again,
                                       new_only=new_only)
    skip = {s.row for s in skipped}
    # Rules of thumb see the whole import at once: the journals are read once, and a
    # household's earlier rows in the file count for its later ones.
    from .cash import CashBatch
    from .rules import PROCEED_IMPORT, SpendRules

    # Cash rows likewise: each must fit in what the box holds after the earlier ones.
    rules = SpendRules(folder, proceed=PROCEED_IMPORT, batch=True)
    cash = CashBatch()
    for done, (number, cells) in enumerate(all_rows, start=1):
        if done % 500 == 0:
            advance(CHECKING, done, total)
            if progress:
                progress(done, total)
        if not any(c.strip() for c in cells) or number in skip:
            continue
        if len(cells) > len(fields) and any(c.strip() for c in cells[len(fields):]):
            problems.append(Problem(name, number, str(msg("import.more_cells"))))
            continue
        formulas = [i for i, c in enumerate(cells) if isinstance(c, FormulaCell)]
        if formulas:
            problems.append(Problem(name, number, _formula_problem(header, formulas)))
            continue
        values = {f: (cells[i].strip() if i < len(cells) else "") for i, f in enumerate(fields) if f}
        if any(len(v) > MAX_CELL for v in values.values()):
            problems.append(Problem(name, number, str(msg("import.cell_too_long", limit=MAX_CELL))))
            continue
        # Free text is cleaned of tabs and line breaks when recorded, but a bidi control
        # (which shows a text other than it is) or a C1 control never reaches a journal.
        unsafe = next(((f, what) for f, v in values.items() if (what := unsafe_char(_spaced(v)))), None)
        if unsafe is not None:
            problems.append(Problem(name, number, str(msg("import.unsafe_char", field=unsafe[0], char=unsafe[1]))))
            continue
        if values.get("id"):
            try:
                slug, line = _correction(folder, values, read, per_team, default_team, allow_future)
            except (MaatwerkError, InvalidOperation) as exc:
                problems.append(Problem(name, number, str(exc)))
                continue
            per_team.setdefault(slug, []).append(line)
            made.setdefault(slug, []).append((number, line["ref"]))
            continue
        try:
            # In a sheet with an id column, a row without one is a new spend: say so.
            absent = [f for f in REQUIRED if f not in values or ("id" in values and not values[f])]
            if absent:
                raise InputError(msg("import.new_row_needs", columns=absent))
            slug = values.get("team", "").lower() or default_team or ""
            if not slug:
                raise InputError(msg("import.team_empty"))
            # A receipt's file is named as the sheet names it, from the sheet's folder.
            loaded = load_receipt(folder, Path(name).parent / values["receipt"]) if values.get("receipt") else None
            cells_out = spend_cells(
                folder,
                slug,
                parse_amount(values["amount"]),
                category=values["category"],
                method=resolve_choice(values.get("method") or "pin", METHOD_ALIASES, "method"),
                date=parse_date(values["date"], allow_future=allow_future, allow_flag=ALLOW_FUTURE),
                requested=(parse_date(values["requested"], what="request date", allow_future=allow_future,
                                      allow_flag=ALLOW_FUTURE)
                           if values.get("requested") else None),
                household_code=values.get("household") or None,
                note=values.get("note") or None,
                kind=resolve_choice(values.get("kind") or "gift", KIND_ALIASES, "kind"),
                due=(parse_date(values["due"], what="due", allow_future=True)
                     if values.get("due") else None),
                condition=values.get("condition") or None,
                tegenprestatie=values.get("tegenprestatie") or None,
                by=values.get("by") or None,
                reason=values.get("reason") or None,
                second_opinion=values.get("second_opinion") or None,
                rules=rules,
                cash=cash,
                extra={RECEIPT: loaded.receipt("").cell()} if loaded is not None else None,
            )
        except (MaatwerkError, InvalidOperation) as exc:
            problems.append(Problem(name, number, str(exc)))
            continue
        cells_out["extra"] = _with_row(cells_out.get("extra", ""), prints[number])
        slug = cells_out.pop("_team")
        per_team.setdefault(slug, []).append(cells_out)
        made.setdefault(slug, []).append((number, ""))
        if loaded is not None:
            receipts[(slug, len(per_team[slug]) - 1)] = loaded
        count += 1
    advance(CHECKING, total, total)
    if progress:
        progress(total, total)
    if not problems and any(made.values()) and any(ref for rows in made.values() for _, ref in rows):
        problems.extend(_cash_after(folder, name, read, per_team, made))
    if problems:
        return ImportResult(0, tuple(problems))
    fixes = sum(1 for rows in made.values() for _, ref in rows if ref)
    if count == 0 and not fixes:
        if skipped:
            return ImportResult(0, (), skipped=tuple(skipped))
        return ImportResult(0, (Problem(name, 0, str(msg("import.no_rows"))),))
    if dry_run:
        corrected = tuple(Corrected(number, ref) for rows in made.values() for number, ref in rows if ref)
        return ImportResult(count, (), skipped=tuple(skipped), corrected=tuple(sorted(corrected)))
    ids = append_with_receipts(folder, per_team, receipts)  # team by team, in the order of per_team
    order = [what for team in per_team for what in made[team]]
    new = [i for i, (_, ref) in zip(ids, order, strict=True) if not ref]
    corrected = tuple(sorted(Corrected(number, ref, i) for i, (number, ref) in zip(ids, order, strict=True) if ref))
    return ImportResult(count, (), new[0] if new else "", new[-1] if new else "", tuple(skipped), corrected)


def _correction(
    folder: Any, values: dict[str, str], read: dict[str, Any], pending: dict[str, list[dict[str, str]]],
    default_team: str | None, allow_future: bool,
) -> tuple[str, dict[str, str]]:
    """A row with an id: the ``amend`` line that corrects that spend with the row's
    non-empty cells, checked as ``maatwerk amend`` checks one (against the journal with the
    sheet's earlier rows after it); (team, line)."""
    from ..core.fold import fold_with
    from .record import COLUMNS, KEEP, Correction, amend_cells, find

    found = find(folder, values["id"], read)
    book = found.folded.book
    if found.entry < 0:
        raise InputError(msg("entry.not_a_spend", id=values["id"].strip().lower(), type=book.line_type(found.line)))
    slug = found.folded.team
    team = values.get("team", "").strip().lower() or default_team or ""
    if team and team != slug:
        raise InputError(msg("import.id_of_other_team", id=values["id"].strip().lower(), team=team))
    fixed = [f for f, v in values.items() if v and f not in (*CORRECTS, "id", "team", "reason", "by")]
    if fixed:
        raise InputError(msg("import.not_correctable", columns=fixed))
    if not values.get("reason"):
        raise InputError(msg("import.correction_without_reason"))
    given: dict[str, Any] = {f: KEEP for f in CORRECTS}
    for f in ("category", "note", "household", "condition"):
        if values.get(f):
            given[f] = values[f]
    if values.get("date"):
        given["date"] = parse_date(values["date"], allow_future=allow_future, allow_flag=ALLOW_FUTURE)
    if values.get("due"):
        given["due"] = parse_date(values["due"], what="due", allow_future=True)
    if values.get("amount"):
        given["amount"] = parse_amount(values["amount"])
    if values.get("method"):
        given["method"] = resolve_choice(values["method"], METHOD_ALIASES, "method")
    if values.get("kind"):
        given["kind"] = resolve_choice(values["kind"], KIND_ALIASES, "kind")
    correction = Correction.of(reason=values["reason"], by=values.get("by") or None, values=given,
                               offer_flag=False, nothing=msg("import.correction_of_nothing"))
    if pending.get(slug):
        book = fold_with(book, pending[slug])
    # A rule of thumb is overridden on purpose, one spend at a time: with ``maatwerk amend``.
    proceed = msg("rules.proceed_amend_import", id=book.line_id(found.line))
    line = amend_cells(folder, book, found.entry, correction, words=COLUMNS, proceed=proceed)
    return slug, line


def _cash_after(folder: Any, name: str, read: dict[str, Any], per_team: dict[str, list[dict[str, str]]],
                made: dict[str, list[tuple[int, str]]]) -> list[Problem]:
    """New cash spends and corrections of cash spends in one sheet: the cash box of each
    team, with all of the sheet's lines after its journal, must not go below zero where it
    did not before."""
    from ..core.fold import fold_with

    out = []
    for slug, lines in per_team.items():
        if not any(ref for _, ref in made[slug]):
            continue
        book = read[slug].book if slug in read else folder.book(slug).book
        after = fold_with(book, lines)
        low, where = after.cash_lowest()
        if low < 0 and book.cash_lowest()[0] >= 0:
            out.append(Problem(name, 0, str(msg("import.cash_below_zero", team=slug, id=after.line_id(where),
                                                   amount=Decimal(low).scaleb(-2)))))
    return out


def _formula_problem(header: Sequence[str], columns: Sequence[int]) -> str:
    from openpyxl.utils import get_column_letter

    named = [msg("import.column_and_letter", column=repr(header[i]), letter=get_column_letter(i + 1))
             if i < len(header) and header[i].strip() else get_column_letter(i + 1) for i in columns]
    found = (msg("import.formula_column", column=named[0]) if len(named) == 1
             else msg("import.formula_columns", columns=named))
    return str(found)


def _imported_before(
    folder: Any, name: str, rows: list[tuple[int, list[str]]], fields: list[str | None],
    default_team: str | None, *, again: bool, new_only: bool,
) -> tuple[dict[int, str], list[Skipped]]:
    """Each row's fingerprint (by row number), and the rows the ledger has already; refuses
    the sheet when it has such rows and neither ``again`` nor ``new_only`` is given."""
    from .fingerprint import fingerprint, known_rows, refusal, split

    if again and new_only:
        raise InputError(msg("import.again_or_new_only", again=Opt("again"), new_only=Opt("new-only")))
    prints: dict[int, str] = {}
    teams: set[str] = set()
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        values = {f: (cells[i].strip() if i < len(cells) else "") for i, f in enumerate(fields) if f}
        if values.get("id"):
            continue  # a correction: ``amend`` says when it changes nothing
        team = values.get("team", "").strip().lower() or default_team or ""
        teams.add(team)
        prints[number] = fingerprint(values, team)
    if again or not prints:
        return prints, []
    new, skipped = split(list(prints.items()), known_rows(folder, sorted(t for t in teams if t)))
    if skipped and not new_only:
        raise refusal(name, len(prints), skipped)
    return prints, skipped


def _with_row(extra: str, fp: str) -> str:
    import json

    from ..store.journal import extra_text
    from .fingerprint import KEY

    loaded: dict[str, Any] = json.loads(extra) if extra else {}
    loaded[KEY] = fp
    return extra_text(loaded)
