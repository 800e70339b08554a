"""Flat bank exports: CSV, TAB and spreadsheet files, one row per booked line.

Each reader takes the decoded text (or, for a spreadsheet, the bytes) and returns the
lines grouped per own account (:class:`~maatwerk_cli.formats.bank_common.Part`) and the
name of the layout it read. Column meanings were learnt from the banks' descriptions of
their exports and from public sample files; the header's language (Dutch or English, as
the bank's site was set) is read from the header itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal

from ..core.errors import InputError
from ..core.messages import msg
from .bank_common import (
    CREDIT,
    DEBIT,
    BankLine,
    Part,
    _account,
    _amount,
    _clean,
    _date,
    _describe,
    _euro,
    _fail,
    _flat_parts,
    _header,
    _records,
    _short,
    _Table,
    _text_parts,
)

Rows = Iterable[tuple[int, list[str]]]
Columns = Mapping[str, Mapping[str, str | tuple[str, ...]]]


def _delimiter(text: str, choices: str = ";,") -> str:
    """The field separator of a CSV file: the choice that is most frequent on its first line."""
    first_line = text.lstrip().split("\n", 1)[0]
    return max(choices, key=first_line.count)


def _balance(cell: str, file: str, line: int) -> Decimal:
    return _amount(cell, file, line, comma=True, signed=True, what=msg("statement.balance"))


def _language_label(table: _Table) -> str:
    return str(msg("statement.english_headers")) if table.language == "en" else ""


def _rows_after_header(records: Iterator[tuple[int, list[str]]], table: _Table, header: list[str]) -> Rows:
    """The data rows, skipping a header repeated by two downloads pasted into one file."""
    for line, row in records:
        if not table.is_header(row, header):
            yield line, row


# ING ---------------------------------------------------------------------------------

_ING_COLUMNS: Columns = {
    "nl": {
        "date": "datum", "name": "naam / omschrijving", "account": "rekening", "sign": "af bij",
        "amount": "bedrag (eur)", "text": "mededelingen", "after": ("saldo na mutatie", "saldo na trn"),
    },
    "en": {
        "date": "date", "name": "name / description", "account": "account", "sign": "debit/credit",
        "amount": "amount (eur)", "text": "notifications", "after": "resulting balance",
    },
}
_ING_SIGNS = {"af": DEBIT, "bij": CREDIT, "debit": DEBIT, "credit": CREDIT}


def parse_ing(text: str, file: str) -> tuple[list[Part], str]:
    """ING CSV: ``;`` with every field quoted (current) or ``,`` (older), Dutch or English."""
    records = _records(text, file, delimiter=_delimiter(text))
    line, header = _header(records, file)
    table = _Table(file, line, header, _ING_COLUMNS, ("date", "name", "account", "sign", "amount", "text"))
    lines: list[BankLine] = []
    after: list[Decimal] = []
    for line, row in _rows_after_header(records, table, header):
        table.fit(row, line)
        account = _account(table.get(row, "account"), file, line, required=True)
        sign = table.get(row, "sign").casefold()
        if sign not in _ING_SIGNS:
            one, other = ("Debit", "Credit") if table.language == "en" else ("Af", "Bij")
            column = "Debit/credit" if table.language == "en" else "Af Bij"
            _fail(file, line, msg("statement.column_says", column=column, value=repr(_short(sign, 10)),
                                  expected=msg("statement.one_or_other", one=one, other=other)))
        amount = _amount(table.get(row, "amount"), file, line, comma=True, signed=False)
        name = _clean(table.get(row, "name"))
        lines.append(BankLine(
            "", _date(table.get(row, "date"), "yyyymmdd", file, line), amount, _ING_SIGNS[sign],
            _describe(name, table.get(row, "text")), name, account, line,
        ))
        if table.has("after"):
            after.append(_balance(table.get(row, "after"), file, line))
    what = msg("statement.csv_without_balance", layout="ING CSV")
    return _flat_parts(lines, after if table.has("after") else None, what), "ING CSV" + _language_label(table)


# Rabobank ----------------------------------------------------------------------------

_RABO_COLUMNS: Columns = {
    "nl": {
        "account": "iban/bban", "currency": "munt", "seq": "volgnr", "date": "datum", "amount": "bedrag",
        "after": "saldo na trn", "name": "naam tegenpartij", "d1": "omschrijving-1",
        "d2": "omschrijving-2", "d3": "omschrijving-3",
    },
    "en": {
        "account": "iban/bban", "currency": "ccy", "seq": "seq no", "date": "date", "amount": "amount",
        "after": ("bal after bkng", "balance after trn"), "name": ("name counterpty", "name counterparty"),
        "d1": "description-1", "d2": "description-2", "d3": "description-3",
    },
}


def parse_rabobank(text: str, file: str) -> tuple[list[Part], str]:
    """Rabobank CSV (``"IBAN/BBAN","Munt",...`` or ``"IBAN/BBAN","Ccy",...``); ref ``IBAN:Volgnr``."""
    records = _records(text, file, delimiter=",")
    line, header = _header(records, file)
    required = ("account", "currency", "seq", "date", "amount", "name", "d1")
    table = _Table(file, line, header, _RABO_COLUMNS, required)
    lines: list[BankLine] = []
    after: list[Decimal] = []
    for line, row in _rows_after_header(records, table, header):
        table.fit(row, line)
        account = _account(table.get(row, "account"), file, line, required=True)
        _euro(table.get(row, "currency"), file, line)
        signed = _amount(table.get(row, "amount"), file, line, comma=True, signed=True)
        volgnr = _clean(table.get(row, "seq"))
        name = _clean(table.get(row, "name"))
        description = _describe(name, table.get(row, "d1"), table.get(row, "d2"), table.get(row, "d3"))
        lines.append(BankLine(
            f"{account}:{volgnr}" if volgnr else "",
            _date(table.get(row, "date"), "yyyy-mm-dd", file, line),
            abs(signed), DEBIT if signed < 0 else CREDIT, description, name, account, line,
        ))
        if table.has("after"):
            after.append(_balance(table.get(row, "after"), file, line))
    what = msg("statement.csv_without_balance", layout="Rabobank CSV")
    parts = _flat_parts(lines, after if table.has("after") else None, what)
    return parts, "Rabobank CSV" + _language_label(table)


# Knab --------------------------------------------------------------------------------

_KNAB_COLUMNS: Columns = {
    "nl": {
        "account": "rekeningnummer", "date": "transactiedatum", "currency": "valutacode",
        "mark": "creditdebet", "amount": "bedrag", "name": "tegenrekeninghouder", "text": "omschrijving",
        "booked": "boekdatum", "ref": "referentie", "method": "betaalwijze",
    },
}


def parse_knab(text: str, file: str) -> tuple[list[Part], str]:
    """Knab CSV: a ``KNAB EXPORT`` line, a header, ``;``, ``dd-mm-yyyy``, a ``C``/``D`` column."""
    records = _records(text, file, delimiter=";")
    line, preamble = _header(records, file)
    if not preamble or preamble[0] != "KNAB EXPORT":
        _fail(file, line, msg("statement.knab_first_line"))
    line, header = _header(records, file)
    table = _Table(file, line, header, _KNAB_COLUMNS,
                   ("account", "date", "currency", "mark", "amount", "name", "text"))
    lines: list[BankLine] = []
    for line, row in _rows_after_header(records, table, header):
        if row and row[0] == "KNAB EXPORT":  # the next of two pasted downloads
            continue
        table.fit(row, line)
        account = _account(table.get(row, "account"), file, line, required=True)
        _euro(table.get(row, "currency"), file, line)
        mark = table.get(row, "mark").upper()
        if mark not in ("C", "D"):
            _fail(file, line, msg("statement.column_says", column="CreditDebet", value=repr(_short(mark, 10)),
                                  expected=msg("statement.one_or_other", one="C", other="D")))
        booked = table.get(row, "booked") or table.get(row, "date")
        name = _clean(table.get(row, "name"))
        free_text = table.get(row, "text") or table.get(row, "method")
        lines.append(BankLine(
            _clean(table.get(row, "ref")),
            _date(booked, "dd-mm-yyyy", file, line),
            _amount(table.get(row, "amount"), file, line, comma=True, signed=False),
            DEBIT if mark == "D" else CREDIT, _describe(name, free_text), name, account, line,
        ))
    return _flat_parts(lines, None, msg("statement.a_csv", layout="Knab CSV")), "Knab CSV"


# ASN Bank, SNS and RegioBank (de Volksbank) ------------------------------------------

# Columns of de Volksbank's CSV export (no header in the file).
_VOLKSBANK_WIDTH = 19
_VB_DATE, _VB_ACCOUNT, _VB_NAME = 0, 1, 3
_VB_ACCOUNT_CCY, _VB_BALANCE_BEFORE, _VB_CCY, _VB_AMOUNT = 7, 8, 9, 10
_VB_SEQUENCE, _VB_TEXT = 15, 17

#: The bank of a de Volksbank account, by the bank code in its IBAN.
VOLKSBANK_BANKS = {"ASNB": "asn", "SNSB": "sns", "RBRB": "regiobank"}
_VOLKSBANK_LAYOUTS = {"asn": "ASN Bank CSV", "sns": "SNS CSV", "regiobank": "RegioBank CSV"}


def volksbank_bank(account: str) -> str:
    """``asn``, ``sns`` or ``regiobank`` for an IBAN of one of de Volksbank's banks, else ``""``."""
    match = re.fullmatch(r"NL\d{2}([A-Z]{4})\d{10}", "".join(account.split()).upper())
    return VOLKSBANK_BANKS.get(match.group(1), "") if match else ""


