"""Setting up: a new ledger folder, the demo ledger, budget holders and their budgets."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.dates import today
from ..core.errors import InputError
from ..core.messages import Opt, msg, plain_option
from ..core.money import format_plain
from ..core.names import check_slug
from ..core.privacy import guard
from ..core.records import Team
from ..core.text import clean_text
from ..store.atomic import fill_folder, write_atomic, write_new
from ..store.folder import LINK_FIX, LOCK_FILE, SETTINGS_FILE, TEAMS_DIR, LedgerFolder
from ..store.lock import create_lock_file
from ..store.pending import PENDING_FILE
from ..store.toml import toml_amount_text, unsafe_char


def init(root: str | os.PathLike[str], *, municipality: str = "", year: int | None = None,
         language: str = "nl") -> LedgerFolder:
    """Create a ledger folder with a commented ``maatwerk.toml``."""
    from .templates import settings_template

    path = Path(root)
    if (path / SETTINGS_FILE).exists():
        raise InputError(msg("init.exists", file=str(path / SETTINGS_FILE)))
    for name in (SETTINGS_FILE, LOCK_FILE, PENDING_FILE, TEAMS_DIR):
        if (path / name).is_symlink():  # nothing is created through a link
            raise InputError(msg("setup.symbolic_link", file=str(path / name), fix=LINK_FIX))
    title = _name(municipality, "municipality")
    path.mkdir(parents=True, exist_ok=True)
    (path / TEAMS_DIR).mkdir(exist_ok=True)
    write_new(path / SETTINGS_FILE, settings_template(title, year or today().year, language))
    create_lock_file(path / LOCK_FILE)
    return LedgerFolder(path)


#: Demostad 2026, the demo ledger shipped inside the package: a byte-for-byte copy of the
#: repository's ``ledgers/`` (a test keeps the two identical), so an installed copy has it.
DEMO = Path(__file__).resolve().parent.parent / "demo"


def demo(root: str | os.PathLike[str]) -> LedgerFolder:
    """Write the demo ledger into ``root``, a new or empty folder that is not inside a
    ledger folder: every file or none."""
    path = Path(root)
    for folder in (path, *path.parents, *path.resolve().parents):
        if os.path.lexists(folder / SETTINGS_FILE):
            code = "demo.is_ledger" if folder == path else "demo.in_ledger"
            raise InputError(msg(code, folder=str(path), ledger=str(folder)))
    if path.is_symlink():  # nothing is created through a link
        raise InputError(msg("setup.symbolic_link", file=str(path), fix=LINK_FIX))
    if path.exists() and not path.is_dir():
        raise InputError(msg("demo.not_folder", path=str(path)))
    if path.is_dir() and any(path.iterdir()):
        raise InputError(msg("demo.not_empty", folder=str(path)))
    files = {p.relative_to(DEMO).as_posix(): p.read_bytes() for p in sorted(DEMO.rglob("*")) if p.is_file()}
    fill_folder(path, files, last=SETTINGS_FILE)
    return LedgerFolder(path)


def _name(text: str, what: str) -> str:
    """A name as the settings hold it: one line of plain text (store.toml.check_texts
    refuses the file otherwise), so a bidi control is refused here already."""
    title = clean_text(text, what, limit=100)
    bad = unsafe_char(title)
    if bad:
        raise InputError(msg("setup.name_unsafe", what=what, char=bad))
    return title


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def add_team(
    folder: LedgerFolder, slug: str, *, name: str, budget: Decimal, year: int, kind: str = "team",
) -> Team:
    """Add a budget holder (a team, or a central ``fund``) with its budget for ``year``."""
    folder.require()
    slug = check_slug(slug, folder.team_slugs())
    title = _name(name, "name") or slug
    guard({"team": slug, "name": title})  # a team's name is no place for a resident's number
    if kind not in ("team", "fund"):
        raise InputError(msg("team.unknown_kind", kind=repr(kind), choices=("team", "fund")))
    if budget < 0:
        raise InputError(msg("budget.negative"))
    help_ = plain_option(Opt("help"))  # the comment names the rules' help (no flag is spelled here)
    text = (
        f"# Budget holder {slug}: edit by hand or with `maatwerk team budget`.\n"
        f"name = {_toml_str(title)}\n"
        f'kind = "{kind}"  # "team" (a wijkteam) or "fund" (e.g. a doorbraakfonds)\n'
        "\n[budget]  # budget per calendar year\n"
        f"{year} = {toml_amount_text(budget)}\n"
        f"\n# Own rules of thumb, overriding [rules] in maatwerk.toml key by key (`maatwerk rules {help_}`);\n"
        "# false switches one off for this team.\n"
        "# [rules]\n# max_per_spend = 750\n"
        "# [knipkaart]\n# per_year = 5\n"
    )
    with folder.lock():  # refuses a link in the folder (a team file or journal there, say)
        path = folder.team_path(slug)
        folder.teams_dir.mkdir(exist_ok=True)
        if path.exists() or path.is_symlink():
            raise InputError(msg("team.exists", team=repr(slug)))
        write_new(path, text)
    folder.forget_team(slug)
    return folder.load_team(slug)


def set_budget(folder: LedgerFolder, slug: str, amount: Decimal, year: int) -> Team:
    """Set a budget holder's base budget for a year, keeping the file's comments and layout.

    Top-ups and cuts recorded for the year stay as they are and still count on top."""
    return edit_budget(folder, slug, year, base=amount)


def change_budget(
    folder: LedgerFolder, slug: str, amount: Decimal, start: dt.date, *, note: str | None = None,
) -> Team:
    """Record a top-up (a positive amount) or a cut (a negative one) of the budget of
    ``start``'s year, counting from ``start``: a new ``[[budget_change]]`` block at the end
    of the team file. Earlier amounts are never overwritten."""
    return edit_budget(folder, slug, start.year, change=(amount, start, note))


def set_period(
    folder: LedgerFolder, slug: str, year: int, start: dt.date | None, end: dt.date | None,
) -> Team:
    """Give a year's budget its own period (a pilot from 1 July), or back the whole calendar
    year when ``start`` and ``end`` are 1 January and 31 December (or None)."""
    return edit_budget(folder, slug, year, period=(start, end))


def edit_budget(
    folder: LedgerFolder,
    slug: str,
    year: int,
    *,
    base: Decimal | None = None,
    period: tuple[dt.date | None, dt.date | None] | None = None,
    change: tuple[Decimal, dt.date, str | None] | None = None,
) -> Team:
    """Set the base budget, the period and/or record a top-up or cut of one year, in one
    write: all of it, or (on any mistake) nothing."""
    edits: list[Callable[[str], str]] = []
    if base is not None:
        edits.append(_base_edit(base, year))
    if period is not None:
        edits.append(_period_edit(year, *period))
    if change is not None:
        amount, start, note = change
        if start.year != year:
            raise InputError(msg("budget.top_up_outside_year" if amount > 0 else "budget.cut_outside_year",
                                 start=start, year=year))
        edits.append(_change_edit(amount, start, note))

    def edit(text: str) -> str:
        for one in edits:
            text = one(text)
        return text

    return _edit_team(folder, slug, edit)


def _base_edit(amount: Decimal, year: int) -> Callable[[str], str]:
    import tomlkit

    if amount < 0:
        raise InputError(msg("budget.negative"))

    def edit(text: str) -> str:
        doc = tomlkit.parse(text)
        table = doc.get("budget")
        if table is None:
            table = tomlkit.table()
            doc["budget"] = table
        value: Any = int(amount) if amount == amount.to_integral_value() else format_plain(amount)
        table[str(year)] = value
        return tomlkit.dumps(doc)

    return edit


def _change_edit(amount: Decimal, start: dt.date, note: str | None) -> Callable[[str], str]:
    if amount == 0:
        raise InputError(msg("budget.change_zero"))
    text_note = clean_text(note, "note", limit=200)
    unsafe = unsafe_char(text_note)
    if unsafe:
        raise InputError(msg("budget.note_unsafe", char=unsafe))
    guard({"note": text_note})
    kind = "top-up" if amount > 0 else "cut"
    block = (f"\n[[budget_change]]  # {kind}, recorded {today().isoformat()}\n"
             f"from = {start.isoformat()}\n"
             f"amount = {toml_amount_text(amount)}\n"
             + (f"note = {_toml_str(text_note)}\n" if text_note else ""))

    def edit(text: str) -> str:
        return (text if not text or text.endswith("\n") else text + "\n") + block

    return edit


def _period_edit(year: int, start: dt.date | None, end: dt.date | None) -> Callable[[str], str]:
    import tomlkit

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for day, what in ((start, Opt("start")), (end, Opt("end"))):
        if day is not None and day.year != year:
            raise InputError(msg("budget.period_outside_year", option=what, day=day, year=year))
    start = None if start == first else start
    end = None if end == last else end
    if start is not None and end is not None and end < start:
        raise InputError(msg("budget.period_ends_before_start", end=end, start=start))
    given = {k: d for k, d in (("start", start), ("end", end)) if d is not None}
    # Written as tomlkit writes an inline table, so a later edit leaves the line as it is.
    line = f"{year} = {{{', '.join(f'{k} = {d.isoformat()}' for k, d in given.items())}}}\n"

    def edit(text: str) -> str:
        doc = tomlkit.parse(text)
        table = doc.get("budget_period")
        if table is not None:
            if given:
                value = tomlkit.inline_table()
                value.update(given)
                table[str(year)] = value
            elif str(year) in table:
                del table[str(year)]
            return tomlkit.dumps(doc)
        if not given:
            return text  # the whole year already
        return _insert_after_budget(text, "\n[budget_period]  # a budget that does not run the whole "
                                          "calendar year\n" + line)

    return edit


def _insert_after_budget(text: str, block: str) -> str:
    """``block`` right after the last ``year = amount`` line of ``[budget]`` (at the end
    without one), so the team file reads top to bottom."""
    lines = text.splitlines(keepends=True)
    at = None
    inside = False
    for i, line in enumerate(lines):
        bare = line.strip()
        if bare.startswith("["):
            if inside:
                break
            inside = bare.split("#")[0].strip() == "[budget]"
            if inside:
                at = i + 1
        elif inside and bare and not bare.startswith("#"):
            at = i + 1
    if at is None:
        return (text if not text or text.endswith("\n") else text + "\n") + block
    if not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    return "".join(lines[:at]) + block + "".join(lines[at:])


def _edit_team(folder: LedgerFolder, slug: str, edit: Callable[[str], str]) -> Team:
    """Change a team file under the lock: the new text is read back by the team file's own
    reader before it replaces the old one, so the tool never writes a file that ``check``
    would refuse (the mistake is named in one line instead, and nothing is written)."""
    from ..core.errors import MaatwerkError
    from ..store.toml import loads

    folder.require()
    slug = slug.strip().lower()
    team = folder.load_team(slug)
    with folder.lock():
        path = folder.team_path(team.slug)
        if path.is_symlink():
            raise InputError(msg("setup.symbolic_link", file=folder.display(path), fix=LINK_FIX))
        old = path.read_text(encoding="utf-8-sig")
        new = edit(old)
        where = folder.display(path)
        try:
            folder.parse_team(team.slug, loads(new, where), lambda: new)
        except MaatwerkError as exc:
            raise InputError(msg("budget.nothing_written", problem=exc.msg or str(exc))) from None
        if new != old:
            write_atomic(path, new, shown=where)
    folder.forget_team(team.slug)
    return folder.load_team(team.slug)
