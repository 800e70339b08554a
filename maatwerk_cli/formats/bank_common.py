"""Records and helpers shared by the bank statement readers (internal to ``formats``).

The public entry point is :mod:`maatwerk_cli.formats.bank`; the readers live in
``bank_csv`` (CSV, TAB and spreadsheet exports), ``bank_camt`` (camt.053 XML) and
``bank_mt940`` (SWIFT MT940). Every reader returns :class:`Part` records, one per account
(flat files) or per statement (camt.053, MT940), and fails with :func:`_fail` only.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import NamedTuple, NoReturn

from ..core.errors import InputError, Problem
from ..core.messages import Msg, msg
from ..core.money import CENT, MAX_AMOUNT
from ..core.privacy import find_personal_data, quoted

DEBIT = "debit"
CREDIT = "credit"

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CELL_CHARS = 10_000
MAX_DESCRIPTION = 200


@dataclass(frozen=True, slots=True)
class BankLine:
    """One booked line of a bank statement.

    ref: the bank's own reference for the line where the format has one (see the module
        notes), else ``"h:"`` + 16 hex digits of a SHA-256 over account, date, signed
        amount, description and the occurrence number of identical lines in the file; the
        same statement read twice, or an overlapping one, gives the same refs.
    date: booking date.
    amount: the amount, positive, to the cent.
    direction: ``"debit"`` (money out of the account) or ``"credit"`` (money in).
    description: counterparty name and free text, whitespace collapsed, at most 200 chars.
    counterparty: the other party's name when the file gives one, else ``""``.
    account: the own account (IBAN or account number) when known, else ``""``.
    line: 1-based line in the file where the entry starts (0 when unknown).
    hash_text: only while reading: the text the stable hash is taken over where a reader now
        reads a description better than it once did ("" means the description), so that a
        statement imported before gives the same refs and nothing is imported twice.
    """

    ref: str
    date: dt.date
    amount: Decimal
    direction: str
    description: str
    counterparty: str
    account: str
    line: int
    hash_text: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Statement:
    """The lines of one bank file.

    format: one of :data:`~maatwerk_cli.formats.bank.FORMATS`.
    lines: the booked lines, in file order.
    opening_balance / closing_balance: the account balance before the first and after the
        last line, when the file states or implies it (signed: negative is overdrawn);
        ``None`` when the file has no balances, or holds statements of several accounts.
    layout: what exactly was read, for people: bank, kind of file and variant
        (``"Rabobank CSV (English headers)"``).
    note: "" when every line was checked against balances the file states; otherwise why
        that could not be done (the file has no balances, a statement lacks its closing
        balance, ...), for the import summary.
    warnings: what was read in a way the file did not quite ask for, one per line it
        concerns (NUL bytes inside a field read as spaces), for the person importing.
    """

    format: str
    lines: tuple[BankLine, ...]
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    layout: str = ""
    note: str = ""
    warnings: tuple[Problem, ...] = ()


class Part(NamedTuple):
    """What a reader found for one account (flat files) or one statement (camt.053, MT940).

    account: the own account, "" when the file does not say.
    lines: the booked lines, in file order.
    opening / closing: the balance before the first and after the last line, when known.
    note: "" when the lines were checked against balances the file states; else why not,
        for the import summary.
    """

    account: str
    lines: list[BankLine]
    opening: Decimal | None
    closing: Decimal | None
    note: str | Msg


# Messages and small helpers --------------------------------------------------------------


def _fail(file: str, line: int, message: str | Msg) -> NoReturn:
    problem = Problem(file or "input", line, message)  # messages read "<file>: is ..."
    raise InputError(problem.placed(), (problem,))


def _quoted(raw: str) -> str:
    """A refused value for a message: cut down, or only what it looks like, masked, when it
    holds personal data (a message never repeats what the privacy guard keeps out)."""
    return quoted(raw) if find_personal_data(raw) else repr(_short(raw, 30))


def _short(text: str, limit: int = 60) -> str:
    """A value cut down for quoting in a one-line message."""
    clean = _clean(text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BAD_TEXT_CHARS = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    """Text with control and direction-override characters removed, whitespace collapsed."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _describe(*parts: str) -> str:
    """Join the non-empty parts (each once), collapse whitespace, cut to the limit."""
    kept: list[str] = []
    for part in parts:
        clean = _clean(part)
        if clean and all(clean.casefold() != k.casefold() for k in kept):
            kept.append(clean)
    return " ".join(kept)[:MAX_DESCRIPTION].rstrip()