def parse_volksbank(text: str, file: str) -> tuple[list[Part], str]:
    """ASN, SNS or RegioBank CSV: no header, 19 columns, ``dd-mm-yyyy``, signed dot-decimal
    amounts, free text in single quotes; ref is account, date and journal number."""
    lines: list[BankLine] = []
    after: list[Decimal] = []
    for line, row in _records(text, file, delimiter=",", quotechar="'"):
        if len(row) != _VOLKSBANK_WIDTH:
            _fail(file, line, msg("statement.volksbank_width", count=len(row), width=_VOLKSBANK_WIDTH))
        account = _account(row[_VB_ACCOUNT], file, line, required=True)
        _euro(row[_VB_ACCOUNT_CCY], file, line)
        _euro(row[_VB_CCY], file, line)
        date = _date(row[_VB_DATE], "dd-mm-yyyy", file, line)
        signed = _amount(row[_VB_AMOUNT], file, line, comma=False, signed=True)
        before = _amount(row[_VB_BALANCE_BEFORE], file, line, comma=False, signed=True, what=msg("statement.balance"))
        sequence = _clean(row[_VB_SEQUENCE])
        # The bank writes 00000000 when a line has no journal number.
        ref = f"{account}:{date:%Y%m%d}:{sequence}" if sequence.strip("0") else ""
        name = _clean(row[_VB_NAME])
        lines.append(BankLine(
            ref, date, abs(signed), DEBIT if signed < 0 else CREDIT,
            _describe(name, row[_VB_TEXT]), name, account, line,
        ))
        after.append(before + signed)
    bank = volksbank_bank(lines[0].account) if lines else ""
    return _flat_parts(lines, after, ""), _VOLKSBANK_LAYOUTS.get(bank, "ASN, SNS or RegioBank CSV")


