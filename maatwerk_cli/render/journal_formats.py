"""A :class:`~maatwerk_cli.analysis.export.JournalExport` as hledger, ledger or beancount text.

Each tool reads the file as it is: ``hledger -f FILE bal``, ``ledger -f FILE bal``,
``bean-check FILE`` and ``fava FILE``. What differs between them is syntax only:

* account names: the same in all three, made valid for the strictest (beancount): accents
  folded to plain letters, every run of other characters one hyphen, each part starting
  with a capital or a digit (``Financiën`` is ``Financien``, ``Water en energie``
  ``Water-en-energie``, team ``noord`` ``Noord``);
* amounts: exact, two decimals, a point as decimal mark, ``EUR`` after the number;
* the entry's id, kind, method, household and outcome: hledger tags and ledger metadata
  (``; kind: loan``), beancount metadata plus a link (``^noord-2025-0002``) shared by a
  spend and its repayments, and the kind as a tag;
* a spend's receipt (*bon*): a beancount ``document`` directive on its expense account with
  the entry's link (not in a ``--redact`` export; hledger and ledger have no such thing);
* the budget: hledger and ledger periodic transactions for the year (``bal --budget``,
  ``ledger budget``), beancount ``custom "budget" ... "yearly"`` entries (fava's budgets).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from ..analysis.export import BUDGET, Account, JournalExport, Transaction, expense_root, team_account

TOOLS = ("hledger", "ledger", "beancount")
CURRENCY = "EUR"
#: Letters NFKD does not take apart.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
                          "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ĳ": "ij", "Ĳ": "IJ"})


def account_part(text: str, empty: str = "Overig") -> str:
    """One part of an account name, valid in hledger, ledger and beancount alike."""
    plain = unicodedata.normalize("NFKD", text.translate(_LETTERS)).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", plain)
    if not words:
        return empty
    name = "-".join(words)
    return name[0].upper() + name[1:]


def account_name(account: Account) -> str:
    return ":".join(account_part(p) for p in account)


def amount(cents: int) -> str:
    """``-1234.56``: exact, two decimals."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def _line(text: str) -> str:
    """Free text on one line, without the characters that start a comment or split a payee."""
    return re.sub(r"\s+", " ", text.replace(";", ",").replace("|", "/")).strip()


def _header(export: JournalExport, tool: str, comment: str) -> list[str]:
    what = f"{export.year}" if export.year is not None else "all years"
    name = _line(export.municipality)
    lines = [
        f"Maatwerkbudget{f' {name}' if name else ''}, {what}: exported by maatwerk for {tool}.",
        "Voided entries are left out, with their repayments. A loan or conditional grant counts as",
        "spent in full; what is still owed on it stands in Assets:Maatwerk:<team>:Vorderingen.",
    ]
    if export.redacted:
        lines.append("Redacted: households are pseudonyms that hold within this file only; texts left out.")
    if export.year is not None:
        lines.append("A team that starts the year with cash or claims has an opening balance on 1 January.")
    return [f"{comment} {line}" for line in lines] + [""]


def _postings(t: Transaction, indent: str, width: int) -> list[str]:
    out = []
    for p in t.postings:
        name = account_name(p.account)
        out.append(f"{indent}{name.ljust(width)}  {amount(p.cents).rjust(12)} {CURRENCY}")
    return out


def _width(export: JournalExport) -> int:
    return max((len(account_name(a)) for a in export.accounts), default=30)