# Amounts, dates, accounts ----------------------------------------------------------------

_COMMA_AMOUNT = re.compile(r"([+-]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?")
_DOT_AMOUNT = re.compile(r"([+-]?)(\d+)(?:\.(\d{1,2}))?")


def _amount(text: str, file: str, line: int, *, comma: bool, signed: bool,
            what: str | Msg = "amount") -> Decimal:
    """An amount as the bank wrote it: decimal comma (dots group thousands) or decimal dot."""
    raw = text.strip()
    match = (_COMMA_AMOUNT if comma else _DOT_AMOUNT).fullmatch(raw)
    if match is None or (match.group(1) and not signed):
        _fail(file, line, msg("statement.not_an_amount", what=what, value=_quoted(raw)))
    whole = match.group(2).replace(".", "") if comma else match.group(2)
    value = Decimal(f"{whole}.{match.group(3) or '0'}")
    if value >= MAX_AMOUNT:
        _fail(file, line, msg("statement.amount_too_large", what=what, value=_quoted(raw)))
    if match.group(1) == "-":
        value = -value
    return value.quantize(CENT)


def _exact_cents(value: Decimal, file: str, line: int, what: str | Msg = "amount") -> Decimal:
    """``value`` to the cent, refusing fractions of a cent and absurd sizes."""
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        _fail(file, line, msg("statement.implausible_amount", what=what, value=_short(str(value), 30)))
    cents = value.quantize(CENT)
    if cents != value:
        _fail(file, line, msg("statement.fractions_of_a_cent", what=what, value=value))
    return cents


_DATE_PATTERNS = {
    "yyyymmdd": re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    "yyyy-mm-dd": re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"),
    "dd-mm-yyyy": re.compile(r"(?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4})"),
}


def _date(text: str, layout: str, file: str, line: int, what: str | Msg = "date") -> dt.date:
    raw = text.strip()
    match = _DATE_PATTERNS[layout].fullmatch(raw)
    if match is None:
        _fail(file, line, msg("statement.not_a_date", what=what, value=_quoted(raw), layout=layout))
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        _fail(file, line, msg("statement.date_does_not_exist", what=what, value=repr(raw)))


def _account(text: str, file: str, line: int, *, required: bool) -> str:
    """An own-account number or IBAN without spaces."""
    value = "".join(_clean(text).split())
    if not value and required:
        _fail(file, line, msg("statement.no_own_account"))
    if len(value) > 40:
        _fail(file, line, msg("statement.account_too_long", account=repr(_short(value, 30))))
    return value


_NL_IBAN = re.compile(r"NL\d{2}[A-Z]{4}(\d{10})")
_ACCOUNT_NUMBER = re.compile(r"(?:[A-Z]+/)?(\d{1,10})")


def same_account(one: str, other: str) -> bool:
    """Whether two spellings of an own account are the same account.

    Banks write an account as an IBAN in one export and as the number inside it in another
    (ABN AMRO's TXT ``567812349``, Triodos's MT940 ``TRIODOSBANK/0390571846``, de Volksbank's
    old numbers): a Dutch IBAN and its account number are one account. Two IBANs are one
    only when they are equal: the same number at two banks is two accounts.
    """
    a, b = ("".join(x.split()).upper() for x in (one, other))
    if a == b:
        return True
    iban_a, iban_b = _NL_IBAN.fullmatch(a), _NL_IBAN.fullmatch(b)
    if iban_a and iban_b:
        return False
    number_a = iban_a or _ACCOUNT_NUMBER.fullmatch(a)
    number_b = iban_b or _ACCOUNT_NUMBER.fullmatch(b)
    return bool(number_a and number_b and int(number_a.group(1)) == int(number_b.group(1)))


