"""Where output goes (issue 20): never into any ledger folder, never onto a device, FIFO,
socket or folder, and a workbook never holds a live formula, whichever command writes it."""

from __future__ import annotations

import datetime as dt
import os
import socket
import stat
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger

Cli = Callable[..., Result]

#: Every command that writes a file with -o (or a dataset folder), with the extension its
#: output needs; ``{out}`` is replaced by the output path.
WRITERS: dict[str, tuple[tuple[str, ...], str]] = {
    "utilisation": (("utilisation", "--year", "2025", "-o", "{out}"), ".csv"),
    "compare": (("compare", "--year", "2025", "-o", "{out}"), ".csv"),
    "categories": (("categories", "--year", "2025", "-o", "{out}"), ".json"),
    "loans": (("loans", "-o", "{out}"), ".md"),
    "outcomes": (("outcomes", "--year", "2025", "-o", "{out}"), ".csv"),
    "leadtime": (("leadtime", "--year", "2025", "-o", "{out}"), ".csv"),
    "stories": (("stories", "-o", "{out}"), ".md"),
    "summary": (("summary", "{ledger}", "--year", "2025", "-o", "{out}"), ".csv"),
    "pack": (("pack", "--as-of", "31-12-2025", "-o", "{out}"), ".xlsx"),
    "team list": (("team", "list", "--year", "2025", "-o", "{out}"), ".csv"),
    "team show": (("team", "show", "zuid", "-o", "{out}"), ".xlsx"),
    "show": (("show", "zuid-2025-0001", "-o", "{out}"), ".json"),
    "entries": (("entries", "-o", "{out}"), ".csv"),
    "cash status": (("cash", "status", "-o", "{out}"), ".csv"),
    "bank lines": (("bank", "lines", "zuid", "-o", "{out}"), ".csv"),
    "reconcile": (("reconcile", "zuid", "-o", "{out}"), ".csv"),
    "rules": (("rules", "--year", "2025", "-o", "{out}"), ".json"),
    "knipkaart status": (("knipkaart", "status", "--year", "2025", "-o", "{out}"), ".csv"),
    "report": (("report", "--as-of", "31-12-2025", "-o", "{out}"), ".html"),
    "export hledger": (("export", "hledger", "-o", "{out}"), ".journal"),
    "export ledger": (("export", "ledger", "-o", "{out}"), ".ledger"),
    "export beancount": (("export", "beancount", "-o", "{out}"), ".beancount"),
}


def _ledger(root: Path, municipality: str, team_name: str = "Wijkteam Zuid") -> Path:
    lg = Ledger.init(root, municipality=municipality, year=2025)
    lg.add_team("zuid", name=team_name, budget=Decimal("5000"), year=2025)
    lg.spend("zuid", "35", category="Wonen", method="factuur", date=dt.date(2025, 3, 14), note="borg")
    return root


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path]:
    """Ledger A (the one the command reads) and ledger B (another one, never to be written)."""
    return _ledger(tmp_path / "A", "Aadorp"), _ledger(tmp_path / "B", "Beekdorp")


def _run(cli: Cli, a: Path, name: str, out: Path | str) -> Result:
    args, _ = WRITERS[name]
    return cli("--ledgers", str(a), *(x.format(out=out, ledger=a) for x in args))


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# ---------------------------------------------------------------- 6: into another ledger


@pytest.mark.parametrize("name", list(WRITERS))
def test_an_output_inside_another_ledger_is_refused(cli: Cli, two: tuple[Path, Path], name: str,
                                                    tmp_path: Path) -> None:
    a, b = two
    ext = WRITERS[name][1]
    journal = b / "teams" / "zuid.csv"
    os.symlink(b, tmp_path / "link-to-b")
    targets = [
        b / "teams" / f"new{ext}",                       # a new file in B's teams folder
        b / f"new{ext}",                                 # in B itself
        a / ".." / "B" / "teams" / f"x{ext}",            # through ..
        tmp_path / "link-to-b" / "teams" / f"y{ext}",    # through a linked folder
    ]
    if ext == ".csv":
        targets.append(journal)                          # B's journal itself
    before_a, before_b = snapshot(a), snapshot(b)
    files_b = _files(b)
    for target in targets:
        result = _run(cli, a, name, target)
        assert_refused(result, "inside the ledger folder")
    assert snapshot(a) == before_a and snapshot(b) == before_b
    assert _files(b) == files_b


def test_an_export_onto_another_ledgers_journal_is_refused(cli: Cli, two: tuple[Path, Path]) -> None:
    a, b = two
    before = snapshot(b)
    for tool in ("hledger", "ledger", "beancount"):
        assert_refused(cli("--ledgers", str(a), "export", tool, "-o", str(b / "teams" / "zuid.csv")),
                       "inside the ledger folder", str(b))
    assert snapshot(b) == before


