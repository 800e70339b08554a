"""Personal-data guard: keep BSNs, IBANs, phone numbers and e-mail addresses out of the ledger.

The ledger only knows residents by pseudonymous household codes (``H-7KXM4P``).
Free-text fields (notes, descriptions, payees) are scanned before they are
stored; anything that looks like personal data is reported with a *masked*
version of the value, so that the warning itself never repeats the data.

Detection is deliberately narrow to keep false alarms on amounts, dates,
postcodes and invoice numbers away:

* BSN: nine digits passing the 11-proef, written plain (``123456782``), grouped 3-3-3,
  4-2-3 or 4-3-2 with spaces, dots or hyphens (``123.456.782``, ``1234.56.782``,
  ``123-456-782``, ``1234 567 82``), and also glued to letters or a word
  (``bsn123456782``, ``123456782x``): a label hides nothing. Eight digits only count
  when a label (``BSN``, ``sofinummer``) stands right before them, since eight-digit KvK
  numbers and ``ddmmyyyy`` dates would otherwise pass the 11-proef one time in eleven.
  Digits that are part of a longer number (``1234567820``, ``123456782,50``, a fourth
  group), or an amount after ``€``/``EUR``, are not a BSN.
* IBAN: any country, any case, with or without spaces or hyphens between the
  characters (``NL91-ABNA-0417-1643-00``), passing mod 97.
* Phone numbers: what :class:`phonenumbers.PhoneNumberMatcher` finds for region
  NL, written with a leading ``0``, ``+`` or ``00``; Dutch numbers, or foreign
  ones when written with the country code. Service numbers (0800, 0900, 088,
  14 0xx) are not personal and are let through.
* E-mail addresses: ``local@domain.tld``.

Only ASCII digits are recognised. The guard helps an honest clerk; it is not a
filter against someone set on hiding data.

``stdnum`` and ``phonenumbers`` are imported only when the text holds something
that could be one of their numbers, so a note without digits costs microseconds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import InputError, LedgerError
from .messages import Msg, Opt, msg

if TYPE_CHECKING:
    import random

    from phonenumbers import PhoneNumber

BSN = "BSN"
IBAN = "IBAN"
PHONE = "phone number"
EMAIL = "e-mail address"

# How each kind starts its masked text.
_LABEL = {BSN: "BSN", IBAN: "IBAN", PHONE: "phone", EMAIL: "e-mail"}
# What each kind is called in a message, with its article.
_LOOKS_LIKE = {BSN: "privacy.a_bsn", IBAN: "privacy.an_iban", PHONE: "privacy.a_phone", EMAIL: "privacy.an_email"}

ALLOW_FLAG = Opt("allow-personal-data")
_ADVICE = msg("privacy.advice", option=ALLOW_FLAG)
# For commands and import rows that offer no way to record it anyway.
_ADVICE_PLAIN = msg("privacy.advice_plain")
_LISTED = 3  # findings spelled out per field in a message; the rest are counted

# Household codes --------------------------------------------------------------

# Generated codes avoid characters that are misread on paper or on the phone
# (0/O, 1/I/L) and avoid vowels so that no code spells a word.
HOUSEHOLD_ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ"
HOUSEHOLD_EXAMPLE = "H-7KXM4P"
HOUSEHOLD_HINT = msg("household.hint", example=HOUSEHOLD_EXAMPLE)
# Codes typed by hand may hold 0 and 1 too (a code from a letter, say).
_HOUSEHOLD = re.compile(r"[A-Z]{1,4}-[A-Z0-9]{4,10}")
#: The key in ``maatwerk.toml`` that sets the form of household codes for a municipality
#: with pseudonymous client numbers of its own (``household_pattern = 'C-[0-9]{6}'``).
PATTERN_KEY = "household_pattern"
_PREFIX = re.compile(r"[A-Z]{1,4}")

# Patterns ---------------------------------------------------------------------

_DIGIT = re.compile(r"[0-9]")

_SP = r"[ \u00a0]"  # a space inside a grouped number, including the no-break space
_GROUPS = ("{d3}{s}{d3}{s}{d3}", "{d4}{s}{d2}{s}{d3}", "{d4}{s}{d3}{s}{d2}")  # 3-3-3, 4-2-3, 4-3-2


def _grouped(sep: str) -> str:
    """Nine digits in groups with one kind of separator, not one group of a longer number."""
    body = "|".join(g.format(s=sep, d2="[0-9]{2}", d3="[0-9]{3}", d4="[0-9]{4}") for g in _GROUPS)
    return rf"(?<![0-9]{sep})(?:{body})(?!{sep}[0-9])"


_BSN = re.compile(
    # Letters may touch the number ("bsn123456782", "123456782x"): a label or a slip of the
    # keyboard hides nothing. Other digits or a decimal part may not: then it is another number.
    r"(?<![0-9])(?<![0-9][.,])(?:[0-9]{9}|"
    + "|".join(_grouped(sep) for sep in (_SP, r"\.", "-"))
    + r")(?![0-9])(?![.,][0-9])"
)
# Eight digits are a BSN with its leading zero dropped only when labelled as one.
_BSN_LABELLED = re.compile(
    r"(?i:(?<![A-Za-z])(?:bsn|burgerservicenummer|sofi)(?:-?nummer|-?nr)?)[\s:.#=-]{0,4}"
    r"(?<![0-9])([0-9]{8})(?![0-9])(?![.,][0-9])"
)
# An amount, not a number: the euro sign or EUR right before it.
_CURRENCY_BEFORE = re.compile(r"(?i:€|\beur|\beuro)[ \u00a0]*$")

# Where an IBAN could start: two letters and two digits at the start of a word.
_IBAN_START = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{2}[0-9]{2}")
_IBAN_MIN, _IBAN_MAX = 15, 34  # Norway .. the longest allowed

# A phone number as we keep it starts with 0, + or "(" and has many digits;
# without such a run phonenumbers is not even imported.
_PHONE_GATE = re.compile(r"(?<![0-9])(?:\+|\(\s*[+0]|0)(?:[\s\-\u2010-\u2015./()]{0,3}[0-9]){8,}")
# Dates inside a phone match mean the matcher stitched a date and a time together
# ("01-03-2025 09:30" reads as 010-3202509).
_DATE = re.compile(
    r"(?<![0-9])(?:(?:0?[1-9]|[12][0-9]|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)[0-9]{2}"
    r"|(?:19|20)[0-9]{2}[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12][0-9]|3[01]))(?![0-9])"
)
_TIME_AFTER = re.compile(r"[:.][0-5][0-9]")

_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@(?:[\w-]+\.)+([^\W\d_]{2,63})(?![\w-])")


@dataclass(frozen=True, slots=True)
class Finding:
    """Something in a text that looks like personal data.

    kind: what it looks like: ``"BSN"``, ``"IBAN"``, ``"phone number"`` or
        ``"e-mail address"``.
    masked: a label and the value with all but a few characters hidden, e.g.
        ``"BSN ****.**.782"`` or ``"phone 06-****-**78"``; safe to print or log.
    start: offset of the first character in the scanned text.
    end: offset just past the last character (``text[start:end]`` is the value).
    """

    kind: str
    masked: str
    start: int
    end: int

    @property
    def mask(self) -> str:
        """The masked value without its label: ``"****.**.782"``."""
        return self.masked[len(_LABEL[self.kind]) + 1 :]


def find_personal_data(text: str) -> list[Finding]:
    """Every BSN, IBAN, phone number and e-mail address in ``text``, by position.

    Where two findings overlap only the one that starts first (and, on a tie,
    the longer one) is kept, so an IBAN is not also reported as a BSN.
    """
    has_at = "@" in text
    has_digit = _DIGIT.search(text) is not None
    if not (has_at or has_digit):
        return []
    found: list[Finding] = []
    if has_at:
        found.extend(_emails(text))
    if has_digit:
        found.extend(_ibans(text))
        found.extend(_bsns(text))
        found.extend(_phones(text))
    return _without_overlaps(found)


def check_fields(fields: Mapping[str, str | None]) -> list[tuple[str, Finding]]:
    """Scan several named fields; return ``(field name, finding)`` pairs in field order.

    ``None`` and empty values are skipped.
    """
    result: list[tuple[str, Finding]] = []
    for name, value in fields.items():
        if value:
            result.extend((name, finding) for finding in find_personal_data(value))
    return result


def describe(findings: Sequence[Finding], field: str, *, offer_flag: bool = True) -> str:
    """One line for an error message about the findings in one field.

    ``note contains what looks like a BSN (****.**.782) and a phone number
    (06-****-**78); leave personal data out, or pass --allow-personal-data if it
    must be recorded``. ``findings`` must not be empty.
    """
    return str(_describe(findings, field, offer_flag=offer_flag))


def _describe(findings: Sequence[Finding], field: str, *, offer_flag: bool = True) -> Msg:
    """:func:`describe` as a message."""
    if not findings:
        raise ValueError("describe() needs at least one finding")
    return msg("privacy.refused", found=_describe_field(field, findings),
               advice=_ADVICE if offer_flag else _ADVICE_PLAIN)


def guard(fields: Mapping[str, str | None], allowed: bool = False, *, offer_flag: bool = False) -> None:
    """Refuse free text that holds a BSN, IBAN, phone number or e-mail address (unless
    ``allowed``): an InputError about the first field that does, masked.

    ``offer_flag``: the command has ``--allow-personal-data``, so the message may name it.
    """
    if allowed or not any(fields.values()):
        return
    hits = check_fields(fields)
    if hits:
        field = hits[0][0]
        raise InputError(_describe([f for name, f in hits if name == field], field, offer_flag=offer_flag))


def household(code: str | None, pattern: re.Pattern[str] | None = None) -> str:
    """A pseudonymous household code as stored (upper case), or ``""`` when none is given.

    ``pattern``: the ledger's own form of codes (:func:`household_pattern`), else the default.
    """
    if code is None or not code.strip():
        return ""
    return normalise_household(code, pattern)


def household_pattern(settings: Mapping[str, object], where: str = "maatwerk.toml") -> re.Pattern[str] | None:
    """The ``household_pattern`` of a ledger's settings (the parsed ``maatwerk.toml``), compiled;
    None when it is not set. A pattern that is not a usable regular expression is a
    :class:`LedgerError` naming the file."""
    value = settings.get(PATTERN_KEY)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise LedgerError(msg("household.pattern_not_text", where=where, key=PATTERN_KEY))
    try:
        return _compiled(value.strip())
    except re.error as exc:
        raise LedgerError(msg("household.pattern_invalid", where=where, key=PATTERN_KEY, pattern=repr(value),
                              error=str(exc))) from None


@functools.lru_cache(maxsize=8)
def _compiled(text: str) -> re.Pattern[str]:
    # Codes are stored upper case; the pattern is matched ignoring case.
    return re.compile(text, re.IGNORECASE)


def ensure_no_personal_data(fields: Mapping[str, str | None]) -> None:
    """Raise :class:`InputError` naming every field that holds personal data.

    For callers that have not been told ``--allow-personal-data``.
    """
    pairs = check_fields(fields)
    if not pairs:
        return
    by_field: dict[str, list[Finding]] = {}
    for name, finding in pairs:
        by_field.setdefault(name, []).append(finding)
    parts = [_describe_field(name, found) for name, found in by_field.items()]
    raise InputError(msg("privacy.refused", found=msg("privacy.fields", fields=parts), advice=_ADVICE))


def quoted(value: object) -> str:
    """``value`` as a message that refuses it quotes it (``'14-13-2025'``), unless it holds
    what looks like personal data: then only what it looks like, masked (``[what looks like
    a BSN, ****.**.333]``). A BSN typed into a date or amount field is refused, and the
    refusal must not repeat it."""
    if not isinstance(value, str):
        return repr(value)
    found = find_personal_data(value)
    if found:
        shown = [msg("privacy.in_value", kind=msg(_LOOKS_LIKE[f.kind]), mask=f.mask) for f in found[:_LISTED]]
        return str(msg("privacy.quoted", found=_join(shown)))
    return repr(value)


def _describe_field(field: str, findings: Sequence[Finding]) -> Msg:
    items = [msg("privacy.in_field", kind=msg(_LOOKS_LIKE[f.kind]), mask=f.mask) for f in findings[:_LISTED]]
    extra = len(findings) - _LISTED
    if extra > 0:
        items.append(msg("privacy.more", count=extra))
    return msg("privacy.field_contains", field=field, found=_join(items))


def _join(items: Sequence[Msg]) -> Msg:
    if len(items) == 1:
        return items[0]
    return msg("privacy.and", first=list(items[:-1]), last=items[-1])


def _without_overlaps(found: Iterable[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    for finding in sorted(found, key=lambda f: (f.start, f.start - f.end)):
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept


# BSN --------------------------------------------------------------------------


def _bsns(text: str) -> Iterable[Finding]:
    candidates = [(m.start(), m.end(), m.group()) for m in _BSN.finditer(text)]
    candidates += [(m.start(1), m.end(1), m.group(1)) for m in _BSN_LABELLED.finditer(text)]
    if not candidates:
        return
    from stdnum.nl import bsn

    for start, end, raw in candidates:
        digits = re.sub(r"[^0-9]", "", raw)
        if _CURRENCY_BEFORE.search(text, max(0, start - 8), start):
            continue  # "€ 123.456.782": an amount
        if _in_code(text, start, end):
            continue  # "h:6e3c8bb761590080": a hash or code with digits and letters mixed
        if bsn.is_valid(digits):
            yield Finding(BSN, f"{_LABEL[BSN]} {mask_bsn(digits)}", start, end)


def _in_code(text: str, start: int, end: int) -> bool:
    """Whether the number sits in a word that mixes letters and digits on a side: letters may
    stand before or after it (``bsn123456782``, ``123456782x``), but not digits beyond them."""
    i = start
    while i > 0 and text[i - 1].isascii() and text[i - 1].isalpha():
        i -= 1
    if i < start and i > 0 and text[i - 1].isdigit():
        return True
    j = end
    while j < len(text) and text[j].isascii() and text[j].isalpha():
        j += 1
    return j > end and j < len(text) and text[j].isdigit()


def mask_bsn(digits: str) -> str:
    """``****.**.782``: the dotted layout with only the last three digits shown."""
    return f"****.**.{digits.zfill(9)[-3:]}"


# IBAN -------------------------------------------------------------------------


def _ibans(text: str) -> Iterable[Finding]:
    starts = [m.start() for m in _IBAN_START.finditer(text)]
    if not starts:
        return
    done = 0
    for start in starts:
        if start < done:
            continue
        hit = _iban_at(text, start)
        if hit is not None:
            end, compact = hit
            done = end
            yield Finding(IBAN, f"{_LABEL[IBAN]} {mask_iban(compact)}", start, end)


def _iban_at(text: str, start: int) -> tuple[int, str] | None:
    """The longest valid IBAN starting at ``start``: (end offset, compact form)."""
    # Walk forward over letters and digits, allowing single spaces or hyphens between them,
    # and note every place where a word ends: an IBAN must end at one of those.
    chars: list[str] = []
    ends: list[tuple[int, int]] = []  # (offset in text, number of characters so far)
    i, n = start, len(text)
    while i < n and len(chars) < _IBAN_MAX:
        c = text[i]
        if c.isascii() and c.isalnum():
            chars.append(c)
            i += 1
            if i == n or not (text[i].isascii() and text[i].isalnum()):
                ends.append((i, len(chars)))
        elif c in " \u00a0-" and chars and i + 1 < n and text[i + 1].isascii() and text[i + 1].isalnum():
            i += 1
        else:
            break
    candidates = [(end, count) for end, count in reversed(ends) if count >= _IBAN_MIN]
    if not candidates:
        return None
    from stdnum import iban
    from stdnum.exceptions import ValidationError

    compact = "".join(chars).upper()
    for end, count in candidates:
        number = compact[:count]
        try:
            # The country's own check is skipped: for some countries (Belgium)
            # it rejects real accounts at banks missing from stdnum's list.
            iban.validate(number, check_country=False)
        except ValidationError:
            continue
        return end, number
    return None


def mask_iban(compact: str) -> str:
    """``NL** **** **** **** 67``: country code and the last two characters, in groups of four."""
    hidden = compact[:2] + "*" * (len(compact) - 4) + compact[-2:]
    return " ".join(hidden[i : i + 4] for i in range(0, len(hidden), 4))


# Phone numbers ------------------------------------------------------------------


def _phones(text: str) -> Iterable[Finding]:
    if _PHONE_GATE.search(text) is None:
        return
    import phonenumbers
    from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType

    not_personal = {
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.UAN,
    }
    for match in PhoneNumberMatcher(text, "NL", leniency=Leniency.VALID):
        start, raw = match.start, match.raw_string
        # "(06-12345678)": the matcher takes the opening bracket but not the closing one.
        while raw.startswith("(") and raw.count("(") > raw.count(")"):
            start, raw = start + 1, raw[1:]
        number = match.number
        raw = raw.lstrip("( ")
        if not raw.startswith(("0", "+")):
            continue  # bare digits: short codes or an invoice number
        if _DATE.search(match.raw_string) or _TIME_AFTER.match(text, match.end):
            continue  # a date and a time, read as one number
        dutch = phonenumbers.is_valid_number_for_region(number, "NL")
        international = raw.startswith(("+", "00"))
        if not (dutch or international):
            continue
        if phonenumbers.number_type(number) in not_personal:
            continue
        shown = mask_phone(number, dutch)
        yield Finding(PHONE, f"{_LABEL[PHONE]} {shown}", start, match.end)


def mask_phone(number: PhoneNumber, dutch: bool) -> str:
    """``06-****-**78`` for Dutch numbers (area codes hidden too), ``+32 *******56`` otherwise."""
    import phonenumbers

    nsn = phonenumbers.national_significant_number(number)
    if not dutch:
        return f"+{number.country_code} {'*' * (len(nsn) - 2)}{nsn[-2:]}"
    ndc = phonenumbers.length_of_national_destination_code(number)
    # 06 (mobile), 085 (VoIP) and the like say nothing about where someone lives.
    geographic = phonenumbers.is_number_geographical(number)
    head = "0" + ("*" * ndc if geographic else nsn[:ndc])
    rest = nsn[ndc:]
    tail = "*" * (len(rest) - 2) + rest[-2:]
    if len(tail) > 4:
        tail = f"{tail[:-4]}-{tail[-4:]}"
    return f"{head}-{tail}"


# E-mail -------------------------------------------------------------------------


def _emails(text: str) -> Iterable[Finding]:
    for m in _EMAIL.finditer(text):
        yield Finding(EMAIL, f"{_LABEL[EMAIL]} {mask_email(m.group())}", m.start(), m.end())


def mask_email(address: str) -> str:
    """``j***@***.nl``: the first character and the top-level domain."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@***.{domain.rsplit('.', 1)[-1]}"


