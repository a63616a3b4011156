"""Masking for display. Done on the server: the raw value never reaches a page or an API answer.

A mask must not be completable from what is shown beside it. A resident ID number is region (6),
birth date (8), sequence (3, its last digit the sex) and a check character: showing the last four
would leave only the birth date hidden, and the birth date is on the same page. So a resident ID
keeps its first 6 and last 1 characters, and masked views show the birth YEAR only: with year and
sex known, 365 days x 500 sequence numbers remain, of which the shown check character keeps about one
in eleven: some 16,000 numbers (``registry/tests/test_mask_candidates.py`` counts them)."""

import re
from datetime import date

_RESIDENT = re.compile(r"[0-9]{17}[0-9Xx]|[0-9]{15}")


def mask_id_number(value: str | None) -> str:
    """A resident ID number (18, or the old 15 digits): first 6 and last 1, ``530102***********X``.
    Any other document (passport, permits): the first and last character only, and only when at
    least 8 characters long (``E*******8``); shorter numbers are all stars."""
    if not value:
        return ""
    if _RESIDENT.fullmatch(value):
        return value[:6] + "*" * (len(value) - 7) + value[-1]
    if len(value) >= 8:
        return value[0] + "*" * (len(value) - 2) + value[-1]
    return "*" * max(len(value), 4)


def mask_phone(value: str | None) -> str:
    """First 3 and last 4 digits: 138****5678."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """Keep the family name (first character), hide the rest: 张** / J***."""
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)


def mask_text(value: str | None) -> str:
    """For addresses and free text: keep the first 6 characters."""
    if not value:
        return ""
    return value[:6] + "****"


def mask_birth_date(value: date | str | None) -> str:
    """What masked views show of a birth date: the year only (``1968``)."""
    if not value:
        return ""
    if isinstance(value, str):
        return value[:4]
    return f"{value.year:04d}"
