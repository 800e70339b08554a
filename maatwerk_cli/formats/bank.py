"""Bank statements of a team's card account, read into plain bank lines.

One entry point per use: :func:`parse_statement` for a file on disk, :func:`parse_bytes` for
data already in memory, :func:`detect_format` to tell which bank export some bytes are.
Everything that goes wrong with a file is an :class:`~maatwerk_cli.core.errors.InputError` that
names the file and, where known, the line (as a text editor counts it); nothing else
escapes, whatever the bytes.

Formats, recognised by their content (never by the file name); the readers are in
``bank_csv``, ``bank_camt`` and ``bank_mt940``, the table with every variant in
the user documentation's cash-and-bank page:

``ing``        ING CSV, Dutch or English header, ``;`` (current) or ``,`` (older); one or all accounts.
``rabobank``   Rabobank CSV, Dutch or English header; ref is ``IBAN:Volgnr``.
``abnamro``    ABN AMRO ``TXT*.TAB``, or its XLS download saved as CSV or ``.xlsx``.
``knab``       Knab CSV (``KNAB EXPORT`` line, header, ``;``).
``asn``, ``sns``, ``regiobank``  de Volksbank's CSV (no header, 19 columns), named by the bank
               of the account.
``bunq``       bunq CSV (``"Date","Interest Date","Amount",...``).
``triodos``    Triodos CSV (no header, ``Debet``/``Credit`` column).
``camt053``    ISO 20022 camt.053 XML, any ``camt.053.001.*`` version, read with defusedxml.
``mt940``      SWIFT MT940 through the ``mt940`` library, de Volksbank's and Triodos's own layouts included.

Rules shared by all formats:

* amounts are :class:`~decimal.Decimal` to the cent, positive, with a ``direction``;
  a line of 0.00 carries no money and is left out;
* only euro amounts are accepted (the budgets are in euro);
* text is UTF-8 (with or without BOM) or Windows-1252; ``CR CR LF`` counts as one line end;
* ``account`` picks one own account from a file that holds several; a CSV or TAB file of
  several accounts is refused without it (the message lists them), as the lines of one
  account are checked against that account's balances;
* camt.053 and MT940 files may hold several statements; each is checked on its own
  (opening + credits - debits must equal closing) before any line is returned, and
  :attr:`Statement.note` says why when lines could not be checked;
* two downloads pasted into one file with DOS end-of-file bytes (0x1A) between them are
  read as one statement; a line in both is read once;
* ``ref`` is the bank's reference when the format has one. References that are only unique
  within a day (camt ``NtryRef``/``EndToEndId``/``TxId``, MT940 customer reference) get the
  booking date appended. A reference that turns up on more than one line of a file is not a
  reference at all, and those lines get the stable hash instead, like lines without one.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NoReturn

from ..core.errors import InputError, Problem
from ..core.messages import Msg, Opt, msg
from .bank_camt import CAMT053_NS, parse_camt053
from .bank_common import (
    CREDIT,
    DEBIT,
    MAX_CELL_CHARS,
    MAX_DESCRIPTION,
    MAX_FILE_BYTES,
    BankLine,
    Part,
    Statement,
    _fail,
    _finish,
    _short,
    same_account,
)
from .bank_csv import (
    PARSERS,
    is_abnamro_header,
    is_bunq_header,
    is_triodos_row,
    parse_abnamro_xlsx,
    volksbank_bank,
)
from .bank_mt940 import parse_mt940

__all__ = [
    "CREDIT", "DEBIT", "FORMATS", "FORMAT_NAMES", "MAX_CELL_CHARS", "MAX_DESCRIPTION", "MAX_FILE_BYTES",
    "BankLine", "Statement", "detect_format", "parse_bytes", "parse_statement", "same_account",
]

FORMATS = (
    "ing", "rabobank", "abnamro", "knab", "asn", "sns", "regiobank", "bunq", "triodos", "camt053", "mt940",
)
FORMAT_NAMES = {
    "ing": "ING CSV",
    "rabobank": "Rabobank CSV",
    "abnamro": "ABN AMRO TXT/TAB or CSV",
    "knab": "Knab CSV",
    "asn": "ASN CSV",
    "sns": "SNS CSV",
    "regiobank": "RegioBank CSV",
    "bunq": "bunq CSV",
    "triodos": "Triodos CSV",
    "camt053": "camt.053 XML",
    "mt940": "MT940",
}
#: Formats of one row per line; a file of several accounts needs ``account`` to be read.
FLAT_FORMATS = frozenset(PARSERS)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Excel .xls (and .doc) files
_EOF = b"\x1a"  # DOS end-of-file mark


# Public entry points ---------------------------------------------------------------------


def parse_statement(
    path: str | os.PathLike[str], fmt: str = "auto", *, check_balances: bool = True,
    account: str | None = None,
) -> Statement:
    """Read a bank statement file; ``fmt`` is ``"auto"`` or one of :data:`FORMATS`.

    ``check_balances=False`` skips the opening + lines = closing check of camt.053 and
    MT940 files (for looking into a damaged file; never for importing). ``account``
    keeps the lines of that own account only (spaces and case do not matter).
    """
    name = os.fsdecode(path)
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            _too_big(name, size)
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        _fail(name, 0, msg("statement.is_a_folder"))
    except FileNotFoundError:
        _fail(name, 0, msg("statement.no_such_file"))
    except OSError as exc:
        _fail(name, 0, msg("statement.cannot_read", error=exc.strerror or str(exc)))
    return parse_bytes(data, fmt, filename=name, check_balances=check_balances, account=account)


def parse_bytes(
    data: bytes, fmt: str = "auto", filename: str = "", *, check_balances: bool = True,
    account: str | None = None,
) -> Statement:
    """Parse bank statement bytes; ``filename`` is only used in messages."""
    if len(data) > MAX_FILE_BYTES:
        _too_big(filename, len(data))
    if fmt != "auto" and fmt not in FORMATS:
        _fail(filename, 0, msg("statement.format_unknown", format=repr(fmt[:40]), formats=list(FORMATS)))
    data, warnings = _blank_nuls(data, filename)
    segments = _segments(data)
    if fmt == "auto":
        fmt = detect_format(segments[0][1], filename)
    parts: list[Part] = []
    layout = ""
    seen: set[tuple[str, str]] = set()
    for offset, chunk in segments:
        found, chunk_layout = _shifted(offset, _read, chunk, fmt, filename, check_balances)
        layout = layout or chunk_layout
        for part in _finish_parts(found):  # a line in two pasted downloads is one line
            kept = [ln for ln in part.lines if (ln.account, ln.ref) not in seen]
            seen.update((ln.account, ln.ref) for ln in kept)
            parts.append(part._replace(lines=kept))
    parts = _pick_account(parts, account, fmt, filename)
    return replace(_statement(fmt, parts, layout), warnings=warnings)


def detect_format(data: bytes, filename: str = "") -> str:
    """Tell which of :data:`FORMATS` the bytes are, from their content."""
    if not data.strip():
        _fail(filename, 0, msg("statement.empty"))
    if data.startswith(b"PK\x03\x04") and _is_xlsx(data):
        return "abnamro"
    _refuse_known_binaries(data, filename)
    data = _segments(_blank_nuls(data, filename)[0])[0][1]
    head = data[:65536]
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    if b"\x00" in head:
        _fail(filename, 0, msg("statement.nul_bytes"))
    text = head.decode("utf-8", errors="replace")
    if _BAD_TEXT_CHARS.search(text):
        _fail(filename, 0, msg("statement.control_characters"))
    stripped = text.lstrip()
    if stripped.startswith("<"):
        if CAMT053_NS in text:
            return "camt053"
        other = re.search(r"urn:iso:std:iso:20022:tech:xsd:(camt\.05[24])", text)
        if other:
            _fail(filename, 0, msg("statement.other_camt", kind=other.group(1)))
        _fail(filename, 0, _unknown_format_message())
    if re.search(r"(?m)^(?:\{4:)?:20:", text) and re.search(r"(?m)^:(?:25|28C?|60[FM]|61):", text):
        return "mt940"
    lines = [line for line in text.splitlines() if line.strip()]
    first = lines[0].strip() if lines else ""
    return _detect_flat(first, filename)


def _detect_flat(first: str, filename: str) -> str:
    if first.startswith("KNAB EXPORT"):
        return "knab"
    if first.lstrip('"').startswith("IBAN/BBAN"):
        return "rabobank"
    if "Naam / Omschrijving" in first or "Name / Description" in first:
        return "ing"
    cells = _first_cells(first)
    if is_bunq_header(cells):
        return "bunq"
    if is_abnamro_header(cells):
        return "abnamro"
    fields = first.split("\t")
    if (
        len(fields) == 8
        and re.fullmatch(r"[A-Z0-9]{5,34}", fields[0].strip())
        and re.fullmatch(r"\d{8}", fields[2].strip())
    ):
        return "abnamro"
    try:
        volksbank = next(csv.reader([first], quotechar="'"))
    except (csv.Error, StopIteration):
        volksbank = []
    if len(volksbank) == 19 and re.fullmatch(r"\d{2}-\d{2}-\d{4}", volksbank[0]):
        return volksbank_bank(volksbank[1]) or "asn"
    try:
        triodos = next(csv.reader([first]))
    except (csv.Error, StopIteration):
        triodos = []
    if is_triodos_row([cell.strip() for cell in triodos]):
        return "triodos"
    _fail(filename, 0, _unknown_format_message())


def _first_cells(first: str) -> list[str]:
    """The cells of a header line, whichever of ``,``, ``;`` or tab separates them."""
    delimiter = max(",;\t", key=first.count)
    try:
        return next(csv.reader([first], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []


# Reading one download ----------------------------------------------------------------------


def _read(data: bytes, fmt: str, filename: str, check: bool) -> tuple[list[Part], str]:
    try:
        if data.startswith(b"PK\x03\x04") and fmt == "abnamro" and _is_xlsx(data):
            return parse_abnamro_xlsx(data, filename)
        _refuse_known_binaries(data, filename)
        if fmt == "camt053":
            return parse_camt053(re.sub(rb"\r+\n", b"\n", data), filename, check)
        text = _decode(data, filename)
        if fmt == "mt940":
            return parse_mt940(text, filename, check)
        return PARSERS[fmt](text, filename)
    except InputError:
        raise
    except (ValueError, LookupError, ArithmeticError, TypeError, RecursionError, OSError) as exc:
        # Every check above should have caught bad input first; this is the last fence
        # so that a file can never make the tool print a traceback (or a library's text).
        _fail(filename, 0, msg("bank.unreadable", format=FORMAT_NAMES[fmt], error=type(exc).__name__,
                               option=Opt("format")))


def _segments(data: bytes) -> list[tuple[int, bytes]]:
    """(lines before it, bytes) of each download in a file, split at DOS end-of-file marks.

    Old bank software ends a download with 0x1A; two downloads pasted together keep it
    between them. Spreadsheets and other binary files are never split.
    """
    if data.startswith((b"PK\x03\x04", _OLE2, b"%PDF")) or _EOF not in data:
        return [(0, data)]
    found: list[tuple[int, bytes]] = []
    position = 0
    for piece in data.split(_EOF):
        stripped = piece.lstrip()
        if stripped.strip():
            skipped = piece[: len(piece) - len(stripped)]
            found.append((data.count(b"\n", 0, position) + skipped.count(b"\n"), stripped))
        position += len(piece) + 1
    return found or [(0, b"")]


def _shifted(
    offset: int, read: Callable[[bytes, str, str, bool], tuple[list[Part], str]],
    data: bytes, fmt: str, filename: str, check: bool,
) -> tuple[list[Part], str]:
    """Run a reader on a later download in the file, with its line numbers moved down."""
    if not offset:
        return read(data, fmt, filename, check)
    try:
        parts, layout = read(data, fmt, filename, check)
    except InputError as exc:
        problems = tuple(Problem(p.file, p.line + offset if p.line else 0, p.msg or p.message)
                         for p in exc.problems)
        if len(problems) != 1:
            raise
        raise InputError(problems[0].placed(), problems) from None
    moved = [
        part._replace(lines=[replace(ln, line=ln.line + offset if ln.line else 0) for ln in part.lines])
        for part in parts
    ]
    return moved, layout


def _pick_account(parts: list[Part], account: str | None, fmt: str, filename: str) -> list[Part]:
    """The parts of the chosen own account; a flat file of several accounts needs a choice."""
    accounts = list(dict.fromkeys(p.account for p in parts if p.account))
    if account:
        picked = [p for p in parts if same_account(p.account, account)]
        if not picked:
            held: str | Msg = ", ".join(accounts) or msg("statement.no_own_account_number")
            _fail(filename, 0, msg("statement.no_lines_for_account", account=_short(account, 40), held=held))
        return picked
    if fmt in FLAT_FORMATS and len(accounts) > 1:
        first_of_second = next(p for p in parts if p.account == accounts[1])
        line = min((ln.line for ln in first_of_second.lines), default=0)
        listed = ", ".join(accounts)
        _fail(filename, line, msg("bank.two_accounts_in_rows", second=accounts[1], first=accounts[0],
                                  count=len(accounts), accounts=listed, option=Opt("account")))
    return parts


def _finish_parts(parts: Sequence[Part]) -> list[Part]:
    """The parts of one download with every line's ref settled and zero lines left out."""
    finished = _finish([ln for part in parts for ln in part.lines])
    out: list[Part] = []
    start = 0
    for part in parts:
        chunk = finished[start:start + len(part.lines)]
        start += len(part.lines)
        out.append(part._replace(lines=[_tidy(ln) for ln in chunk if ln is not None]))
    return out