# Household codes ------------------------------------------------------------------


def new_household_code(
    prefix: str = "H",
    length: int = 6,
    rng: random.Random | None = None,
    existing: Container[str] = (),
) -> str:
    """A fresh pseudonymous household code such as ``H-7KXM4P``.

    ``prefix`` is 1-4 letters (upper-cased here), ``length`` 4-10 characters
    drawn from :data:`HOUSEHOLD_ALPHABET`. Randomness comes from the operating
    system (``secrets.SystemRandom``) unless ``rng`` is given (tests). A code in
    ``existing`` is never returned. Raises :class:`InputError` on a bad prefix
    or length.
    """
    prefix = prefix.strip().upper()
    if not _PREFIX.fullmatch(prefix):
        raise InputError(msg("household.bad_prefix", hint=HOUSEHOLD_HINT))
    if not 4 <= length <= 10:
        raise InputError(msg("household.bad_length", length=length))
    if rng is None:
        import secrets

        rng = secrets.SystemRandom()
    for _ in range(1000):
        code = f"{prefix}-{''.join(rng.choice(HOUSEHOLD_ALPHABET) for _ in range(length))}"
        if code in existing:
            continue
        # Only a long code that is nearly all digits could pass for a BSN or phone number.
        if sum(c.isdigit() for c in code) < 8 or not _household_personal_data(code):
            return code
    # Only reachable with a broken rng or an exhausted code space.
    raise InputError(msg("household.all_in_use"))


