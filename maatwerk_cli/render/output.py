"""The one output path: a report or listing (a :class:`View`) to stdout or a file, in any format.

What ``--format`` and ``--output`` mean, for every command:

* no ``--output``: ``--format`` (default ``table``) to stdout;
* ``--output FILE``: the format its extension names (``.xlsx``, ``.csv``, ``.json``,
  ``.md``); with ``--format`` too, the two must agree (``-f csv-nl -o okt.csv`` writes Dutch
  Excel CSV, ``-f json -o x.xlsx`` is a mistake);
* an output inside any ledger folder (the ``--ledgers`` one, or any folder that holds a
  ``maatwerk.toml`` at or above the output, links and ``..`` resolved) is refused: the tool
  never writes onto files it does not own;
* an output must be a regular file (replaced) or a new name: a device, FIFO, socket or
  folder is refused, and so is a link to one or a link to nothing (:func:`check_output`);
* files are written whole or not at all (a temporary file, then renamed); one that another
  program holds open (Excel) is waited for a moment, then refused (``store/atomic.py``);
* on Windows, a name Windows would not keep as given is refused: a colon after the drive
  (an NTFS stream of another file), a device name (``NUL``, ``CON``, ``COM1``); a path given
  with the long-path prefix compares as the same path without it (:func:`inside`).

A command whose plain output came first (``household new``, ``import entries``, ``import
bank``) has one more format, ``text``, its default: the view's own lines (:attr:`View.text_lines`).
Besides views, a command prints through here only an id it recorded (:func:`print_id`) or
a line saying what it did (:func:`print_lines`).
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PureWindowsPath
from typing import Any

from ..core.errors import InputError
from ..core.messages import N_, tr
from .columns import Column, Record
from .text import json_object, json_pairs, to_csv, to_json, to_markdown

FORMATS = ("table", "vertical", "csv", "csv-nl", "json", "markdown")
#: The plain lines a command printed before it had formats (its default, where it has one).
TEXT = "text"
#: The formats of a command whose default is ``text``.
TEXT_FORMATS = (TEXT, *FORMATS)
FILE_FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".md": "markdown", ".markdown": "markdown"}
#: Formats that go with each extension (``-f csv-nl -o x.csv`` is Dutch CSV in a .csv file).
FITS = {"xlsx": ("xlsx",), "csv": ("csv", "csv-nl"), "json": ("json",), "markdown": ("markdown",)}


@dataclass(frozen=True, slots=True)
class View:
    """A report or listing, ready for any output format.

    title: above a table, the Markdown heading, the worksheet's title.
    columns: what JSON and CSV carry (their keys are the contract), in order.
    records: one dict per row (money as Decimal, dates as dates).
    table: the columns of tables, Markdown and workbooks (Dutch titles); default ``columns``.
    total: the totals row, shown in tables, Markdown and workbooks (never in JSON or CSV).
    footer: lines under a table or Markdown (rich markup allowed).
    sheet: the worksheet's name; empty: what a table says when there are no records.
    styles: a row's rich style in a table.
    key: the name of this list in a JSON object of several lists (``rules``, ``overrides``).
    row_kinds: for a view with teams as columns, the kind of each row's values.
    transposed: teams are columns; a table that cannot fit is shown one block per figure
      rather than leave a team out.
    municipality, period, as_of: for a workbook's cover sheet (what the figures are of:
      the municipality, the stretch they count, the cut-off date); empty when unknown.
    meanings: (title, meaning) of figures that are rows rather than columns (a transposed
      view), for the cover sheet.
    single: one record, a summary: JSON writes it as one object (in an object of several
      views, its fields come first, then the other views' lists by their ``key``).
    text_lines: the view as plain lines, for the ``text`` format.
    """

    title: str
    columns: Sequence[Column]
    records: Sequence[Record]
    table: Sequence[Column] = ()
    total: Record | None = None
    footer: Sequence[str] = ()
    sheet: str = "maatwerk"
    empty: str = N_("nothing to show")
    styles: Callable[[Record], str | None] | None = None
    key: str = ""
    row_kinds: Sequence[str] = field(default_factory=tuple)
    transposed: bool = False
    municipality: str = ""
    period: str = ""
    as_of: dt.date | None = None
    meanings: Sequence[tuple[str, str]] = ()
    single: bool = False
    text_lines: Sequence[str] = ()

    @property
    def shown(self) -> Sequence[Column]:
        return self.table or self.columns


@dataclass(frozen=True, slots=True)
class Target:
    """Where output goes: ``format`` (one of :data:`FORMATS` or ``xlsx``), and ``path``
    (None: stdout); ``municipality``: whose ledger it is, for a workbook's cover sheet when
    the view does not say."""

    format: str
    path: Path | None = None
    municipality: str = ""


def check_format(fmt: str, allowed: Sequence[str] = FORMATS) -> str:
    value = fmt.strip().lower()
    if value == "md":
        value = "markdown"
    if value not in allowed:
        raise InputError(tr("format {fmt} is not one of: {allowed:list}", fmt=repr(fmt), allowed=allowed))
    return value


def target(fmt: str | None, output: Path | None, *, ledger_root: Path | None = None,
           allowed: Sequence[str] = FORMATS, default: str = "table") -> Target:
    """What ``--format`` and ``--output`` ask for, checked before any work is done
    (``default``: the format without either)."""
    chosen = check_format(fmt, allowed) if fmt is not None else None
    if output is None:
        return Target(chosen or default)
    # First: whatever else is wrong, a ledger's file or a device is never a target.
    check_output(output, [ledger_root] if ledger_root is not None else [])
    kind = FILE_FORMATS.get(output.suffix.lower())
    if kind is None:
        raise InputError(tr("cannot tell the format of {name}; use .xlsx, .csv, .json or .md",
                            name=repr(output.name)))
    if chosen is not None and chosen not in FITS[kind]:
        raise InputError(tr("--format {chosen} does not go with --output {name} (a {kind} file); "
                            "leave one of them out", chosen=chosen, name=output.name, kind=kind))
    if not output.parent.is_dir():
        raise InputError(tr("folder {folder} does not exist", folder=output.parent))
    return Target(chosen or kind, output)


def _plain_name(output: Path) -> None:
    # The OS refuses a NUL in a path with a ValueError; no file name needs a control character.
    if any(ord(c) < 32 or ord(c) == 127 for c in str(output)):
        raise InputError(tr("--output {name} holds a control character; choose another file name",
                            name=ascii(str(output))))
    if sys.platform == "win32":  # pragma: no cover - the rule itself is tested everywhere
        problem = windows_name_problem(str(output))
        if problem:
            raise InputError(tr("{output}: {problem}; choose another file name", output=output, problem=problem))


#: Names Windows keeps for devices, with or without an extension (``nul.csv`` is NUL).
DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                     *(f"{d}{n}" for d in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³"))})


def windows_name_problem(path: str) -> str:
    """Why Windows would not write the file ``path`` names as given ("" when it would)."""
    name = PureWindowsPath(path).name
    if ":" in name:
        return tr("a colon after the drive names a hidden stream of another file on Windows")
    if name.split(".")[0].rstrip(" ").upper() in DEVICES:
        return tr("{name} is a device on Windows, not a file", name=name.split(".")[0])
    return ""


def _plain_windows(path: PureWindowsPath) -> PureWindowsPath:
    r"""``path`` without the ``\\?\`` a long path may be given with (``\\?\UNC\`` for a share)."""
    text = str(path)
    if text.upper().startswith("\\\\?\\UNC\\"):
        return PureWindowsPath("\\\\" + text[8:])
    if text.startswith("\\\\?\\") or text.startswith("\\\\.\\"):
        return PureWindowsPath(text[4:])
    return path


def inside(place: PurePath, root: PurePath) -> bool:
    """Whether ``place`` is ``root`` or lies under it, both resolved. Windows paths compare
    as Windows does: in any case, and the same with or without a long-path prefix in front."""
    if isinstance(place, PureWindowsPath) and isinstance(root, PureWindowsPath):
        return _plain_windows(place).is_relative_to(_plain_windows(root))
    return place.is_relative_to(root)


#: The settings file that makes a folder a ledger folder.
LEDGER_MARK = "maatwerk.toml"


def _inside(output: Path, root: Path) -> None:
    raise InputError(tr("{output} is inside the ledger folder {root}; write it elsewhere "
                        "(a ledger folder holds only the ledger's own files)", output=output, root=root))


def ledger_above(path: Path, *, itself: bool = False) -> Path | None:
    """The nearest folder at or above ``path``'s folder (at or above ``path`` itself when
    ``itself``) that holds a ledger's settings file; None when there is none."""
    start = path if itself else path.parent
    for folder in (start, *start.parents):
        if os.path.lexists(folder / LEDGER_MARK):
            return folder
    return None