_PLACEHOLDERS = re.compile(r"(?<!\S)0{12,}(?!\S)")


def _tidy(line: BankLine) -> BankLine:
    """The line without the runs of zeros some banks put in place of empty fields.

    de Volksbank writes ``000000000000000000000000000000000 0000000000000000`` before every
    card payment's text. Done after the refs are settled: a stable hash is taken over the
    text as the bank wrote it, so lines imported before this tidying keep their refs.
    """
    if "000000000000" not in line.description:
        return line
    return replace(line, description=" ".join(_PLACEHOLDERS.sub(" ", line.description).split()))


def _statement(fmt: str, parts: Sequence[Part], layout: str) -> Statement:
    """The statement of the chosen parts, with their balances and notes combined."""
    finished = [ln for part in parts for ln in part.lines]
    opening = closing = None
    if parts and len({p.account for p in parts}) == 1:
        opening, closing = parts[0].opening, parts[-1].closing
    notes = list(dict.fromkeys(str(p.note) for p in parts if p.note))
    note = "" if not notes else notes[0] if len(notes) == 1 else (
        str(msg("statement.notes_more", note=notes[0], more=len(notes) - 1))
    )
    if len(parts) > 1 and len({p.account for p in parts}) > 1:
        layout = str(msg("statement.layout_accounts", layout=layout, count=len({p.account for p in parts})))
    return Statement(fmt, tuple(finished), opening, closing, layout, note)


