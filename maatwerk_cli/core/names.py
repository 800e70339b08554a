"""Safe exports and safe names.

* :func:`neutralise_cell` / :func:`neutralise_row` stop a spreadsheet from
  running text as a formula (CSV injection): text cells that start with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading ``'``,
  as OWASP advises. Only ``str`` values are touched; the renderers pass amounts
  and counts as numbers, so they keep their sign.
* :func:`check_slug` and :func:`check_file_name` accept only names that are
  the same file on Windows, macOS and Linux and cannot leave their folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import InputError
from .messages import Msg, msg

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

SLUG_MAX = 40
FILE_NAME_MAX = 100
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?")
_FILE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._ -]*[A-Za-z0-9_-])?")
_SLUG_RULE = msg("name.slug_rule")
_FILE_RULE = msg("name.file_rule")
_DEVICE = msg("name.device")

# Names Windows keeps for devices, whatever extension follows them. COM0 and
# LPT0 are not listed everywhere but are refused too, to be safe.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$", "clock$"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
    | {f"{port}{digit}" for port in ("com", "lpt") for digit in "\u00b9\u00b2\u00b3"}
)


def neutralise_cell(value: object) -> object:
    """``value`` made safe for a CSV or XLSX cell.

    A ``str`` that a spreadsheet would read as a formula gets a leading ``'``;
    anything else (numbers, dates, ``None``) is returned as it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(values: Iterable[object]) -> list[object]:
    """:func:`neutralise_cell` applied to every value of a row."""
    return [neutralise_cell(value) for value in values]


def check_slug(slug: str, existing: Iterable[str] = ()) -> str:
    """Return ``slug`` when it may name a team (and its file ``teams/<slug>.toml``).

    Allowed: 1-40 lowercase letters a-z, digits and hyphens, not starting or
    ending with a hyphen, not a Windows device name, and not differing only in
    case from one of ``existing``. Anything else raises :class:`InputError`
    with a one-line message saying what is allowed.
    """
    shown = _show(slug)

    def refuse(reason: Msg) -> InputError:
        return InputError(msg("name.team_refused", name=shown, reason=reason, rule=_SLUG_RULE))

    reason = _common_problem(slug, SLUG_MAX)
    if reason:
        raise refuse(reason)
    if not slug.isascii():
        raise refuse(_first_foreign(slug))
    lower = slug.lower()
    if _is_device(lower):
        raise refuse(_DEVICE)
    if _SLUG.fullmatch(slug) is None:
        if lower != slug and _SLUG.fullmatch(lower):
            raise InputError(msg("name.team_lowercase", name=shown, lower=lower))
        bad = _first_bad(lower, "-")
        if bad:
            raise refuse(bad)
        if slug.startswith("-") or slug.endswith("-"):
            raise refuse(msg("name.hyphen_at_end"))
        raise InputError(msg("name.team_rule", name=shown, rule=_SLUG_RULE))  # not reached: a safety net
    for other in existing:
        if other != slug and other.casefold() == slug.casefold():
            raise InputError(msg("name.team_case_clash", name=shown, other=_show(other)))
    return slug


def check_file_name(name: str, what: str = "file name") -> str:
    """Return ``name`` when it may be used as a file name (an export stem, say).

    Allowed: up to 100 ASCII letters, digits, hyphens, underscores, dots and
    spaces, starting with a letter or digit and not ending in a dot or space;
    no path separators, no ``..``, no control characters, no Windows device
    name (``nul.csv`` included). ``what`` names the value in the message.
    Raises :class:`InputError` otherwise.
    """

    def refuse(reason: Msg) -> InputError:
        return InputError(msg("name.file_refused", what=what, name=_show(name), reason=reason, rule=_FILE_RULE))

    reason = _common_problem(name, FILE_NAME_MAX)
    if reason:
        raise refuse(reason)
    if not name.isascii():
        raise refuse(_first_foreign(name))
    if _FILE_NAME.fullmatch(name) is None:
        bad = _first_bad(name, "._ -")
        if bad:
            raise refuse(bad)
        if not name[0].isalnum():
            raise refuse(msg("name.file_start"))
        raise refuse(msg("name.file_end"))
    if _is_device(name):
        raise refuse(_DEVICE)
    return name


def _common_problem(name: str, limit: int) -> Msg | None:
    """What is wrong with ``name`` in a way shared by slugs and file names (None if nothing)."""
    if not name:
        return msg("name.empty")
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
        return msg("name.control_character")
    if "/" in name or "\\" in name:
        return msg("name.slash")
    if ".." in name:
        return msg("name.dot_dot")
    if len(name) > limit:
        return msg("name.too_long", length=len(name), limit=limit)
    return None


def _is_device(name: str) -> bool:
    # Windows ignores what follows the first dot and trailing spaces before it.
    return name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_DEVICES


def _first_foreign(name: str) -> Msg:
    import unicodedata

    char = next(c for c in name if not c.isascii())
    label = unicodedata.name(char, "unnamed character")
    return msg("name.not_plain", char=ascii(char), codepoint=f"{ord(char):04X}", label=label)


def _first_bad(name: str, extra: str) -> Msg | None:
    for char in name:
        if not (char.isascii() and char.isalnum()) and char not in extra:
            return msg("name.contains", what=msg("name.a_space") if char == " " else ascii(char))
    return None


def _show(name: str) -> str:
    """``name`` quoted for a message: escapes control and non-ASCII characters, cut when long."""
    if len(name) > 50:
        name = name[:47] + "..."
    return ascii(name)
