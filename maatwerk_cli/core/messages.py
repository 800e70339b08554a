"""Messages as data: what went wrong (or is worth saying) as a code and its values; the
words are made at the edge, from a catalogue per language.

The library raises :class:`~maatwerk_cli.core.errors.MaatwerkError` with a :class:`Msg`;
its ``str()`` is the sentence in the language of the edge in charge (English for scripts).
An option is named by its symbol (``Opt("reason")``), which the command line spells as its
flag (``--reason``): no layer below the command line spells a flag.

Catalogues are gettext ``.po`` files in ``maatwerk_cli/locale/<language>/``, compiled to
``.mo`` files beside them (``LC_MESSAGES/``) by ``tools/catalogues.py``; the ``.mo`` files
are what is read. The library's messages are keyed by their code (``msgid
"spend.no_reason"``), one file per layer, with an English and a Dutch catalogue. The texts of
the command line and the renderers (help, column titles, the echo) are keyed by their English
text, marked with :func:`tr` (translated where it is used) or :func:`N_` (only marked: help
given at import, translated when the command is built); only Dutch has a catalogue for those.
A text (``msgstr``) is a template with the values in braces and a format after a colon:

* ``{amount:eur}``: money, ``€ 1.234,56``;
* ``{day:date}``: a date, ``14-03-2025``;
* ``{option:opt}``: an option (:class:`Opt`), as the edge spells it (the command line's
  ``--reason``);
* ``{names:list}``: a list, ``a, b, c``;
* ``{n:count}``: a whole number;
* ``{n:plural:uitgave|uitgaven}``: a whole number and the noun in its form for it
  (``1 uitgave``, ``2 uitgaven``; the first form for one, the second for any other number);

any other value as ``str()``. A value named ``what``, ``type`` or ``field`` is a word of the
tool's own (``amount``, a journal line's type ``repay``, a field ``note``) and is shown in the
language of the edge too (:data:`WORD_VALUES`).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

#: The values that are words of the tool's own, shown in the message's language.
WORD_VALUES = frozenset({"what", "type", "field"})

#: The languages with a catalogue; the first is the one messages fall back to (and the one
#: the library speaks to scripts); the command line speaks Dutch unless asked otherwise.
LANGUAGES = ("en", "nl")
_LOCALE = Path(__file__).parent.parent / "locale"


@dataclass(frozen=True, slots=True)
class Opt:
    """An option of the tool by its symbolic name (``reason``), which each edge spells its
    own way (``--reason`` on the command line)."""

    name: str


@dataclass(frozen=True, slots=True)
class Msg:
    """A message: ``code`` names its text in the catalogues; ``values`` fill it in."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str | None = None, options: Callable[[Opt], str] | None = None) -> str:
        return render(self, lang, options)

    def __str__(self) -> str:
        return render(self)


class Said(str):
    """A text for scripts and people at once: as a ``str`` it is English (what JSON and
    csv keep, whatever the language); :meth:`said` gives it in the language of the edge in
    charge, from its parts (messages, and the ledger's own text as it is)."""

    parts: tuple[Msg | str, ...]

    def __new__(cls, parts: tuple[Msg | str, ...], sep: str = "; ") -> Said:
        english = sep.join(render(p, LANGUAGES[0], plain_option) if isinstance(p, Msg) else p for p in parts)
        made = super().__new__(cls, english)
        made.parts = parts
        made.sep = sep
        return made

    sep: str

    def said(self) -> str:
        return self.sep.join(str(p) for p in self.parts)


def msg(code: str, **values: Any) -> Msg:
    """A message with its values: ``msg("spend.no_reason", rule="over_remaining_budget")``."""
    return Msg(code, values)


def tr(text: str, **values: Any) -> str:
    """``text`` (English, the key) in the language of the edge in charge, with ``values``
    filled in as in a message template: ``tr("recorded {id}", id=line.id)``."""
    lang, options = _EDGE.get()
    template = catalogue(lang).get(text, text) if lang != LANGUAGES[0] else text
    return _fill(template, values, lang, options) if values else template


def N_(text: str) -> str:  # noqa: N802  (the gettext convention for "mark, translate later")
    """Mark ``text`` for the catalogue without translating it now (help given at import)."""
    return text


def language() -> str:
    """The language of the edge in charge (``en`` outside any edge)."""
    return _EDGE.get()[0]


def plain_option(option: Opt) -> str:
    """An option as the messages of the library name it when no edge says otherwise: in the
    command line's form, since the hints they give are commands to run."""
    return f"--{option.name.replace('_', '-')}"


#: The language and the spelling of options of the edge in charge: English and the plain
#: spelling unless an edge says otherwise (:func:`at_edge`).
_EDGE: contextvars.ContextVar[tuple[str, Callable[[Opt], str]]] = contextvars.ContextVar(
    "maatwerk_edge", default=("en", plain_option))


@contextlib.contextmanager
def at_edge(lang: str, options: Callable[[Opt], str]) -> Iterator[None]:
    """While a command runs: its messages in ``lang``, options as it spells them."""
    token = _EDGE.set((lang, options))
    try:
        yield
    finally:
        _EDGE.reset(token)


