"""Bank statements of a team's card account, read into plain bank lines.

One entry point per use: :func:`parse_statement` for a file on disk, :func:`parse_bytes` for
data already in memory, :func:`detect_format` to tell which bank export some bytes are.
Everything that goes wrong with a file is an :class:`~maatwerk_cli.core.errors.InputError` that
names the file and, where known, the line; nothing else escapes, whatever the bytes.

Formats, recognised by their content (never by the file name):

``ing``       ING CSV, ``;`` with every field quoted (current) or ``,`` (older export);
              dates ``yyyymmdd``, unsigned decimal-comma amounts with an ``Af``/``Bij`` column.
``rabobank``  Rabobank CSV (header ``"IBAN/BBAN","Munt",...``), ``yyyy-mm-dd``, signed
              amounts ``-12,50`` / ``+1.000,00``; ref is ``IBAN:Volgnr``.
``abnamro``   ABN AMRO ``TXT*.TAB``: tab-separated, no header; account, currency, booking
              date, balance before, balance after, value date, signed amount, description.
``knab``      Knab CSV: ``KNAB EXPORT`` line, header, ``;``, ``dd-mm-yyyy``, ``C``/``D`` column.
``asn``       ASN CSV: no header, 19 columns, ``dd-mm-yyyy``, signed dot-decimal amounts,
              free text in single quotes.
``camt053``   ISO 20022 camt.053 XML, any ``camt.053.001.*`` version, read with defusedxml.
``mt940``     SWIFT MT940 through the ``mt940`` library.

Rules shared by all formats:

* amounts are :class:`~decimal.Decimal` to the cent, positive, with a ``direction``;
  a line of 0.00 carries no money and is left out;
* only euro amounts are accepted (the budgets are in euro);
* a CSV or TAB file is for one own account: a row for another account is refused, as a
  statement mixing accounts cannot be checked against its balances;
* camt.053 and MT940 files may hold several statements; each is checked on its own
  (opening + credits - debits must equal closing) before any line is returned;
* ``ref`` is the bank's reference when the format has one. References that are only unique
  within a day (camt ``NtryRef``/``EndToEndId``/``TxId``, MT940 customer reference) get the
  booking date appended. A reference that turns up on more than one line of a file is not a
  reference at all, and those lines get the stable hash instead, like lines without one.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import logging
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from ..core.errors import InputError, Problem
from ..core.money import CENT, MAX_AMOUNT

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

FORMATS = ("ing", "rabobank", "abnamro", "knab", "asn", "camt053", "mt940")
FORMAT_NAMES = {
    "ing": "ING CSV",
    "rabobank": "Rabobank CSV",
    "abnamro": "ABN AMRO TXT (tab-separated)",
    "knab": "Knab CSV",
    "asn": "ASN CSV",
    "camt053": "camt.053 XML",
    "mt940": "MT940",
}

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
    """

    ref: str
    date: dt.date
    amount: Decimal
    direction: str
    description: str
    counterparty: str
    account: str
    line: int


@dataclass(frozen=True, slots=True)
class Statement:
    """The lines of one bank file.

    format: one of :data:`FORMATS`.
    lines: the booked lines, in file order.
    opening_balance / closing_balance: the account balance before the first and after the
        last line, when the file states or implies it (signed: negative is overdrawn);
        ``None`` when the file has no balances, or holds statements of several accounts.
    """

    format: str
    lines: tuple[BankLine, ...]
    opening_balance: Decimal | None
    closing_balance: Decimal | None


class _Parsed(NamedTuple):
    lines: list[BankLine]
    opening: Decimal | None
    closing: Decimal | None


# Public entry points ---------------------------------------------------------------------


def parse_statement(
    path: str | os.PathLike[str], fmt: str = "auto", *, check_balances: bool = True
) -> Statement:
    """Read a bank statement file; ``fmt`` is ``"auto"`` or one of :data:`FORMATS`.

    ``check_balances=False`` skips the opening + lines = closing check of camt.053 and
    MT940 files (for looking into a damaged file; never for importing).
    """
    name = os.fsdecode(path)
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            _too_big(name, size)
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        _fail(name, 0, "is a folder, not a bank statement file")
    except FileNotFoundError:
        _fail(name, 0, "no such file")
    except OSError as exc:
        _fail(name, 0, f"cannot be read: {exc.strerror or exc}")
    return parse_bytes(data, fmt, filename=name, check_balances=check_balances)


def parse_bytes(
    data: bytes, fmt: str = "auto", filename: str = "", *, check_balances: bool = True
) -> Statement:
    """Parse bank statement bytes; ``filename`` is only used in messages."""
    if len(data) > MAX_FILE_BYTES:
        _too_big(filename, len(data))
    if fmt == "auto":
        fmt = detect_format(data, filename)
    elif fmt not in FORMATS:
        _fail(filename, 0, f"unknown bank format {fmt[:40]!r}; use one of: {', '.join(FORMATS)}")
    try:
        if fmt == "camt053":
            parsed = _parse_camt053(data, filename, check_balances)
        else:
            text = _decode(data, filename)
            if fmt == "mt940":
                parsed = _parse_mt940(text, filename, check_balances)
            else:
                parsed = _CSV_PARSERS[fmt](text, filename)
    except InputError:
        raise
    except (ValueError, LookupError, ArithmeticError, TypeError, RecursionError) as exc:
        # Every check above should have caught bad input first; this is the last fence
        # so that a file can never make the tool print a traceback.
        _fail(filename, 0, f"cannot be read as {FORMAT_NAMES[fmt]}: {_short(str(exc) or type(exc).__name__)}")
    return Statement(fmt, _finish(parsed.lines), parsed.opening, parsed.closing)


