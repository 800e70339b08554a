"""ISO 20022 camt.053 bank statements (any ``camt.053.001.*`` version), read with defusedxml.

Dutch banks' business and private downloads (ABN AMRO, ING, Rabobank, de Volksbank, bunq,
Knab) all write the standard layout; the readers take from each entry the booked amount
and direction, the booking date, the counterparty (RltdPties) and the unstructured
remittance text, and check each statement's opening
balance plus its entries against its closing balance.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from ..core.messages import Msg, msg
from .bank_common import (
    CREDIT,
    DEBIT,
    MAX_DESCRIPTION,
    BankLine,
    Part,
    _account,
    _balance_problem,
    _card_payee,
    _clean,
    _date,
    _day_ref,
    _describe,
    _euro,
    _exact_cents,
    _fail,
    _quoted,
    _remittance,
    _short,
    _slash_fields,
    _tag_lines,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_XML_AMOUNT = re.compile(r"(\d+)(?:\.(\d{1,5}))?")

CAMT053_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."
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
        _fail(file, 0, msg("statement.xml_dtd"))
    except defusedxml.EntitiesForbidden:
        _fail(file, 0, msg("statement.xml_entities"))
    except defusedxml.ExternalReferenceForbidden:
        _fail(file, 0, msg("statement.xml_external"))
    except defusedxml.DefusedXmlException as exc:
        _fail(file, 0, msg("statement.xml_forbidden", error=_short(str(exc))))
    except ParseError as exc:
        line = exc.position[0] if exc.position else 0
        _fail(file, line, msg("statement.xml_not_well_formed", error=_short(str(exc))))
    except (ValueError, LookupError, RecursionError) as exc:  # e.g. an unknown encoding name
        _fail(file, 0, msg("statement.xml_unreadable", error=_short(str(exc))))
    return root


class _CamtEntry(NamedTuple):
    """An Ntry before its direction is settled (reversals are read two ways)."""

    line: BankLine  # direction holds CdtDbtInd as written
    reversal: bool


def parse_camt053(data: bytes, file: str, check: bool) -> tuple[list[Part], str]:
    """Every statement (Stmt) of a camt.053 document, each checked against its balances."""
    root = _load_xml(data, file)
    match = re.fullmatch(r"\{(" + re.escape(CAMT053_NS) + r"[0-9]+)\}Document", root.tag)
    if match is None:
        _fail(file, 1, msg("statement.camt_no_document"))
    camt = _Camt(match.group(1))
    report = camt.find(root, "BkToCstmrStmt")
    statements = camt.findall(report, "Stmt") if report is not None else []
    if not statements:
        _fail(file, 1, msg("statement.camt_no_statement"))
    text = data.decode("utf-8", errors="replace")
    entry_lines = _tag_lines(text, "Ntry")
    stmt_lines = _tag_lines(text, "Stmt")
    entry_count = sum(len(camt.findall(stmt, "Ntry")) for stmt in statements)
    if len(entry_lines) != entry_count:
        entry_lines = [0] * entry_count
    if len(stmt_lines) != len(statements):
        stmt_lines = [0] * len(statements)

    parts: list[Part] = []
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
        number = _short(camt.text(stmt, 'Id') or '?', 40)
        what = msg("statement.statement_of_account", number=number, account=account) if account else (
            msg("statement.statement", number=number))
        note: str | Msg = ""
        if not check:
            note = msg("statement.balances_not_checked")
        elif opening is not None and closing is not None:
            problem = _balance_problem(what, opening, closing, settled)
            if problem:
                _fail(file, stmt_line, problem)
        else:
            missing = msg("statement.camt_no_balances") if opening is None and closing is None else (
                msg("statement.camt_no_closing") if closing is None else msg("statement.camt_no_opening")
            )
            note = msg("statement.camt_balance_missing", what=what, missing=missing)
        parts.append(Part(account, settled, opening, closing, note))
    return parts, "camt.053 XML"


def _camt_balances(camt: _Camt, stmt: Element, file: str, line: int) -> tuple[Decimal | None, Decimal | None]:
    found: dict[str, Decimal] = {}
    for bal in camt.findall(stmt, "Bal"):
        code = camt.text(bal, "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry").upper()
        if code not in ("OPBD", "PRCD", "CLBD") or code in found:
            continue
        amount = _camt_amount(camt, bal, file, line, what=msg("statement.camt_balance", balance=code))
        indicator = camt.text(bal, "CdtDbtInd").upper()
        if indicator not in ("CRDT", "DBIT"):
            _fail(file, line, msg("statement.camt_balance_no_indicator", balance=code))
        found[code] = -amount if indicator == "DBIT" else amount
    return found.get("OPBD", found.get("PRCD")), found.get("CLBD")


def _camt_amount(camt: _Camt, element: Element, file: str, line: int, what: str | Msg = "amount") -> Decimal:
    amt = camt.find(element, "Amt")
    raw = (amt.text or "").strip() if amt is not None else ""
    if amt is None or not _XML_AMOUNT.fullmatch(raw):
        _fail(file, line, msg("statement.not_an_amount", what=what, value=_quoted(raw)))
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
        _fail(file, line, msg("statement.camt_entry_no_indicator"))
    booked = camt.text(ntry, "BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm")
    if not booked:
        _fail(file, line, msg("statement.camt_entry_no_date"))
    date = _date(booked[:10], "yyyy-mm-dd", file, line, what=msg("statement.booking_date"))
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
    raw_extra = camt.text(ntry, "AddtlNtryInf")
    # The description as this tool first read it: stable hashes stay taken over that text.
    earlier = _describe(_clean(", ".join(names))[:MAX_DESCRIPTION], *texts, raw_extra)
    extra = raw_extra
    fields = _slash_fields(raw_extra)
    if fields is not None:
        # ABN AMRO repeats a transfer here as "/TRTP/.../NAME/.../REMI/..." text: take its
        # name and remittance text rather than gluing the tagged copy onto the description.
        if not names and _clean(fields.get("NAME", "")):
            names.append(_clean(fields["NAME"]))
        extra = _remittance(fields)
    texts.append(extra)
    counterparty = _clean(", ".join(names))[:MAX_DESCRIPTION]
    description = _describe(counterparty, *texts)
    if not counterparty and fields is None:  # ABN AMRO's card payments name the shop in the text
        counterparty = _card_payee(raw_extra)
    bank_line = BankLine(
        _camt_ref(camt, ntry, details, date), date, amount, CREDIT if indicator == "CRDT" else DEBIT,
        description, counterparty, account, line, earlier if earlier != description else "",
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
