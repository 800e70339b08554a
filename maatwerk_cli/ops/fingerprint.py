"""Never import a spreadsheet twice: each row's fingerprint, and the rows the ledger has already.

A row's fingerprint is a hash of its values as the tool reads them (team, date, amount,
category, method, kind, household, the texts and the request date), not of its place in the file: the same
sheet saved again as CSV, with ``1.234,56`` written ``1234.56`` or its rows in another
order, has the same rows. Every imported line keeps its row's fingerprint in ``extra``
(``"row"``), next to the import's ``"batch"``.

Two equal rows in one sheet are two rows (two identical grocery payments on one day):
rows are matched by fingerprint and count, so a sheet with one more such row than before
has one new row. A line voided since no longer counts as imported.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.errors import InputError, MaatwerkError
from ..core.messages import Opt, msg

if TYPE_CHECKING:
    from ..store.folder import LedgerFolder

#: The key in a journal line's ``extra`` that holds its row's fingerprint.
KEY = "row"
#: The fields of a row that make its fingerprint, in this order.
FIELDS = ("team", "date", "amount", "category", "method", "kind", "household", "note", "tegenprestatie",
          "due", "condition", "by", "reason", "second_opinion")
#: Fields added later: part of the fingerprint only when the row has them, so the rows
#: imported before they existed keep their fingerprints.
LATER = ("requested",)


@dataclass(frozen=True, slots=True)
class Known:
    """A line in the ledger that came from a row with this fingerprint.

    id: the line's id; recorded_at: when it was written (UTC, ``2025-03-14T10:30:00Z``).
    """

    id: str
    recorded_at: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A row of the sheet that was imported before: its row number and the line it became."""

    row: int
    known: Known


def fingerprint(values: Mapping[str, str], team: str) -> str:
    """The fingerprint of one row (``values`` by field, as read from the sheet).

    Dates and amounts count as read (``14-3-2025`` is ``2025-03-14``, ``1.234,56`` is
    ``1234.56``), names ignoring case and accents, texts ignoring extra spaces. A value the
    tool cannot read counts as written; such a row is refused anyway.
    """
    from ..core.dates import parse_date
    from ..core.money import format_plain, parse_amount
    from ..core.text import fold_text

    def read(field: str, raw: str) -> str:
        text = " ".join(raw.split())
        if not text:
            return ""
        try:
            if field in ("date", "due", "requested"):
                return parse_date(text, allow_future=True).isoformat()
            if field == "amount":
                return format_plain(parse_amount(text))
        except MaatwerkError:
            return text
        if field in ("category", "method", "kind", "team", "household"):
            return fold_text(text)
        return text

    parts = [read(f, team if f == "team" else values.get(f, "")) for f in FIELDS]
    parts += [f"{f}={read(f, values[f])}" for f in LATER if values.get(f, "").strip()]
    return hashlib.blake2b(json.dumps(parts, ensure_ascii=False).encode("utf-8"), digest_size=10).hexdigest()


def known_rows(folder: LedgerFolder, teams: Sequence[str]) -> dict[str, list[Known]]:
    """Fingerprint -> the lines (spends that stand) imported from rows with it, in file order."""
    found: dict[str, list[Known]] = {}
    own = set(folder.team_slugs())
    books = folder.books([t for t in dict.fromkeys(teams) if t in own])
    for folded in books.values():
        book = folded.book
        values = {e: v for e, v in book.extra_values(KEY).items() if isinstance(v, str) and not book.voided[e]}
        at = list(values)
        for line_id, stamp, value in zip(book.ids(at), book.recorded_at(at), values.values(), strict=True):
            found.setdefault(value, []).append(Known(line_id, stamp))
    return found


def split(
    rows: Sequence[tuple[int, str]], known: Mapping[str, Sequence[Known]]
) -> tuple[list[int], list[Skipped]]:
    """Rows (row number, fingerprint) as (row numbers that are new, rows imported before).

    Equal rows are matched one for one: the first as many as the ledger has are known.
    """
    seen: dict[str, int] = {}
    new: list[int] = []
    skipped: list[Skipped] = []
    for number, fp in rows:
        n = seen.get(fp, 0)
        seen[fp] = n + 1
        earlier = known.get(fp, ())
        if n < len(earlier):
            skipped.append(Skipped(number, earlier[n]))
        else:
            new.append(number)
    return new, skipped


def when(stamp: str) -> str:
    """``2025-03-14T10:30:00Z`` as ``14-03-2025 10:30 UTC``."""
    import datetime as dt

    try:
        moment = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return stamp or str(msg("import.an_earlier_import"))
    return moment.strftime("%d-%m-%Y %H:%M UTC")


def refusal(name: str, total: int, skipped: Sequence[Skipped]) -> InputError:
    """The one line that refuses a sheet whose rows were imported before: when, and as which ids."""
    by_time: dict[str, list[str]] = {}
    for s in skipped:
        by_time.setdefault(s.known.recorded_at[:16], []).append(s.known.id)
    parts = []
    for stamp, ids in list(by_time.items())[:3]:
        shown = ids[0] if len(ids) == 1 else msg("import.id_range", first=ids[0], last=ids[-1], count=len(ids))
        parts.append(str(msg("import.before_as", when=when(stamp + ":00Z" if len(stamp) == 16 else stamp),
                             ids=shown)))
    if len(by_time) > 3:
        parts.append(str(msg("import.more_imports", count=len(by_time) - 3)))
    where = "; ".join(parts)
    if len(skipped) == total:
        return InputError(msg("import.all_rows_before", file=name, total=total, where=where, again=Opt("again")))
    return InputError(msg("import.some_rows_before", file=name, count=len(skipped), total=total, where=where,
                          new_only=Opt("new-only"), again=Opt("again")))