# ABN AMRO ----------------------------------------------------------------------------

_ABN_WIDTH = 8
_ABN_COLUMNS: Columns = {
    "en": {
        "account": "accountnumber", "currency": "mutationcode", "date": "transactiondate",
        "before": "startsaldo", "after": "endsaldo", "amount": "amount", "text": "description",
    },
    "nl": {
        "account": "rekeningnummer", "currency": "muntsoort", "date": "transactiedatum",
        "before": "beginsaldo", "after": "eindsaldo", "amount": "transactiebedrag", "text": "omschrijving",
    },
}
_ABN_REQUIRED = ("account", "currency", "date", "before", "after", "amount", "text")


def is_abnamro_header(cells: Sequence[str]) -> bool:
    """Whether a first row names ABN AMRO's columns (account, transaction date, start balance)."""
    names = {_norm(cell) for cell in cells}
    return any({str(columns[key]) for key in ("account", "date", "before")} <= names
               for columns in _ABN_COLUMNS.values())


def _norm(cell: object) -> str:
    return " ".join(str(cell).replace("\ufeff", "").strip().strip('"').casefold().split())


def parse_abnamro(text: str, file: str) -> tuple[list[Part], str]:
    """ABN AMRO ``TXT*.TAB`` (tab-separated, no header), or the same columns with a header:
    the XLS download saved as CSV (``,``, ``;`` or tab; decimal comma or dot)."""
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = _delimiter(text, "\t;,")
    if not is_abnamro_header(first_line.split(delimiter)):
        tab_rows = _records(text, file, delimiter="\t", quotes=False)
        return _abn_lines(tab_rows, file, comma=True, header=None), "ABN AMRO TXT (tab-separated)"
    records = _records(text, file, delimiter=delimiter)
    line, header = _header(records, file)
    table = _Table(file, line, header, _ABN_COLUMNS, _ABN_REQUIRED)
    rows = list(_rows_after_header(records, table, header))
    comma = _decimal_comma([table.get(row, key) for _, row in rows for key in ("amount", "before", "after")])
    return _abn_lines(rows, file, comma=comma, header=table), "ABN AMRO CSV"


