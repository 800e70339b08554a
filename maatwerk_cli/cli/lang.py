"""Which language the command line speaks to people, and click's and typer's own words in it.

The language is, in this order: ``--lang en|nl`` (before or after the command), the
``MAATWERK_LANG`` environment variable, ``language`` in the ledger folder's
``maatwerk.toml``, the system's language (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
``LANG``; on Windows the user's interface language), and else Dutch. Only what people read
changes: JSON, ``-f csv``, exit codes and the files stay the same in every language.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..core.messages import LANGUAGES, tr

#: What the command line speaks when nothing says otherwise.
DEFAULT = "nl"
ENV = "MAATWERK_LANG"
OPTION = "--lang"


def take_option(argv: Sequence[str]) -> tuple[list[str], str | None]:
    """``argv`` without ``--lang X`` (wherever it stands before a ``--``), and X.

    The option is taken out before click reads the line, so it may follow the command
    (``maatwerk spend ... --lang en``) as well as precede it. The last one given counts.
    """
    rest: list[str] = []
    chosen: str | None = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        if arg == OPTION and i + 1 < len(argv):
            chosen = argv[i + 1]
            i += 2
            continue
        if arg.startswith(OPTION + "="):
            chosen = arg.split("=", 1)[1]
            i += 1
            continue
        rest.append(arg)
        i += 1
    return rest, chosen


def normal(value: str | None) -> str | None:
    """``nl``/``en`` for a language as people and systems write it (``nl_NL.UTF-8``,
    ``Dutch``, ``EN``); None for none or one without a catalogue."""
    if not value:
        return None
    head = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0].split("@")[0]
    named = {"dutch": "nl", "nederlands": "nl", "english": "en", "engels": "en"}.get(head, head)
    return named if named in LANGUAGES else None


def system_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the system asks for, as gettext reads it: the first of ``LANGUAGE``
    (a list), ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set; ``C``/``POSIX`` say none.
    On Windows, where those are rarely set, the user's interface language."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if not value:
            continue
        for part in value.split(":"):
            if part.split(".")[0].upper() in ("C", "POSIX"):
                return None
            found = normal(part)
            if found:
                return found
        return None  # set, but to a language without a catalogue: Dutch, like unset
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return _windows_language()
    return None


def _windows_language() -> str | None:  # pragma: no cover - Windows only
    import ctypes
    import locale

    try:
        langid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None
    return normal(locale.windows_locale.get(int(langid), ""))


def choose(option: str | None, environ: Mapping[str, str], setting: Callable[[], str | None]) -> str:
    """The language of this run (see the module); ``setting`` reads the ledger folder's."""
    for found in (normal(option), normal(environ.get(ENV))):
        if found:
            return found
    return normal(setting()) or system_language(environ) or DEFAULT


# --------------------------------------------------------------------------- click and typer

#: click's and typer's modules that say things to people through gettext's ``_``.
_SPEAKERS = ("click.core", "click.exceptions", "click.parser", "click.formatting", "click.decorators",
             "click.types", "click.termui", "click.utils", "typer.core", "typer.main", "typer.rich_utils")
#: typer's texts made once when it is imported; set again for each run's language.
_TYPER_CONSTANTS = {
    "DEPRECATED_STRING": "(deprecated) ", "DEFAULT_STRING": "[default: {}]", "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]", "ARGUMENTS_PANEL_TITLE": "Arguments", "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands", "ERRORS_PANEL_TITLE": "Error", "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}


def _gettext(text: str) -> str:
    return tr(text)


def _ngettext(singular: str, plural: str, n: int) -> str:
    # Dutch and English both take the singular for one and the plural for any other number.
    return tr(singular if n == 1 else plural)


def speak() -> None:
    """Let click and typer say their words (Usage, Options, No such option, ...) in the
    language of the run: their modules take ``_`` from gettext when imported, so that name
    is pointed at this tool's catalogue, which follows the language of the edge in charge."""
    for name in _SPEAKERS:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None:
        for constant, english in _TYPER_CONSTANTS.items():
            setattr(rich_utils, constant, tr(english))


def help_text(text: str | None) -> str | None:
    """A help text from the code in the language of the run (the catalogue is keyed by the
    text as the code gives it, its indentation cleaned)."""
    return tr(inspect.cleandoc(text)) if text else text


def translate_tree(command: Any, tidy: Callable[[str | None], str | None]) -> None:
    """Every help text of a built click command and its subcommands in the run's language,
    tidied for the terminal."""
    command.help = tidy(help_text(command.help))
    if getattr(command, "short_help", None):
        command.short_help = help_text(command.short_help)
    for param in getattr(command, "params", ()):
        if getattr(param, "help", None):
            param.help = help_text(param.help)
    for sub in getattr(command, "commands", {}).values():
        translate_tree(sub, tidy)