def is_household_code(code: str, pattern: re.Pattern[str] | None = None) -> bool:
    """Whether ``code`` is a well-formed household code, exactly as given.

    The default form is 1-4 letters A-Z, a hyphen, and 4-10 characters from A-Z and
    0-9 (``H-7KXM4P``, ``WMO-ABCD23``). Upper case only: callers normalise user
    input first with :func:`normalise_household`. Codes made by hand may use
    vowels, O, I, L, 0 and 1; generated ones do not. ``pattern``: the ledger's own
    form (:func:`household_pattern`) instead.
    """
    if pattern is not None:
        return pattern.fullmatch(code) is not None
    return _HOUSEHOLD.fullmatch(code) is not None


def normalise_household(code: str, pattern: re.Pattern[str] | None = None) -> str:
    """The household code the user meant: stripped, upper-cased and checked.

    Raises :class:`InputError` when it is not a valid code (of the default form, or
    of ``pattern`` when the ledger sets one), and, before that, when it holds
    personal data (someone typed a BSN or phone number as the code), whatever the
    pattern; the message then shows the value masked only.
    """
    text = code.strip()
    found = _household_personal_data(text)
    if found:
        first = found[0]
        raise InputError(msg("household.personal_data", found=msg("privacy.in_field", kind=msg(_LOOKS_LIKE[first.kind]),
                                                                  mask=first.mask), hint=HOUSEHOLD_HINT))
    upper = text.upper()
    hint = HOUSEHOLD_HINT if pattern is None else msg("household.hint_pattern", key=PATTERN_KEY,
                                                       pattern=repr(pattern.pattern))
    # isascii first: str.upper() turns some letters into ASCII ("ı" into "I").
    if not (text.isascii() and is_household_code(upper, pattern)):
        if not text:
            raise InputError(msg("household.empty", hint=hint))
        shown = ascii(text if len(text) <= 30 else text[:27] + "...")
        raise InputError(msg("household.not_valid", value=shown, hint=hint))
    return upper


def _household_personal_data(code: str) -> list[Finding]:
    # In a code, letters glued to digits hide nothing: "HA123456782" still
    # carries a BSN. Look again with the letters blanked out.
    found = find_personal_data(code)
    if not found and _DIGIT.search(code):
        found = find_personal_data(re.sub(r"[A-Za-z]", " ", code))
    return found
