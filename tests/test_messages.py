"""Messages as data: a code and its values from the library, the words from a catalogue at
the edge, and no command-line flag spelled below the command line."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, assert_refused
from maatwerk_cli import Ledger
from maatwerk_cli.core.errors import InputError
from maatwerk_cli.core.messages import LANGUAGES, Msg, Opt, at_edge, catalogue, msg, read_po

PACKAGE = Path(__file__).resolve().parents[1] / "maatwerk_cli"
LOWER = ("core", "store", "formats", "ops", "analysis")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def flags_spelled(source: str) -> list[str]:
    """Every command-line flag in a string of the module (docstrings aside: they document)."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    return [f"{node.lineno}: {m[0]}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
            for m in FLAG.finditer(node.value)]


def test_no_flag_is_spelled_below_the_command_line() -> None:
    found = [f"{p.relative_to(PACKAGE)}:{hit}" for layer in LOWER for p in sorted((PACKAGE / layer).rglob("*.py"))
             for hit in flags_spelled(p.read_text(encoding="utf-8"))]
    assert found == []


def test_the_flag_check_finds_a_flag() -> None:
    sample = 'def f():\n    """Takes --reason."""\n    raise E("say why, with --reason")\nx = f"add --kind {k}"\n'
    assert sorted(flags_spelled(sample)) == ["3: --reason", "4: --kind"]


def _calls(tree: ast.AST) -> list[tuple[str, set[str], int]]:
    out = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "msg"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            out.append((node.args[0].value, {k.arg for k in node.keywords if k.arg}, node.lineno))
    return out


def test_every_message_code_is_in_the_catalogue_with_the_values_it_gives() -> None:
    texts = catalogue(LANGUAGES[0])
    wrong = []
    used = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        for code, given, line in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            used += 1
            where = f"{path.relative_to(PACKAGE)}:{line} {code}"
            if code not in texts:
                wrong.append(f"{where}: not in the catalogue")
                continue
            wanted = {name for _, name, _, _ in string.Formatter().parse(texts[code]) if name}
            if wanted != given:
                wrong.append(f"{where}: gives {sorted(given)}, the text uses {sorted(wanted)}")
    assert used >= 30
    assert wrong == []


def test_every_catalogue_reads_and_each_code_once() -> None:
    for po in sorted((PACKAGE / "locale").rglob("*.po")):
        text = po.read_text(encoding="utf-8")
        codes = re.findall(r'^msgid "(.+)"$', text, re.M)
        # A text over several lines (help, keyed by its English) starts with msgid "".
        entries = len(re.findall(r"^msgid ", text, re.M)) - 1  # the header's msgid ""
        assert len(codes) == len(set(codes)), po
        assert set(codes) <= set(read_po(text)) and len(read_po(text)) == entries, po
    all_codes = [c for po in (PACKAGE / "locale" / "en").glob("*.po")
                 for c in re.findall(r'^msgid "(.+)"$', po.read_text(encoding="utf-8"), re.M)]
    assert len(all_codes) == len(set(all_codes))


def test_a_po_string_over_several_lines_and_escapes() -> None:
    got = read_po('# c\nmsgid "a.b"\nmsgstr ""\n"one \\"two\\" "\n"three\\n"\n\nmsgid "x"\nmsgstr "y"\n')
    assert got == {"a.b": 'one "two" three\n', "x": "y"}


def test_the_library_says_what_went_wrong_as_a_code_and_values(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    with pytest.raises(InputError) as caught:
        lg.void_lines(["noord-2025-0001"], reason=" ")
    assert caught.value.msg == Msg("void.no_reason", {"option": Opt("reason")})
    assert str(caught.value) == "say why, with --reason"
    # Another edge spells its options its own way: the sentence is made there, not below.
    assert caught.value.text(options=lambda o: f"{o.name}=") == "say why, with reason="
    with at_edge("en", lambda o: f"<{o.name}>"):
        shown = str(msg("rules.second_opinion", option=Opt("second-opinion")))
    assert shown == "add <second-opinion> NAME (who agreed)"


def test_values_are_formatted_at_the_edge() -> None:
    import datetime as dt
    from decimal import Decimal

    text = str(msg("cash.write_off_over_limit", have=Decimal("12.5"), limit=Decimal("10"), team="noord",
                   option=Opt("deposit")))
    assert text.startswith("€ 12,50 is more than the € 10,00 that may be written off")
    assert text.endswith("`maatwerk cash settle noord --deposit`")
    assert "01-08-2025" in str(msg("budget.period_outside_year", option=Opt("start"), day=dt.date(2025, 8, 1),
                                   year=2026))


def test_the_command_line_names_the_flag(lcli: Callable[..., Result]) -> None:
    assert_refused(lcli("void", "noord-2025-0001", "--reason", " "), "say why, with --reason")


def test_a_plural_takes_the_form_for_its_number() -> None:
    from maatwerk_cli.core.messages import _fill, plain_option

    template = "{n:plural:uitgave|uitgaven}"
    assert [_fill(template, {"n": n}, "nl", plain_option) for n in (0, 1, 2)] == [
        "0 uitgaven", "1 uitgave", "2 uitgaven"]
