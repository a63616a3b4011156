"""Dates typed by people: one parser, one message."""

from datetime import date

from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

DATE_HINT = _("Use a date like 2026-01-31.")


class BadDate(ValueError):
    message = DATE_HINT


def parse_day(raw: str | None) -> date | None:
    """``""`` -> None; ``"2026-01-31"`` -> date; anything else raises ``BadDate``."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        raise BadDate(raw)
    return value
