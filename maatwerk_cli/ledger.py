"""The library API: open a ledger folder, record spends and events, read entries.

Every operation the command line offers is a method here; the CLI only parses and
renders. Methods take already-parsed values (``Decimal``, ``date``) so scripts need no
string juggling; :func:`maatwerk_cli.core.money.parse_amount` and
:func:`maatwerk_cli.core.dates.parse_date` turn user text into them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.dates import today
from .core.errors import InputError, LedgerError, MaatwerkError, NotFoundError, Problem
from .core.money import ZERO, format_eur, format_plain
from .core.records import (
    DEFAULT_CATEGORIES,
    KINDS,
    METHODS,
    OUTCOMES,
    TEGENPRESTATIE_STATUSES,
    Entry,
    Refusal,
    Row,
    Settings,
    Team,
    fold_rows,
    fold_text,
    resolve_category,
)
from .store.storage import (
    LOCK_FILE,
    SETTINGS_FILE,
    TEAMS_DIR,
    JournalRead,
    LedgerFolder,
    extra_text,
    split_id,
    toml_amount_text,
    write_atomic,
    write_new,
)

if TYPE_CHECKING:
    import pandas as pd

MAX_TEXT = 2000
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
_HOUSEHOLD = re.compile(r"^[A-Z0-9](?:[A-Z0-9-]{0,22}[A-Z0-9])?$")


def clean_text(value: str | None, what: str, *, limit: int = MAX_TEXT) -> str:
    """Free text as stored: one line, no control characters, not too long."""
    if value is None:
        return ""
    text = " ".join("".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in value).split())
    if len(text) > limit:
        raise InputError(f"{what} is {len(text)} characters long; keep it under {limit}")
    return text


def check_slug(slug: str, existing: Iterable[str] = ()) -> str:
    """A team slug that is safe as a file name and unique regardless of case."""
    from .core.names import check_slug as _check

    return _check(slug, existing)


def normalise_household(code: str | None) -> str:
    """A pseudonymous household code, upper case; empty when not given."""
    if code is None or not code.strip():
        return ""
    from .core.privacy import normalise_household as _normalise

    return _normalise(code)


def guard_personal_data(fields: Mapping[str, str | None], allowed: bool) -> None:
    """Refuse free text that holds a BSN, IBAN, phone number or e-mail address."""
    if allowed or not any(fields.values()):
        return  # nothing to scan: keep the clerk's path free of the scanner's imports
    from .core.privacy import check_fields, describe

    hits = check_fields(fields)
    if hits:
        field = hits[0][0]
        raise InputError(describe([f for name, f in hits if name == field], field))


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything read from a ledger folder at one moment.

    entries: spends as they stand after their events; refusals: refused requests;
    rows: every good journal row (all types); problems: every line set aside.
    """

    entries: tuple[Entry, ...]
    refusals: tuple[Refusal, ...]
    rows: tuple[Row, ...]
    problems: tuple[Problem, ...]


