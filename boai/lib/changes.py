"""A shared count of changes to the data: every audited change moves it on (``changed``, called by
``audit_log``), and a number cached from the data (the menu's badges) is kept with the count it was
computed at and used only while the count has not moved. In the shared cache, so every app server
sees every other's changes; if the cache is down the count reads as unknown and nothing cached is used."""

from django.core.cache import cache
from django.db import transaction

KEY = "boai:changes"


def _move_on() -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # not there yet (a start, a flush); counts kept before still expire within their seconds
        cache.add(KEY, 1, timeout=None)


def changed() -> None:
    """Call inside the transaction that changes the data: the count moves now (the writer's own next
    read computes afresh) and again when the transaction commits (a reader who computed in between,
    before the change was visible, does not keep that number)."""
    _move_on()
    transaction.on_commit(_move_on)


def count(known: int | None = None) -> int | None:
    """The current count (``known``: as just read with other keys); None when the cache cannot say."""
    if known is None:
        cache.add(KEY, 1, timeout=None)  # the first reader after a start or a flush
        known = cache.get(KEY)
    return known
