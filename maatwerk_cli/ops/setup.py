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
from ..core.privacy import guard
from ..core.records import Team
from ..core.text import clean_text
from ..store.atomic import write_atomic, write_new
from ..store.folder import LOCK_FILE, SETTINGS_FILE, TEAMS_DIR, LedgerFolder
from ..store.toml import toml_amount_text


def init(root: str | os.PathLike[str], *, municipality: str = "", year: int | None = None) -> LedgerFolder:
    """Create a ledger folder with a commented ``maatwerk.toml``."""
    from .templates import settings_template

    path = Path(root)
    if (path / SETTINGS_FILE).exists():
        raise InputError(f"{path / SETTINGS_FILE} exists already; this folder is a ledger")
    name = clean_text(municipality, "municipality", limit=100)
    path.mkdir(parents=True, exist_ok=True)
    (path / TEAMS_DIR).mkdir(exist_ok=True)
    write_new(path / SETTINGS_FILE, settings_template(name, year or today().year))
    (path / LOCK_FILE).touch()
    return LedgerFolder(path)


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def add_team(
    folder: LedgerFolder, slug: str, *, name: str, budget: Decimal, year: int, kind: str = "team",
) -> Team:
    """Add a budget holder (a team, or a central ``fund``) with its budget for ``year``."""
    folder.require()
    slug = check_slug(slug, folder.team_slugs())
    title = clean_text(name, "name", limit=100) or slug
    guard({"team": slug, "name": title})  # a team's name is no place for a resident's number
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
    with folder.lock():
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
            raise InputError(f"{folder.display(path)} is a symbolic link; the tool writes only real files "
                             "in the ledger folder: replace the link by the file itself")
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