class Ledger:
    """One ledger folder: a municipality's budget holders and their journals."""

    def __init__(self, root: str | os.PathLike[str] = "ledgers") -> None:
        self.folder = LedgerFolder(root)
        self._settings: Settings | None = None

    @property
    def root(self) -> Path:
        return self.folder.root

    # ------------------------------------------------------------------ set-up

    @classmethod
    def init(
        cls, root: str | os.PathLike[str], *, municipality: str = "", year: int | None = None
    ) -> Ledger:
        """Create a ledger folder with a commented ``maatwerk.toml``."""
        from .ops.templates import settings_template

        path = Path(root)
        if (path / SETTINGS_FILE).exists():
            raise InputError(f"{path / SETTINGS_FILE} exists already; this folder is a ledger")
        name = clean_text(municipality, "municipality", limit=100)
        path.mkdir(parents=True, exist_ok=True)
        (path / TEAMS_DIR).mkdir(exist_ok=True)
        write_new(path / SETTINGS_FILE, settings_template(name, year or today().year))
        (path / LOCK_FILE).touch()
        return cls(path)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self.folder.load_settings()
        return self._settings

    @property
    def categories(self) -> tuple[str, ...]:
        return self.settings.categories or DEFAULT_CATEGORIES

    def teams(self) -> list[Team]:
        self.folder.require()
        return self.folder.load_teams()

    def team(self, slug: str) -> Team:
        self.folder.require()
        return self.folder.load_team(slug.strip().lower())

    def team_slugs(self) -> list[str]:
        self.folder.require()
        return self.folder.team_slugs()

    def add_team(
        self,
        slug: str,
        *,
        name: str,
        budget: Decimal,
        year: int,
        kind: str = "team",
    ) -> Team:
        """Add a budget holder (a team, or a central ``fund``) with its budget for ``year``."""
        self.folder.require()
        slug = check_slug(slug, self.folder.team_slugs())
        title = clean_text(name, "name", limit=100) or slug
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
        with self.folder.lock():
            path = self.folder.team_path(slug)
            self.folder.teams_dir.mkdir(exist_ok=True)
            if path.exists():
                raise InputError(f"team {slug!r} exists already")
            write_new(path, text)
        return self.team(slug)

    def set_budget(self, slug: str, amount: Decimal, year: int) -> Team:
        """Set a budget holder's budget for a year, keeping the file's comments and layout."""
        import tomlkit

        team = self.team(slug)
        if amount < 0:
            raise InputError("a budget cannot be negative")
        with self.folder.lock():
            path = self.folder.team_path(team.slug)
            doc = tomlkit.parse(path.read_text(encoding="utf-8-sig"))
            table = doc.get("budget")
            if table is None:
                table = tomlkit.table()
                doc["budget"] = table
            value: Any = int(amount) if amount == amount.to_integral_value() else format_plain(amount)
            table[str(year)] = value
            write_atomic(path, tomlkit.dumps(doc))
        return self.team(team.slug)

    # ------------------------------------------------------------------ reading

    def read(self, teams: Sequence[str] | None = None) -> Snapshot:
        """Entries, refusals, rows and problems of the given teams (default: all)."""
        _ = self.settings  # a damaged maatwerk.toml is reported before any figure is shown
        slugs = list(teams) if teams else self.folder.team_slugs()
        entries: list[Entry] = []
        refusals: list[Refusal] = []
        rows: list[Row] = []
        problems: list[Problem] = []
        for slug in slugs:
            self.folder.require_team(slug)
            got = self.folder.read(slug)
            found, refused = fold_rows(got.rows)
            entries.extend(found.values())
            refusals.extend(refused)
            rows.extend(got.rows)
            problems.extend(got.problems)
        return Snapshot(tuple(entries), tuple(refusals), tuple(rows), tuple(problems))

    def entries(
        self,
        team: str | None = None,
        *,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        category: str | None = None,
        kind: str | None = None,
        household: str | None = None,
    ) -> list[Entry]:
        """Entries as they stand now, filtered; voided ones included, marked."""
        return self.select_entries(
            team, date_from=date_from, date_to=date_to, category=category, kind=kind,
            household=household,
        )[0]

    def select_entries(
        self,
        team: str | None = None,
        *,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        category: str | None = None,
        kind: str | None = None,
        household: str | None = None,
    ) -> tuple[list[Entry], tuple[Problem, ...]]:
        """Like :meth:`entries`, with the lines that were set aside while reading."""
        snap = self.read([self._team_slug(team)] if team else None)
        cat = resolve_category(category, self.categories) if category else None
        hh = normalise_household(household) if household else None
        if kind and kind not in KINDS:
            raise InputError(f"kind {kind!r} is not one of: {', '.join(KINDS)}")
        return [
            e
            for e in snap.entries
            if (date_from is None or e.date >= date_from)
            and (date_to is None or e.date <= date_to)
            and (cat is None or e.category == cat)
            and (kind is None or e.kind == kind)
            and (hh is None or e.household == hh)
        ], snap.problems

    def entries_frame(self, team: str | None = None, **filters: Any) -> pd.DataFrame:
        """:meth:`entries` as a pandas DataFrame (amounts as Decimal objects)."""
        import pandas as pd

        from .core.fields import ENTRY_FIELDS, entry_record

        rows = [entry_record(e) for e in self.entries(team, **filters)]
        return pd.DataFrame(rows, columns=list(ENTRY_FIELDS))

    def entry(self, entry_id: str) -> Entry:
        """One entry by id (``noord-2025-0042``)."""
        found, _ = self._find(entry_id)
        return found

    def _team_slug(self, team: str) -> str:
        slug = team.strip().lower()
        self.folder.require_team(slug)
        return slug

    def _find(self, entry_id: str) -> tuple[Entry, JournalRead]:
        self.folder.require()
        try:
            slug, _, _ = split_id(entry_id)
        except ValueError:
            raise InputError(
                f"{entry_id!r} is not an entry id; ids look like noord-2025-0042 "
                "(`maatwerk entries` lists them)"
            ) from None
        if not self.folder.has_team(slug):
            raise NotFoundError(f"no entry {entry_id!r}: there is no team {slug!r}")
        got = self.folder.read(slug)
        entries, _ = fold_rows(got.rows)
        key = entry_id.strip().lower()
        if key not in entries:
            other = next((r for r in got.rows if r.id == key), None)
            if other is not None:
                raise InputError(f"{key} is a {other.type} line, not a spend")
            raise NotFoundError(f"no entry {entry_id!r} in team {slug!r}")
        return entries[key], got

    # ------------------------------------------------------------------ recording

    def spend(
        self,
        team: str,
        amount: Decimal,
        *,
        category: str,
        method: str = "pin",
        date: dt.date | None = None,
        household: str | None = None,
        note: str | None = None,
        kind: str = "gift",
        due: dt.date | None = None,
        condition: str | None = None,
        tegenprestatie: str | None = None,
        tegenprestatie_status: str = "agreed",
        by: str | None = None,
        reason: str | None = None,
        second_opinion: str | None = None,
        allow_personal_data: bool = False,
        extra: Mapping[str, Any] | None = None,
        bank_line: str | None = None,
    ) -> str:
        """Record a spend; return its id. Nothing is written when anything is wrong.

        ``bank_line`` completes an open line of an imported bank statement (see
        :mod:`maatwerk_cli.ops.bank`); without ``date`` the spend takes the line's date.
        """
        # A cash spend or a bank line is checked against the journal: hold the lock from
        # that check to the write. Card payments skip this and never read the journal.
        guarded = method == "contant" or bool(bank_line)
        with self.folder.lock() if guarded else contextlib.nullcontext():
            cells = self.spend_cells(
                team,
                amount,
                category=category,
                method=method,
                date=date,
                household=household,
                note=note,
                kind=kind,
                due=due,
                condition=condition,
                tegenprestatie=tegenprestatie,
                tegenprestatie_status=tegenprestatie_status,
                by=by,
                reason=reason,
                second_opinion=second_opinion,
                allow_personal_data=allow_personal_data,
                extra=extra,
                bank_line=bank_line,
            )
            slug = cells.pop("_team")
            return self.folder.append(slug, [cells], locked=guarded)[0]

    def spend_cells(
        self,
        team: str,
        amount: Decimal,
        *,
        category: str,
        method: str = "pin",
        date: dt.date | None = None,
        household: str | None = None,
        note: str | None = None,
        kind: str = "gift",
        due: dt.date | None = None,
        condition: str | None = None,
        tegenprestatie: str | None = None,
        tegenprestatie_status: str = "agreed",
        by: str | None = None,
        reason: str | None = None,
        second_opinion: str | None = None,
        allow_personal_data: bool = False,
        extra: Mapping[str, Any] | None = None,
        bank_line: str | None = None,
    ) -> dict[str, str]:
        """Validate a spend and return its journal cells (with ``_team``); writes nothing."""
        slug = self._team_slug(team)
        if amount <= 0:
            raise InputError("a spend must be more than € 0,00")
        if method not in METHODS:
            raise InputError(f"method {method!r} is not one of: {', '.join(METHODS)}")
        if kind not in KINDS:
            raise InputError(f"kind {kind!r} is not one of: {', '.join(KINDS)}")
        if due is not None and kind != "loan":
            raise InputError("--due is for loans; add --kind loan")
        cond = clean_text(condition, "condition")
        if cond and kind != "conditional":
            raise InputError("--condition is for conditional grants; add --kind conditional")
        if kind == "conditional" and not cond:
            raise InputError("a conditional grant needs --condition: what must the resident do?")
        if tegenprestatie_status not in TEGENPRESTATIE_STATUSES:
            raise InputError(
                f"status {tegenprestatie_status!r} is not one of: {', '.join(TEGENPRESTATIE_STATUSES)}"
            )
        when = date or today()
        if due is not None and due < when:
            raise InputError("the due date is before the spend's date")
        texts = {
            "note": clean_text(note, "note"),
            "condition": cond,
            "tegenprestatie": clean_text(tegenprestatie, "tegenprestatie"),
            "reason": clean_text(reason, "reason"),
        }
        guard_personal_data(texts, allow_personal_data)
        more: dict[str, Any] = dict(extra or {})
        if second_opinion:
            more["second_opinion"] = clean_text(second_opinion, "second opinion", limit=100)
        if allow_personal_data:
            more["personal_data_allowed"] = True
        cells = {
            "_team": slug,
            "type": "spend",
            "date": when.isoformat(),
            "amount": format_plain(amount),
            "category": resolve_category(category, self.categories),
            "method": method,
            "kind": kind,
            "household": normalise_household(household),
            "due": due.isoformat() if due else "",
            "condition": cond,
            "tegenprestatie": texts["tegenprestatie"],
            "status": tegenprestatie_status if texts["tegenprestatie"] else "",
            "note": texts["note"],
            "reason": texts["reason"],
            "by": clean_text(by, "by", limit=100),
            "extra": extra_text(more),
        }
        if method == "contant" or bank_line:
            # Cash must be in the box; a bank line must be open and match. Only these read
            # the journal: a card payment costs the same on any size of ledger.
            from .ops.cash import check_spend_source

            check_spend_source(self.folder, cells, amount, bank_line=bank_line, date_given=date is not None)
        # Rules of thumb come last: a hit says how to go on, so other mistakes go first.
        from .ops.rules import check_spend

        check_spend(self, cells, reason=texts["reason"], second_opinion=more.get("second_opinion", ""))
        return cells

    def _event(
        self,
        entry_id: str,
        check: Callable[[Entry], None],
        cells: dict[str, str],
    ) -> str:
        """Append one event about an entry, validated against its state under the lock."""
        self.folder.require()
        with self.folder.lock():
            entry, _ = self._find(entry_id)
            if entry.voided:
                raise InputError(f"{entry.id} is voided ({entry.void_reason}); nothing to change")
            check(entry)
            cells = {"date": today().isoformat(), **cells, "ref": entry.id}
            return self.folder.append(entry.team, [cells], locked=True)[0]

    def mark_kind(
        self,
        entry_id: str,
        kind: str,
        *,
        due: dt.date | None = None,
        condition: str | None = None,
        by: str | None = None,
    ) -> str:
        """Make an entry a gift, a loan (optionally with a due date) or a conditional grant."""
        if kind not in KINDS:
            raise InputError(f"kind {kind!r} is not one of: {', '.join(KINDS)}")
        cond = clean_text(condition, "condition")
        if kind == "conditional" and not cond:
            raise InputError("a conditional grant needs --condition: what must the resident do?")
        if kind != "conditional" and cond:
            raise InputError("--condition is for conditional grants")
        if kind != "loan" and due is not None:
            raise InputError("--due is for loans")
        guard_personal_data({"condition": cond}, False)

        def check(entry: Entry) -> None:
            if due is not None and due < entry.date:
                raise InputError("the due date is before the entry's date")
            if kind == "gift" and entry.repaid > 0:
                raise InputError(f"{entry.id} has repayments; it cannot become a gift")

        return self._event(
            entry_id,
            check,
            {
                "type": "kind",
                "kind": kind,
                "due": due.isoformat() if due else "",
                "condition": cond,
                "by": clean_text(by, "by", limit=100),
            },
        )

    def mark_tegenprestatie(
        self, entry_id: str, text: str, *, status: str = "agreed", by: str | None = None
    ) -> str:
        """Record what the resident does in return (tegenprestatie), and how it stands."""
        if status not in TEGENPRESTATIE_STATUSES:
            raise InputError(f"status {status!r} is not one of: {', '.join(TEGENPRESTATIE_STATUSES)}")
        value = clean_text(text, "tegenprestatie")
        if not value:
            raise InputError("say what the tegenprestatie is")
        guard_personal_data({"tegenprestatie": value}, False)
        return self._event(
            entry_id,
            lambda e: None,
            {"type": "tegenprestatie", "tegenprestatie": value, "status": status,
             "by": clean_text(by, "by", limit=100)},
        )

    def mark_outcome(
        self, entry_id: str, outcome: str, *, avoided_cost: Decimal | None = None,
        by: str | None = None,
    ) -> str:
        """Record whether the case reached its goal, and the cost it avoided (may be negative)."""
        if outcome not in OUTCOMES:
            raise InputError(f"outcome {outcome!r} is not one of: {', '.join(OUTCOMES)}")
        return self._event(
            entry_id,
            lambda e: None,
            {
                "type": "outcome",
                "status": outcome,
                "amount": format_plain(avoided_cost) if avoided_cost is not None else "",
                "by": clean_text(by, "by", limit=100),
            },
        )

    def mark_recovered(
        self, entry_id: str, *, pot: str, amount: Decimal | None = None,
        date: dt.date | None = None, by: str | None = None,
    ) -> str:
        """Record money paid back by the regular provision that should have paid (default: all)."""
        name = clean_text(pot, "pot", limit=200)
        if not name:
            raise InputError("say which provision paid it back, with --from")
        if amount is not None and amount <= 0:
            raise InputError("the recovered amount must be more than € 0,00")
        chosen: list[Decimal] = []

        def check(entry: Entry) -> None:
            left = entry.amount - entry.repaid - entry.recovered
            value = amount if amount is not None else left
            if left <= 0:
                raise InputError(f"{entry.id} is already fully paid back")
            if value > left:
                raise InputError(
                    f"{format_eur(value)} is more than the {format_eur(left)} not yet paid back on {entry.id}"
                )
            if date is not None and date < entry.date:
                raise InputError("the date is before the entry's date")
            chosen.append(value)

        # The amount is only known under the lock; pass it through a small closure.
        return self._event_with_amount(entry_id, check, chosen, {
            "type": "recovered", "note": name, "by": clean_text(by, "by", limit=100),
            **({"date": date.isoformat()} if date else {}),
        })

    def repay(
        self, entry_id: str, amount: Decimal, *, date: dt.date | None = None,
        by: str | None = None,
    ) -> str:
        """Record a (partial) repayment of a loan or conditional grant; more than owed is refused."""
        if amount <= 0:
            raise InputError("a repayment must be more than € 0,00")

        def check(entry: Entry) -> None:
            if entry.kind == "gift":
                raise InputError(
                    f"{entry.id} is a gift; mark it as a loan first (`maatwerk mark {entry.id} loan`)"
                )
            owed = entry.owed()
            if owed <= 0:
                raise InputError(f"{entry.id} is fully repaid")
            if amount > owed:
                raise InputError(
                    f"{format_eur(amount)} is more than the {format_eur(owed)} still owed on {entry.id}"
                )
            if date is not None and date < entry.date:
                raise InputError("the repayment date is before the entry's date")

        cells = {"type": "repay", "amount": format_plain(amount), "by": clean_text(by, "by", limit=100)}
        if date:
            cells["date"] = date.isoformat()
        return self._event(entry_id, check, cells)

    def void(self, entry_id: str, *, reason: str, by: str | None = None) -> str:
        """Cancel an entry with a reason; the original line stays in the journal."""
        text = clean_text(reason, "reason")
        if not text:
            raise InputError("say why the entry is voided, with --reason")
        guard_personal_data({"reason": text}, False)

        def check(entry: Entry) -> None:
            if entry.repaid > 0 or entry.recovered > 0:
                raise InputError(f"{entry.id} has repayments recorded; it cannot be voided")

        return self._event(
            entry_id, check, {"type": "void", "reason": text, "by": clean_text(by, "by", limit=100)}
        )

    def refuse(
        self,
        team: str,
        *,
        reason: str,
        household: str | None = None,
        amount: Decimal | None = None,
        category: str | None = None,
        date: dt.date | None = None,
        by: str | None = None,
        allow_personal_data: bool = False,
    ) -> str:
        """Record a refused request (weigering) with its reason."""
        slug = self._team_slug(team)
        text = clean_text(reason, "reason")
        if not text:
            raise InputError("say why the request was refused, with --reason")
        guard_personal_data({"reason": text}, allow_personal_data)
        if amount is not None and amount <= 0:
            raise InputError("the amount asked must be more than € 0,00")
        cells = {
            "type": "refusal",
            "date": (date or today()).isoformat(),
            "amount": format_plain(amount) if amount is not None else "",
            "category": resolve_category(category, self.categories) if category else "",
            "household": normalise_household(household),
            "reason": text,
            "by": clean_text(by, "by", limit=100),
            "extra": extra_text({"personal_data_allowed": True} if allow_personal_data else {}),
        }
        return self.folder.append(slug, [cells])[0]

    def append_cells(self, team: str, cells: Sequence[Mapping[str, str]]) -> list[str]:
        """Append prepared journal cells for one team under the lock (for importers)."""
        return self.folder.append(self._team_slug(team), cells)

    def _event_with_amount(
        self,
        entry_id: str,
        check: Callable[[Entry], None],
        chosen: list[Decimal],
        cells: dict[str, str],
    ) -> str:
        def check_and_fill(entry: Entry) -> None:
            check(entry)
            cells["amount"] = format_plain(chosen[-1])

        return self._event(entry_id, check_and_fill, cells)


def _toml_str(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def open_ledger(root: str | os.PathLike[str] = "ledgers") -> Ledger:
    """Open an existing ledger folder (raises NotFoundError when it is not one)."""
    ledger = Ledger(root)
    ledger.folder.require()
    return ledger


__all__ = ["Ledger", "Snapshot", "open_ledger", "MaatwerkError", "LedgerError", "fold_text", "ZERO"]
