"""lib.forked: results in order from a forked child; a child that dies or a reader that stops early
leaves no process behind and loses no result."""

import os

from boai.lib.forked import forked_map


def square_elsewhere(n):
    return n * n, os.getpid()


def test_results_come_in_order_from_another_process():
    results = list(forked_map(square_elsewhere, range(50)))
    assert [value for value, _pid in results] == [n * n for n in range(50)]
    assert {pid for _value, pid in results} == {results[0][1]} != {os.getpid()}


def test_a_child_that_dies_leaves_the_rest_to_this_process():
    parent = os.getpid()

    def dies_at_ten(n):
        if n == 10 and os.getpid() != parent:
            os._exit(9)  # as a kill -9 or the out-of-memory killer would
        return n, os.getpid()

    results = list(forked_map(dies_at_ten, range(20)))
    assert [n for n, _pid in results] == list(range(20))
    assert {pid for _n, pid in results[10:]} == {parent}


def test_a_reader_that_stops_early_leaves_no_child_running():
    results = forked_map(square_elsewhere, range(10_000))
    _value, child = next(results)
    results.close()
    try:
        os.kill(child, 0)
    except ProcessLookupError:
        pass  # gone, and reaped (a zombie would still answer)
    else:
        raise AssertionError(f"child {child} is still there")