def _fill(template: str, values: Mapping[str, Any], lang: str, options: Callable[[Opt], str]) -> str:
    """``template`` with ``values`` in it, each in the format its field names (see the module)."""
    import string  # only when a message is shown: the clerk's spend path stays light

    def field(value: Any, spec: str) -> str:
        if spec == "eur":
            from .euro import format_eur

            return format_eur(Decimal(value))
        if spec == "date":
            return f"{value:%d-%m-%Y}" if isinstance(value, dt.date) else str(value)
        if spec == "opt":
            return options(value if isinstance(value, Opt) else Opt(str(value)))
        if spec == "list":
            return ", ".join(field(v, "") for v in value)
        if spec == "count":
            return str(int(value))
        if spec.startswith("plural:"):
            one, _, many = spec.removeprefix("plural:").partition("|")
            return f"{int(value)} {one if int(value) == 1 else many or one}"
        if isinstance(value, Msg):
            return render(value, lang, options)
        if isinstance(value, Opt):
            return options(value)
        return format(value, spec)

    parts = []
    for text, name, spec, _ in string.Formatter().parse(template):
        parts.append(text)
        if name is not None:
            value = values[name]
            if name in WORD_VALUES and isinstance(value, str) and lang != LANGUAGES[0]:
                value = catalogue(lang).get(value, value)
            parts.append(field(value, spec or ""))
    return "".join(parts)


def render(message: Msg, lang: str | None = None, options: Callable[[Opt], str] | None = None) -> str:
    """The message in ``lang`` (falling back to English, then to its code and values); both
    default to the edge in charge (:func:`at_edge`)."""
    edge_lang, edge_options = _EDGE.get()
    lang = lang or edge_lang
    template = catalogue(lang).get(message.code) or catalogue(LANGUAGES[0]).get(message.code)
    if template is None:
        shown = ", ".join(f"{k}={v!r}" for k, v in message.values.items())
        return f"{message.code} ({shown})" if shown else message.code
    return _fill(template, message.values, lang, options or edge_options)


@functools.cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Every text of a language: its compiled ``.mo`` files read and merged (the ``.po``
    files where none is compiled, as in a checkout before ``tools/catalogues.py compile``)."""
    found: dict[str, str] = {}
    folder = _LOCALE / lang
    compiled = sorted((folder / "LC_MESSAGES").glob("*.mo")) if folder.is_dir() else []
    if compiled:
        for path in compiled:
            found.update(read_mo(path.read_bytes()))
    else:
        for path in sorted(folder.glob("*.po")) if folder.is_dir() else ():
            found.update(read_po(path.read_text(encoding="utf-8")))
    return found


def read_mo(data: bytes) -> dict[str, str]:
    """The texts of a compiled catalogue (the bytes of a GNU ``.mo`` file), its header left out.

    Read here rather than by ``gettext.GNUTranslations``, which parses the header and plural
    forms of every entry: a Dutch command reads all of its catalogues, and this takes a
    third of the time. The catalogues are UTF-8 (``scripts/catalogues.py`` writes them so);
    an entry with plural forms (a NUL in its key) has no single text and is left out, as
    gettext keys it apart.
    """
    import struct

    order = {0x950412DE: "<", 0xDE120495: ">"}.get(struct.unpack_from("<I", data)[0])
    if order is None:
        raise ValueError("not a compiled gettext catalogue (.mo)")
    count, keys_at, values_at = struct.unpack_from(f"{order}3I", data, 8)
    keys = struct.unpack_from(f"{order}{2 * count}I", data, keys_at)
    values = struct.unpack_from(f"{order}{2 * count}I", data, values_at)
    found: dict[str, str] = {}
    for i in range(0, 2 * count, 2):
        key = data[keys[i + 1] : keys[i + 1] + keys[i]]
        if key and b"\0" not in key:
            found[key.decode("utf-8")] = data[values[i + 1] : values[i + 1] + values[i]].decode("utf-8")
    return found


def read_po(text: str) -> dict[str, str]:
    """The ``msgid``/``msgstr`` pairs of a gettext ``.po`` text (comments and the header skipped;
    a string may go on over several quoted lines)."""
    pairs: dict[str, str] = {}
    key: str | None = None
    current: list[str] | None = None
    parts: dict[str, list[str]] = {}

    def done() -> None:
        msgid, msgstr = "".join(parts.get("msgid", [])), "".join(parts.get("msgstr", []))
        if msgid and msgstr:
            pairs[msgid] = msgstr

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("msgid ", "msgstr ")):
            key, _, rest = line.partition(" ")
            if key == "msgid" and parts:
                done()
                parts = {}
            current = parts.setdefault(key, [])
            current.append(_unquote(rest))
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
    if parts:
        done()
    return pairs


def _unquote(text: str) -> str:
    body = text.strip()
    if len(body) < 2 or body[0] != '"' or body[-1] != '"':
        raise ValueError(f"not a quoted .po string: {text!r}")
    out: list[str] = []
    chars = iter(body[1:-1])
    for c in chars:
        if c == "\\":
            nxt = next(chars, "")
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, nxt))
        else:
            out.append(c)
    return "".join(out)

