"""The Typer application, the global options, and the one place that knows exit codes.

Exit codes (:class:`ExitStatus`): 0 done; 1 found something (``check``, a ``--check``);
2 a user mistake (one line on stderr, nothing written); 3 the ledger or a file is busy; 70 an
internal error, a bug (one line too; with ``MAATWERK_DEBUG=1`` the traceback); 130
interrupted.
"""

from __future__ import annotations

import codecs
import contextlib
import enum
import gc
import inspect
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from ..core.errors import BusyError, MaatwerkError, Problem
from ..core.messages import N_, Opt, at_edge, tr
from .lang import DEFAULT as DEFAULT_LANGUAGE
from .lang import choose, click_message, normal, speak, take_option, translate_tree
from .progress import progress_bar

if TYPE_CHECKING:
    from ..ledger import Ledger


class ExitStatus(enum.IntEnum):
    """How a command ends, for scripts (documented in the README)."""

    DONE = 0  #: done; a --check command found nothing
    FINDINGS = 1  #: check, reconcile --check or loans --overdue --check found something
    MISTAKE = 2  #: a mistake in the command or its input; nothing was written
    BUSY = 3  #: the ledger stayed locked by another writer, or a file to write stayed held by another program
    INTERNAL = 70  #: a bug in maatwerk: one line too (MAATWERK_DEBUG=1 shows the traceback)
    INTERRUPTED = 130  #: stopped with Ctrl-C

HELP = N_("""\
Ledger for the maatwerkbudget of wijkteams: record spends fast, check utilisation
against the pace of the year, compare teams.

The ledger folder is --ledgers DIR, else $MAATWERK_LEDGERS, else ./ledgers.
Amounts are Dutch (35, 12,50, 1.234,56); dates 14-3-2025, 2025-03-14, vandaag, gisteren.
People are answered in Dutch; --lang en (or MAATWERK_LANG=en) for English.
The user guide (in Dutch): maatwerk handleiding.
""")

app = typer.Typer(
    name="maatwerk",
    help=HELP,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)



class State:
    """Options given before the subcommand, and the ledgers the command opened (their
    writers' notices are shown when it ends)."""

    ledgers: Path = Path("ledgers")
    opened: list[Ledger] = []
    #: The language this run speaks to people (cli/lang.py says how it is chosen).
    lang: str = DEFAULT_LANGUAGE


state = State()


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        sys.stdout.write(f"maatwerk {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ledgers: Path | None = typer.Option(
        None,
        "--ledgers",
        metavar="DIR",
        help="Ledger folder (default: $MAATWERK_LEDGERS, else ./ledgers).",
        show_default=False,
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and stop."),
    lang: str | None = typer.Option(
        None, "--lang", metavar="nl|en", show_default=False,
        help="Language for people: nl or en, before or after the command (default: $MAATWERK_LANG, "
             "else language in maatwerk.toml, else the system's language, else nl). JSON and csv stay the same."),
) -> None:
    # --lang is taken from the command line before click reads it (run()); it is declared
    # here so that --help shows it.
    env = os.environ.get("MAATWERK_LEDGERS")
    state.ledgers = ledgers if ledgers is not None else Path(env) if env else Path("ledgers")


def ledger() -> Ledger:
    """The Ledger for the chosen folder."""
    from ..ledger import Ledger

    lg = Ledger(state.ledgers)
    state.opened.append(lg)
    return lg


def notice(message: str) -> None:
    """``maatwerk: message`` on stderr: what a command tells the user beside its output (the
    clerk's echo, what a void takes along, a warning); the one way commands write to stderr."""
    sys.stderr.write(f"maatwerk: {message}\n")


def fail(message: str, code: int = ExitStatus.MISTAKE) -> NoReturn:
    """One line on stderr and the exit code; the only way commands end in error."""
    notice(message)
    raise SystemExit(code)


def warn(message: str) -> None:
    notice(tr("warning: {message}", message=message))


def warn_problems(problems: Sequence[Problem]) -> None:
    """Readers set damaged lines aside; say so, never silently."""
    if problems:
        first, more = problems[0], len(problems) - 1
        if more:
            warn(tr("{problem} and {n:count} more; run `maatwerk check`", problem=first, n=more))
        else:
            warn(tr("{problem}; run `maatwerk check`", problem=first))