def _euro(currency: str | None, file: str, line: int) -> None:
    if currency and currency.strip().upper() != "EUR":
        _fail(file, line, msg("statement.not_euro", currency=_short(currency, 10)))


def _running_balances(moves: Sequence[tuple[Decimal, Decimal]]) -> tuple[Decimal | None, Decimal | None]:
    """Opening and closing balance from (signed amount, balance after) pairs in file order.

    Banks list oldest-first or newest-first; whichever order makes every balance follow
    from the one before gives the answer. If neither does (a filtered export), ``None``.
    """
    if not moves:
        return None, None
    pairs = range(1, len(moves))
    if all(moves[i - 1][1] + moves[i][0] == moves[i][1] for i in pairs):
        return moves[0][1] - moves[0][0], moves[-1][1]
    if all(moves[i][1] + moves[i - 1][0] == moves[i - 1][1] for i in pairs):
        return moves[-1][1] - moves[-1][0], moves[0][1]
    return None, None


def _flat_parts(lines: Sequence[BankLine], after: Sequence[Decimal] | None, what: str | Msg) -> list[Part]:
    """The lines of a flat file grouped per own account, with balances where they add up.

    ``after`` holds the balance after each line (same order as ``lines``), or is None
    when the file states none. Each account's balances must follow from one line to the
    next (oldest-first or newest-first); when they do not, the lines stay unchecked.
    """
    order: list[str] = []
    grouped: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if line.account not in grouped:
            order.append(line.account)
            grouped[line.account] = []
        grouped[line.account].append(i)
    parts: list[Part] = []
    for account in order:
        picked = [lines[i] for i in grouped[account]]
        if after is None:
            note: str | Msg = msg("statement.no_balances", what=what)
            parts.append(Part(account, picked, None, None, note))
            continue
        opening, closing = _running_balances([(_signed(lines[i]), after[i]) for i in grouped[account]])
        note = "" if opening is not None else msg("statement.balances_do_not_follow", account=account or "?")
        parts.append(Part(account, picked, opening, closing, note))
    return parts


def _signed(line: BankLine) -> Decimal:
    return line.amount if line.direction == CREDIT else -line.amount


def _finish(lines: Sequence[BankLine]) -> list[BankLine | None]:
    """Every line with a ref that is unique in the file; None in the place of a zero line.

    A line without a unique bank reference gets its stable hash. Zero lines (no money)
    are left out (None), so that callers can keep lines and their statements together.
    """
    kept = [
        replace(line, counterparty=line.counterparty[:MAX_DESCRIPTION]) if line.amount != 0 else None
        for line in lines
    ]
    # Unique per own account: a file of several accounts may use one reference in each.
    ref_counts = Counter((line.account, line.ref) for line in kept if line and line.ref)
    occurrences: Counter[tuple[str, dt.date, Decimal, str]] = Counter()
    result: list[BankLine | None] = []
    for line in kept:
        if line is None or (line.ref and ref_counts[line.account, line.ref] == 1):
            result.append(line if line is None or not line.hash_text else replace(line, hash_text=""))
            continue
        text = line.hash_text or line.description
        key = (line.account, line.date, _signed(line), text)
        occurrences[key] += 1
        payload = "\x1f".join(
            (line.account, line.date.isoformat(), f"{_signed(line):.2f}", text, str(occurrences[key]))
        )
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
        result.append(replace(line, ref=f"h:{digest}", hash_text=""))
    return result


def _day_ref(value: str, date: dt.date) -> str:
    """A reference that is only unique within a day, made unique across statements."""
    return f"{value}/{date.isoformat()}"


# Free text inside descriptions -----------------------------------------------------------

