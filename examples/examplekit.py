"""Build an example ledger folder the way a clerk would have recorded it, but reproducibly.

Every generator in ``examples/*/generate.py`` (and ``ledgers/generate.py``) describes its
municipality with a :class:`Builder`: budget holders, spends and the events after them.
:meth:`Builder.write` then records everything in date order, through the library's own
validation, so an example can never hold what the tool would refuse:

* spends: :meth:`Ledger.spend_cells`, which checks amount, category, method, kind, due
  date, condition, household code and personal data, the rules of thumb (a hit needs a
  reason) and the cash box (a cash spend must fit in it);
* events: the same checks the library makes before ``mark``, ``repay``, ``void`` and
  ``cash settle`` (repaid never more than owed, nothing after a void, ...);
* afterwards :func:`maatwerk_cli.check_ledger` must find nothing.

What the library does not do for us is the clock: ids, dates and ``recorded_at`` stamps are
fixed here (each line "recorded" on its own date, a few minutes apart), so running a
generator twice gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomlkit

from maatwerk_cli import Ledger, check_ledger
from maatwerk_cli.core.errors import InputError
from maatwerk_cli.core.money import format_plain
from maatwerk_cli.core.privacy import guard as guard_personal_data
from maatwerk_cli.core.privacy import household as normalise_household
from maatwerk_cli.core.privacy import new_household_code
from maatwerk_cli.core.records import KINDS, OUTCOMES, TEGENPRESTATIE_STATUSES, make_id
from maatwerk_cli.core.text import clean_text, resolve_category
from maatwerk_cli.store.atomic import write_atomic
from maatwerk_cli.store.folder import LOCK_FILE, SETTINGS_FILE, TEAMS_DIR
from maatwerk_cli.store.journal import HEADER, encode_line

Amount = Decimal | str | int


def money(value: Amount) -> Decimal:
    """An exact amount from program text: ``"12.50"``, ``35`` or a Decimal."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def day(text: str) -> dt.date:
    """``"2015-07-14"`` as a date."""
    return dt.date.fromisoformat(text)


@dataclass(frozen=True, slots=True)
class Ref:
    """A spend described to the builder; its id is known once it is written.

    team: the budget holder's slug; key: its place among the builder's actions.
    """

    team: str
    key: int


@dataclass(slots=True)
class _Action:
    when: dt.date
    order: int
    team: str
    run: Callable[[], dict[str, str]]
    ref: Ref | None = None


@dataclass(slots=True)
class _Journal:
    lines: int = 0
    per_day: dict[dt.date, int] = field(default_factory=dict)


class ExampleError(Exception):
    """The example describes something the tool would refuse."""


