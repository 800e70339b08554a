"""SWIFT MT940 statements, read through the ``mt940`` library (package ``mt-940``).

Layouts seen from Dutch banks, and what is done about them:

* ABN AMRO, ING, Rabobank, Triodos, Knab, bunq: the library's default tags. ING writes a
  statement-level ``:86:`` (``/NAME/ING BANK N.V.//BIC/...//SUM/...``) after ``:62F:``,
  ``:64:`` or ``:65:``; the library would glue it to the last transaction, so it is taken
  out before parsing (it holds no line of its own).
* Triodos's own layout: ``:25:TRIODOSBANK/`` and the account, and a ``:86:`` of ``000>10``
  subfields (BIC and IBAN in >20 and >21 when there are any, the text in pieces of 27
  characters that wrap mid-word, the own account in >31); read here, see ``_triodos_parts``.
* de Volksbank (ASN Bank, SNS, RegioBank): the counterparty's account follows the
  transaction code on ``:61:``, its name is on the next line, and the entry date may be
  four blanks. The library ships a tag for this (``StatementASNB``); the ``:86:`` text is
  lines of at most 65 characters that wrap mid-word, read here from the file itself.

Every statement (``:20:`` block) is checked on its own: opening + credits - debits must
give the closing balance. A failure is reported with the line of the field, in words;
the library's own messages (which hold Python object names) are never shown.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, NamedTuple

from ..core.messages import Msg, msg
from .bank_common import (
    _NAAM,
    CREDIT,
    DEBIT,
    BankLine,
    Part,
    _account,
    _balance_problem,
    _clean,
    _day_ref,
    _describe,
    _euro,
    _exact_cents,
    _fail,
    _short,
    _text_parts,
)

# Values banks put in the :61: customer reference when there is none.
_MT940_PLACEHOLDERS = frozenset({"NONREF", "EREF", "PREF", "MARF", "KREF", "NOTPROVIDED", "NONE"})

_TAG = re.compile(r"(?m)^:(\d{2}[A-Z]?|NS):")
_BLOCK_START = re.compile(r"(?m)^(?:\{4:)?:20:")
# Lines of the SWIFT envelope around a statement ({1:...}{2:...}{4: and -}{5:...}).
_ENVELOPE = re.compile(r"(?m)^(?:\{[1-5]:(?![^\n]*:20:)[^\n]*|-\}?(?:\{5:[^\n]*)?)$")
# Tags after which a :86: is about the statement, not a transaction.
_STATEMENT_TAGS = frozenset({"20", "21", "25", "28", "28C", "60F", "60M", "62F", "62M", "64", "65", "13D"})
_BANK_CODES = {
    "ABNA": "ABN AMRO", "INGB": "ING", "RABO": "Rabobank", "TRIO": "Triodos", "KNAB": "Knab",
    "BUNQ": "bunq", "ASNB": "ASN Bank", "SNSB": "SNS", "RBRB": "RegioBank",
}
_VOLKSBANK_CODES = ("ASNB", "SNSB", "RBRB")
# de Volksbank's :61:: ...N + 3 characters, then the counterparty account, the name on
# the next line, and a :86: that starts with that account again.
_VOLKSBANK_61 = re.compile(
    r"(?m)^:61:[^\n]*?N[A-Z0-9]{3}([A-Z]{2}\d{2}[A-Z0-9]{10,30}|\d{7,10})\n[^:\n][^\n]*\n:86:\1"
)
# Triodos's own :86: (its MT940 format description, 2013): "000", >10 and the counterparty's
# BBAN (zeros when there is none), >20 BIC and >21 IBAN when the counterparty has them, the
# text in >20 (or >22) onwards, the own account in >31.
_TRIODOS_86 = re.compile(r"000>10\d{10}")
_TRIODOS_SUBFIELD = re.compile(r">(\d{2})((?:(?!>\d{2}).)*)")
_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")
# Triodos card payments and cash machine withdrawals: "shop \place \ BETAALAUTOMAAT ...".
_TRIODOS_CARD = re.compile(r"(.+?) \\(.*?) \\ ?((?:BETAAL|GELD)AUTOMAAT\b.*)")
# Rabobank's newer MT940 Structured starts :86: with its transaction code, a key the other
# banks do not write there ("/TRCD/030/BENM//NAME/..."); it says nothing the :61: does not.
_LEADING_TRCD = re.compile(r"\A\s*/TRCD/[^/]*(?=/)")
# ABN AMRO's older SEPA text writes its labels in capitals ("NAAM: ..."), as others do not.
_NAAM_ANY_CASE = re.compile(_NAAM.pattern, re.IGNORECASE)
# What each field holds, for messages about a field that cannot be read.
_EXPECTED = {
    "61": msg("statement.mt940_expect_61"),
    "60F": msg("statement.mt940_expect_balance"),
    "60M": msg("statement.mt940_expect_balance"),
    "62F": msg("statement.mt940_expect_balance"),
    "62M": msg("statement.mt940_expect_balance"),
    "64": msg("statement.mt940_expect_balance"),
    "65": msg("statement.mt940_expect_balance"),
    "28C": msg("statement.mt940_expect_number"),
    "28": msg("statement.mt940_expect_number"),
}


class _Field(NamedTuple):
    """One ``:NN:`` field of a statement block: its tag, where it starts and ends."""

    tag: str
    start: int
    content: int
    end: int


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


def parse_mt940(text: str, file: str, check: bool) -> tuple[list[Part], str]:
    """Every statement of an MT940 file, each checked against its balances."""
    with _quiet("mt940"):
        return _parse_blocks(text, file, check)


def _fields(block: str) -> list[_Field]:
    matches = list(_TAG.finditer(block))
    ends = [m.start() for m in matches[1:]] + ([len(block)] if matches else [])
    return [_Field(m.group(1), m.start(), m.end(), end) for m, end in zip(matches, ends, strict=True)]


def _blank(text: str, start: int, end: int) -> str:
    """``text`` with ``[start:end]`` emptied but its line breaks kept (line numbers stay)."""
    return text[:start] + "\n" * text.count("\n", start, end) + text[end:]


def _without_statement_info(block: str, fields: Sequence[_Field]) -> str:
    """The block without the :86: fields that follow a balance instead of a :61: line."""
    statement_level: list[_Field] = []
    last = ""
    for field in fields:
        if field.tag != "86":
            last = field.tag
        elif last in _STATEMENT_TAGS:
            statement_level.append(field)
    for field in reversed(statement_level):  # from the end, so earlier offsets stay valid
        block = _blank(block, field.start, field.end)
    return block


def _is_volksbank(block: str, account: str) -> bool:
    code = re.fullmatch(r"NL\d{2}([A-Z]{4})\d{10}", account)
    if code and code.group(1) in _VOLKSBANK_CODES:
        return True
    if re.search(r"\{1:F01(?:ASNB|SNSB|RBRB)", block):
        return True
    return _VOLKSBANK_61.search(block) is not None


def _parse_blocks(text: str, file: str, check: bool) -> tuple[list[Part], str]:
    import mt940  # type: ignore[import-untyped, unused-ignore]

    text = _ENVELOPE.sub("", text)
    starts = [m.start() for m in _BLOCK_START.finditer(text)]
    if not starts:
        _fail(file, 0, msg("statement.mt940_no_20"))
    parts: list[Part] = []
    banks: list[str] = []
    volksbank_seen = False
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        first_line = text.count("\n", 0, start) + 1
        block = text[start:end]
        fields = _fields(block)
        _check_dates(block, fields, file, first_line)
        raw_account = next((block[f.content:f.end] for f in fields if f.tag == "25"), "")
        account = _mt940_account(raw_account, file, first_line)
        volksbank = _is_volksbank(block, account)
        volksbank_seen = volksbank_seen or volksbank
        cleaned = _without_statement_info(block, fields)
        tags: dict[int | str, Any] | None = {61: mt940.tags.StatementASNB()} if volksbank else None
        try:
            collection = mt940.models.Transactions(tags=tags)
            collection.parse(cleaned)
        except Exception as exc:  # the library raises all sorts on broken input
            _library_failure(exc, block, file, first_line)
        entries = _entries(block, fields, first_line)
        if len(entries) != len(collection):  # should not happen; then lines are unknown
            entries = [(first_line, None)] * len(collection)
        block_lines: list[BankLine] = []
        triodos = raw_account.strip().upper().startswith("TRIODOSBANK/") or "TRIO" in account[4:8]
        for transaction, (line, details) in zip(collection, entries, strict=True):
            if volksbank:
                raw86 = details if details is not None else str(
                    transaction.data.get("transaction_details") or "")
                block_lines.append(_volksbank_line(transaction.data, raw86, account, file, line))
            else:
                block_lines.append(_mt940_line(transaction.data, details, account, file, line, triodos))
        data = collection.data
        opening = _mt940_balance(data, ("final_opening_balance", "intermediate_opening_balance",
                                        "opening_balance"), file, first_line)
        closing = _mt940_balance(data, ("final_closing_balance", "intermediate_closing_balance",
                                        "closing_balance"), file, first_line)
        number = _short(str(data.get("statement_number") or data.get("transaction_reference") or "?"), 30)
        what = msg("statement.statement_of_account", number=number, account=account) if account else (
            msg("statement.statement", number=number))
        note: str | Msg = ""
        if not check:
            note = msg("statement.balances_not_checked")
        elif opening is not None and closing is not None:
            problem = _balance_problem(what, opening, closing, block_lines)
            if problem:
                _fail(file, first_line, problem)
        else:
            missing = msg("statement.mt940_closing") if closing is None else msg("statement.mt940_opening")
            note = msg("statement.mt940_balance_missing", what=what, missing=missing)
        if block_lines or opening is not None or closing is not None:
            parts.append(Part(account, block_lines, opening, closing, note))
            code = re.fullmatch(r"NL\d{2}([A-Z]{4})\d{10}", account)
            banks.append(_BANK_CODES.get(code.group(1), "") if code else "Triodos" if triodos else "")
    if not parts:
        _fail(file, 0, msg("statement.mt940_empty"))
    bank = banks[0] if len(set(banks)) == 1 else ""
    layout = f"{bank} MT940" if bank else "MT940"
    if volksbank_seen and not bank:
        layout = str(msg("statement.mt940_volksbank_layout", layout=layout))
    return parts, layout


def _check_dates(block: str, fields: Sequence[_Field], file: str, first_line: int) -> None:
    """Refuse a date that does not exist, at its own line (the library would only say why)."""
    line, position = first_line, 0
    for field in fields:
        balance = field.tag in ("60F", "60M", "62F", "62M", "64", "65")
        offset = 0 if field.tag == "61" else 1 if balance else -1
        if offset < 0:
            continue
        raw = block[field.content + offset:field.content + offset + 6]
        if not re.fullmatch(r"\d{6}", raw):
            continue  # the library reports the field as unreadable
        try:
            dt.date(2000 + int(raw[:2]), int(raw[2:4]), int(raw[4:6]))
        except ValueError:
            line += block.count("\n", position, field.start)
            _fail(file, line, msg("statement.mt940_date_does_not_exist", date=raw, tag=field.tag))


def _library_failure(exc: Exception, block: str, file: str, first_line: int) -> None:
    """Fail with the field the library could not read, in words and at its line."""
    tag_id = ""
    line = first_line
    args: tuple[object, ...] = tuple(getattr(exc, "args", ()))
    if len(args) >= 3 and isinstance(args[2], str):
        tag_id = str(getattr(args[1], "id", ""))
        first = args[2].split("\n", 1)[0].strip()
        at = block.find(f":{tag_id}:" + first[:20]) if first else -1
        if at < 0 and first:
            at = block.find(first)
        if at >= 0:
            line = first_line + block.count("\n", 0, at)
    if tag_id:
        expected = _EXPECTED.get(tag_id, msg("statement.mt940_expect_value"))
        _fail(file, line, msg("statement.mt940_field_unreadable", tag=tag_id, expected=expected))
    _fail(file, line, msg("statement.mt940_unreadable"))


def _entries(block: str, fields: Sequence[_Field], first_line: int) -> list[tuple[int, str | None]]:
    """(line in the file, raw text of the :86: after it or "") of each :61: field, in one pass."""
    out: list[tuple[int, str | None]] = []
    line, position = first_line, 0
    for index, field in enumerate(fields):
        if field.tag != "61":
            continue
        line += block.count("\n", position, field.start)
        position = field.start
        following = fields[index + 1] if index + 1 < len(fields) else None
        details = block[following.content:following.end] if following and following.tag == "86" else ""
        out.append((line, details))
    return out


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
            _fail(file, line, msg("statement.mt940_balance_no_amount", balance=key.replace("_", " ")))
        _euro(amount.currency, file, line)
        return _exact_cents(Decimal(amount.amount), file, line, what=msg("statement.balance"))
    return None


class _Booking(NamedTuple):
    date: dt.date
    amount: Decimal
    direction: str


def _booking(data: dict[str, Any], file: str, line: int) -> _Booking:
    """Date, amount and direction of a :61: line."""
    import mt940  # type: ignore[import-untyped, unused-ignore]

    amount = data.get("amount")
    if not isinstance(amount, mt940.models.Amount):
        _fail(file, line, msg("statement.mt940_61_no_amount"))
    _euro(amount.currency, file, line)
    # D and RC (reversal of a credit) take money out; C and RD (reversal of a debit) bring
    # it back. Read from the mark itself: library versions differ in how they sign RC.
    mark = str(data.get("status") or "").upper()
    if mark not in ("C", "D", "RC", "RD"):
        _fail(file, line, msg("statement.mt940_61_mark", mark=repr(_short(mark, 10))))
    direction = DEBIT if mark in ("D", "RC") else CREDIT
    value = _exact_cents(abs(Decimal(amount.amount)), file, line)
    booked = data.get("entry_date") or data.get("date")  # the entry date may be blank
    if not isinstance(booked, dt.date):
        _fail(file, line, msg("statement.mt940_61_no_date"))
    return _Booking(dt.date(booked.year, booked.month, booked.day), value, direction)


def _mt940_line(
    data: dict[str, Any], raw86: str | None, account: str, file: str, line: int, triodos: bool
) -> BankLine:
    booking = _booking(data, file, line)
    details = data.get("transaction_details")
    if isinstance(details, str) and details.strip():
        # The :86: as the file has it: the library strips the blank that ends a line, and
        # text that wraps mid-sentence at 65 characters then loses the space between words.
        text = raw86.replace("\r", "") if raw86 and raw86.strip() else details
        text = _LEADING_TRCD.sub("", text)
        parts = _triodos_parts(text) if triodos else None
        name, description = parts or _text_parts(text.splitlines())
        if not name:
            naam = _NAAM_ANY_CASE.search(" ".join(text.splitlines()))
            name = _clean(naam.group(1)) if naam else ""
        if triodos and not name:  # Triodos's newer /CNTP/ layout keeps the card text as is
            name, description = _triodos_card(description) or (name, description)
        # Refs stay those of the text as this tool first read it (the library's, as is).
        earlier = _text_parts(details.splitlines())[1]
        hash_text = earlier if earlier != description else ""
    else:  # the library already took a German "?20" structured :86: apart
        name = _clean(str(data.get("applicant_name") or ""))
        description = _describe(name, str(data.get("purpose") or ""))
        hash_text = ""

    ref = ""
    bank_ref = _clean(str(data.get("bank_reference") or ""))
    customer_ref = _clean(str(data.get("customer_reference") or ""))
    if bank_ref and bank_ref.upper() not in _MT940_PLACEHOLDERS:
        ref = bank_ref
    elif customer_ref and customer_ref.upper() not in _MT940_PLACEHOLDERS:
        ref = _day_ref(customer_ref, booking.date)
    return BankLine(ref, booking.date, booking.amount, booking.direction, description, name, account, line,
                    hash_text)


def _triodos_parts(text: str) -> tuple[str, str] | None:
    """(counterparty, description) of Triodos's "000>10..." :86:, or None for other text.

    The counterparty's name is only the start of the text, not a field of its own, so it
    is read only where Triodos marks its end: the shop of a card payment.
    """
    joined = "".join(part.strip("\r\n") for part in text.splitlines())  # a line starts a subfield
    if not _TRIODOS_86.match(joined):
        return None
    sub = dict(_TRIODOS_SUBFIELD.findall(joined))
    with_iban = _BIC.fullmatch(sub.get("20", "").strip()) and _IBAN.fullmatch(sub.get("21", "").strip())
    free = "".join(sub.get(str(code), "") for code in range(22 if with_iban else 20, 30))
    return _triodos_card(free) or ("", _describe(free))


def _triodos_card(text: str) -> tuple[str, str] | None:
    """(shop, description without the backslashes) of a Triodos card payment's text."""
    card = _TRIODOS_CARD.fullmatch(_clean(text))
    if card is None:
        return None
    shop = _clean(card.group(1))
    return shop, _describe(shop, card.group(2), card.group(3))