# Keys of the SWIFT-style "/KEY/value/KEY/value" text of Dutch MT940 :86: fields and of
# recent ABN AMRO TAB lines.
_SLASH_KEYS = (
    "TRTP", "IBAN", "BIC", "NAME", "REMI", "EREF", "MARF", "CSID", "ORDP", "BENM", "ADDR",
    "ISDT", "PREF", "RTRN", "CNTP", "PURP", "ULTC", "ULTD", "ULTB", "SVCL", "KREF", "OCMT",
    "CHGS", "EXCH", "IREF", "RTYP", "ID",
)
_SLASH_SPLIT = re.compile(r"/(" + "|".join(_SLASH_KEYS) + r")/")
_SLASH_START = re.compile(r"/(?:" + "|".join(_SLASH_KEYS) + r")/")
_SUBFIELD = re.compile(r">(\d{2})")
_NAAM = re.compile(
    r"Naam: (.+?)(?=\s{2,}|\s*\b(?:Omschrijving|Machtiging|Kenmerk|IBAN|BIC|Voor|Incassant|Naam):|$)"
)

# ABN AMRO's card payments (BEA) and cash machine withdrawals (GEA) name the other party
# only inside the text, before the card number: "BEA, Betaalpas Bakkerij X,PAS004 NR:..."
# or "BEA NR:K2L3M4 03.04.25/08.12 Bakkerij X,PAS004".
_CARD_PAYMENT = re.compile(
    r"(?:BEA|GEA)(?:,? (?i:Betaalpas)| NR:\S+?,? \d\d\.\d\d\.\d\d/\d\d[.:]\d\d) (.+?) ?,PAS\d{3}\b"
)


def _card_payee(text: str) -> str:
    """The shop or cash machine named in an ABN AMRO card payment's text, else ""."""
    found = _CARD_PAYMENT.match(_clean(text))
    return _clean(found.group(1)) if found else ""


def _slash_fields(text: str) -> dict[str, str] | None:
    """``{"NAME": ..., "REMI": ...}`` from "/KEY/value/..." text, or None for other text."""
    if not _SLASH_START.match(text):
        return None
    parts = _SLASH_SPLIT.split(text)
    fields: dict[str, str] = {}
    for key, value in zip(parts[1::2], parts[2::2], strict=True):
        fields.setdefault(key, value.strip("/ "))
    return fields


def _remittance(fields: Mapping[str, str]) -> str:
    """The payment's own text of "/KEY/value" fields: REMI without its USTD/STRD mark, else TRTP."""
    return re.sub(r"^(?:USTD|STRD)/+(?:CUR/+)?", "", fields.get("REMI", "")) or fields.get("TRTP", "")


def _text_parts(raw_lines: Sequence[str]) -> tuple[str, str]:
    """(counterparty, description) from the free text of a bank line.

    Understands the SWIFT "/NAME/.../REMI/..." layout, Triodos ">20..>29" subfields and
    ABN AMRO's "Naam: ..." columns; any other text is kept as it is.
    """
    joined = "".join(part.strip("\r\n") for part in raw_lines)  # structured text wraps mid-word
    fields = _slash_fields(joined.strip())
    if fields is not None:
        name = fields.get("NAME", "")
        if not name and "CNTP" in fields:  # ING 2014: /CNTP/iban/bic/name/place/
            cntp = fields["CNTP"].split("/")
            name = cntp[2] if len(cntp) > 2 else ""
        return _clean(name), _describe(name, _remittance(fields))
    if re.match(r"\d{3}>\d{2}", joined):
        chunks = _SUBFIELD.split(joined)
        sub = dict(zip(chunks[1::2], chunks[2::2], strict=True))
        name = "".join(sub.get(code, "") for code in ("32", "33"))
        text = "".join(sub.get(str(code), "") for code in range(20, 30))
        return _clean(name), _describe(name, text)
    plain = " ".join(raw_lines)
    naam = _NAAM.search(plain)
    name = _clean(naam.group(1)) if naam else _card_payee(plain)
    return name, _describe(plain)


# CSV plumbing ----------------------------------------------------------------------------


