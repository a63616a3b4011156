"""A shared count of changes to the data: every audited change moves it on (``changed``, called by
``audit_log``), and what is drawn from the data (the staff menu with its badges, the lists' filters)
is kept with the count it was computed at and used only while the count has not moved. In the shared
cache, so every app server sees every other's changes; if the cache is down the count reads as
unknown and nothing cached is used."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

KEY = "boai:changes"


def _move_on() -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # not there yet (a start, a flush, an eviction): a start that never repeats an
        cache.add(KEY, time.time_ns(), timeout=None)  # earlier value, so nothing kept before matches it


def changed() -> None:
    """Call inside the transaction that changes the data: the count moves when it commits. A reader who
    counted before (or while it was written) kept the count of before, which no longer matches."""
    transaction.on_commit(_move_on)


def kept(key: str, compute, seconds: int):
    """``compute()``, kept in the shared cache under ``key`` for ``seconds`` (0: never) and only while
    the count has not moved since it was computed. With the cache down, computed every time."""
    if seconds <= 0:
        return compute()
    found = cache.get_many([KEY, key])
    now = found.get(KEY)
    if now is None:  # the first reader after a start or a flush (or the cache is down: still None)
        cache.add(KEY, time.time_ns(), timeout=None)
        now = cache.get(KEY)
    if now is not None and key in found and found[key][0] == now:
        return found[key][1]
    value = compute()
    if now is not None:
        cache.set(key, (now, value), seconds)
    return value


def kept_html(key: str, template: str, context) -> SafeString:
    """``template`` drawn with ``context()`` (called only when drawn), kept like ``kept`` for
    ``BOAI_MENU_BADGE_SECONDS``: the staff menu, the lists' filter fields."""
    html = kept(key, lambda: render_to_string(template, context()), settings.BOAI_MENU_BADGE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered from our own template, its values escaped there
