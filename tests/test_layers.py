"""The house in layers: every import of the package's own modules points down, none ties a
circle, and `import maatwerk_cli` stays light."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "maatwerk_cli"
#: Lower layers first; a module may import its own layer and those before it.
LAYERS = ["core", "store", "formats", "ops", "analysis", "ledger", "render", "cli", "__main__"]


def _modules() -> dict[str, Path]:
    out = {}
    for f in PACKAGE.rglob("*.py"):
        rel = f.relative_to(PACKAGE.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        out[".".join(parts)] = f
    return out


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every import of the package's modules, those inside functions and TYPE_CHECKING too."""
    base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level:
                mod = ".".join(base[: len(base) - (node.level - 1)] + ([mod] if mod else []))
            if mod == "maatwerk_cli" or mod.startswith("maatwerk_cli."):
                found |= {c for c in [mod, *(f"{mod}.{a.name}" for a in node.names)] if c in known}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
    found.discard(name)
    found.discard("maatwerk_cli")
    return found


def _layer(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_every_import_points_down() -> None:
    known = _modules()
    wrong = []
    for name, path in known.items():
        if name == "maatwerk_cli":
            continue
        mine = LAYERS.index(_layer(name))
        for target in _imports(name, path, known):
            if LAYERS.index(_layer(target)) > mine:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_import_cycle() -> None:
    known = _modules()
    graph = {m: _imports(m, p, known) for m, p in known.items() if m != "maatwerk_cli"}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*stack[stack.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_every_layer_says_what_it_holds_and_may_import() -> None:
    for layer in ("core", "store", "formats", "ops", "analysis", "render", "cli"):
        doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc, layer


def test_only_the_cli_imports_typer() -> None:
    for path in PACKAGE.rglob("*.py"):
        if "cli" in path.relative_to(PACKAGE).parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "typer" not in names and "click" not in names, path


def test_importing_the_library_loads_no_heavy_package() -> None:
    code = ("import sys, maatwerk_cli\n"
            "print(sorted(m for m in ('typer', 'rich', 'pandas', 'numpy', 'openpyxl', 'tomlkit') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


CHART_MODULES = ("maatwerk_cli.render.charts", "maatwerk_cli.render.html", "maatwerk_cli.render.pdf",
                 "maatwerk_cli.analysis.overview")


def _loaded_after(root: Path, *args: str) -> list[str]:
    code = ("import json, sys\n"
            "from maatwerk_cli.cli.app import run\n"
            f"code = run({['--ledgers', str(root), *args]!r})\n"
            f"sys.stderr.write('LOADED=' + json.dumps([code, sorted(m for m in {CHART_MODULES!r} "
            "if m in sys.modules)]) + '\\n')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=PACKAGE.parent)
    line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED="))
    status, loaded = json.loads(line.removeprefix("LOADED="))
    assert status == 0, done.stderr
    return list(loaded)


def test_only_the_report_command_loads_the_charts(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "ledger"
    shutil.copytree(PACKAGE.parent / "ledgers", root)
    for args in (("utilisation", "--month", "2026-10"), ("utilisation", "--month", "2026-10", "--chart"),
                 ("compare",), ("spend", "noord", "12,50", "-c", "Levensmiddelen", "-d", "1-11-2026")):
        assert _loaded_after(root, *args) == [], args
    # ... and the report does load them (so the check above can fail).
    page = sorted(m for m in CHART_MODULES if not m.endswith(".pdf"))  # the PDF writer only for a .pdf
    assert _loaded_after(root, "report", "--month", "2026-10", "-o", str(tmp_path / "r.html")) == page


#: Where files may be made or changed at the file system's level: the one writer, and the
#: append-only stores (journal and bank lines appended in whole lines; the lock file).
WRITERS = {"store/atomic.py", "store/folder.py", "store/banklines.py", "store/lock.py"}
_WRITE_MODES = set("wax+")
_CREATING = {"O_CREAT", "O_TRUNC", "O_WRONLY", "O_RDWR", "O_APPEND"}


def _writes(tree: ast.AST) -> list[str]:
    """Every place in a module that writes a file other than through the one writer."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
        where = f"{name} at line {node.lineno}"
        method = isinstance(func, ast.Attribute)
        one_arg = len(node.args) == 1 and not node.keywords
        if (method and name in ("write_text", "write_bytes", "pwrite", "truncate")) or \
                (owner == "shutil" and name in ("move", "copy", "copy2", "copyfile", "copytree")) or \
                (owner == "tempfile" and name in ("mkstemp", "NamedTemporaryFile")):
            found.append(where)
        elif name in ("replace", "rename") and (owner == "os" or (method and one_arg and owner != "dataclasses")):
            found.append(where)  # Path.replace(target); str.replace takes two
        elif name in ("open", "fdopen") and owner != "os":
            mode = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg == "mode"), None)
            written = isinstance(mode, ast.Constant) and isinstance(mode.value, str) and bool(
                _WRITE_MODES & set(mode.value))
            if written or (mode is not None and not isinstance(mode, ast.Constant)):  # a mode not known here
                found.append(where)
        elif name == "open" and owner == "os":
            flags = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
            devnull = bool(node.args) and isinstance(node.args[0], ast.Attribute) and node.args[0].attr == "devnull"
            if flags & _CREATING and not devnull:
                found.append(where)
    return found


def test_every_file_is_written_through_the_one_writer() -> None:
    """Settings, team files, outputs, workbooks, HTML, PDF, exports, the Parquet dataset,
    the marker and the cache: all through store/atomic.py (temporary file, fsync, rename)."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in WRITERS:
            continue
        wrong += [f"{rel}: {w}" for w in _writes(ast.parse(path.read_text(encoding="utf-8")))]
    assert wrong == []


def test_the_writer_check_finds_what_it_looks_for() -> None:
    """The check above can fail: each way of writing it knows is found in a sample."""
    sample = ast.parse(
        "p.write_text('x')\nopen(p, 'wb')\nopen(p, mode='a')\nos.replace(a, b)\ntmp.replace(p)\n"
        "os.open(p, os.O_WRONLY | os.O_CREAT)\nos.pwrite(fd, b'', 0)\nshutil.copy(a, b)\n"
        "'a-b'.replace('-', '')\nopen(p)\nopen(p, 'rb')\nos.open(p, os.O_RDONLY)\nreplace(row, id='x')\n"
        "a.copy()\nos.open(os.devnull, os.O_WRONLY)\nfh.truncate(0)\n"
    )
    assert [w.split(" at ")[0] for w in _writes(sample)] == [
        "write_text", "open", "open", "replace", "replace", "open", "pwrite", "copy", "truncate"]


def test_the_cli_goes_through_the_library_face() -> None:
    """No command reaches past :class:`~maatwerk_cli.ledger.Ledger` into the operations or
    the store (imports inside functions and TYPE_CHECKING too), nor into a ledger's folder."""
    known = _modules()
    wrong = []
    for name, path in known.items():
        if _layer(name) != "cli":
            continue
        wrong += [f"{name} imports {t}" for t in sorted(_imports(name, path, known))
                  if _layer(t) in ("ops", "store")]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wrong += [f"{name}:{n.lineno} uses .folder" for n in ast.walk(tree)
                  if isinstance(n, ast.Attribute) and n.attr == "folder"]
        wrong += [f"{name}:{n.lineno} gets 'folder'" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and n.value == "folder"]
    assert wrong == []


def test_the_clerks_spend_stays_light(tmp_path: Path) -> None:
    """``maatwerk spend`` builds its request and records through the Ledger without numpy or
    pandas (a card payment reads no journal); so does ``import maatwerk_cli``'s request types."""
    from decimal import Decimal

    from maatwerk_cli import Ledger

    root = tmp_path / "ledger"
    Ledger.init(root, municipality="Licht", year=2026).add_team("noord", name="Noord", budget=Decimal(5000),
                                                               year=2026)
    code = ("import sys\n"
            "from maatwerk_cli.cli.app import run\n"
            "for amount in ('12,50', '20'):\n"
            f"    assert run(['--ledgers', {str(root)!r}, 'spend', 'noord', amount, '-c', 'Wonen', "
            "'-d', '1-3-2026']) == 0\n"
            "sys.stderr.write('HEAVY=' + ','.join(m for m in ('numpy', 'pandas') if m in sys.modules) + '\\n')\n")
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                          check=True, cwd=PACKAGE.parent)
    assert "HEAVY=\n" in done.stderr
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "maatwerk_cli.ops.requests" in imported and not {"numpy", "pandas"} & imported


# -- issue 21: the fold is the only source of an entry's state

#: Where ``.lines`` is something other than a journal's lines: (module, the object's name).
OTHER_LINES = {("formats/bank.py", "part"), ("formats/bank.py", "first_of_second"),
               ("ops/bank.py", "statement"), ("cli/clerk.py", "told"), ("render/html.py", "ch")}
#: What may be imported from core.lines outside core and store: dates and type names, no columns.
LINES_NAMES_ALLOWED = {"day", "day_number", "NO_DATE", "TYPES", "TYPE_CODE", "make_id", "key_to_id", "id_key",
                       "ID_SCALE"}
#: Attributes only the columnar lines have.
LINES_ONLY = {"filled_mask", "code_of", "has_amount", "filled", "span", "of_type"}


def line_column_reads(source: str, module: str) -> list[str]:
    """Where code reads a journal's line columns rather than asking the fold's Book:
    ``x.lines`` (a Book's or a Folded's lines, or anything else not listed in
    :data:`OTHER_LINES`), ``getattr(x, "lines")`` and ``vars(x)["lines"]``, the attributes only
    :class:`~maatwerk_cli.core.lines.Lines` has, and imports of its columns' machinery."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        at = f"{module}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Attribute):
            other = node.attr == "lines" and (module, ast.unparse(node.value)) in OTHER_LINES
            if (node.attr == "lines" and not other) or node.attr in LINES_ONLY:
                found.append(f"{at}: {ast.unparse(node)}")
        elif isinstance(node, ast.Constant) and node.value == "lines":
            parent = next((p for p in ast.walk(tree) for c in ast.iter_child_nodes(p) if c is node), None)
            if isinstance(parent, ast.Subscript) or (
                    isinstance(parent, ast.Call) and ast.unparse(parent.func).split(".")[-1] in
                    ("getattr", "attrgetter", "__getattribute__")):
                found.append(f"{at}: {ast.unparse(parent)}")
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if mod.endswith("core.lines") or mod == "core.lines":
                found += [f"{at}: imports {a.name} from core.lines" for a in node.names
                          if a.name not in LINES_NAMES_ALLOWED]
            elif mod.endswith("core") or mod == "":
                found += [f"{at}: imports core.lines" for a in node.names if a.name == "lines"]
        elif isinstance(node, ast.Import):
            found += [f"{at}: imports {a.name}" for a in node.names if a.name.endswith("core.lines")]
    return found


def test_nothing_outside_core_and_store_reads_journal_line_columns() -> None:
    """An entry's date, amount, category, kind, ... and a team's cash are the fold's answers
    (core.fold.Book): every other layer asks the Book, so a new event changes one place."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.split("/")[0] in ("core", "store"):
            continue
        found += line_column_reads(path.read_text(encoding="utf-8"), rel)
    assert found == []


def test_the_line_column_check_sees_the_usual_ways_round() -> None:
    dodges = [
        "lines = book.lines\nx = lines.date[book.spends]",
        "x = folded.book.lines.amount[i]",
        "x = self.books[s].book.lines.codes['category']",
        "f(book.lines)",
        "x = getattr(book, 'lines').date",
        "x = vars(book)['lines']",
        "x = operator.attrgetter('lines')(book)",
        "m = mystery.filled_mask('extra')",
        "c = thing.code_of('method', 'contant')",
        "from ..core.lines import rows_of",
        "from ..core.lines import Lines",
        "from ..core import lines",
        "import maatwerk_cli.core.lines",
        "x = part.lines",  # allowed only in formats/bank.py
    ]
    for code in dodges:
        assert line_column_reads(code, "ops/example.py"), code
    fine = ["from ..core.lines import day, NO_DATE", "x = book.dates()[book.spends >= 0]",
            "x = [ln for ln in part.lines]", "c = book.categories().codes"]
    for code in fine:
        assert not line_column_reads(code, "formats/bank.py"), code
