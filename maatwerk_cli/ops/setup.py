"""Setting up: a new ledger folder, budget holders and their budgets."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.dates import today
from ..core.errors import InputError
from ..core.money import format_plain
from ..core.names import check_slug
from ..core.records import Team
from ..core.text import clean_text
from ..store.atomic import NOFOLLOW, write_atomic, write_new
from ..store.folder import LINK_FIX, LOCK_FILE, SETTINGS_FILE, TEAMS_DIR, LedgerFolder
from ..store.pending import PENDING_FILE
from ..store.toml import toml_amount_text, unsafe_char


def init(root: str | os.PathLike[str], *, municipality: str = "", year: int | None = None) -> LedgerFolder:
    """Create a ledger folder with a commented ``maatwerk.toml``."""
    from .templates import settings_template

    path = Path(root)
    if (path / SETTINGS_FILE).exists():
        raise InputError(f"{path / SETTINGS_FILE} exists already; this folder is a ledger")
    for name in (SETTINGS_FILE, LOCK_FILE, PENDING_FILE, TEAMS_DIR):
        if (path / name).is_symlink():  # nothing is created through a link
            raise InputError(f"{path / name} is a symbolic link; {LINK_FIX}")
    title = _name(municipality, "municipality")
    path.mkdir(parents=True, exist_ok=True)
    (path / TEAMS_DIR).mkdir(exist_ok=True)
    write_new(path / SETTINGS_FILE, settings_template(title, year or today().year))
    os.close(os.open(path / LOCK_FILE, os.O_WRONLY | os.O_CREAT | NOFOLLOW, 0o644))
    return LedgerFolder(path)


def _name(text: str, what: str) -> str:
    """A name as the settings hold it: one line of plain text (store.toml.check_texts
    refuses the file otherwise), so a bidi control is refused here already."""
    title = clean_text(text, what, limit=100)
    bad = unsafe_char(title)
    if bad:
        raise InputError(f"the {what} holds a {bad}, which a name may not hold; type it without")
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
    if kind not in ("team", "fund"):
        raise InputError(f"kind {kind!r} is not one of: team, fund")
    if budget < 0:
        raise InputError("a budget cannot be negative")
    text = (
        f"# Budget holder {slug}: edit by hand or with `maatwerk team budget`.\n"
        f"name = {_toml_str(title)}\n"
        f'kind = "{kind}"  # "team" (a wijkteam) or "fund" (e.g. a doorbraakfonds)\n'
        "\n[budget]  # budget per calendar year\n"
        f"{year} = {toml_amount_text(budget)}\n"
        "\n# Own rules of thumb, overriding [rules] in maatwerk.toml key by key (docs/rules.md);\n"
        "# false switches one off for this team.\n"
        "# [rules]\n# max_per_spend = 750\n"
        "# [knipkaart]\n# per_year = 5\n"
    )
    with folder.lock():  # refuses a link in the folder (a team file or journal there, say)
        path = folder.team_path(slug)
        folder.teams_dir.mkdir(exist_ok=True)
        if path.exists() or path.is_symlink():
            raise InputError(f"team {slug!r} exists already")
        write_new(path, text)
    folder.forget_team(slug)
    return folder.load_team(slug)


def set_budget(folder: LedgerFolder, slug: str, amount: Decimal, year: int) -> Team:
    """Set a budget holder's budget for a year, keeping the file's comments and layout."""
    import tomlkit

    folder.require()
    slug = slug.strip().lower()
    team = folder.load_team(slug)
    if amount < 0:
        raise InputError("a budget cannot be negative")
    with folder.lock():
        path = folder.team_path(team.slug)
        if path.is_symlink():
            raise InputError(f"{folder.display(path)} is a symbolic link; {LINK_FIX}")
        doc = tomlkit.parse(path.read_text(encoding="utf-8-sig"))
        table = doc.get("budget")
        if table is None:
            table = tomlkit.table()
            doc["budget"] = table
        value: Any = int(amount) if amount == amount.to_integral_value() else format_plain(amount)
        table[str(year)] = value
        write_atomic(path, tomlkit.dumps(doc))
    folder.forget_team(team.slug)
    return folder.load_team(team.slug)