class Builder:
    """One example ledger folder, described in code and written in one go."""

    def __init__(
        self,
        out: Path,
        *,
        municipality: str,
        year: int,
        seed: int,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        self.out = Path(out)
        self.rng = random.Random(seed)
        self._codes: set[str] = set()
        self._actions: list[_Action] = []
        self._ids: dict[Ref, str] = {}
        self._rules: Any = None  # the rules of thumb checker of one write()
        self._journals: dict[str, _Journal] = {}
        _reset(self.out)
        self.ledger = Ledger.init(self.out, municipality=municipality, year=year)
        if settings:
            path = self.out / SETTINGS_FILE
            doc = tomlkit.parse(path.read_text(encoding="utf-8"))
            _merge(doc, settings)
            write_atomic(path, tomlkit.dumps(doc).rstrip("\n") + "\n")
            self.ledger = Ledger(self.out)

    # ------------------------------------------------------------------ set-up

    def team(
        self,
        slug: str,
        name: str,
        budgets: Mapping[int, Amount],
        *,
        kind: str = "team",
        sections: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> str:
        """Add a budget holder with its budget per year and any own ``[rules]`` etc."""
        years = sorted(budgets)
        self.ledger.add_team(slug, name=name, budget=money(budgets[years[0]]), year=years[0], kind=kind)
        for year in years[1:]:
            self.ledger.set_budget(slug, money(budgets[year]), year)
        if sections:
            path = self.ledger.folder.team_path(slug)
            doc = tomlkit.parse(path.read_text(encoding="utf-8"))
            _merge(doc, sections)
            write_atomic(path, tomlkit.dumps(doc).rstrip("\n") + "\n")
        self._journals[slug] = _Journal()
        return slug

    def household(self) -> str:
        """A fresh pseudonymous household code, the same on every run."""
        code = new_household_code(rng=self.rng, existing=self._codes)
        self._codes.add(code)
        return code

    # ------------------------------------------------------------------ describing

    def spend(
        self,
        team: str,
        date: str | dt.date,
        amount: Amount,
        category: str,
        *,
        method: str = "pin",
        household: str | None = None,
        note: str | None = None,
        kind: str = "gift",
        due: str | dt.date | None = None,
        condition: str | None = None,
        tegenprestatie: str | None = None,
        tegenprestatie_status: str = "agreed",
        by: str | None = None,
        reason: str | None = None,
        second_opinion: str | None = None,
    ) -> Ref:
        """A spend, validated as ``maatwerk spend`` would when it is written."""
        when = _date(date)
        value = money(amount)
        due_date = _date(due) if due is not None else None

        def run() -> dict[str, str]:
            cells = self.ledger.spend_cells(
                team, value, category=category, method=method, date=when, household=household,
                note=note, kind=kind, due=due_date, condition=condition,
                tegenprestatie=tegenprestatie, tegenprestatie_status=tegenprestatie_status,
                by=by, reason=reason, second_opinion=second_opinion, rules=self._rules,
            )
            cells.pop("_team")
            return cells

        return self._add(when, team, run, spend=True)

    def refuse(
        self,
        team: str,
        date: str | dt.date,
        reason: str,
        *,
        household: str | None = None,
        amount: Amount | None = None,
        category: str | None = None,
        by: str | None = None,
    ) -> None:
        """A refused request (weigering), as ``maatwerk refuse`` records it."""
        when = _date(date)

        def run() -> dict[str, str]:
            text = _text(reason, "reason")
            if not text:
                raise InputError("a refusal needs a reason")
            return {
                "type": "refusal",
                "date": when.isoformat(),
                "amount": format_plain(money(amount)) if amount is not None else "",
                "category": resolve_category(category, self.ledger.categories) if category else "",
                "household": normalise_household(household),
                "reason": text,
                "by": _text(by, "by", 100),
            }

        self._add(when, team, run)

    def mark_kind(
        self, ref: Ref, date: str | dt.date, kind: str, *, due: str | dt.date | None = None,
        condition: str | None = None, by: str | None = None,
    ) -> None:
        """The entry turned out to be a loan (with a due date) or a conditional grant."""
        when = _date(date)
        due_date = _date(due) if due is not None else None
        if kind not in KINDS:
            raise ExampleError(f"unknown kind {kind!r}")

        def run() -> dict[str, str]:
            entry = self._entry(ref, when)
            cond = _text(condition, "condition")
            if (kind == "conditional") != bool(cond) or (due_date is not None and kind != "loan"):
                raise InputError("a loan takes a due date, a conditional grant a condition")
            if due_date is not None and due_date < entry.date:
                raise InputError("the due date is before the entry's date")
            if kind == "gift" and entry.repaid > 0:
                raise InputError(f"{entry.id} has repayments; it cannot become a gift")
            return {"type": "kind", "ref": entry.id, "kind": kind,
                    "due": due_date.isoformat() if due_date else "", "condition": cond,
                    "by": _text(by, "by", 100)}

        self._add(when, ref.team, run)

    def tegenprestatie(
        self, ref: Ref, date: str | dt.date, text: str, status: str = "agreed", *, by: str | None = None
    ) -> None:
        """What the resident does in return, and how that stands."""
        when = _date(date)
        if status not in TEGENPRESTATIE_STATUSES:
            raise ExampleError(f"unknown tegenprestatie status {status!r}")

        def run() -> dict[str, str]:
            entry = self._entry(ref, when)
            value = _text(text, "tegenprestatie")
            return {"type": "tegenprestatie", "ref": entry.id, "tegenprestatie": value, "status": status,
                    "by": _text(by, "by", 100)}

        self._add(when, ref.team, run)

    def outcome(
        self, ref: Ref, date: str | dt.date, outcome: str, *, avoided_cost: Amount | None = None,
        by: str | None = None,
    ) -> None:
        """Whether the case reached its goal, and the cost it avoided (may be negative)."""
        when = _date(date)
        if outcome not in OUTCOMES:
            raise ExampleError(f"unknown outcome {outcome!r}")

        def run() -> dict[str, str]:
            entry = self._entry(ref, when)
            return {"type": "outcome", "ref": entry.id, "status": outcome,
                    "amount": format_plain(money(avoided_cost)) if avoided_cost is not None else "",
                    "by": _text(by, "by", 100)}

        self._add(when, ref.team, run)

    def repay(self, ref: Ref, date: str | dt.date, amount: Amount, *, by: str | None = None) -> None:
        """A (partial) repayment of a loan or conditional grant; never more than owed."""
        when = _date(date)
        value = money(amount)

        def run() -> dict[str, str]:
            entry = self._entry(ref, when)
            if entry.kind == "gift":
                raise InputError(f"{entry.id} is a gift; it cannot be repaid")
            if value <= 0 or value > entry.owed():
                raise InputError(f"repayment {value} on {entry.id}, which owes {entry.owed()}")
            return {"type": "repay", "ref": entry.id, "amount": format_plain(value),
                    "by": _text(by, "by", 100)}

        self._add(when, ref.team, run)

    def recovered(
        self, ref: Ref, date: str | dt.date, pot: str, amount: Amount | None = None,
        *, by: str | None = None,
    ) -> None:
        """Paid back afterwards by the regular provision that should have paid (default: all)."""
        when = _date(date)

        def run() -> dict[str, str]:
            entry = self._entry(ref, when)
            left = entry.amount - entry.repaid - entry.recovered
            value = money(amount) if amount is not None else left
            if value <= 0 or value > left:
                raise InputError(f"recovering {value} on {entry.id}, of which {left} is left")
            return {"type": "recovered", "ref": entry.id, "amount": format_plain(value),
                    "note": _text(pot, "pot", 200), "by": _text(by, "by", 100)}

        self._add(when, ref.team, run)

    def void(self, ref: Ref, date: str | dt.date, reason: str, *, by: str | None = None) -> None:
        """Cancel an entry; the spend line stays, marked."""
        when = _date(date)

        def run() -> dict[str, str]:
            entry = self._entry(ref, when)
            if entry.repaid > 0 or entry.recovered > 0:
                raise InputError(f"{entry.id} has repayments recorded; it cannot be voided")
            text = _text(reason, "reason")
            if not text:
                raise InputError("a void needs a reason")
            return {"type": "void", "ref": entry.id, "reason": text, "by": _text(by, "by", 100)}

        self._add(when, ref.team, run)

    def withdraw(self, team: str, date: str | dt.date, amount: Amount, *, note: str | None = None,
                 by: str | None = None) -> None:
        """Cash taken from the team's card account (``maatwerk cash withdraw``)."""
        when = _date(date)
        value = money(amount)

        def run() -> dict[str, str]:
            if value <= 0:
                raise InputError("a withdrawal must be more than € 0,00")
            return {"type": "withdraw", "date": when.isoformat(), "amount": format_plain(value),
                    "method": "pin", "note": _text(note, "note"), "by": _text(by, "by", 100)}

        self._add(when, team, run)

    def settle(self, team: str, date: str | dt.date, method: str, *, reason: str | None = None,
               by: str | None = None) -> None:
        """End the cash box's remainder: ``deposit`` it or ``write-off`` (``maatwerk cash settle``)."""
        when = _date(date)

        def run() -> dict[str, str]:
            from maatwerk_cli.ops import cash

            book = self.ledger.folder.book(team).book
            have = cash.tally(book).cash_on_hand
            limit = cash.write_off_limit(self.ledger.settings, self.ledger.team(team))
            if method not in cash.SETTLE_METHODS or have <= 0:
                raise InputError(f"nothing to {method} in the cash box of {team} ({have})")
            if method == "write-off" and have > limit:
                raise InputError(f"{have} is more than the {limit} that may be written off")
            moves = [*book.rows_of("withdraw", "settle").tolist(),
                     *book.spends[book.method_is("contant")].tolist()]
            if moves and int(book.lines.date[moves].max()) > (when - dt.date(1970, 1, 1)).days:
                raise InputError("a settlement before the last cash movement")
            return {"type": "settle", "date": when.isoformat(), "amount": format_plain(have),
                    "method": method, "reason": _text(reason, "reason"), "by": _text(by, "by", 100)}

        self._add(when, team, run)

    def knipkaart(self, team: str, date: str | dt.date, reason: str, *, by: str | None = None,
                  force: bool = False) -> None:
        """One use of the team's knipkaart (``maatwerk knipkaart use``)."""
        when = _date(date)

        def run() -> dict[str, str]:
            from maatwerk_cli.ops import knipkaart

            text = _text(reason, "reason")
            limit = knipkaart.limit_for(self.ledger, team)
            used = len(knipkaart.uses_in(self.ledger.folder.book(team).book, when.year))
            beyond = used >= limit
            if beyond and not force:
                raise InputError(f"the knipkaart of {team} is used up for {when.year}")
            return {"type": "knipkaart", "date": when.isoformat(), "reason": text,
                    "status": knipkaart.BEYOND if beyond else "", "by": _text(by, "by", 100)}

        self._add(when, team, run)

    # ------------------------------------------------------------------ writing

    def write(self) -> None:
        """Record every action in date order, then insist that ``maatwerk check`` finds nothing."""
        from maatwerk_cli.ops import rules

        # One reading of the household history for all spends, as an import does.
        # Published history, replayed: the plausibility rules guard a clerk's typing, not this.
        self._rules = rules.SpendRules(self.ledger.folder, proceed=rules.PROCEED_IMPORT, batch=True,
                                       plausibility=False)
        for action in sorted(self._actions, key=lambda a: (a.when, a.order)):
            try:
                cells = action.run()
            except Exception as exc:
                raise ExampleError(f"{action.team} {action.when}: {exc}") from exc
            cells.setdefault("date", action.when.isoformat())
            row_id = self._append(action.team, action.when, cells)
            if action.ref is not None:
                self._ids[action.ref] = row_id
        problems = check_ledger(Ledger(self.out))
        if problems:
            raise ExampleError("maatwerk check: " + "; ".join(str(p) for p in problems[:5]))

    def id_of(self, ref: Ref) -> str:
        """The id a spend got (after :meth:`write`)."""
        return self._ids[ref]

    # ------------------------------------------------------------------ inside

    def _add(self, when: dt.date, team: str, run: Callable[[], dict[str, str]], *,
             spend: bool = False) -> Ref:
        if team not in self._journals:
            raise ExampleError(f"unknown team {team!r}")
        ref = Ref(team, len(self._actions))
        self._actions.append(_Action(when, len(self._actions), team, run, ref if spend else None))
        return ref

    def _entry(self, ref: Ref, when: dt.date) -> Any:
        """The entry a later event is about, as it stands in the journal now."""
        if ref not in self._ids:
            raise InputError("an event dated before its spend")
        entry_id = self._ids[ref]
        entry = self.ledger.entry(entry_id)
        if entry.voided:
            raise InputError(f"{entry_id} is voided; nothing to change")
        if when < entry.date:
            raise InputError(f"an event on {entry_id} dated before the spend")
        return entry

    def _append(self, team: str, when: dt.date, cells: dict[str, str]) -> str:
        journal = self._journals[team]
        journal.lines += 1
        row_id = make_id(team, when.year, journal.lines)
        nth = journal.per_day.get(when, 0)
        journal.per_day[when] = nth + 1
        # "recorded" on the event's own day, from 08:00 UTC, a few minutes apart
        minutes = 8 * 60 + 7 * nth
        stamp = f"{when.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}:00Z"
        line = encode_line({**cells, "id": row_id, "recorded_at": stamp})
        path = self.ledger.folder.journal_path(team)
        new = not path.exists()
        with open(path, "a", encoding="utf-8", newline="") as fh:
            if new:
                fh.write(HEADER)
            fh.write(line)
        return row_id


def _text(value: str | None, what: str, limit: int = 2000) -> str:
    text = clean_text(value, what, limit=limit)
    guard_personal_data({what: text}, False)
    return text


def _date(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else day(value)


def _merge(doc: Any, values: Mapping[str, Any]) -> None:
    """Set TOML keys and tables, keeping the template's comments."""
    for key, value in values.items():
        if isinstance(value, Mapping):
            if key in doc:
                _merge(doc[key], value)
            else:
                table = tomlkit.table()
                _merge(table, value)
                table.add(tomlkit.nl())
                doc[key] = table
        else:
            doc[key] = value


def _reset(out: Path) -> None:
    """Empty an example folder's ledger files; refuse a folder that is something else."""
    if out.exists():
        known = {SETTINGS_FILE, LOCK_FILE, TEAMS_DIR, "README.md", "generate.py", "__pycache__"}
        strangers = [p.name for p in out.iterdir() if p.name not in known]
        if strangers and not (out / SETTINGS_FILE).exists():
            raise ExampleError(f"{out} holds other files ({', '.join(sorted(strangers)[:3])}); "
                               "choose an empty folder")
        for name in (SETTINGS_FILE, LOCK_FILE):
            (out / name).unlink(missing_ok=True)
        if (out / TEAMS_DIR).is_dir():
            shutil.rmtree(out / TEAMS_DIR)
    out.mkdir(parents=True, exist_ok=True)


def out_folder(script: str) -> Path:
    """Where a generator writes: ``--out DIR``, else the folder the script lives in."""
    args = sys.argv[1:]
    if args[:1] == ["--out"] and len(args) == 2:
        return Path(args[1])
    if args:
        raise SystemExit(f"usage: python {script} [--out DIR]")
    return Path(script).resolve().parent


def describe(out: Path, year: int) -> str:
    """One line about what was written, for the generator's output."""
    ledger = Ledger(out)
    snap = ledger.read()
    live = [e for e in snap.entries if not e.voided and e.date.year == year]
    total = sum((e.amount for e in live), Decimal("0"))
    budget = sum((t.budget(year) for t in ledger.teams()), Decimal("0"))
    return (f"{out}: {len(ledger.team_slugs())} budget holders, {len(live)} spends in {year}, "
            f"total {format_plain(total)} of {format_plain(budget)}, "
            f"{len(snap.refusals)} refusals, {len(snap.rows)} journal lines")


__all__ = ["Builder", "ExampleError", "Ref", "day", "describe", "money", "out_folder"]
