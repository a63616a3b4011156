"""Gapless numbering: one locked counter row per name."""

from django.db import transaction

from ..models import Counter


def counter_next(name: str) -> int:
    """The next value of a gapless counter. Must run inside the caller's transaction: the row lock is
    held until it commits, so two writers never get the same number and a rollback leaves no gap."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counter_next must be called inside a transaction")
    Counter.objects.get_or_create(name=name)
    counter = Counter.objects.select_for_update().get(name=name)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


def counter_next_block(name: str, count: int) -> int:
    """Reserve ``count`` consecutive values of a gapless counter; returns the first. Same lock as counter_next."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counter_next_block must be called inside a transaction")
    Counter.objects.get_or_create(name=name)
    counter = Counter.objects.select_for_update().get(name=name)
    first = counter.value + 1
    counter.value += count
    counter.save(update_fields=["value"])
    return first