def _records(
    text: str, file: str, *, delimiter: str, quotechar: str = '"', quotes: bool = True
) -> Iterator[tuple[int, list[str]]]:
    """(first line number, stripped cells) of each non-blank record."""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quotechar,
        quoting=csv.QUOTE_MINIMAL if quotes else csv.QUOTE_NONE, skipinitialspace=True, strict=False,
    )
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            _fail(file, start, msg("statement.csv_unreadable", error=_short(str(exc))))
        line, start = start, reader.line_num + 1
        for cell in row:
            if len(cell) > MAX_CELL_CHARS:
                _fail(file, line, msg("statement.field_too_long", length=len(cell)))
        if any(cell.strip() for cell in row):
            yield line, [cell.strip() for cell in row]


def _norm_header(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').casefold().split())


class _Table:
    """Header-based access to the rows of a CSV export, in whichever language its header is.

    ``languages`` maps a language to the header names of its columns (logical key to
    header name, or to several names the bank has used); the first language whose header
    holds every ``required`` column is the file's. The language is read from the header,
    never asked: banks write the same export in Dutch or English as the site was set.
    """

    def __init__(
        self,
        file: str,
        line: int,
        header: list[str],
        languages: Mapping[str, Mapping[str, str | tuple[str, ...]]],
        required: Sequence[str],
    ) -> None:
        self.file = file
        self.width = len(header)
        self.loose_end = bool(header) and header[-1] == ""
        names = [_norm_header(cell) for cell in header]
        best: list[str] | None = None
        for language, columns in languages.items():
            index: dict[str, int] = {}
            for key, aliases in columns.items():
                for alias in (aliases,) if isinstance(aliases, str) else aliases:
                    if alias in names:
                        index[key] = names.index(alias)
                        break
            missing = [_first(columns[key]) for key in required if key not in index]
            if not missing:
                self.language = language
                self.index = index
                return
            if best is None or len(missing) < len(best):
                best = missing
        first_missing = best[0] if best else "?"
        _fail(file, line, msg("statement.header_missing_column", column=repr(first_missing)))

    def fit(self, row: list[str], line: int) -> None:
        """Refuse a row whose number of fields does not match the header."""
        n = len(row)
        ok = n == self.width or (n == self.width + 1 and row[-1] == "") or (
            n == self.width - 1 and self.loose_end
        )
        if not ok or any(i >= n for i in self.index.values()):
            _fail(self.file, line, msg("statement.row_width", count=n, width=self.width))

    def get(self, row: list[str], key: str) -> str:
        """The cell of column ``key``; "" for an optional column the file lacks."""
        i = self.index.get(key)
        return row[i] if i is not None else ""

    def has(self, key: str) -> bool:
        return key in self.index

    def is_header(self, row: list[str], header: list[str]) -> bool:
        """Whether ``row`` repeats the header (two downloads pasted into one file)."""
        return [_norm_header(c) for c in row] == [_norm_header(c) for c in header]


def _first(aliases: str | tuple[str, ...]) -> str:
    return aliases if isinstance(aliases, str) else aliases[0]


def _header(records: Iterator[tuple[int, list[str]]], file: str) -> tuple[int, list[str]]:
    first = next(records, None)
    if first is None:
        _fail(file, 0, msg("statement.no_header"))
    return first


# Balance check shared by camt.053 and MT940 ----------------------------------------------


def _balance_problem(
    what: str | Msg, opening: Decimal, closing: Decimal, lines: Sequence[BankLine]
) -> Msg | None:
    """None when opening + credits - debits == closing, else the message saying the figures."""
    credits = sum((ln.amount for ln in lines if ln.direction == CREDIT), Decimal("0.00"))
    debits = sum((ln.amount for ln in lines if ln.direction == DEBIT), Decimal("0.00"))
    expected = opening + credits - debits
    if expected == closing:
        return None
    return msg("statement.balance_mismatch", what=what, closing=closing, opening=opening, credits=credits,
               debits=debits, expected=expected)


def _tag_lines(text: str, tag: str) -> list[int]:
    """Line numbers of each start tag ``<tag`` (any namespace prefix), in document order."""
    result: list[int] = []
    line, pos = 1, 0
    for match in re.finditer(r"<(?:[\w.-]+:)?" + tag + r"(?=[\s>/])", text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        result.append(line)
    return result
