"""Characters a person's name cannot hold, and the few that no free text about a person may hold.

A name is checked after NFC normalisation (so "é" typed as e + U+0301 is the same name as "é"), and it
may not contain:

- invisible characters: format characters (Cf: the bidirectional controls U+202A–U+202E and
  U+2066–U+2069, which make a name display other than it is stored, "Trojan source" in a list or a
  PDF; zero-width spaces and joiners U+200B–U+200F, U+2060, the BOM U+FEFF, the soft hyphen), the line
  and paragraph separators (U+2028, U+2029), every other Default_Ignorable_Code_Point (the Hangul
  fillers U+115F, U+1160, U+3164, U+FFA0, the variation selectors U+FE00–U+FE0F and U+E0100–U+E01EF,
  the combining grapheme joiner U+034F …) and the braille blank U+2800, which looks like a space but
  is a symbol: two names that look the same would differ;
- control characters (Cc: tab, newline, vertical tab …);
- spaces other than the ordinary space U+0020 (Zs: no-break space U+00A0, ideographic space U+3000 …);
- private-use (Co), surrogate (Cs) or unassigned (Cn) code points: no font shows them the same way.

Combining marks (Mn, Mc) stay allowed (Vietnamese, Tibetan, Thai names), and so does the middle dot of
minority names (U+00B7 "·", also the full-width and katakana dots people type for it): punctuation (Po).

One rule for every place a name is taken: ``name_problem`` (a message, or None) for services and
imports, ``validate_name`` for form and serializer fields. Other free text about a person (an address,
a relationship, a note) keeps its line breaks and spaces but may not hold a bidirectional control:
``free_text_problem`` / ``validate_free_text``."""

import unicodedata
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HIDDEN_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt) that are not already Cf, plus the
# braille pattern blank, which is not default-ignorable but shows nothing.
_IGNORABLE_RANGES = (
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul choseong / jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian free variation selectors and vowel separator
    (0x2065, 0x2065),
    (0x2800, 0x2800),  # braille pattern blank
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),  # half-width Hangul filler
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol format controls
    (0xE0000, 0xE0FFF),  # tags and variation selectors supplement (U+E0100–U+E01EF)
)

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))

INVISIBLE, CONTROL, SPACE, UNUSUAL = "invisible", "control", "space", "unusual"


def _ignorable(code: int) -> bool:
    return any(low <= code <= high for low, high in _IGNORABLE_RANGES)


@lru_cache(maxsize=8192)  # a list of 100,000 names holds a few thousand distinct characters
def _kind(ch: str) -> str | None:
    """Why ``ch`` cannot be in a name (one of the kinds above), or None."""
    category = unicodedata.category(ch)
    if category in HIDDEN_CATEGORIES or _ignorable(ord(ch)):
        return INVISIBLE
    if category == "Cc":
        return CONTROL
    if category == "Zs" and ch != " ":
        return SPACE
    if category in ("Co", "Cs", "Cn"):
        return UNUSUAL
    return None


def _refused(value) -> dict[str, list[str]]:
    """The refused characters of ``value`` (NFC-normalised) by kind, each as "U+202E", once, in order."""
    found: dict[str, dict[str, None]] = {}
    for ch in unicodedata.normalize("NFC", str(value or "")):
        if kind := _kind(ch):
            found.setdefault(kind, {})[f"U+{ord(ch):04X}"] = None
    return {kind: list(chars) for kind, chars in found.items()}


def hidden_characters(value: str) -> list[str]:
    """Every character of ``value`` a name cannot hold, each once, as "U+202E"."""
    return [code for codes in _refused(value).values() for code in codes]


def name_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as a person's name, or None. Each kind of refused character is
    named, with its code points (at most five of each)."""
    refused = _refused(value)
    if not refused:  # nearly every name: no message built (and translated) for nothing
        return None
    messages = {
        INVISIBLE: _(
            "The name contains invisible or text-direction characters (%(chars)s), which a name cannot hold. "
            "Type the name again instead of pasting it."
        ),
        CONTROL: _(
            "The name contains a tab, a line break or another control character (%(chars)s). Type the name on one line."
        ),
        SPACE: _(
            "The name contains a special space (%(chars)s), such as a no-break or full-width space. "
            "Use an ordinary space, or none."
        ),
        UNUSUAL: _(
            "The name contains characters that are not standard text (%(chars)s) and may show differently "
            "on each computer. Type the name again instead of pasting it."
        ),
    }
    problems = [messages[kind] % {"chars": ", ".join(chars[:5])} for kind, chars in refused.items()]
    return " ".join(problems) or None


def validate_name(value) -> None:
    """A form or serializer field's validator: ``name_problem`` as a ``ValidationError``."""
    problem = name_problem(value)
    if problem:
        raise ValidationError(problem, code="hidden_characters")


def free_text_problem(value) -> str | None:
    """Why ``value`` (an address, a relationship, a note about a person) cannot be stored, or None: it
    holds a bidirectional control (U+202A–U+202E, U+2066–U+2069), which shows it other than stored."""
    text = str(value or "")
    if text.isascii():  # no bidirectional control is ASCII
        return None
    found = list(dict.fromkeys(f"U+{ord(ch):04X}" for ch in text if ch in BIDI_CONTROLS))
    if not found:
        return None
    return _(
        "The text contains text-direction control characters (%(chars)s), which make it display "
        "differently from what is stored. Type it again instead of pasting it."
    ) % {"chars": ", ".join(found[:5])}


def validate_free_text(value) -> None:
    """A form or serializer field's validator: ``free_text_problem`` as a ``ValidationError``."""
    problem = free_text_problem(value)
    if problem:
        raise ValidationError(problem, code="text_direction_characters")


def fold_typed(typed, *, drop: str = "", limit: int = 80) -> str:
    """What someone typed or pasted as a code or number, as it is printed: the first ``limit``
    characters, NFKC (full-width digits and letters to ASCII, （） to ()), upper case, without spaces,
    control or format characters, nor any character of ``drop``."""
    folded = unicodedata.normalize("NFKC", str(typed or "")[:limit]).upper()
    return "".join(
        ch for ch in folded if ch not in drop and not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")
    )