def cli_option(option: Opt) -> str:
    """An option the library's messages name, as this command line spells it (``--with-events``)."""
    return f"--{option.name.replace('_', '-')}"


def run(args: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code instead of raising."""
    argv, chosen = take_option(list(sys.argv[1:] if args is None else args))
    state.opened = []
    text_streams()
    state.lang = choose(chosen, os.environ, lambda: _folder_language(argv))
    try:
        # The library's messages in the run's language, naming options as this command line
        # spells them; click's and typer's own words too.
        with at_edge(state.lang, cli_option):
            speak()
            if chosen is not None and normal(chosen) is None:
                _error(tr("unknown language '{lang}' for --lang; choose nl or en", lang=chosen))
                return ExitStatus.MISTAKE
            return _run(argv)
    finally:
        _show_notices()


def _folder_language(argv: list[str]) -> str | None:
    """The language set in the ledger folder this command line names, if any."""
    from ..ledger import folder_language

    folder: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--ledgers" and i + 1 < len(argv):
            folder = argv[i + 1]
        elif arg.startswith("--ledgers="):
            folder = arg.split("=", 1)[1]
        elif not arg.startswith("-"):
            break
    return folder_language(folder or os.environ.get("MAATWERK_LEDGERS") or "ledgers")


def text_streams() -> None:
    """Make stdout and stderr able to take every character the commands write.

    Windows' Python writes redirected output (a file, a pipe, Git Bash) in the ANSI code
    page, cp1252, which has no table borders, no bar blocks and no BOM: without this, such
    output ended in an internal error. A redirected stream in a legacy code page becomes
    UTF-8 (what Python's UTF-8 mode, JSON and Git Bash expect). A terminal keeps its code
    page (Windows' own console is UTF-8 already) and so does an encoding the user chose with
    PYTHONIOENCODING; there a character the code page lacks becomes ``?`` and the tables and
    bars are drawn in ASCII (render/output.py: :func:`~maatwerk_cli.render.output.can_show`).
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            if reconfigure is None or codecs.lookup(encoding).name.startswith("utf"):
                continue
            if not stream.isatty() and not os.environ.get("PYTHONIOENCODING"):
                reconfigure(encoding="utf-8", errors="replace")
            elif stream.errors == "strict":
                reconfigure(errors="replace")
        except (LookupError, OSError, ValueError):  # a closed or exotic stream: leave it be
            continue


def _run(argv: list[str]) -> int:
    bad = _not_utf8(argv)
    if bad:
        notice(bad)
        return ExitStatus.MISTAKE
    command = _command_for(argv)
    try:
        with progress_bar():
            command.main(args=argv, prog_name="maatwerk", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except BusyError as exc:
        _error(str(exc))
        return ExitStatus.BUSY
    except MaatwerkError as exc:
        _error(str(exc))
        return ExitStatus.MISTAKE
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        notice(tr("aborted"))
        return 1
    except typer.TyperException as exc:  # click's usage errors: one line, not a box
        message = click_message(exc.format_message() if hasattr(exc, "format_message") else str(exc))
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "maatwerk"
        _error(tr("{message} (see `{command} --help`)", message=message, command=where))
        return getattr(exc, "exit_code", ExitStatus.MISTAKE) or ExitStatus.MISTAKE
    except KeyboardInterrupt:
        notice(tr("interrupted"))
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        # `maatwerk entries | head`: the reader went away; that is not an error.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        # Disk full, permission denied, read-only share: the user can act on it.
        _error(f"{exc.strerror or exc}: {exc.filename or ''}".removesuffix(": "))
        return ExitStatus.MISTAKE
    except ValueError as exc:
        # Python 3.11 says "embedded null byte", 3.13 "embedded null character in path".
        if "null byte" not in str(exc) and "null character" not in str(exc):
            return _internal(exc)
        # No real command line holds a NUL, but a caller of run() can: never a traceback.
        _error(tr("a file name holds a NUL character; give it without"))
        return ExitStatus.MISTAKE
    except Exception as exc:
        return _internal(exc)
    return 0


def _internal(exc: Exception) -> int:
    """A bug. Still one line, never a traceback for a user; MAATWERK_DEBUG=1 shows it."""
    if os.environ.get("MAATWERK_DEBUG"):
        raise exc from None
    _error(tr("internal error ({kind}: {error}); this is a bug in maatwerk: please report it with the "
              "command you ran (MAATWERK_DEBUG=1 shows the details)", kind=type(exc).__name__, error=exc))
    return ExitStatus.INTERNAL


def _error(message: str) -> None:
    """``maatwerk: message`` on one line, whatever the message holds."""
    notice(_one_line(message))


def _one_line(text: str) -> str:
    return " ".join("".join(" " if ord(c) < 32 or c in "\x7f\x85\u2028\u2029" else c for c in text).split())


def _not_utf8(argv: Sequence[str]) -> str:
    """Why an argument cannot be used: it holds bytes that are not UTF-8 ("" when all are)."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            try:
                raw = arg.encode("utf-8", "surrogateescape")  # the bytes as typed
            except UnicodeEncodeError:
                raw = arg.encode("utf-8", "backslashreplace")
            # The part around the first byte that is no UTF-8, as the user typed it.
            at = next(i for i, c in enumerate(arg) if "\ud800" <= c <= "\udfff")
            start = len(arg[: max(0, at - 30)].encode("utf-8", "surrogateescape"))
            shown = ("..." if start else "") + ascii(raw[start: start + 50])[2:-1]
            return tr("argument '{shown}' holds bytes that are not UTF-8 text; type it again in UTF-8 "
                      "(a file name too: rename the file), or set your terminal to UTF-8", shown=shown)
    return ""


def _show_notices() -> None:
    """What the writers of this command did that the user should hear of."""
    for lg in state.opened:
        for said in lg.take_notices():
            warn(_one_line(said))
    state.opened = []


def _command_for(args: list[str]) -> Any:
    """The click command to run: only the subcommand asked for, when one is.

    Typer turns every registered command into a click command up front; with some forty
    commands that costs more than recording a spend. For ``maatwerk spend ...`` we build
    just ``spend`` (help and errors are the same); the full tree is built for
    ``maatwerk --help`` and anything we cannot tell.
    """
    from typer.main import get_command

    name = _subcommand_name(args)
    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if name is None or not (commands or groups):
        return _spoken(get_command(app))
    mini = typer.Typer(
        name="maatwerk", help=HELP, no_args_is_help=True, add_completion=False,
        pretty_exceptions_enable=False, rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    mini.registered_callback = app.registered_callback
    mini.registered_commands = commands
    mini.registered_groups = groups
    return _spoken(get_command(mini))


def _spoken(command: Any) -> Any:
    """The built command with its help in the run's language, wrapped for the terminal."""
    translate_tree(command, tidy_help)
    return command


_KEEP_LINE = ("[bold]", "* ", "- ", " ")


def tidy_help(text: str | None) -> str | None:
    """Help text as the terminal should wrap it.

    Rich markup mode keeps every line break of a docstring, so lines wrapped at 90
    characters in the source come out ragged at 80. Lines are joined within a paragraph;
    a line that starts a definition (``[bold]``) or a list item keeps its own line.
    """
    if not text:
        return text
    paragraphs = []
    for para in inspect.cleandoc(text).split("\n\n"):
        lines = para.split("\n")
        out = [lines[0]]
        for line in lines[1:]:
            if line.startswith(_KEEP_LINE) or line.startswith("\b"):
                out.append(line)
            else:
                out[-1] = f"{out[-1]} {line}"
        paragraphs.append("\n".join(out))
    return "\n\n".join(paragraphs)


def _subcommand_name(args: list[str]) -> str | None:
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--ledgers":
            i += 2
            continue
        if arg.startswith("--ledgers="):
            i += 1
            continue
        return None if arg.startswith("-") else arg
    return None


def _command_name(info: Any) -> str:
    if info.name:
        return str(info.name)
    return str(info.callback.__name__).replace("_", "-")


def main() -> None:
    # numpy's BLAS starts a worker thread per core when it loads, and a big ledger is read by
    # a forked second process (store/books.py); forking a process with threads can deadlock
    # the child. This command does no matrix work, so one BLAS thread costs nothing.
    if "numpy" not in sys.modules:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")
    # A command is one short process. What its imports made lives until it ends, so the
    # cycle collector is told to leave it be (gc.freeze), at start and again before exit:
    # else its last full pass walks every module's objects once more, about 25 ms of a
    # report's 0.3 s. Exit itself is unchanged (atexit, flushing, exit codes).
    gc.freeze()
    code = run()
    gc.freeze()
    raise SystemExit(code)
