"""``maatwerk check``: every problem in a ledger folder at once, with file and line.

Readers already set aside torn and damaged lines; this module adds what needs the
whole picture: unique ids, events that refer to real entries, sums that add up,
known categories and values, and personal data in free text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from ..core.errors import MaatwerkError, Problem
from ..core.money import ZERO
from ..core.records import KINDS, METHODS, OUTCOMES, TEGENPRESTATIE_STATUSES, Row, fold_text
from ..ledger import Ledger
from ..store.storage import split_id
from .knipkaart import check_rows as check_knipkaart
from .rules import check_team_rules

#: Further checks other parts of the tool add: (ledger, team slug, rows, file) -> problems.
TeamCheck = Callable[[Ledger, str, Sequence[Row], str], list[Problem]]


def _cash_and_bank(ledger: Ledger, slug: str, rows: Sequence[Row], name: str) -> list[Problem]:
    # Imported when `check` runs, not with the package: `import maatwerk_cli` stays quick.
    from .bank import check_bank
    from .cash import check_cash

    return check_cash(ledger, slug, rows, name) + check_bank(ledger, slug, rows, name)


EXTRA_CHECKS: list[TeamCheck] = [_cash_and_bank, check_team_rules, check_knipkaart]


def check_ledger(ledger: Ledger) -> list[Problem]:
    """All problems in the folder; an empty list means clean."""
    problems: list[Problem] = []
    folder = ledger.folder
    try:
        settings = ledger.settings
    except MaatwerkError as exc:
        return [Problem(folder.display(folder.settings_path), 0, str(exc))]
    categories = {fold_text(c) for c in settings.categories}
    slugs = folder.team_slugs()
    if folder.teams_dir.is_dir():
        for csv_path in sorted(folder.teams_dir.glob("*.csv")):
            # teams/<slug>.csv is a journal, teams/<slug>.bank.csv its bank lines.
            owner = csv_path.name.removesuffix(".csv").removesuffix(".bank")
            if owner not in slugs:
                what = "bank file" if csv_path.name.endswith(".bank.csv") else "journal"
                problems.append(Problem(folder.display(csv_path), 0,
                                        f"{what} without a team file {owner}.toml"))
    for slug in slugs:
        try:
            folder.load_team(slug)
        except MaatwerkError as exc:
            problems.append(Problem(folder.display(folder.team_path(slug)), 0, str(exc)))
        got = folder.read(slug)
        name = folder.display(folder.journal_path(slug))
        problems.extend(got.problems)
        problems.extend(_check_rows(got.rows, name, categories))
        if settings.raw.get("privacy", {}).get("scan", True) is not False:
            problems.extend(_check_privacy(got.rows, name))
        for extra in EXTRA_CHECKS:
            problems.extend(extra(ledger, slug, got.rows, name))
    return problems


def _check_rows(rows: Sequence[Row], name: str, categories: set[str]) -> list[Problem]:
    out: list[Problem] = []
    seen: dict[str, int] = {}
    last_seq = 0
    spends: dict[str, Row] = {}
    paid_back: dict[str, Decimal] = {}
    voided: set[str] = set()
    kind_of: dict[str, str] = {}

    def bad(row: Row, message: str) -> None:
        out.append(Problem(name, row.line, f"{row.id}: {message}"))

    for row in rows:
        if row.id in seen:
            bad(row, f"id used before, on line {seen[row.id]}")
            continue
        seen[row.id] = row.line
        _, year, seq = split_id(row.id)
        if seq <= last_seq:
            bad(row, "id is out of order (lines must only be appended)")
        last_seq = max(last_seq, seq)
        if year != row.date.year:
            bad(row, f"id year {year} does not match the date {row.date.isoformat()}")
        if row.type == "spend":
            spends[row.id] = row
            kind_of[row.id] = row.kind
            if row.amount is None or row.amount <= 0:
                bad(row, "a spend needs an amount above zero")
            if fold_text(row.category) not in categories:
                bad(row, f"unknown category {row.category!r} (not in maatwerk.toml)")
            if row.method not in METHODS:
                bad(row, f"unknown method {row.method!r}")
            if row.kind not in KINDS:
                bad(row, f"unknown kind {row.kind!r}")
            if row.kind == "conditional" and not row.condition:
                bad(row, "a conditional grant without a condition")
            continue
        if row.type == "refusal":
            if not row.reason:
                bad(row, "a refusal without a reason")
            continue
        if row.type in ("withdraw", "settle", "knipkaart", "bank-link"):
            continue  # checked by their own modules
        if row.ref not in spends:
            bad(row, f"refers to {row.ref or 'nothing'}, which is not an earlier spend of this team")
            continue
        if row.ref in voided:
            bad(row, f"refers to {row.ref}, which was voided before")
        if row.type == "kind":
            if row.kind not in KINDS:
                bad(row, f"unknown kind {row.kind!r}")
            else:
                kind_of[row.ref] = row.kind
        elif row.type == "tegenprestatie" and row.status not in TEGENPRESTATIE_STATUSES:
            bad(row, f"unknown tegenprestatie status {row.status!r}")
        elif row.type == "outcome" and row.status not in OUTCOMES:
            bad(row, f"unknown outcome {row.status!r}")
        elif row.type in ("repay", "recovered"):
            if row.amount is None or row.amount <= 0:
                bad(row, f"a {row.type} needs an amount above zero")
                continue
            if row.type == "repay" and kind_of.get(row.ref) == "gift":
                bad(row, f"repayment on {row.ref}, which is a gift")
            total = paid_back.get(row.ref, ZERO) + row.amount
            paid_back[row.ref] = total
            spent = spends[row.ref].amount or ZERO
            if total > spent:
                bad(row, f"repaid and recovered add up to {total}, more than the {spent} spent")
        elif row.type == "void":
            voided.add(row.ref)
    return out


def _check_privacy(rows: Sequence[Row], name: str) -> list[Problem]:
    from ..core.privacy import check_fields

    out: list[Problem] = []
    for row in rows:
        if row.extra.get("personal_data_allowed"):
            continue
        fields = {
            "note": row.note,
            "reason": row.reason,
            "tegenprestatie": row.tegenprestatie,
            "condition": row.condition,
            "household": row.household,
        }
        for field, finding in check_fields(fields):
            out.append(Problem(name, row.line,
                               f"{row.id}: {field} holds what looks like {finding.masked}"))
    return out
