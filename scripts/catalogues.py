"""The message catalogues: what the code marks for translation, and the compiled ``.mo`` files.

    python scripts/catalogues.py extract   # maatwerk_cli/locale/maatwerk.pot: every text the code marks
    python scripts/catalogues.py compile   # each locale/<lang>/<domain>.po -> locale/<lang>/LC_MESSAGES/<domain>.mo
    python scripts/catalogues.py missing   # the marked texts a language has no translation for

What is marked: the code of every ``msg("code", ...)`` (the library's messages), every text
given to ``tr(...)`` or ``N_(...)``, every ``what="..."`` (the word a parser names in its
message, default or given), and in the command line the ``help=`` of each option and
argument and the docstring of each command. Keyword extractors (xgettext, Babel) see the
first two but not help given as a keyword or a docstring, so the extraction is done here
over the syntax tree, the same way for all three.

The ``.mo`` files are committed and shipped in the wheel; ``tests/test_catalogues.py`` fails
when one is not what ``compile`` makes of its ``.po`` file.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "maatwerk_cli"
LOCALE = PACKAGE / "locale"
sys.path.insert(0, str(ROOT))

from maatwerk_cli.core.messages import read_po  # noqa: E402

MARKERS = {"msg", "tr", "N_", "Msg"}
#: The functions whose ``what=`` names what they read, in their messages.
PARSERS = ("parse_", "money", "day", "_date", "claim_bank_line", "check_file_name")


def _docstring_of_command(node: ast.AST) -> str | None:
    if not isinstance(node, ast.FunctionDef):
        return None
    registers = any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                    and d.func.attr in ("command", "callback") for d in node.decorator_list)
    return ast.get_docstring(node, clean=False) if registers else None


def marked(source: str, *, cli: bool) -> Iterator[tuple[str, int]]:
    """Each text ``source`` marks for the catalogue, with its line."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in MARKERS and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                text = node.args[0].value
                # In the command line, N_ marks help given at import, looked up as cleaned.
                yield (inspect.cleandoc(text) if cli and name == "N_" else text), node.lineno
            for kw in node.keywords if name.startswith(PARSERS) else ():  # the word a parser names
                if kw.arg == "what" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    yield kw.value.value, node.lineno
            if cli:
                for kw in node.keywords:
                    if kw.arg == "help" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                        yield inspect.cleandoc(kw.value.value), node.lineno
        if isinstance(node, ast.arguments):
            named = [*node.posonlyargs, *node.args][-len(node.defaults):] if node.defaults else []
            pairs = [*zip(named, node.defaults, strict=True), *zip(node.kwonlyargs, node.kw_defaults, strict=True)]
            for arg, default in pairs:
                if arg.arg == "what" and isinstance(default, ast.Constant) and isinstance(default.value, str):
                    yield default.value, getattr(default, "lineno", 0)
        doc = _docstring_of_command(node) if cli else None
        if doc:
            # Help is looked up by its text as click has it: indentation and end cleaned.
            yield inspect.cleandoc(doc), getattr(node, "lineno", 0)


def extracted() -> dict[str, list[str]]:
    """Every marked text of the package with where it is marked."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for text, line in marked(path.read_text(encoding="utf-8"), cli=rel.startswith("maatwerk_cli/cli/")):
            found.setdefault(text, []).append(f"{rel}:{line}")
    return found


def _quote(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = body.split("\n")
    if len(lines) == 1:
        return f'"{body}"'
    parts = [f'"{line}\\n"' for line in lines[:-1]] + ([f'"{lines[-1]}"'] if lines[-1] else [])
    return '""\n' + "\n".join(parts)


def write_pot(found: dict[str, list[str]]) -> str:
    out = ['# maatwerk: every text the code marks for translation (made by scripts/catalogues.py extract).',
           'msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for text in sorted(found):
        out += [f"#: {' '.join(found[text][:3])}", f"msgid {_quote(text)}", 'msgstr ""', ""]
    return "\n".join(out)


def mo_bytes(pairs: dict[str, str], lang: str) -> bytes:
    """A GNU ``.mo`` file of ``pairs``: sorted, without a hash table, the same bytes every time."""
    header = f"Content-Type: text/plain; charset=UTF-8\nLanguage: {lang}\n"
    entries = sorted([("", header), *pairs.items()])
    ids = [k.encode("utf-8") for k, _ in entries]
    strs = [v.encode("utf-8") for _, v in entries]
    n = len(entries)
    start = 7 * 4 + 16 * n
    table_ids, table_strs, blob = [], [], b""
    for raw in ids:
        table_ids.append((len(raw), start + len(blob)))
        blob += raw + b"\0"
    for raw in strs:
        table_strs.append((len(raw), start + len(blob)))
        blob += raw + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, n, 28, 28 + 8 * n, 0, 0)
    return head + b"".join(struct.pack("<2I", *t) for t in table_ids + table_strs) + blob


def compiled() -> dict[Path, bytes]:
    """Each ``.mo`` file as ``compile`` writes it, by path."""
    out = {}
    for po in sorted(LOCALE.glob("*/*.po")):
        lang = po.parent.name
        out[po.parent / "LC_MESSAGES" / f"{po.stem}.mo"] = mo_bytes(read_po(po.read_text(encoding="utf-8")), lang)
    return out


def missing(lang: str) -> list[str]:
    """The marked texts ``lang`` has no translation for (codes and English texts alike)."""
    have: dict[str, str] = {}
    for po in sorted((LOCALE / lang).glob("*.po")):
        have.update(read_po(po.read_text(encoding="utf-8")))
    return sorted(t for t in extracted() if t not in have)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["extract", "compile", "missing"])
    parser.add_argument("--lang", default="nl")
    args = parser.parse_args(argv)
    if args.action == "extract":
        (LOCALE / "maatwerk.pot").write_text(write_pot(extracted()), encoding="utf-8")
    elif args.action == "compile":
        for path, data in compiled().items():
            path.parent.mkdir(exist_ok=True)
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
                print(f"wrote {path.relative_to(ROOT)}")
    else:
        for text in missing(args.lang):
            print(repr(text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
