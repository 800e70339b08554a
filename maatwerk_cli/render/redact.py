"""``--redact``: listings and reports fit to hand to a researcher.

A redacted export leaves out every free-text field (notes, stories, reasons,
tegenprestaties, conditions, bank descriptions) and the names of professionals (``by``,
``second_opinion``), and replaces each household code with a pseudonym such as
``HH-0007``. The pseudonyms hold within one export only: the numbers are handed out
in a fresh random order every time, so two exports cannot be joined on them, while
inside one export the same household keeps the same pseudonym (repeat spends stay
visible). Amounts, dates, categories, teams and ids are kept.

Use::

    from maatwerk_cli.render.redact import redact

    records, columns = redact(records, columns)          # one table

    r = Redactor()                                        # several tables, one export
    a, cols_a = r.redact(records_a, columns_a)
    b, cols_b = r.redact(records_b, columns_b)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .columns import Column, Record

#: Keys left out of a redacted export: free text, and names of the professionals.
TEXT_FIELDS = frozenset({
    "note", "notes", "story", "stories", "example", "examples",
    "reason", "reasons", "override_reason", "void_reason", "refusal_reason",
    "tegenprestatie", "condition",
    "description",  # a bank line's text: may name a payee
    "by", "second_opinion",
})
#: Keys that hold household codes; their values are replaced by pseudonyms.
HOUSEHOLD_FIELDS = frozenset({"household", "households"})
PSEUDONYM_PREFIX = "HH"


class Redactor:
    """Redacts the tables of one export with one set of household pseudonyms.

    drop: further keys to leave out, on top of :data:`TEXT_FIELDS`.
    """

    def __init__(self, drop: Iterable[str] = ()) -> None:
        self.drop = TEXT_FIELDS | frozenset(drop)
        self._names: dict[str, str] = {}
        import secrets

        self._rng = secrets.SystemRandom()

    def pseudonym(self, code: str) -> str:
        """The pseudonym of one household code (a new one gets the next number)."""
        if not code:
            return code
        if code not in self._names:
            self._names[code] = f"{PSEUDONYM_PREFIX}-{len(self._names) + 1:04d}"
        return self._names[code]

    def columns(self, columns: Sequence[Column]) -> list[Column]:
        """The columns that stay in a redacted export."""
        return [c for c in columns if c.key not in self.drop]

    def records(self, records: Iterable[Record]) -> list[dict[str, Any]]:
        """The records without free text, with household pseudonyms (nested lists too)."""
        rows = list(records)
        # Number the households met here in random order, so the numbers say nothing
        # about the codes or about the order of the rows.
        new = sorted({c for r in rows for c in _codes(r, self.drop)} - set(self._names))
        self._rng.shuffle(new)
        for code in new:
            self.pseudonym(code)
        return [self._record(r) for r in rows]

    def redact(
        self, records: Iterable[Record], columns: Sequence[Column]
    ) -> tuple[list[dict[str, Any]], list[Column]]:
        """Records and columns for one redacted table."""
        return self.records(records), self.columns(columns)

    def _record(self, record: Record) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in record.items():
            if key in self.drop:
                continue
            out[key] = self._value(key, value)
        return out

    def _value(self, key: str, value: Any) -> Any:
        if key in HOUSEHOLD_FIELDS:
            if isinstance(value, str):
                return self.pseudonym(value)
            if isinstance(value, (list, tuple)):
                return [self.pseudonym(v) if isinstance(v, str) else v for v in value]
        if isinstance(value, Mapping):
            return self._record(value)
        if isinstance(value, (list, tuple)) and any(isinstance(v, Mapping) for v in value):
            return [self._record(v) if isinstance(v, Mapping) else v for v in value]
        return value


def _codes(record: Record, drop: frozenset[str]) -> Iterable[str]:
    for key, value in record.items():
        if key in drop:
            continue
        if key in HOUSEHOLD_FIELDS:
            if isinstance(value, str) and value:
                yield value
            elif isinstance(value, (list, tuple)):
                yield from (v for v in value if isinstance(v, str) and v)
        elif isinstance(value, Mapping):
            yield from _codes(value, drop)
        elif isinstance(value, (list, tuple)):
            for v in value:
                if isinstance(v, Mapping):
                    yield from _codes(v, drop)


def redact(
    records: Iterable[Record], columns: Sequence[Column], drop: Iterable[str] = ()
) -> tuple[list[dict[str, Any]], list[Column]]:
    """One redacted table: free text left out, household codes replaced by pseudonyms."""
    return Redactor(drop).redact(records, columns)


def redact_records(
    records: Iterable[Record], columns: Sequence[Column] = (), drop: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Just the records of :func:`redact` (``columns`` is accepted for symmetry)."""
    return Redactor(drop).records(records)


def redact_columns(columns: Sequence[Column], drop: Iterable[str] = ()) -> list[Column]:
    """Just the columns of :func:`redact`."""
    return Redactor(drop).columns(columns)
