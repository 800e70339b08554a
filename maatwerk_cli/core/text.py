"""Text as users type it and the tool stores it: matching names, cleaning free text."""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Iterable, Mapping

from .errors import InputError, NotFoundError
from .messages import Opt, msg

#: Free text longer than this is refused (a story, not a file).
MAX_TEXT = 2000


@functools.lru_cache(maxsize=4096)  # an import folds the same few names on every row
def fold_text(text: str) -> str:
    """Case- and accent-insensitive key: ``Financien`` and ``financiën`` match."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name nearest to ``name``, for 'did you mean' hints."""
    known = list(known)
    folded = {fold_text(k): k for k in known}
    hits = difflib.get_close_matches(fold_text(name), list(folded), n=1, cutoff=0.5)
    return folded[hits[0]] if hits else None


def resolve_category(name: str, categories: Iterable[str]) -> str:
    """The category as spelled in the settings; case and accents in ``name`` do not matter."""
    categories = tuple(categories)
    found = _folded(categories).get(fold_text(name))
    if found is not None:
        return found
    hint = closest(name, categories)
    raise NotFoundError(
        msg("category.unknown_listed", name=repr(name), option=Opt("list"))
        if hint is None
        else msg("category.unknown_did_you_mean", name=repr(name), hint=repr(hint))
    )


@functools.lru_cache(maxsize=16)
def _folded(categories: tuple[str, ...]) -> dict[str, str]:
    """Folded name to name; the first of names that fold alike wins."""
    out: dict[str, str] = {}
    for cat in categories:
        out.setdefault(fold_text(cat), cat)
    return out


def resolve_choice(value: str, aliases: Mapping[str, str], what: str) -> str:
    """One of a small fixed set, in Dutch or English (``--method kaart`` is ``pin``)."""
    key = fold_text(value)
    if key in aliases:
        return aliases[key]
    choices = sorted(set(aliases.values()))
    raise InputError(msg("choice.unknown", what=what, value=repr(value), choices=choices))


def clean_text(value: str | None, what: str, *, limit: int = MAX_TEXT) -> str:
    """Free text as stored: one line, no control characters, not too long."""
    if value is None:
        return ""
    text = " ".join("".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in value).split())
    if len(text) > limit:
        raise InputError(msg("text.too_long", what=what, length=len(text), limit=limit))
    return text
