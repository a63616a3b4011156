"""Nationalities as GB/T 2659 (ISO 3166-1) alpha-3 codes, with their Chinese and English short names.

The list is a data file (``core/data/nationalities.csv``) rather than 249 gettext strings: both names
are in it, and the reader's language picks one. No network, no extra package at run time."""

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent.parent / "data" / "nationalities.csv"


@cache
def _table() -> dict[str, tuple[str, str, str]]:
    """alpha-3 code -> (numeric code, Chinese name, English name)."""
    with DATA.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {r["alpha3"]: (r["numeric"], r["zh"], r["en"]) for r in rows}


def codes() -> frozenset[str]:
    return frozenset(_table())


def is_known(code: str) -> bool:
    return code in _table()


def label(code: str) -> str:
    """The country's short name in the reader's language (Chinese unless the page is in English)."""
    _numeric, zh, en = _table()[code]
    return en if (get_language() or "zh-hans").startswith("en") else zh


def numeric(code: str) -> str:
    """The GB/T 2659 numeric code (CHN -> 156)."""
    return _table()[code][0]


def choices() -> list[tuple[str, str]]:
    """(code, name) for a <select>, China first, then the others by code."""
    table = _table()
    return [("CHN", label("CHN"))] + [(code, label(code)) for code in table if code != "CHN"]