def parse_abnamro_xlsx(data: bytes, file: str) -> tuple[list[Part], str]:
    """ABN AMRO's transaction download saved as an Excel ``.xlsx`` workbook (first sheet)."""
    rows = _xlsx_rows(data, file)
    if not rows or not is_abnamro_header(rows[0][1]):
        _fail(file, 1, msg("statement.xlsx_not_abnamro"))
    line, header = rows[0]
    table = _Table(file, line, header, _ABN_COLUMNS, _ABN_REQUIRED)
    body = [(n, row) for n, row in rows[1:] if any(row) and not table.is_header(row, header)]
    comma = _decimal_comma([table.get(row, key) for _, row in body for key in ("amount", "before", "after")])
    return _abn_lines(body, file, comma=comma, header=table), "ABN AMRO Excel (.xlsx)"


def _abn_lines(rows: Rows, file: str, *, comma: bool, header: _Table | None) -> list[Part]:
    lines: list[BankLine] = []
    after: list[Decimal] = []
    for line, row in rows:
        if header is None:
            if len(row) != _ABN_WIDTH:
                _fail(file, line, msg("statement.abnamro_width", count=len(row), width=_ABN_WIDTH))
            account_cell, currency, booked, start, end, _value_date, amount_cell, free_text = row
        else:
            header.fit(row, line)
            account_cell, currency, booked, start, end, amount_cell, free_text = (
                header.get(row, key) for key in _ABN_REQUIRED
            )
        account = _account(account_cell, file, line, required=True)
        _euro(currency, file, line)
        signed = _amount(amount_cell, file, line, comma=comma, signed=True)
        before = _amount(start, file, line, comma=comma, signed=True, what=msg("statement.start_balance"))
        end_balance = _amount(end, file, line, comma=comma, signed=True, what=msg("statement.end_balance"))
        if before + signed != end_balance:
            _fail(file, line, msg("statement.balance_step", before=before, signed=signed, sum=before + signed,
                                  after=end_balance))
        name, description = _text_parts([free_text])
        lines.append(BankLine(
            "", _flexible_date(booked, file, line), abs(signed), DEBIT if signed < 0 else CREDIT,
            description, name, account, line,
        ))
        after.append(end_balance)
    return _flat_parts(lines, after, "")