def detect_format(data: bytes, filename: str = "") -> str:
    """Tell which of :data:`FORMATS` the bytes are, from their content."""
    if not data.strip():
        _fail(filename, 0, "is empty; expected a bank statement")
    _refuse_known_binaries(data, filename)
    head = data[:65536]
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    if b"\x00" in head:
        _fail(filename, 0, "is not a text bank statement (it holds NUL bytes: binary data or UTF-16)")
    text = head.decode("utf-8", errors="replace")
    if _BAD_TEXT_CHARS.search(text.rstrip("\x1a")):
        _fail(filename, 0, "is not a text bank statement (it holds control characters)")
    stripped = text.lstrip()
    if stripped.startswith("<"):
        if "urn:iso:std:iso:20022:tech:xsd:camt.053.001." in text:
            return "camt053"
        other = re.search(r"urn:iso:std:iso:20022:tech:xsd:(camt\.05[24])", text)
        if other:
            _fail(filename, 0, f"is a {other.group(1)} message; export the statement as camt.053")
        _fail(filename, 0, _unknown_format_message())
    if re.search(r"(?m)^(?:\{4:)?:20:", text) and re.search(r"(?m)^:(?:25|28C?|60[FM]|61):", text):
        return "mt940"
    lines = [line for line in text.splitlines() if line.strip()]
    first = lines[0].strip() if lines else ""
    if first.startswith("KNAB EXPORT"):
        return "knab"
    if first.lstrip('"').startswith("IBAN/BBAN"):
        return "rabobank"
    if "Naam / Omschrijving" in first:
        return "ing"
    fields = first.split("\t")
    if (
        len(fields) == 8
        and re.fullmatch(r"[A-Z0-9]{5,34}", fields[0].strip())
        and re.fullmatch(r"\d{8}", fields[2].strip())
    ):
        return "abnamro"
    try:
        asn_fields = next(csv.reader([first], quotechar="'"))
    except (csv.Error, StopIteration):
        asn_fields = []
    if len(asn_fields) == 19 and re.fullmatch(r"\d{2}-\d{2}-\d{4}", asn_fields[0]):
        return "asn"
    _fail(filename, 0, _unknown_format_message())


# Messages and small helpers --------------------------------------------------------------


def _fail(file: str, line: int, message: str) -> NoReturn:
    problem = Problem(file or "input", line, message)  # messages read "<file>: is ..."
    raise InputError(str(problem), (problem,))


def _too_big(file: str, size: int) -> NoReturn:
    _fail(
        file, 0, f"is {size // (1024 * 1024)} MB; a bank statement above "
        f"{MAX_FILE_BYTES // (1024 * 1024)} MB is refused (export a shorter period)"
    )


def _unknown_format_message() -> str:
    names = ", ".join(FORMAT_NAMES[f] for f in FORMATS)
    return f"is not a bank statement format this tool reads; supported: {names}"


