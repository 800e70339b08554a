"""Hints that work (issue 12, item 5).

* Every option a message names exists on the command it is meant for: options inside a
  quoted command (```maatwerk cash withdraw noord AMOUNT --bank-line REF```) on that command,
  the others on the command that was run. The check covers every message this file
  provokes and, since it runs last, every message the whole suite provoked (``conftest``
  keeps them).
* With no ledger folder, every command says so, the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import conftest
from conftest import Result, assert_refused

Cli = Callable[..., Result]

OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
QUOTED = re.compile(r"`maatwerk ([^`]*)`")
# What click says about options that do not exist is about the user's typing, not a hint.
NOT_HINTS = re.compile(r"(?:No such option|no such option|Optie bestaat niet): --[\w-]+|"
                       r"extra (?:argument\(s\)|argumenten?) \([^)]*\)")


@cache
def root() -> Any:
    from typer.main import get_command

    from maatwerk_cli.cli.app import app

    return get_command(app)


def leaves(cmd: Any = None, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    cmd = cmd or root()
    if hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():
            yield from leaves(sub, (*path, name))
    else:
        yield path, cmd


def command_of(words: Sequence[str]) -> tuple[tuple[str, ...], Any]:
    """The command that words (a command line without the program) name, and its path."""
    cmd, path = root(), ()
    rest = list(words)
    while rest and hasattr(cmd, "commands"):
        word = rest.pop(0)
        if word in ("--ledgers", "--lang"):  # the global options that take a value
            rest and rest.pop(0)
            continue
        if word.startswith("-"):
            continue
        if word not in cmd.commands:
            break
        cmd, path = cmd.commands[word], (*path, word)
    return path, cmd


def options_of(cmd: Any) -> set[str]:
    names = {"--help"} | {o for p in root().params for o in getattr(p, "opts", ())}  # --ledgers, --version
    for p in cmd.params:
        names.update(o for o in (*getattr(p, "opts", ()), *getattr(p, "secondary_opts", ())) if o.startswith("--"))
    return names


def wrong_options(args: Sequence[str], message: str) -> list[str]:
    """Options a message names that the command they are meant for does not have."""
    text = NOT_HINTS.sub("", message)
    for given in args:  # what the user typed, quoted back ("date '--force' is not a date")
        text = text.replace(repr(given), "").replace(f"'{given}'", "")
    bad = []
    for quoted in QUOTED.findall(text):
        path, cmd = command_of(quoted.split())
        bad += [f"`maatwerk {' '.join(path)}` has no {o}" for o in OPTION.findall(quoted) if o not in options_of(cmd)]
    path, cmd = command_of(args)
    bad += [f"`maatwerk {' '.join(path)}` has no {o}" for o in OPTION.findall(QUOTED.sub("", text))
            if o not in options_of(cmd)]
    return bad


# ----------------------------------------------------------------------------- mistakes to provoke

SHEETS = {
    "future.csv": "datum;bedrag;categorie\n1-1-2099;35;Wonen\n",
    "pd.csv": "datum;bedrag;categorie;notitie\n1-3-2025;35;Wonen;bsn 123456782\n",
    "due.csv": "datum;bedrag;categorie;vervaldatum\n1-3-2025;35;Wonen;1-4-2025\n",
    "cond.csv": "datum;bedrag;categorie;soort\n1-3-2025;35;Wonen;voorwaardelijk\n",
    "big.csv": "datum;bedrag;categorie\n1-3-2025;60.000;Wonen\n",
}

PROVOKE: list[tuple[str, ...]] = [
    ("spend", "noord", "35", "-c", "Wonen", "-d", "1-1-2099"),
    ("spend", "noord", "35", "-c", "Wonen", "-n", "bsn 123.456.782"),
    ("spend", "noord", "35", "-c", "Wonen", "--due", "1-4-2025"),
    ("spend", "noord", "35", "-c", "Wonen", "--condition", "cursus"),
    ("spend", "noord", "35", "-c", "Wonen", "-k", "conditional"),
    ("spend", "noord", "0,001", "-c", "Wonen"),
    ("spend", "noord", "1,234", "-c", "Wonen"),
    ("spend", "noord", "60.000", "-c", "Wonen", "-d", "1-3-2025"),
    ("spend", "noord", "35", "-c", "Wonen", "-d", "1-3-2024"),
    ("spend", "noord", "35", "-c", "Wonen", "-m", "contant", "-d", "1-3-2025"),
    ("spend", "noord", "35", "-c", "Wonen", "--bank-line", "XYZ", "-d", "1-3-2025"),
    ("spend", "noord", "35", "-c", "Wonen", "-m", "contant", "--bank-line", "XYZ"),
    ("spend", "noord", "-5", "-c", "Wonen"),
    ("repay", "noord-2025-0001", "5", "-d", "1-1-2099"),
    ("repay", "noord-2025-0002", "5"),
    ("repay", "noord-2025-0001", "500"),
    ("mark", "noord-2025-0001", "recovered", "--from", "BSN 123456782 van moeder"),
    ("mark", "noord-2025-0001", "recovered", "--from", "fonds", "--date", "1-1-2099"),
    ("mark", "noord-2025-0001", "tegenprestatie", "bel 06-12345678"),
    ("mark", "noord-2025-0001", "conditional"),
    ("mark", "noord-2025-0001", "gift", "--due", "1-4-2025"),
    ("mark", "noord-2025-0001", "recovered"),
    ("void", "noord-2025-0001", "--reason", "mail j@voorbeeld.nl"),
    ("void", "noord-2025-0001", "--reason", "verkeerd"),
    ("void", "noord-2025-0004", "--reason", "x"),
    ("refuse", "noord", "--reason", "bsn123456782"),
    ("refuse", "noord", "--reason", "x", "-d", "1-1-2099"),
    ("cash", "withdraw", "noord", "50", "-d", "1-1-2099"),
    ("cash", "withdraw", "noord", "50", "-n", "iban NL91-ABNA-0417-1643-00"),
    ("cash", "settle", "noord", "--deposit", "-d", "1-1-2099"),
    ("cash", "settle", "noord", "--write-off"),
    ("knipkaart", "use", "noord", "--reason", "123-456-782"),
    ("knipkaart", "use", "noord", "--reason", "x", "-d", "1-1-2099"),
    ("bank", "explain", "noord", "XYZ", "--reason", "bsn 1234 567 82"),
    ("team", "add", "west", "--name", "BSN 123456782", "--budget", "5"),
    ("entries", "noord-2025-0001"),
    ("entries", "--from", "1-1-2099"),
    ("utilisation", "--as-of", "1-1-2099"),
    ("loans", "--as-of", "1-1-2099"),
    ("show", "noord-2025-0099"),
]


def provoke(lcli: Cli, folder: Path, tmp_path: Path) -> None:
    loan = lcli("spend", "noord", "35", "-c", "Levensmiddelen", "-k", "loan", "-d", "1-3-2025")
    assert loan.out.strip() == "noord-2025-0001"
    lcli("spend", "noord", "10", "-c", "Overig", "-d", "1-3-2025")  # 0002, a gift
    lcli("repay", "noord-2025-0001", "5", "-d", "2-3-2025")  # 0003
    void = lcli("void", "noord-2025-0002", "--reason", "dubbel")  # 0004 (dated today)
    assert void.code == 0
    for args in PROVOKE:
        lcli(*args)
    for name, text in SHEETS.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        lcli("import", "entries", str(path), "--team", "noord")


def test_every_option_named_in_a_message_exists(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    start = len(conftest.MESSAGES)
    provoke(lcli, ledger_dir, tmp_path)
    mine = conftest.MESSAGES[start:]
    assert len([m for m in mine if m[1] == 2]) >= len(PROVOKE)  # every provocation was a mistake
    bad = sorted({f"{' '.join(args)}\n    {line}\n    -> {problem}"
                  for args, _, err in conftest.MESSAGES for line in err.splitlines()
                  for problem in wrong_options(args, line)})
    assert bad == [], "\n".join(bad)


test_every_option_named_in_a_message_exists.run_last = True  # type: ignore[attr-defined]


def test_the_checker_itself_finds_a_wrong_hint() -> None:
    assert wrong_options(["--ledgers", "x", "repay", "noord-2025-0001", "5"],
                         "maatwerk: date is in the future; pass --allow-future") == [
        "`maatwerk repay` has no --allow-future"]
    assert wrong_options(["spend", "noord", "5"], "pass --allow-future; see `maatwerk cash withdraw X --frob`") == [
        "`maatwerk cash withdraw` has no --frob"]
    assert wrong_options(["spend"], "No such option: --bogus (see `maatwerk spend --help`)") == []
    assert wrong_options(["spend", "-d", "--force"], "date '--force' is not a date") == []


# ----------------------------------------------------------------------------- no ledger folder

#: Arguments that get each command past its own checks to the ledger folder.
ARGS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("spend",): ("noord", "35", "-c", "Wonen"),
    ("mark",): ("noord-2025-0001", "loan"),
    ("repay",): ("noord-2025-0001", "5"),
    ("void",): ("noord-2025-0001", "--reason", "x"),
    ("amend",): ("noord-2025-0001", "--category", "Wonen", "--reason", "x"),
    ("show",): ("noord-2025-0001",),
    ("refuse",): ("noord", "--reason", "x"),
    ("entries",): (), ("check",): (), ("reconcile",): ("noord",), ("utilisation",): (),
    ("compare",): (), ("categories",): (), ("loans",): (), ("outcomes",): (), ("stories",): (),
    ("pack",): ("-o", "{tmp}/pack.xlsx"), ("rules",): (),
    ("team", "add"): ("noord", "--name", "Noord", "--budget", "5"),
    ("team", "budget"): ("noord", "5"),
    ("team", "account"): ("noord", "NL00TEST1357924680", "--from", "1-4-2025"),
    ("team", "list"): (), ("team", "show"): ("noord",),
    ("import", "entries"): ("{tmp}/in.csv", "--team", "noord"),
    ("import", "bank"): ("{tmp}/in.csv", "--team", "noord"),
    ("cash", "withdraw"): ("noord", "50"), ("cash", "status"): (), ("cash", "settle"): ("noord", "--deposit"),
    ("bank", "lines"): ("noord",), ("bank", "explain"): ("noord", "REF", "--reason", "x"),
    ("bank", "imports"): ("noord",), ("bank", "undo"): ("noord", "imp-000000", "--reason", "x"),
    ("knipkaart", "use"): ("noord", "--reason", "x"), ("knipkaart", "status"): (),
    ("leadtime",): (), ("receipts",): (), ("report",): ("-o", "{tmp}/report.html"),
    ("export", "ledger"): (), ("export", "hledger"): (), ("export", "beancount"): (),
    ("export", "parquet"): ("{tmp}/out",), ("anonymise",): ("--before", "1-1-2020", "--dry-run"),
}
#: Commands that need no ledger folder: init and demo make one, household codes need none,
#: summary names its folders itself, and the user guide is in the package.
WITHOUT_FOLDER = {("init",), ("demo",), ("household", "new"), ("summary",), ("handleiding",)}


def test_every_command_is_covered() -> None:
    assert {path for path, _ in leaves()} == set(ARGS) | WITHOUT_FOLDER


@pytest.mark.parametrize("path", sorted(ARGS), ids=[" ".join(p) for p in sorted(ARGS)])
def test_no_ledger_folder_is_said_the_same_way_by_every_command(cli: Cli, tmp_path: Path,
                                                                path: tuple[str, ...]) -> None:
    (tmp_path / "in.csv").write_text("date,amount,category\n2025-03-01,5,Wonen\n", encoding="utf-8")
    missing = tmp_path / "nothing"
    args = [a.replace("{tmp}", str(tmp_path)) for a in ARGS[path]]
    res = cli("--ledgers", str(missing), *path, *args)
    assert_refused(res)
    assert res.err == (f"maatwerk: no ledger folder at {missing} (there is no maatwerk.toml); create one "
                       "with `maatwerk init`, or pass --ledgers DIR\n")
    assert not missing.exists()
