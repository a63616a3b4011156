"""Dates typed by people: one parser, one message.

People write a date as 1979-03-15, but also 1979/3/15, 1979.3.15, 1979年3月15日 (with 号 or nothing
for 日), 19790315, in full-width digits, or as a spreadsheet shows a date cell (1979-03-15 00:00:00).
``parse_day`` reads them all, and only real days (no 1979-02-30)."""

import re
import unicodedata
from datetime import date

from django.utils.translation import gettext_lazy as _

DATE_HINT = _("Use a date like 2026-01-31.")

_FORMS = [
    re.compile(r"(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"),
    re.compile(r"(?P<y>[0-9]{4})\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*[日号]?"),
    re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"),
]
_MIDNIGHT = re.compile(r"[ T]00:00(?::00(?:\.0+)?)?$")  # a date cell saved as text by a spreadsheet
MAX_TYPED = 40


class BadDate(ValueError):
    message = DATE_HINT


def parse_day(raw: str | None) -> date | None:
    """``""`` -> None; a date in any of the forms above -> date; anything else raises ``BadDate``."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip()  # full-width digits and ／ to ASCII
    if not text:
        return None
    text = _MIDNIGHT.sub("", text[:MAX_TYPED]).strip()
    for pattern in _FORMS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                break  # 1979-02-30: a form that was read, but no such day
    raise BadDate(raw)