def _short(text: str, limit: int = 60) -> str:
    """A value cut down for quoting in a one-line message."""
    clean = _clean(text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _refuse_known_binaries(data: bytes, file: str) -> None:
    """Point people who picked the wrong download in the bank's web site the right way."""
    if data.startswith(b"%PDF"):
        _fail(file, 0, "is a PDF; download the transactions as CSV, camt.053 or MT940 instead")
    if data.startswith(b"PK\x03\x04"):
        _fail(file, 0, "is a ZIP or spreadsheet file; unpack it, or download CSV, camt.053 or MT940")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _fail(file, 0, "is UTF-16 text; save it as UTF-8 or download it from the bank again")


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


def _decode(data: bytes, file: str) -> str:
    """Text of a CSV/TAB/MT940 file: UTF-8 (with or without BOM), else Windows-1252."""
    _refuse_known_binaries(data, file)
    if b"\x00" in data:
        _fail(file, 0, "is not a text bank statement (it holds NUL bytes: binary data or UTF-16)")
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            _fail(file, 0, "is not a text bank statement (neither UTF-8 nor Windows-1252 text)")
    text = text.rstrip("\x1a")  # DOS end-of-file mark, left by some old bank software
    bad = _BAD_TEXT_CHARS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        _fail(file, line, "is not a text bank statement (it holds control characters)")
    if not text.strip():
        _fail(file, 0, "is empty; expected a bank statement")
    return text


# Amounts, dates, accounts ----------------------------------------------------------------

_COMMA_AMOUNT = re.compile(r"([+-]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?")
_DOT_AMOUNT = re.compile(r"([+-]?)(\d+)(?:\.(\d{1,2}))?")
_XML_AMOUNT = re.compile(r"(\d+)(?:\.(\d{1,5}))?")


def _amount(text: str, file: str, line: int, *, comma: bool, signed: bool, what: str = "amount") -> Decimal:
    """An amount as the bank wrote it: decimal comma (dots group thousands) or decimal dot."""
    raw = text.strip()
    match = (_COMMA_AMOUNT if comma else _DOT_AMOUNT).fullmatch(raw)
    if match is None or (match.group(1) and not signed):
        _fail(file, line, f"{what} {_short(raw, 30)!r} is not an amount")
    whole = match.group(2).replace(".", "") if comma else match.group(2)
    value = Decimal(f"{whole}.{match.group(3) or '0'}")
    if value >= MAX_AMOUNT:
        _fail(file, line, f"{what} {_short(raw, 30)!r} is too large for a bank line")
    if match.group(1) == "-":
        value = -value
    return value.quantize(CENT)


def _exact_cents(value: Decimal, file: str, line: int, what: str = "amount") -> Decimal:
    """``value`` to the cent, refusing fractions of a cent and absurd sizes."""
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        _fail(file, line, f"{what} {_short(str(value), 30)} is not a plausible amount")
    cents = value.quantize(CENT)
    if cents != value:
        _fail(file, line, f"{what} {value} has fractions of a cent")
    return cents


_DATE_PATTERNS = {
    "yyyymmdd": re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    "yyyy-mm-dd": re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"),
    "dd-mm-yyyy": re.compile(r"(?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4})"),
}


def _date(text: str, layout: str, file: str, line: int, what: str = "date") -> dt.date:
    raw = text.strip()
    match = _DATE_PATTERNS[layout].fullmatch(raw)
    if match is None:
        _fail(file, line, f"{what} {_short(raw, 30)!r} is not a date written {layout}")
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        _fail(file, line, f"{what} {raw!r} does not exist")


def _account(text: str, file: str, line: int, *, required: bool) -> str:
    """An own-account number or IBAN without spaces."""
    value = "".join(_clean(text).split())
    if not value and required:
        _fail(file, line, "the own account number is missing")
    if len(value) > 40:
        _fail(file, line, f"account {_short(value, 30)!r} is too long for an account number")
    return value


def _euro(currency: str | None, file: str, line: int) -> None:
    if currency and currency.strip().upper() != "EUR":
        _fail(file, line, f"amount in {_short(currency, 10)}; only euro accounts can be imported")


class _OneAccount:
    """Refuses a flat file that switches own account halfway."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.account = ""

    def check(self, account: str, line: int) -> None:
        if not self.account:
            self.account = account
        elif account != self.account:
            _fail(
                self.file, line,
                f"this row is for account {account}, the rows before it for {self.account}; "
                "a statement must hold one account (download each account separately)",
            )


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


def _signed(line: BankLine) -> Decimal:
    return line.amount if line.direction == CREDIT else -line.amount


def _finish(lines: Iterable[BankLine]) -> tuple[BankLine, ...]:
    """Drop zero lines; give every line without a unique bank reference its stable hash."""
    kept = [
        replace(line, counterparty=line.counterparty[:MAX_DESCRIPTION]) for line in lines if line.amount != 0
    ]
    ref_counts = Counter(line.ref for line in kept if line.ref)
    occurrences: Counter[tuple[str, dt.date, Decimal, str]] = Counter()
    result: list[BankLine] = []
    for line in kept:
        if line.ref and ref_counts[line.ref] == 1:
            result.append(line)
            continue
        key = (line.account, line.date, _signed(line), line.description)
        occurrences[key] += 1
        payload = "\x1f".join(
            (line.account, line.date.isoformat(), f"{_signed(line):.2f}", line.description,
             str(occurrences[key]))
        )
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
        result.append(replace(line, ref=f"h:{digest}"))
    return tuple(result)


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


def _slash_fields(text: str) -> dict[str, str] | None:
    """``{"NAME": ..., "REMI": ...}`` from "/KEY/value/..." text, or None for other text."""
    if not _SLASH_START.match(text):
        return None
    parts = _SLASH_SPLIT.split(text)
    fields: dict[str, str] = {}
    for key, value in zip(parts[1::2], parts[2::2], strict=True):
        fields.setdefault(key, value.strip("/ "))
    return fields


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
        remi = re.sub(r"^(?:USTD|STRD)/+(?:CUR/+)?", "", fields.get("REMI", ""))
        return _clean(name), _describe(name, remi or fields.get("TRTP", ""))
    if re.match(r"\d{3}>\d{2}", joined):
        chunks = _SUBFIELD.split(joined)
        sub = dict(zip(chunks[1::2], chunks[2::2], strict=True))
        name = "".join(sub.get(code, "") for code in ("32", "33"))
        text = "".join(sub.get(str(code), "") for code in range(20, 30))
        return _clean(name), _describe(name, text)
    plain = " ".join(raw_lines)
    naam = _NAAM.search(plain)
    name = _clean(naam.group(1)) if naam else ""
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
            _fail(file, start, f"cannot be read as CSV here ({_short(str(exc))})")
        line, start = start, reader.line_num + 1
        for cell in row:
            if len(cell) > MAX_CELL_CHARS:
                _fail(file, line, f"a field of {len(cell)} characters is not a bank statement field")
        if any(cell.strip() for cell in row):
            yield line, [cell.strip() for cell in row]


def _norm_header(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').casefold().split())


class _Table:
    """Header-based access to the rows of a CSV export."""

    def __init__(
        self, file: str, line: int, header: list[str], required: Sequence[str], optional: Sequence[str] = ()
    ) -> None:
        self.file = file
        self.width = len(header)
        self.loose_end = bool(header) and header[-1] == ""
        names = [_norm_header(cell) for cell in header]
        self.index: dict[str, int] = {}
        for key in (*required, *optional):
            if key in names:
                self.index[key] = names.index(key)
            elif key in required:
                _fail(file, line, f"the header has no column {key!r}; is this the bank's own CSV export?")

    def fit(self, row: list[str], line: int) -> None:
        """Refuse a row whose number of fields does not match the header."""
        n = len(row)
        ok = n == self.width or (n == self.width + 1 and row[-1] == "") or (
            n == self.width - 1 and self.loose_end
        )
        if not ok or any(i >= n for i in self.index.values()):
            _fail(self.file, line, f"this row has {n} fields where the header has {self.width}")

    def get(self, row: list[str], key: str) -> str:
        """The cell of column ``key``; "" for an optional column the file lacks."""
        i = self.index.get(key)
        return row[i] if i is not None else ""

    def has(self, key: str) -> bool:
        return key in self.index


def _header(records: Iterator[tuple[int, list[str]]], file: str) -> tuple[int, list[str]]:
    first = next(records, None)
    if first is None:
        _fail(file, 0, "has no header line")
    return first


# Flat-file formats ------------------------------------------------------------------------


def _parse_ing(text: str, file: str) -> _Parsed:
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    records = _records(text, file, delimiter=delimiter)
    line, header = _header(records, file)
    table = _Table(
        file, line, header,
        ("datum", "naam / omschrijving", "rekening", "af bij", "bedrag (eur)", "mededelingen"),
        ("saldo na mutatie",),
    )
    one_account = _OneAccount(file)
    lines: list[BankLine] = []
    moves: list[tuple[Decimal, Decimal]] = []
    for line, row in records:
        table.fit(row, line)
        account = _account(table.get(row, "rekening"), file, line, required=True)
        one_account.check(account, line)
        sign = table.get(row, "af bij").casefold()
        if sign not in ("af", "bij"):
            _fail(file, line, f"Af Bij column says {_short(sign, 10)!r}; expected Af or Bij")
        direction = DEBIT if sign == "af" else CREDIT
        amount = _amount(table.get(row, "bedrag (eur)"), file, line, comma=True, signed=False)
        name = _clean(table.get(row, "naam / omschrijving"))
        lines.append(BankLine(
            "", _date(table.get(row, "datum"), "yyyymmdd", file, line), amount, direction,
            _describe(name, table.get(row, "mededelingen")), name, account, line,
        ))
        if table.has("saldo na mutatie"):
            after = _amount(table.get(row, "saldo na mutatie"), file, line, comma=True, signed=True,
                            what="balance")
            moves.append((_signed(lines[-1]), after))
    return _Parsed(lines, *_running_balances(moves))


def _parse_rabobank(text: str, file: str) -> _Parsed:
    records = _records(text, file, delimiter=",")
    line, header = _header(records, file)
    table = _Table(
        file, line, header,
        ("iban/bban", "munt", "volgnr", "datum", "bedrag", "naam tegenpartij", "omschrijving-1"),
        ("saldo na trn", "omschrijving-2", "omschrijving-3"),
    )
    one_account = _OneAccount(file)
    lines: list[BankLine] = []
    moves: list[tuple[Decimal, Decimal]] = []
    for line, row in records:
        table.fit(row, line)
        account = _account(table.get(row, "iban/bban"), file, line, required=True)
        one_account.check(account, line)
        _euro(table.get(row, "munt"), file, line)
        signed = _amount(table.get(row, "bedrag"), file, line, comma=True, signed=True)
        volgnr = _clean(table.get(row, "volgnr"))
        name = _clean(table.get(row, "naam tegenpartij"))
        description = _describe(
            name, table.get(row, "omschrijving-1"), table.get(row, "omschrijving-2"),
            table.get(row, "omschrijving-3"),
        )
        lines.append(BankLine(
            f"{account}:{volgnr}" if volgnr else "",
            _date(table.get(row, "datum"), "yyyy-mm-dd", file, line),
            abs(signed), DEBIT if signed < 0 else CREDIT, description, name, account, line,
        ))
        if table.has("saldo na trn"):
            after = _amount(table.get(row, "saldo na trn"), file, line, comma=True, signed=True,
                            what="balance")
            moves.append((signed, after))
    return _Parsed(lines, *_running_balances(moves))


def _parse_knab(text: str, file: str) -> _Parsed:
    records = _records(text, file, delimiter=";")
    line, preamble = _header(records, file)
    if not preamble or preamble[0] != "KNAB EXPORT":
        _fail(file, line, "a Knab export starts with the line KNAB EXPORT")
    line, header = _header(records, file)
    table = _Table(
        file, line, header,
        ("rekeningnummer", "transactiedatum", "valutacode", "creditdebet", "bedrag",
         "tegenrekeninghouder", "omschrijving"),
        ("boekdatum", "referentie", "betaalwijze"),
    )
    one_account = _OneAccount(file)
    lines: list[BankLine] = []
    for line, row in records:
        table.fit(row, line)
        account = _account(table.get(row, "rekeningnummer"), file, line, required=True)
        one_account.check(account, line)
        _euro(table.get(row, "valutacode"), file, line)
        mark = table.get(row, "creditdebet").upper()
        if mark not in ("C", "D"):
            _fail(file, line, f"CreditDebet column says {_short(mark, 10)!r}; expected C or D")
        booked = table.get(row, "boekdatum") or table.get(row, "transactiedatum")
        name = _clean(table.get(row, "tegenrekeninghouder"))
        free_text = table.get(row, "omschrijving") or table.get(row, "betaalwijze")
        lines.append(BankLine(
            _clean(table.get(row, "referentie")),
            _date(booked, "dd-mm-yyyy", file, line),
            _amount(table.get(row, "bedrag"), file, line, comma=True, signed=False),
            DEBIT if mark == "D" else CREDIT, _describe(name, free_text), name, account, line,
        ))
    return _Parsed(lines, None, None)


# ASN columns (no header in the file).
_ASN_WIDTH = 19
_ASN_DATE, _ASN_ACCOUNT, _ASN_NAME = 0, 1, 3
_ASN_ACCOUNT_CCY, _ASN_BALANCE_BEFORE, _ASN_CCY, _ASN_AMOUNT = 7, 8, 9, 10
_ASN_SEQUENCE, _ASN_TEXT = 15, 17


def _parse_asn(text: str, file: str) -> _Parsed:
    one_account = _OneAccount(file)
    lines: list[BankLine] = []
    moves: list[tuple[Decimal, Decimal]] = []
    for line, row in _records(text, file, delimiter=",", quotechar="'"):
        if len(row) != _ASN_WIDTH:
            _fail(file, line, f"this row has {len(row)} fields where an ASN export has {_ASN_WIDTH}")
        account = _account(row[_ASN_ACCOUNT], file, line, required=True)
        one_account.check(account, line)
        _euro(row[_ASN_ACCOUNT_CCY], file, line)
        _euro(row[_ASN_CCY], file, line)
        date = _date(row[_ASN_DATE], "dd-mm-yyyy", file, line)
        signed = _amount(row[_ASN_AMOUNT], file, line, comma=False, signed=True)
        before = _amount(row[_ASN_BALANCE_BEFORE], file, line, comma=False, signed=True, what="balance")
        sequence = _clean(row[_ASN_SEQUENCE])
        # ASN writes 00000000 when a line has no journal number.
        ref = f"{account}:{date:%Y%m%d}:{sequence}" if sequence.strip("0") else ""
        name = _clean(row[_ASN_NAME])
        lines.append(BankLine(
            ref, date, abs(signed), DEBIT if signed < 0 else CREDIT,
            _describe(name, row[_ASN_TEXT]), name, account, line,
        ))
        moves.append((signed, before + signed))
    return _Parsed(lines, *_running_balances(moves))


_ABN_WIDTH = 8


def _parse_abnamro(text: str, file: str) -> _Parsed:
    one_account = _OneAccount(file)
    lines: list[BankLine] = []
    moves: list[tuple[Decimal, Decimal]] = []
    for line, row in _records(text, file, delimiter="\t", quotes=False):
        if len(row) != _ABN_WIDTH:
            _fail(file, line, f"this row has {len(row)} fields where an ABN AMRO TXT line has {_ABN_WIDTH}")
        account_cell, currency, booked, start, end, _value_date, amount_cell, free_text = row
        account = _account(account_cell, file, line, required=True)
        one_account.check(account, line)
        _euro(currency, file, line)
        signed = _amount(amount_cell, file, line, comma=True, signed=True)
        before = _amount(start, file, line, comma=True, signed=True, what="start balance")
        after = _amount(end, file, line, comma=True, signed=True, what="end balance")
        if before + signed != after:
            _fail(file, line, f"balance {before:.2f} {signed:+.2f} gives {before + signed:.2f}, "
                              f"but the line says {after:.2f}")
        name, description = _text_parts([free_text])
        lines.append(BankLine(
            "", _date(booked, "yyyymmdd", file, line), abs(signed), DEBIT if signed < 0 else CREDIT,
            description, name, account, line,
        ))
        moves.append((signed, after))
    return _Parsed(lines, *_running_balances(moves))


_CSV_PARSERS = {
    "ing": _parse_ing,
    "rabobank": _parse_rabobank,
    "knab": _parse_knab,
    "asn": _parse_asn,
    "abnamro": _parse_abnamro,
}


# Balance check shared by camt.053 and MT940 ----------------------------------------------


def _balance_problem(
    what: str, opening: Decimal, closing: Decimal, lines: Sequence[BankLine]
) -> str | None:
    """None when opening + credits - debits == closing, else the message saying the figures."""
    credits = sum((ln.amount for ln in lines if ln.direction == CREDIT), Decimal("0.00"))
    debits = sum((ln.amount for ln in lines if ln.direction == DEBIT), Decimal("0.00"))
    expected = opening + credits - debits
    if expected == closing:
        return None
    return (
        f"{what}: closing balance {closing:.2f} does not match opening {opening:.2f} "
        f"+ {credits:.2f} - {debits:.2f} = {expected:.2f}; the file is incomplete or altered"
    )


def _combine(
    parts: Sequence[tuple[str, Decimal | None, Decimal | None]],
) -> tuple[Decimal | None, Decimal | None]:
    """File-level balances from (account, opening, closing) per statement, in file order."""
    if not parts or len({account for account, _, _ in parts}) != 1:
        return None, None
    return parts[0][1], parts[-1][2]


def _tag_lines(text: str, tag: str) -> list[int]:
    """Line numbers of each start tag ``<tag`` (any namespace prefix), in document order."""
    result: list[int] = []
    line, pos = 1, 0
    for match in re.finditer(r"<(?:[\w.-]+:)?" + tag + r"(?=[\s>/])", text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        result.append(line)
    return result


# camt.053 ------------------------------------------------------------------------------

_CAMT053_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."
_PLACEHOLDER_REFS = frozenset({"NOTPROVIDED", "NONREF", "NONE", "N/A", "NA"})


class _Camt:
    """Namespace-aware lookups in one camt.053 document."""

    def __init__(self, ns: str) -> None:
        self.ns = ns

    def _path(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{step}" for step in path.split("/"))

    def find(self, element: Element, path: str) -> Element | None:
        return element.find(self._path(path))

    def findall(self, element: Element, path: str) -> list[Element]:
        return element.findall(self._path(path))

    def text(self, element: Element, *paths: str) -> str:
        """Stripped text of the first of ``paths`` that has text, else ""."""
        for path in paths:
            found = element.find(self._path(path))
            if found is not None and found.text and found.text.strip():
                return found.text.strip()
        return ""


def _load_xml(data: bytes, file: str) -> Element:
    from xml.etree.ElementTree import ParseError

    import defusedxml  # type: ignore[import-untyped, unused-ignore]
    import defusedxml.ElementTree as safe_et  # type: ignore[import-untyped, unused-ignore]

    try:
        root: Element = safe_et.fromstring(data, forbid_dtd=True)
    except defusedxml.DTDForbidden:
        _fail(file, 0, "holds a DTD (<!DOCTYPE>); bank statements never do, so it is refused")
    except defusedxml.EntitiesForbidden:
        _fail(file, 0, "declares XML entities; bank statements never do, so it is refused")
    except defusedxml.ExternalReferenceForbidden:
        _fail(file, 0, "refers to external XML resources; refused")
    except defusedxml.DefusedXmlException as exc:
        _fail(file, 0, f"holds forbidden XML constructs ({_short(str(exc))}); refused")
    except ParseError as exc:
        line = exc.position[0] if exc.position else 0
        _fail(file, line, f"is not well-formed XML ({_short(str(exc))})")
    except (ValueError, LookupError, RecursionError) as exc:  # e.g. an unknown encoding name
        _fail(file, 0, f"cannot be read as XML ({_short(str(exc))})")
    return root


class _CamtEntry(NamedTuple):
    """An Ntry before its direction is settled (reversals are read two ways)."""

    line: BankLine  # direction holds CdtDbtInd as written
    reversal: bool


def _parse_camt053(data: bytes, file: str, check: bool) -> _Parsed:
    root = _load_xml(data, file)
    match = re.fullmatch(r"\{(" + re.escape(_CAMT053_NS) + r"[0-9]+)\}Document", root.tag)
    if match is None:
        _fail(file, 1, "is XML but not a camt.053 bank statement (Document element)")
    camt = _Camt(match.group(1))
    report = camt.find(root, "BkToCstmrStmt")
    statements = camt.findall(report, "Stmt") if report is not None else []
    if not statements:
        _fail(file, 1, "is a camt.053 file without a statement (Stmt)")
    text = data.decode("utf-8", errors="replace")
    entry_lines = _tag_lines(text, "Ntry")
    stmt_lines = _tag_lines(text, "Stmt")
    entry_count = sum(len(camt.findall(stmt, "Ntry")) for stmt in statements)
    if len(entry_lines) != entry_count:
        entry_lines = [0] * entry_count
    if len(stmt_lines) != len(statements):
        stmt_lines = [0] * len(statements)

    lines: list[BankLine] = []
    parts: list[tuple[str, Decimal | None, Decimal | None]] = []
    entry_no = 0
    for stmt, stmt_line in zip(statements, stmt_lines, strict=True):
        own = camt.text(stmt, "Acct/Id/IBAN", "Acct/Id/Othr/Id")
        account = _account(own, file, stmt_line, required=False)
        _euro(camt.text(stmt, "Acct/Ccy"), file, stmt_line)
        opening, closing = _camt_balances(camt, stmt, file, stmt_line)
        entries: list[_CamtEntry] = []
        for ntry in camt.findall(stmt, "Ntry"):
            entry = _camt_entry(camt, ntry, account, file, entry_lines[entry_no])
            entry_no += 1
            if entry is not None:
                entries.append(entry)
        settled = _settle_reversals(entries, opening, closing)
        what = f"statement {_short(camt.text(stmt, 'Id') or '?', 40)}"
        if account:
            what += f" of account {account}"
        if check and opening is not None and closing is not None:
            problem = _balance_problem(what, opening, closing, settled)
            if problem:
                _fail(file, stmt_line, problem)
        lines.extend(settled)
        parts.append((account, opening, closing))
    return _Parsed(lines, *_combine(parts))


def _camt_balances(camt: _Camt, stmt: Element, file: str, line: int) -> tuple[Decimal | None, Decimal | None]:
    found: dict[str, Decimal] = {}
    for bal in camt.findall(stmt, "Bal"):
        code = camt.text(bal, "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry").upper()
        if code not in ("OPBD", "PRCD", "CLBD") or code in found:
            continue
        amount = _camt_amount(camt, bal, file, line, what=f"{code} balance")
        indicator = camt.text(bal, "CdtDbtInd").upper()
        if indicator not in ("CRDT", "DBIT"):
            _fail(file, line, f"{code} balance has no CRDT/DBIT indicator")
        found[code] = -amount if indicator == "DBIT" else amount
    return found.get("OPBD", found.get("PRCD")), found.get("CLBD")


def _camt_amount(camt: _Camt, element: Element, file: str, line: int, what: str = "amount") -> Decimal:
    amt = camt.find(element, "Amt")
    raw = (amt.text or "").strip() if amt is not None else ""
    if amt is None or not _XML_AMOUNT.fullmatch(raw):
        _fail(file, line, f"{what} {_short(raw, 30)!r} is not an amount")
    _euro(amt.get("Ccy"), file, line)
    return _exact_cents(Decimal(raw), file, line, what)


def _camt_entry(camt: _Camt, ntry: Element, account: str, file: str, line: int) -> _CamtEntry | None:
    """One Ntry as a line (direction as written), or None when it is not booked."""
    status = camt.text(ntry, "Sts", "Sts/Cd").upper()
    if status in ("PDNG", "INFO", "FUTR"):
        return None
    amount = _camt_amount(camt, ntry, file, line)
    indicator = camt.text(ntry, "CdtDbtInd").upper()
    if indicator not in ("CRDT", "DBIT"):
        _fail(file, line, "entry has no CRDT/DBIT indicator")
    booked = camt.text(ntry, "BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm")
    if not booked:
        _fail(file, line, "entry has no booking date")
    date = _date(booked[:10], "yyyy-mm-dd", file, line, what="booking date")
    details = camt.findall(ntry, "NtryDtls/TxDtls")
    counter_role = "Cdtr" if indicator == "DBIT" else "Dbtr"
    other_role = "Dbtr" if indicator == "DBIT" else "Cdtr"
    names: list[str] = []
    texts: list[str] = []
    for tx in details:
        name = camt.text(
            tx, f"RltdPties/{counter_role}/Nm", f"RltdPties/{counter_role}/Pty/Nm",
            f"RltdPties/Ultmt{counter_role}/Nm", f"RltdPties/Ultmt{counter_role}/Pty/Nm",
            f"RltdPties/{other_role}/Nm", f"RltdPties/{other_role}/Pty/Nm",
        )
        if name and name not in names:
            names.append(name)
        texts.extend(el.text or "" for el in camt.findall(tx, "RmtInf/Ustrd"))
        texts.append(camt.text(tx, "AddtlTxInf"))
    texts.append(camt.text(ntry, "AddtlNtryInf"))
    counterparty = _clean(", ".join(names))[:MAX_DESCRIPTION]
    bank_line = BankLine(
        _camt_ref(camt, ntry, details, date), date, amount, CREDIT if indicator == "CRDT" else DEBIT,
        _describe(counterparty, *texts), counterparty, account, line,
    )
    reversal = camt.text(ntry, "RvslInd").lower() in ("true", "1")
    return _CamtEntry(bank_line, reversal)


def _camt_ref(camt: _Camt, ntry: Element, details: Sequence[Element], date: dt.date) -> str:
    def usable(value: str) -> bool:
        return bool(value) and value.upper() not in _PLACEHOLDER_REFS

    strong = camt.text(ntry, "AcctSvcrRef")
    if len(details) == 1 and not usable(strong):
        strong = camt.text(details[0], "Refs/AcctSvcrRef")
    if usable(strong):
        return _clean(strong)
    weak = camt.text(ntry, "NtryRef")
    if len(details) == 1 and not usable(weak):
        weak = camt.text(details[0], "Refs/EndToEndId")
        if not usable(weak):
            weak = camt.text(details[0], "Refs/TxId")
    return _day_ref(_clean(weak), date) if usable(weak) else ""


def _settle_reversals(
    entries: Sequence[_CamtEntry], opening: Decimal | None, closing: Decimal | None
) -> list[BankLine]:
    """Directions of the entries, with reversals (RvslInd) flipped.

    Banks disagree on whether CdtDbtInd of a reversal states the reversal's own direction
    (the ISO 20022 reading) or the original's. A reversal is flipped, unless only the
    unflipped reading makes the statement's balances add up.
    """

    def flip(line: BankLine) -> BankLine:
        return replace(line, direction=DEBIT if line.direction == CREDIT else CREDIT)

    flipped = [flip(e.line) if e.reversal else e.line for e in entries]
    if opening is None or closing is None or not any(e.reversal for e in entries):
        return flipped
    as_written = [e.line for e in entries]
    flipped_wrong = _balance_problem("", opening, closing, flipped) is not None
    if flipped_wrong and _balance_problem("", opening, closing, as_written) is None:
        return as_written
    return flipped


# MT940 --------------------------------------------------------------------------------

# Values banks put in the :61: customer reference when there is none.
_MT940_PLACEHOLDERS = frozenset({"NONREF", "EREF", "PREF", "MARF", "KREF", "NOTPROVIDED", "NONE"})


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Silence a library's logger (and its children) for the duration of the block.

    The mt940 library logs every line it cannot match at ERROR level, statement text
    included: on a broken file that would spill bank details onto the user's terminal.
    """
    logger = logging.getLogger(logger_name)
    before = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(before)


def _parse_mt940(text: str, file: str, check: bool) -> _Parsed:
    with _quiet("mt940"):
        return _parse_mt940_blocks(text, file, check)


def _parse_mt940_blocks(text: str, file: str, check: bool) -> _Parsed:
    import mt940  # type: ignore[import-untyped, unused-ignore]

    starts = [m.start() for m in re.finditer(r"(?m)^(?:\{4:)?:20:", text)]
    if not starts:
        _fail(file, 0, "is not an MT940 statement (no :20: line)")
    lines: list[BankLine] = []
    parts: list[tuple[str, Decimal | None, Decimal | None]] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        block = text[start:end]
        first_line = text.count("\n", 0, start) + 1
        try:
            collection = mt940.models.Transactions()
            collection.parse(block)
        except Exception as exc:  # the library raises all sorts on broken input
            reason = _short(str(exc) or type(exc).__name__)
            _fail(file, first_line, f"is not a readable MT940 statement ({reason})")
        account = _mt940_account(str(collection.data.get("account_identification") or ""), file, first_line)
        entry_lines = [
            first_line + block.count("\n", 0, m.start()) for m in re.finditer(r"(?m)^:61:", block)
        ]
        if len(entry_lines) != len(collection):
            entry_lines = [0] * len(collection)
        block_lines = [
            _mt940_line(transaction.data, account, file, entry_line)
            for transaction, entry_line in zip(collection, entry_lines, strict=True)
        ]
        data = collection.data
        opening = _mt940_balance(data, ("final_opening_balance", "intermediate_opening_balance",
                                        "opening_balance"), file, first_line)
        closing = _mt940_balance(data, ("final_closing_balance", "intermediate_closing_balance",
                                        "closing_balance"), file, first_line)
        if check and opening is not None and closing is not None:
            number = _short(str(data.get("statement_number") or data.get("transaction_reference") or "?"), 30)
            what = f"statement {number}" + (f" of account {account}" if account else "")
            problem = _balance_problem(what, opening, closing, block_lines)
            if problem:
                _fail(file, first_line, problem)
        if block_lines or opening is not None or closing is not None:
            parts.append((account, opening, closing))
        lines.extend(block_lines)
    if not parts:
        _fail(file, 0, "is not an MT940 statement (no balances and no :61: lines)")
    return _Parsed(lines, *_combine(parts))


def _mt940_account(text: str, file: str, line: int) -> str:
    """The own account of a :25: line, without the currency some banks add to it."""
    words = _clean(text).split(" ")
    account = _account(words[0], file, line, required=False)
    glued = re.fullmatch(r"(NL\d{2}[A-Z]{4}\d{10})EUR", account)  # ING: NL..INGB..EUR
    return glued.group(1) if glued else account


def _mt940_balance(data: dict[str, Any], keys: Sequence[str], file: str, line: int) -> Decimal | None:
    import mt940  # type: ignore[import-untyped, unused-ignore]

    for key in keys:
        balance = data.get(key)
        if balance is None:
            continue
        amount = getattr(balance, "amount", None)
        if not isinstance(amount, mt940.models.Amount):
            _fail(file, line, f"the {key.replace('_', ' ')} has no amount")
        _euro(amount.currency, file, line)
        return _exact_cents(Decimal(amount.amount), file, line, what="balance")
    return None


def _mt940_line(data: dict[str, Any], account: str, file: str, line: int) -> BankLine:
    import mt940  # type: ignore[import-untyped, unused-ignore]

    amount = data.get("amount")
    if not isinstance(amount, mt940.models.Amount):
        _fail(file, line, "this :61: line has no amount")
    _euro(amount.currency, file, line)
    # D and RC (reversal of a credit) take money out; C and RD (reversal of a debit) bring
    # it back. Read from the mark itself: library versions differ in how they sign RC.
    mark = str(data.get("status") or "").upper()
    if mark not in ("C", "D", "RC", "RD"):
        _fail(file, line, f"debit/credit mark {_short(mark, 10)!r} is not C, D, RC or RD")
    direction = DEBIT if mark in ("D", "RC") else CREDIT
    value = _exact_cents(abs(Decimal(amount.amount)), file, line)
    booked = data.get("entry_date") or data.get("date")
    if not isinstance(booked, dt.date):
        _fail(file, line, "this :61: line has no date")
    date = dt.date(booked.year, booked.month, booked.day)

    details = data.get("transaction_details")
    if isinstance(details, str) and details.strip():
        name, description = _text_parts(details.splitlines())
    else:  # the library already took a German "?20" structured :86: apart
        name = _clean(str(data.get("applicant_name") or ""))
        description = _describe(name, str(data.get("purpose") or ""))

    ref = ""
    bank_ref = _clean(str(data.get("bank_reference") or ""))
    customer_ref = _clean(str(data.get("customer_reference") or ""))
    if bank_ref and bank_ref.upper() not in _MT940_PLACEHOLDERS:
        ref = bank_ref
    elif customer_ref and customer_ref.upper() not in _MT940_PLACEHOLDERS:
        ref = _day_ref(customer_ref, date)
    return BankLine(ref, date, value, direction, description, name, account, line)