def _decimal_comma(cells: Iterable[str]) -> bool:
    """Whether a file's amounts use a decimal comma, judged by every amount together.

    A spreadsheet saved as CSV writes amounts as the computer's locale has it; an amount
    with two decimals tells which. Without one (whole euros only) the Dutch comma is assumed.
    """
    for cell in cells:
        if re.search(r",\d{1,2}$", cell.strip()):
            return True
        if re.search(r"\.\d{1,2}$", cell.strip()):
            return False
    return True


def _flexible_date(text: str, file: str, line: int) -> dt.date:
    """A date as ``yyyymmdd``, ``yyyy-mm-dd`` or ``dd-mm-yyyy`` (spreadsheets rewrite dates)."""
    raw = text.strip()
    layout = "yyyymmdd" if raw.isdigit() else "yyyy-mm-dd" if re.match(r"\d{4}-", raw) else "dd-mm-yyyy"
    return _date(raw, layout, file, line)


MAX_SHEET_ROWS = 200_000
MAX_SHEET_COLUMNS = 60


def _xlsx_rows(data: bytes, file: str) -> list[tuple[int, list[str]]]:
    """The first sheet of an ``.xlsx`` workbook as (row number, cells as text)."""
    import io
    import warnings

    import openpyxl

    rows: list[tuple[int, list[str]]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles on stderr
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                cells = sheet.iter_rows(values_only=True, max_col=MAX_SHEET_COLUMNS)
                for number, values in enumerate(cells, start=1):
                    if number > MAX_SHEET_ROWS:
                        _fail(file, number, msg("statement.sheet_too_long", limit=MAX_SHEET_ROWS))
                    rows.append((number, [_cell_text(value) for value in values]))
            finally:
                workbook.close()
    except InputError:
        raise
    except Exception:  # a damaged workbook makes the library raise all sorts
        _fail(file, 0, msg("statement.xlsx_unreadable"))
    while rows and not any(rows[-1][1]):
        rows.pop()
    return [(n, cells) for n, cells in rows if any(cells)]


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV export would have held."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y%m%d}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # The workbook stores numbers as binary floats; their shortest decimal form is
        # what the bank wrote and Excel shows, so money becomes Decimal from that text.
        return f"{Decimal(repr(value)):f}"
    return _clean(str(value))


# bunq --------------------------------------------------------------------------------

_BUNQ_COLUMNS: Columns = {
    "en": {
        "date": "date", "amount": "amount", "account": "account", "counter": "counterparty",
        "name": "name", "text": "description",
    },
    "nl": {
        "date": "datum", "amount": "bedrag", "account": "rekening", "counter": "tegenrekening",
        "name": "naam", "text": "omschrijving",
    },
}
# A header is bunq's when it has the four columns every bunq export has and one that only
# bunq's have beside them: the interest date (current export) or the counter account (the
# older one, which has no interest date), in English or in Dutch.
_BUNQ_MARKS = (
    ({"date", "amount", "name", "description"}, {"interest date", "counterparty"}),
    ({"datum", "bedrag", "naam", "omschrijving"}, {"rentedatum", "rente datum", "tegenrekening"}),
)


def is_bunq_header(cells: Sequence[str]) -> bool:
    names = {_norm(cell) for cell in cells}
    return any(core <= names and bool(names & extra) for core, extra in _BUNQ_MARKS)


def parse_bunq(text: str, file: str) -> tuple[list[Part], str]:
    """bunq CSV: ``"Date","Interest Date","Amount","Account","Counterparty","Name","Description"``
    (``,`` or ``;``; older exports lack Account, or Interest Date), or the same in Dutch
    (``"Datum","Bedrag","Rekening","Tegenrekening","Naam","Omschrijving"``); ISO dates,
    signed amounts with a decimal comma or dot; no references and no balances."""
    records = _records(text, file, delimiter=_delimiter(text))
    line, header = _header(records, file)
    table = _Table(file, line, header, _BUNQ_COLUMNS, ("date", "amount", "name", "text"))
    rows = list(_rows_after_header(records, table, header))
    comma = _decimal_comma(table.get(row, "amount") for _, row in rows)
    lines: list[BankLine] = []
    for line, row in rows:
        table.fit(row, line)
        account = _account(table.get(row, "account"), file, line, required=False)
        signed = _amount(_ungroup(table.get(row, "amount"), comma), file, line, comma=comma, signed=True)
        name = _clean(table.get(row, "name"))
        lines.append(BankLine(
            "", _flexible_date(_dashed(table.get(row, "date")), file, line), abs(signed),
            DEBIT if signed < 0 else CREDIT, _describe(name, table.get(row, "text")), name, account, line,
        ))
    return _flat_parts(lines, None, msg("statement.a_csv", layout="bunq CSV")), "bunq CSV"


def _dashed(cell: str) -> str:
    """``2017/03/01`` (some older bunq exports) as ``2017-03-01``; other dates as they are."""
    raw = cell.strip()
    return raw.replace("/", "-") if re.fullmatch(r"\d{4}/\d{2}/\d{2}", raw) else raw


def _ungroup(cell: str, comma: bool) -> str:
    """A dot-decimal amount without its thousands commas (``1,034.75``); others as they are."""
    return cell if comma else re.sub(r",(?=\d{3}\b)", "", cell)


# Triodos -----------------------------------------------------------------------------

_TRIODOS_WIDTHS = (8, 9)
_TRIODOS_MARKS = {"debet": DEBIT, "credit": CREDIT}


def is_triodos_row(cells: Sequence[str]) -> bool:
    return (
        len(cells) in _TRIODOS_WIDTHS
        and re.fullmatch(r"\d{2}-\d{2}-\d{4}", cells[0].strip()) is not None
        and cells[3].strip().casefold() in _TRIODOS_MARKS
    )


def parse_triodos(text: str, file: str) -> tuple[list[Part], str]:
    """Triodos CSV: no header; booking date ``dd-mm-yyyy``, own account, unsigned amount with
    a decimal comma, ``Debet``/``Credit``, counterparty name, counter account, code,
    description and (in newer exports) the balance after the line."""
    lines: list[BankLine] = []
    after: list[Decimal] = []
    width = 0
    for line, row in _records(text, file, delimiter=","):
        width = width or len(row)
        if len(row) != width or width not in _TRIODOS_WIDTHS:
            wanted = width if width in _TRIODOS_WIDTHS else msg("statement.one_or_other", one=8, other=9)
            _fail(file, line, msg("statement.triodos_width", count=len(row), width=wanted))
        mark = row[3].casefold()
        if mark not in _TRIODOS_MARKS:
            _fail(file, line, msg("statement.triodos_mark", value=repr(_short(row[3], 10)),
                                  expected=msg("statement.one_or_other", one="Debet", other="Credit")))
        account = _account(row[1], file, line, required=True)
        name = _clean(row[4])
        lines.append(BankLine(
            "", _date(row[0], "dd-mm-yyyy", file, line),
            _amount(row[2], file, line, comma=True, signed=False), _TRIODOS_MARKS[mark],
            _describe(name, row[7]), name, account, line,
        ))
        if width == 9:
            after.append(_balance(row[8], file, line))
    what = msg("statement.csv_without_balance", layout="Triodos CSV")
    return _flat_parts(lines, after if width == 9 else None, what), "Triodos CSV"


PARSERS = {
    "ing": parse_ing,
    "rabobank": parse_rabobank,
    "knab": parse_knab,
    "asn": parse_volksbank,
    "sns": parse_volksbank,
    "regiobank": parse_volksbank,
    "abnamro": parse_abnamro,
    "bunq": parse_bunq,
    "triodos": parse_triodos,
}