def test_a_parquet_dataset_inside_another_ledger_is_refused(cli: Cli, two: tuple[Path, Path],
                                                           tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    a, b = two
    os.symlink(b / "teams", tmp_path / "teams-of-b")
    before_a, before_b = snapshot(a), snapshot(b)
    files_b = _files(b)
    for target in (b / "teams" / "ds", b / "ds", tmp_path / "teams-of-b" / "ds", b / "teams", b):
        result = cli("--ledgers", str(a), "export", "parquet", str(target))
        assert_refused(result, "ledger folder")
        result = cli("export", "parquet", str(target), str(a))
        assert_refused(result, "ledger folder")
    assert snapshot(a) == before_a and snapshot(b) == before_b
    assert _files(b) == files_b
    # outside every ledger it is written
    assert cli("--ledgers", str(a), "export", "parquet", str(tmp_path / "ds")).code == 0


# ---------------------------------------------------------------- 7: onto special files


def _char_device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device needs root")


def _socket(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(path.name)  # relative (the test is in its folder): a socket's path is at most 107 bytes
    return sock


SPECIAL = ["device", "fifo", "socket", "folder", "link to a device", "dangling link"]


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize("name", ["report", "pack", "export hledger", "entries", "stories", "team show"])
def test_an_output_onto_a_special_file_is_refused(cli: Cli, two: tuple[Path, Path], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch, name: str,
                                                  kind: str) -> None:
    a, _ = two
    monkeypatch.chdir(tmp_path)
    ext = WRITERS[name][1]
    out = tmp_path / f"s{ext}"
    held = []
    if kind == "device":
        _char_device(out)
    elif kind == "fifo":
        os.mkfifo(out)
    elif kind == "socket":
        held.append(_socket(out))
    elif kind == "folder":
        out.mkdir()
    elif kind == "link to a device":
        _char_device(tmp_path / "dev")
        os.symlink(tmp_path / "dev", out)
    else:
        os.symlink(tmp_path / "nothing", out)
    before = os.lstat(out)
    try:
        result = _run(cli, a, name, out)
    finally:
        for sock in held:
            sock.close()
    assert_refused(result)
    after = os.lstat(out)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode), "the special file was replaced"
    assert (after.st_ino, after.st_dev) == (before.st_ino, before.st_dev)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".s")], "a temporary file was left"


@pytest.mark.parametrize("name", ["report", "pack", "export hledger", "entries"])
def test_a_regular_file_a_new_name_and_a_link_to_a_regular_file_are_written(
        cli: Cli, two: tuple[Path, Path], tmp_path: Path, name: str) -> None:
    a, _ = two
    ext = WRITERS[name][1]
    old = tmp_path / f"old{ext}"
    old.write_text("earlier\n", encoding="utf-8")
    assert _run(cli, a, name, old).code == 0
    assert old.read_bytes() != b"earlier\n"
    new = tmp_path / f"new{ext}"
    assert _run(cli, a, name, new).code == 0 and new.is_file()
    (tmp_path / "out").mkdir()
    real = tmp_path / "out" / f"real{ext}"
    real.write_text("earlier\n", encoding="utf-8")
    link = tmp_path / f"link{ext}"
    os.symlink(real, link)
    assert _run(cli, a, name, link).code == 0


def test_a_link_into_a_ledger_is_refused(cli: Cli, two: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = two
    link = tmp_path / "x.csv"
    os.symlink(b / "teams" / "zuid.csv", link)
    before = snapshot(b)
    assert_refused(cli("--ledgers", str(a), "entries", "-o", str(link)), "inside the ledger folder")
    assert_refused(cli("--ledgers", str(a), "export", "hledger", "-o", str(link)), "inside the ledger folder")
    assert snapshot(b) == before and link.is_symlink()


def test_a_parquet_dataset_onto_a_special_file_is_refused(cli: Cli, two: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    a, _ = two
    fifo = tmp_path / "ds"
    os.mkfifo(fifo)
    assert_refused(cli("--ledgers", str(a), "export", "parquet", str(fifo)))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


# ---------------------------------------------------------------- 8: formulas in workbooks

HOSTILE = '=HYPERLINK("http://x.example","klik")'

#: Every command that writes a workbook.
#: (reconcile writes its workbook through the same path, but needs a bank statement first.)
WORKBOOKS = [name for name in WRITERS
             if name not in ("stories", "report", "reconcile") and not name.startswith("export")]


@pytest.mark.parametrize("team_name", [HOSTILE, "=1+1", "+1", "@SUM(A1)"])
@pytest.mark.parametrize("name", WORKBOOKS)
def test_no_workbook_holds_a_formula(cli: Cli, tmp_path: Path, name: str, team_name: str) -> None:
    from openpyxl import load_workbook

    root = _ledger(tmp_path / "L", "=1+1", team_name=team_name)
    out = tmp_path / "out.xlsx"
    result = _run(cli, root, name, out)
    assert result.code == 0, result.err
    wb = load_workbook(out)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "@")), (ws.title, cell.coordinate, cell.value)