# Messages and decoding -----------------------------------------------------------------------


def _too_big(file: str, size: int) -> NoReturn:
    _fail(file, 0, msg("statement.too_big", size=size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024)))


def _unknown_format_message() -> Msg:
    names = ", ".join(FORMAT_NAMES[f] for f in FORMATS)
    return msg("bank.unknown_format", names=names, option=Opt("format"))


def _is_xlsx(data: bytes) -> bool:
    """Whether a ZIP file is an Excel workbook (its first entries name the xl/ folder)."""
    return b"xl/" in data[:8192] or b"[Content_Types].xml" in data[:512]


def _refuse_known_binaries(data: bytes, file: str) -> None:
    """Point people who picked the wrong download in the bank's web site the right way."""
    if data.startswith(b"%PDF"):
        _fail(file, 0, msg("statement.is_pdf"))
    if data.startswith(_OLE2):
        _fail(file, 0, msg("statement.is_xls"))
    if data.startswith(b"PK\x03\x04"):
        _fail(file, 0, msg("statement.is_zip"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _fail(file, 0, msg("statement.is_utf16"))


_BAD_TEXT_CHARS = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")
_BAD_TEXT_BYTES = re.compile(rb"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")
#: At most this share of a text file may be NUL bytes (UTF-16 text is about half NULs).
MAX_NUL_SHARE = 0.05


def _blank_nuls(data: bytes, file: str) -> tuple[bytes, tuple[Problem, ...]]:
    """A text export with NUL bytes inside its fields read with spaces in their place,
    and a warning for each line that held them.

    Some bank software pads a description with NUL bytes (an ABN AMRO TXT download has been
    seen with them); the rest of the line is sound text. The file is left as it is (and is
    then refused as binary data or UTF-16) unless every NUL byte sits between text on its
    line, few of the file's bytes are NUL, and no other control character is there: so
    UTF-16, spreadsheets and other binary files are still refused whole.
    """
    if b"\x00" not in data or data.startswith((b"PK\x03\x04", _OLE2, b"%PDF", codecs.BOM_UTF16_LE,
                                                codecs.BOM_UTF16_BE)):
        return data, ()
    if data.count(b"\x00") > len(data) * MAX_NUL_SHARE:
        return data, ()
    lines: list[int] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if b"\x00" not in raw:
            continue
        body = raw.rstrip(b"\r")
        inside = body.strip(b"\x00 \t") == body.strip(b" \t")  # no NUL at either end of the line
        if not inside or _BAD_TEXT_BYTES.search(body.replace(b"\x00", b" ")):
            return data, ()
        lines.append(number)
    warnings = tuple(Problem(file or "input", n, msg("statement.nul_read_as_space")) for n in lines)
    return data.replace(b"\x00", b" "), warnings


def _decode(data: bytes, file: str) -> str:
    """Text of a CSV/TAB/MT940 file: UTF-8 (with or without BOM), else Windows-1252.

    Line ends become ``\\n``; ``\\r\\r\\n`` (a file converted twice) is one line end, so that
    line numbers are those a text editor shows.
    """
    if b"\x00" in data:
        _fail(file, 0, msg("statement.nul_bytes"))
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            _fail(file, 0, msg("statement.not_text"))
    text = re.sub(r"\r+\n|\r", "\n", text)
    bad = _BAD_TEXT_CHARS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        _fail(file, line, msg("statement.control_characters"))
    if not text.strip():
        _fail(file, 0, msg("statement.empty"))
    return text