def _plain_text_journal(export: JournalExport, tool: str) -> str:
    """hledger and ledger share the transaction syntax; directives and budgets differ."""
    out = _header(export, tool, ";")
    if tool == "hledger":
        out += ["decimal-mark .", f"commodity 1000.00 {CURRENCY}", ""]
    else:
        out += [f"commodity {CURRENCY}", f"    format 1000.00 {CURRENCY}", ""]
    out += [f"account {account_name(a)}" for a in export.accounts]
    width = _width(export)
    goals = [b for b in export.budgets if b.cents]
    if goals:
        report = ("hledger -f FILE bal --budget -Y Expenses" if tool == "hledger"
                  else "ledger -f FILE budget Expenses")
        out += ["", f"; Budgets per team and year: {report}"]
    for b in goals:
        label = f"Budget {_line(b.name)} {b.year}"
        if tool == "hledger":
            out += ["", f"~ yearly from {b.year}-01-01 to {b.year + 1}-01-01  {label}"]
        else:
            out += ["", f"~ Yearly from {b.year}/01/01 to {b.year + 1}/01/01", f"    ; {label}"]
        goal = account_name(expense_root(b.team)).ljust(width)
        out += [f"    {goal}  {amount(b.cents).rjust(12)} {CURRENCY}",
                f"    {account_name(team_account('Assets', b.team, BUDGET))}"]
    for t in export.transactions:
        description = _line(t.payee)
        if t.narration and _line(t.narration):
            description += f" | {_line(t.narration)}"
        code = f" ({t.code})" if t.code else ""
        out += ["", f"{t.date.isoformat()} *{code} {description}"]
        out += [f"    ; {name}: {_tag(value)}" for name, value in t.tags]
        out += _postings(t, "    ", width)
    return "\n".join(out) + "\n"


def _tag(value: str) -> str:
    # hledger ends a tag's value at a comma.
    return _line(value).replace(",", " ")


def hledger(export: JournalExport) -> str:
    """The export as an hledger journal."""
    return _plain_text_journal(export, "hledger")


def ledger(export: JournalExport) -> str:
    """The export as a ledger (ledger-cli) journal."""
    return _plain_text_journal(export, "ledger")


def _quoted(text: str) -> str:
    return '"' + re.sub(r"\s+", " ", text).strip().replace("\\", "\\\\").replace('"', '\\"') + '"'


_LINK = re.compile(r"[^A-Za-z0-9\-_/.]")


def beancount(export: JournalExport) -> str:
    """The export as a beancount file (checked by ``bean-check``, shown by fava)."""
    out = _header(export, "beancount (fava)", ";")
    title = f"Maatwerkbudget {_line(export.municipality)}".strip()
    out += [f"option \"title\" {_quoted(title)}", f'option "operating_currency" "{CURRENCY}"', ""]
    start = export.first_date()
    if start is not None:
        out += [f"{start.isoformat()} open {account_name(a)} {CURRENCY}" for a in export.accounts]
    width = _width(export)
    last: dict[str, int] = {}
    for b in export.budgets:
        # A budget carries on in fava until the next one: a year without one is set to 0.
        if b.cents or last.get(b.team):
            if not last:
                out += ["", "; Budgets per team and year (fava: Budgets; bean-query has no budget report)."]
            out.append(f'{b.year}-01-01 custom "budget" {account_name(expense_root(b.team))} "yearly" '
                       f"{amount(b.cents)} {CURRENCY}")
        last[b.team] = b.cents
    for t in export.transactions:
        head = f"{t.date.isoformat()} * {_quoted(_line(t.payee))} {_quoted(t.narration)}"
        if t.link:
            head += f" ^{_LINK.sub('-', t.link)}"
        kind = dict(t.tags).get("kind") if t.what == "spend" else None
        if kind:
            head += f" #{_LINK.sub('-', kind)}"
        out += ["", head]
        if t.code and t.code != t.link:
            out.append(f"  id: {_quoted(t.code)}")
        out += [f"  {name}: {_quoted(value)}" for name, value in t.tags]
        out += _postings(t, "  ", width)
    if export.documents:
        out += ["", "; Receipts (bonnen) kept in the ledger folder (fava: Documents)."]
        out += [f"{d.date.isoformat()} document {account_name(d.account)} {_quoted(d.path)} "
                f"^{_LINK.sub('-', d.link)}" for d in export.documents]
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[JournalExport], str]] = {
    "hledger": hledger, "ledger": ledger, "beancount": beancount,
}


def render(tool: str, export: JournalExport) -> str:
    return RENDERERS[tool](export)


def suffix(tool: str) -> str:
    """The file name ending each tool expects."""
    return {"hledger": ".journal", "ledger": ".ledger", "beancount": ".beancount"}[tool]


__all__: Sequence[str] = ("TOOLS", "account_name", "account_part", "amount", "beancount", "hledger",
                          "ledger", "render", "suffix")


def write_journal(path: Path, text: str) -> None:
    """A journal file written whole or not at all (temporary file, fsync, rename)."""
    from ..store.atomic import write_atomic

    write_atomic(path, text)
