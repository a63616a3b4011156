"""Characters a person's name cannot hold. Bidirectional controls (U+202A–U+202E, U+2066–U+2069) make a
name display other than it is stored ("Trojan source" in a list or a PDF), and invisible format
characters (zero-width spaces and joiners U+200B–U+200F, U+2060, the BOM U+FEFF, the soft hyphen) make
two names that look the same differ: Unicode category Cf, with the line and paragraph separators
(U+2028, U+2029). Control characters (Cc) are left to the checks that exist for them: a NUL is refused
with every request (``core.middleware``), the others are dropped where a file cannot hold them.
The middle dot of minority names (U+00B7 "·", also the full-width and katakana dots people type for
it) is punctuation (Po) and stays allowed.

One rule for every place a name is taken: ``name_problem`` (a message, or None) for services and
imports, ``validate_name`` for form and serializer fields."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HIDDEN_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})


def hidden_characters(value: str) -> list[str]:
    """The invisible or text-direction characters in ``value``, each once, as "U+202E"."""
    found = dict.fromkeys(
        f"U+{ord(ch):04X}" for ch in str(value or "") if unicodedata.category(ch) in HIDDEN_CATEGORIES
    )
    return list(found)


def name_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as a person's name, or None."""
    hidden = hidden_characters(value)
    if not hidden:
        return None
    return _(
        "The name contains invisible or text-direction characters (%(chars)s), which a name cannot hold. "
        "Type the name again instead of pasting it."
    ) % {"chars": ", ".join(hidden[:5])}


def validate_name(value) -> None:
    """A form or serializer field's validator: ``name_problem`` as a ``ValidationError``."""
    problem = name_problem(value)
    if problem:
        raise ValidationError(problem, code="hidden_characters")