def _what(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return tr("a folder")
    if stat.S_ISCHR(mode):
        return tr("a character device")
    if stat.S_ISBLK(mode):
        return tr("a block device")
    if stat.S_ISFIFO(mode):
        return tr("a FIFO (named pipe)")
    if stat.S_ISSOCK(mode):
        return tr("a socket")
    return tr("not a regular file")


def check_output(output: Path, ledger_roots: Iterable[Path] = (), *, folder: bool = False) -> Path:
    """``output`` when the tool may write it (a file, or with ``folder`` a dataset folder);
    else a one-line InputError. Every output path of every command comes through here,
    before any work and again just before writing.

    Refused: a path inside any of ``ledger_roots`` or inside any ledger folder (a folder
    holding ``maatwerk.toml`` at or above it), both where the name lies and, for a link,
    where it points (``..`` and linked folders resolved), so that no export replaces
    another ledger's journal; and anything there already that is not a regular file (a
    folder with ``folder``): a device, FIFO or socket is not ours to replace, and a
    rename over it would leave a plain file in its place. A link to a regular file
    outside every ledger is fine (the link is replaced by the file, as every write does);
    a link to nothing is refused, and a dataset folder must be the folder itself.
    """
    _plain_name(output)
    try:
        place = output.parent.resolve() / output.name  # where the rename lands
        points = output.resolve()  # what a link there points at
        roots = [(root, root.resolve()) for root in ledger_roots]
    except (OSError, RuntimeError) as exc:  # a loop of links
        raise InputError(tr("{output}: the path cannot be followed ({error}); give another",
                            output=output, error=exc)) from None
    for where in dict.fromkeys((place, points)):
        for root, resolved in roots:  # the --ledgers folder, even before it holds its settings
            if inside(where, resolved):
                _inside(output, root)
        found = ledger_above(where, itself=folder)
        if found is not None:
            # Named as the user wrote it where the path as given leads there.
            _inside(output, ledger_above(output, itself=folder) or found)
    try:
        mode = os.lstat(output).st_mode
    except FileNotFoundError:
        return output  # a new name
    except OSError as exc:
        raise InputError(tr("{output}: cannot be looked at ({error}); give another",
                            output=output, error=exc.strerror)) from None
    if stat.S_ISLNK(mode):
        try:
            mode = os.stat(output).st_mode
        except OSError:
            raise InputError(tr("{output} is a symbolic link to nothing; give a regular file or a new name",
                                output=output)) from None
        if folder:
            raise InputError(tr("{output} is a symbolic link; give the dataset's folder itself", output=output))
        if not stat.S_ISREG(mode):
            raise InputError(tr("{output} is a symbolic link to {what}; give a regular file or a new name",
                                output=output, what=_what(mode)))
        return output
    if folder:
        if not stat.S_ISDIR(mode):
            what = tr("a file") if stat.S_ISREG(mode) else _what(mode)
            raise InputError(tr("{output} is {what}; give a folder for the dataset", output=output, what=what))
        return output
    if not stat.S_ISREG(mode):
        raise InputError(tr("{output} is {what}; write to a regular file or a new name",
                            output=output, what=_what(mode)))
    return output


def render_text(fmt: str, view: View) -> str:
    """A view as csv, csv-nl, json or markdown text."""
    if fmt == "json":
        return to_json(view.records, view.columns)
    if fmt == "csv":
        return to_csv(view.records, view.columns)
    if fmt == "csv-nl":  # for people: the columns titled as the workbook titles them
        return to_csv(view.records, sheet_columns(view), dutch=True)
    if fmt == "markdown":
        return to_markdown(view.records, view.shown, title=view.title, total=view.total, footer=view.footer)
    raise InputError(tr("format {fmt} is not one of: {allowed:list}", fmt=repr(fmt), allowed=FORMATS))


def write_text(path: Path, text: str) -> None:
    """A text file written whole or not at all."""
    from ..store.atomic import write_atomic

    check_output(path)  # again: the folder may have changed since the command began
    write_atomic(path, text)


def console_width() -> int | None:
    """The terminal's width; None when the output is not a terminal (nothing then needs to
    fit) unless ``COLUMNS`` says otherwise."""
    given = os.environ.get("COLUMNS", "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    if sys.stdout.isatty():
        return os.get_terminal_size(sys.stdout.fileno()).columns
    return None


def can_show(text: str) -> bool:
    """Whether stdout's encoding has every character of ``text``: else tables, blocks and
    bars are drawn in ASCII (a terminal in a legacy code page, or PYTHONIOENCODING; the
    CLI turns other redirected output into UTF-8, see ``cli.app.text_streams``)."""
    try:
        text.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def print_table(views: Sequence[View], *, vertical: bool = False, width: int | None = None,
                err: Callable[[str], None] | None = None) -> None:
    """Views as terminal tables (rich), with the lines under each."""
    from rich.console import Console

    from .table import render

    wide = width if width is not None else console_width()
    console = Console(width=wide if wide is not None else 10_000, soft_wrap=False,
                      highlight=False)
    for n, view in enumerate(views):
        if n:
            console.print()
        if not view.records:
            if view.title and len(views) > 1:
                console.print(f"[bold]{_escape(view.title)}[/]")
            console.print(f"[dim]{_escape(tr(view.empty))}[/]")  # the default is only marked
            continue
        table, notes = render(view.records, view.shown, title=view.title or None, total=view.total,
                              width=wide, styles=view.styles, vertical=vertical,
                              drop=not view.transposed, rule="──" if can_show("──") else "--")
        console.print(table)
        for line in [*notes, *view.footer]:
            console.print(line, highlight=False)


def plain(text: str) -> str:
    """A line with rich markup as plain text (for a workbook cell)."""
    from rich.text import Text

    return str(Text.from_markup(text).plain)


def _escape(text: str) -> str:
    from rich.markup import escape

    return str(escape(text))


#: Titles of data columns no table shows (a workbook carries every data column), in English,
#: shown in the run's language (:attr:`Column.header`).
TITLES = {"expected": N_("expected"), "kind": N_("kind"), "name": N_("name"), "cash_on_hand": N_("cash"),
          "root": N_("folder"), "teams": N_("teams"), "year": N_("year"), "municipality": N_("municipality"),
          "field": "", "holder": N_("budget holder"), "pace": N_("pace"), "expected_spend": N_("expected spend"),
          "requested": N_("requested"), "base": N_("base"), "changes": N_("top-ups and cuts"),
          "start": N_("from"), "end": N_("until"),
          "loans_outstanding": N_("loans and conditional open")}


#: What a data column holds, for the cover sheet, where the view's own columns do not say.
MEANINGS = {
    "id": N_("the entry's number in the ledger (team-year-sequence)"),
    "loans_outstanding": N_("still open on loans and conditional grants together"),
    "team": N_("the budget holder (district team or fund)"),
    "name": N_("the budget holder's name"),
    "holder": N_("the budget holder, unique across the folders (municipality/team where two municipalities name a "
                 "team alike)"),
    "kind": N_("kind: team or fund (budget holder); gift, loan or conditional"),
    "year": N_("the budget year"),
    "budget": N_("the year's budget"),
    "date": N_("the date"),
    "due": N_("the date by which the loan must be repaid"),
    "amount": N_("the amount"),
    "category": N_("what the money was for"),
    "method": N_("how it was paid: pin (card), contant (cash), factuur (invoice) or transfer"),
    "household": N_("the household's pseudonymous code"),
    "note": N_("the spend's note"),
    "repaid": N_("the amount repaid"),
    "outstanding": N_("still open on a loan or conditional gift"),
    "recovered": N_("repaid by the provision that should have paid"),
    "recovered_from": N_("the provision that repaid the amount"),
    "tegenprestatie": N_("what the household does in return"),
    "tegenprestatie_status": N_("where the tegenprestatie stands"),
    "voided": N_("yes: the spend is voided and does not count"),
    "void_reason": N_("why the spend was voided"),
    "condition": N_("what a conditional gift depends on"),
    "outcome": N_("whether the goal was reached"),
    "avoided_cost": N_("the costs the spend avoided"),
    "override_reason": N_("why a rule of thumb was overridden"),
    "second_opinion": N_("who gave a second opinion"),
    "personal_data_allowed": N_("yes: personal data in the text was recorded on purpose"),
    "by": N_("who decided or recorded it"),
    "reason": N_("the reason"),
    "rules": N_("the rules of thumb overridden"),
    "rule": N_("the rule of thumb"),
    "value": N_("the rule of thumb's value"),
    "meaning": N_("what the rule of thumb says"),
    "source": N_("where it comes from (file or setting)"),
    "expected": N_("the share of the year gone by on the cut-off date (in days)"),
    "pace": N_("the pace: the spend expected by the cut-off date as a share of the budget"),
    "expected_spend": N_("the spend expected by the cut-off date at the pace, in euros"),
    "requested": N_("the date the household asked for help"),
    "base": N_("the year's budget without top-ups and cuts"),
    "changes": N_("top-ups minus cuts in the year"),
    "start": N_("the first day of the budget period"),
    "end": N_("the last day of the budget period"),
    "cash_on_hand": N_("cash in the cash box: withdrawn minus spent in cash, written off and deposited"),
    "used": N_("exceptions used from the knipkaart in the year"),
    "limit": N_("exceptions on the card per year"),
    "remaining": N_("exceptions still left"),
    "beyond": N_("exceptions beyond the card"),
    "municipality": N_("the municipality (the ledger's folder)"),
    "root": N_("the ledger's folder"),
    "teams": N_("the number of budget holders"),
    "ref": N_("the bank line's reference"),
    "direction": N_("money out or in"),
    "status": N_("where it stands"),
    "description": N_("the description on the bank statement"),
    "problem": N_("what does not match between bank and ledger"),
    "recorded": N_("the amount in the ledger"),
}


def sheet_columns(view: View) -> list[Column]:
    """A workbook's columns: every data column, titled as the table titles it, with what it
    means (for the cover sheet)."""
    from dataclasses import replace

    shown = {c.key: c for c in view.shown}
    out = []
    for c in view.columns:
        t = shown.get(c.key)
        # The title untranslated: the column's header translates it once.
        title = (t.title or t.key) if t is not None else TITLES.get(c.key, c.title or c.key)
        meaning = (t.meaning if t is not None else "") or c.meaning or MEANINGS.get(c.key, "")
        out.append(replace(c, title=title, meaning=meaning, translate=t.translate if t is not None else True))
    return out


def definitions(views: Sequence[View]) -> list[tuple[str, str]]:
    """(title, meaning) of every column (and every figure row) of the views' sheets; a title
    met twice keeps its first meaning."""
    found: dict[str, str] = {}
    for view in views:
        pairs = list(view.meanings) if view.transposed else [(c.header, c.meaning) for c in sheet_columns(view)]
        for title, meaning in pairs:
            if title.strip() and title not in found:
                found[title] = meaning
    return list(found.items())


def cover_of(views: Sequence[View], to: Target) -> Any:
    """The cover sheet of a workbook of these views: what they are of, and as of when."""
    from ..core.dates import today
    from .xlsx import Cover

    first = views[0]
    municipality = next((v.municipality for v in views if v.municipality), to.municipality)
    day = next((v.as_of for v in views if v.as_of is not None), None) or today()
    period = next((v.period for v in views if v.period), "") or "alles wat is vastgelegd tot en met de peildatum"
    report = first.title if len(views) == 1 else "; ".join(v.title for v in views)
    return Cover(municipality=municipality, report=report, period=period, as_of=day,
                 definitions=definitions(views))


def emit(views: View | Sequence[View], to: Target, *, cover: Any = None) -> None:
    """Views to their target: stdout in the chosen format, or a file (one sheet per view
    in a workbook; JSON of several views is one object of lists, by their ``key``)."""
    items: list[View] = [views] if isinstance(views, View) else list(views)
    fmt = to.format
    if fmt == "xlsx":
        assert to.path is not None
        from .xlsx import Sheet, write_workbook

        check_output(to.path)  # again: the folder may have changed since the command began
        sheets = [Sheet(v.sheet, v.title, sheet_columns(v), v.records, v.total, v.row_kinds,
                        notes=[plain(line) for line in v.footer], empty=plain(v.empty)) for v in items]
        write_workbook(to.path, sheets, cover if cover is not None else cover_of(items, to))
        sys.stderr.write("maatwerk: " + tr("wrote {path}", path=to.path) + "\n")
        return
    if fmt in ("table", "vertical"):
        print_table(items, vertical=fmt == "vertical")
        return
    if fmt == TEXT:
        print_lines(line for v in items for line in v.text_lines)
        return
    if fmt == "json" and (len(items) > 1 or items[0].single):
        fields = [pair for v in items if v.single for r in v.records[:1] for pair in json_pairs(r, v.columns)]
        text = json_object([(v.key or v.sheet, to_json(v.records, v.columns)) for v in items if not v.single],
                           fields)
    elif len(items) > 1 and fmt == "markdown":
        text = "\n".join(render_text(fmt, v) if v.records else f"## {v.title}\n\n{v.empty}\n" for v in items)
    else:
        text = render_text(fmt, items[0])
    if to.path is not None:
        # Excel needs the BOM to read the file as UTF-8; on stdout it would be a stray
        # character at the start of a pipe (and cp1252 has none).
        write_text(to.path, ("\ufeff" if fmt == "csv-nl" else "") + text)
        sys.stderr.write("maatwerk: " + tr("wrote {path}", path=to.path) + "\n")
    else:
        sys.stdout.write(text)


def print_lines(lines: str | Iterable[str]) -> None:
    """Plain lines on stdout: what a command says it did (``added noord``), or a view's
    ``text`` form."""
    for line in [lines] if isinstance(lines, str) else lines:
        sys.stdout.write(f"{line}\n")


def print_id(line_id: str, fmt: str) -> None:
    """What scripts read on stdout after recording: the bare id, or ``{"id": ...}`` (``json``)."""
    import json

    print_lines(json.dumps({"id": line_id}) if fmt == "json" else line_id)
