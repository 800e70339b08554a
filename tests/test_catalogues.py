"""The message catalogues: compiled as committed, complete in every language, and read fast."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from maatwerk_cli.core.messages import LANGUAGES, catalogue

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "maatwerk_cli" / "locale"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogues", ROOT / "scripts" / "catalogues.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalogues"] = module
    spec.loader.exec_module(module)
    return module


def test_every_compiled_catalogue_is_what_its_po_file_makes() -> None:
    wanted = _script().compiled()
    stale = [str(p.relative_to(ROOT)) for p, data in wanted.items() if not p.exists() or p.read_bytes() != data]
    extra = [str(p.relative_to(ROOT)) for p in LOCALE.glob("*/LC_MESSAGES/*.mo") if p not in wanted]
    assert stale == [] and extra == [], "run: python scripts/catalogues.py compile"
    assert len(wanted) >= 5


def test_the_compiled_catalogue_says_what_the_po_file_says() -> None:
    script = _script()
    for lang in LANGUAGES:
        merged: dict[str, str] = {}
        for po in sorted((LOCALE / lang).glob("*.po")):
            merged.update(script.read_po(po.read_text(encoding="utf-8")))
        assert dict(catalogue(lang)) == merged


def test_no_entry_is_fuzzy_or_empty() -> None:
    for po in sorted(LOCALE.glob("*/*.po")):
        text = po.read_text(encoding="utf-8")
        assert "#, fuzzy" not in text, po
        assert '"Language: ' + po.parent.name in text, po


def test_every_message_code_has_a_text_in_every_language() -> None:
    codes = {text for text in _script().extracted() if "." in text and " " not in text and text.islower()}
    assert len(codes) > 400
    for lang in LANGUAGES:
        assert sorted(codes - set(catalogue(lang))) == [], lang


def test_every_marked_text_has_a_dutch_translation() -> None:
    assert _script().missing("nl") == []


def test_the_plural_spec_and_the_compiler_round_trip() -> None:
    import gettext
    import io

    data = _script().mo_bytes({"a": "één", "{n:plural:x|y}": "{n:plural:regel|regels}"}, "nl")
    read = gettext.GNUTranslations(io.BytesIO(data))
    assert read.gettext("a") == "één" and read.gettext("{n:plural:x|y}") == "{n:plural:regel|regels}"


def test_the_word_a_parser_names_is_in_the_language_of_the_message() -> None:
    from maatwerk_cli.core.messages import at_edge, msg, plain_option

    code = next(c for c in sorted(catalogue("en")) if "{what}" in catalogue("en")[c] and ":" not in catalogue("en")[c])
    values = {name: "x" for name in _names(catalogue("en")[code])} | {"what": "amount"}
    with at_edge("nl", plain_option):
        dutch = str(msg(code, **values))
    with at_edge("en", plain_option):
        english = str(msg(code, **values))
    assert "bedrag" in dutch and "amount" not in dutch
    assert "amount" in english


def _names(template: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_no_text_has_two_dutch_translations() -> None:
    """The Dutch catalogues are merged; a key two of them give differently would make one
    of them say what the other meant."""
    script = _script()
    seen: dict[str, dict[str, str]] = {}
    for po in sorted((LOCALE / "nl").glob("*.po")):
        for key, text in script.read_po(po.read_text(encoding="utf-8")).items():
            seen.setdefault(key, {})[po.stem] = text
    assert {k: v for k, v in seen.items() if len(set(v.values())) > 1} == {}


def test_the_catalogue_reader_reads_what_gettext_reads() -> None:
    """messages.read_mo stands in for gettext's parser: the same texts from every shipped
    catalogue, and from a compiled one with a plural entry (left out) and one to itself."""
    import gettext
    import io
    import struct

    from maatwerk_cli.core.messages import read_mo

    def gettexts(data: bytes) -> dict[str, str]:
        read = gettext.GNUTranslations(io.BytesIO(data))
        return {k: v for k, v in read._catalog.items() if isinstance(k, str) and k}  # type: ignore[attr-defined]

    shipped = sorted(LOCALE.glob("*/LC_MESSAGES/*.mo"))
    assert len(shipped) >= 10
    for path in shipped:
        data = path.read_bytes()
        assert read_mo(data) == gettexts(data), path
    data = _script().mo_bytes({"a": "één", "b": "b", "{n:plural:x|y}": "{n:plural:regel|regels}"}, "nl")
    assert read_mo(data) == gettexts(data) == {"a": "één", "b": "b", "{n:plural:x|y}": "{n:plural:regel|regels}"}
    # An entry with plural forms: its key holds a NUL, gettext keys it apart, both leave it out.
    ids, strs = b"", b""
    header = b"Content-Type: text/plain; charset=UTF-8\n"
    entries = [(b"", header), (b"one\0many", b"een\0veel"), (b"word", b"woord")]
    table_at = 28
    text_at = table_at + 16 * len(entries)
    key_table, value_table = [], []
    for key, _ in entries:
        key_table += [len(key), text_at + len(ids)]
        ids += key + b"\0"
    for _, value in entries:
        value_table += [len(value), text_at + len(ids) + len(strs)]
        strs += value + b"\0"
    raw = struct.pack("<7I", 0x950412DE, 0, len(entries), table_at, table_at + 8 * len(entries), 0, 0)
    raw += struct.pack(f"<{len(key_table)}I", *key_table) + struct.pack(f"<{len(value_table)}I", *value_table)
    raw += ids + strs
    assert read_mo(raw) == gettexts(raw) == {"word": "woord"}
