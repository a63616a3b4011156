"""``bulk.ahead``: an import's next batch is prepared in a thread while the caller writes this one; the
results come in order, an error comes at its turn, and a caller that stops leaves nothing running."""

import threading

import pytest

from boai.core.bulk import ahead


def test_the_next_item_is_prepared_while_the_caller_works_on_this_one():
    started = {n: threading.Event() for n in range(3)}
    threads = {}

    def prepare(n):
        threads[n] = threading.current_thread().name
        started[n].set()
        return n * 10

    results = []
    for result in ahead(prepare, range(3)):
        n = result // 10
        if n < 2:  # the caller still holds item n, and item n + 1 is already being prepared
            assert started[n + 1].wait(5)
        results.append(result)
    assert results == [0, 10, 20]
    assert all(name.startswith("boai-ahead") for name in threads.values())
    assert threading.current_thread().name not in threads.values()


def test_an_error_in_preparing_comes_when_its_result_is_due():
    def prepare(n):
        if n == 2:
            raise ValueError("row 2")
        return n

    seen = []
    with pytest.raises(ValueError, match="row 2"):
        for result in ahead(prepare, range(5)):
            seen.append(result)
    assert seen == [0, 1]


def test_a_caller_that_stops_leaves_nothing_prepared_or_running():
    prepared = []

    def prepare(n):
        prepared.append(n)
        return n

    items = ahead(prepare, range(100))
    assert next(items) == 0
    items.close()  # the caller failed: the pool is shut down, waiting items dropped
    assert len(prepared) <= 3
    assert not [t for t in threading.enumerate() if t.name.startswith("boai-ahead")]


def test_prepared_in_the_callers_time_zone_and_language():
    from django.utils import timezone, translation

    def prepare(_n):
        return timezone.get_current_timezone_name(), translation.get_language()

    with timezone.override("UTC"), translation.override("en"):
        assert list(ahead(prepare, range(2))) == [("UTC", "en"), ("UTC", "en")]
    with timezone.override("Asia/Shanghai"), translation.override("zh-hans"):
        assert list(ahead(prepare, range(1))) == [("Asia/Shanghai", "zh-hans")]
