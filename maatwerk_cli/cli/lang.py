"""Which language the command line speaks to people, and click's and typer's own words in it.

The language is, in this order: ``--lang en|nl`` (before or after the command), the
``MAATWERK_LANG`` environment variable, ``language`` in the ledger folder's
``maatwerk.toml``, the system's language (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
``LANG``; on Windows the user's interface language), and else Dutch. Only what people read
changes: JSON, ``-f csv``, exit codes and the files stay the same in every language.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..core.messages import LANGUAGES, N_, language, tr

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
        langid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined,unused-ignore]
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

#: click's modules that say things to people through gettext's ``_``: typer carries its own
#: copy of click (``typer._click``); a plain click is spoken to as well when it is loaded.
_CLICK_SPEAKERS = ("core", "exceptions", "parser", "formatting", "decorators", "types", "termui", "utils",
                   "shell_completion", "_termui_impl")
_SPEAKERS = (*(f"{base}.{name}" for base in ("typer._click", "click") for name in _CLICK_SPEAKERS),
             "typer.core", "typer.main", "typer.rich_utils")
#: typer's texts made once when it is imported; set again for each run's language.
_TYPER_CONSTANTS = {
    "DEPRECATED_STRING": "(deprecated) ", "DEFAULT_STRING": "[default: {}]", "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]", "ARGUMENTS_PANEL_TITLE": "Arguments", "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands", "ERRORS_PANEL_TITLE": "Error", "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}
_RICH_UTILS = "typer.rich_utils"


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
        if module is not None:
            _speak_to(module)
    _speak_vendored_click()
    if _RICH_UTILS not in sys.modules and not any(isinstance(f, _WhenRichUtils) for f in sys.meta_path):
        # typer's help panels: imported only when help is shown (it loads rich, too slow for
        # every spend), and its titles are made as it is imported: word them then.
        sys.meta_path.insert(0, _WhenRichUtils())


def _speak_to(module: Any) -> None:
    if hasattr(module, "_"):
        module._ = _gettext
    if hasattr(module, "ngettext"):
        module.ngettext = _ngettext
    if module.__name__ == _RICH_UTILS:
        for constant, english in _TYPER_CONSTANTS.items():
            setattr(module, constant, tr(english))


def _speak_vendored_click() -> None:
    """typer's own copy of click writes its words without gettext: the usage line's prefix
    and the help option's text are set here; its errors are worded by :func:`click_message`."""
    formatting = sys.modules.get("typer._click.formatting")
    if formatting is not None:
        # ``prefix=None`` means "Usage: "; a default given in the run's language replaces it.
        formatting.HelpFormatter.write_usage.__defaults__ = ("", tr("Usage: "))
    try:  # imported by click only when it first makes a help option; small
        decorators: Any = importlib.import_module("typer._click.decorators")
    except ImportError:  # pragma: no cover - a typer without its own click
        decorators = None
    if decorators is not None:
        original = getattr(decorators.help_option, "original", decorators.help_option)

        def help_option(param_decls: list[str]) -> Callable[[Any], Any]:
            decorate = original(param_decls)

            def add(command: Any) -> Any:
                done = decorate(command)
                command.params[-1].help = tr("Show this message and exit.")
                return done

            return add

        help_option.original = original  # type: ignore[attr-defined]
        decorators.help_option = help_option


#: The usage errors of typer's copy of click, as it words them in English (``{x}`` stands for
#: what it fills in): each is said again in the run's language by :func:`click_message`; the
#: first that matches counts, so a longer form comes before the shorter one it starts with.
CLICK_ERRORS = (
    N_("Missing argument {name}."), N_("Missing option {name}."), N_("Missing parameter {name}."),
    N_("No such option: {name} (Possible options: {possibilities})"), N_("No such option: {name}"),
    N_("Got unexpected extra argument(s) ({args})"), N_("Option {name} requires an argument."),
    N_("Option {name} requires {nargs} arguments."), N_("Option {name} does not take a value."),
    N_("Argument {name} takes {nargs} values."), N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"), N_("{message}. Did you mean {possibility}?"),
    N_("{value} is not a valid int."), N_("{value} is not a valid float."),
    N_("{value} is not a valid boolean. Recognized values: {states}"), N_("{value} is not in the range {range}."),
)


@functools.cache
def _error_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for template in CLICK_ERRORS:
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        out.append((re.compile(f"^{regex}$", re.DOTALL), template))
    return tuple(out)


def click_message(text: str) -> str:
    """A usage error of typer's click in the run's language (as it is when not known)."""
    if language() == LANGUAGES[0]:
        return text
    for pattern, template in _error_patterns():
        found = pattern.match(text)
        if found:
            values = found.groupdict()
            if "message" in values:  # "Invalid value for X: <the type's own message>"
                values["message"] = click_message(values["message"])
            return tr(template, **values)
    return text


class _WhenRichUtils:  # a meta path finder (importlib.abc is not imported: it costs a spend)
    """Finds typer's help module through the other finders and, once it has run, sets its
    texts in the language of the run (then steps aside)."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: Any = None) -> Any:
        if fullname != _RICH_UTILS:
            return None
        sys.meta_path.remove(self)
        spec: Any = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenSpeak(spec.loader)
        return spec


class _ThenSpeak:  # a loader, by its two methods
    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self.loader.exec_module(module)
        _speak_to(module)


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