_VB_WIDTH = 65  # de Volksbank wraps :86: text at 65 characters, mid-word
_ACCOUNT_THEN_NAME = re.compile(r"([A-Z]{2}\d{2}[A-Z0-9]{10,30}|\d{7,10})(?:\s+(.*))?")


def _volksbank_line(data: dict[str, Any], details: str, account: str, file: str, line: int) -> BankLine:
    """A :61: line in de Volksbank's layout: no reference (the customer-reference place
    holds the counterparty's account), the name on the :61:'s second line, and a :86: of
    "account name", then wrapped free text."""
    booking = _booking(data, file, line)
    raw_lines = details.replace("\r", "").split("\n")
    head = _clean(raw_lines[0]) if raw_lines else ""
    found = _ACCOUNT_THEN_NAME.fullmatch(head)
    name = _clean(str(data.get("extra_details") or "")) or (_clean(found.group(2) or "") if found else "")
    text = ""
    for raw in raw_lines[1:] if found or not head else raw_lines:
        piece = raw.rstrip()
        if not piece.strip():
            continue
        text += piece.strip() if text.endswith("\x00") or not text else " " + piece.strip()
        if len(piece) >= _VB_WIDTH:
            text += "\x00"  # a full line: the next one continues its last word
    text = text.replace("\x00", "")
    return BankLine("", booking.date, booking.amount, booking.direction, _describe(name, text), name,
                    account, line)
