"""Small-number suppression (``boai.lib.suppression``): every count from 1 to 4 is hidden, never one
hidden cell alone in a column, and no hidden cell can be worked out from the total and what is shown —
checked against a brute-force reader who knows the rule and gathers every table that it publishes the
same way: each hidden cell must still have at least two possible values among them."""

import itertools
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boai.lib.suppression import HIDDEN, SMALL, suppress, suppress_related

counts = st.integers(min_value=0, max_value=12) | st.integers(min_value=0, max_value=5000)
columns = st.lists(counts, min_size=1, max_size=17)
rests = st.integers(min_value=0, max_value=6)


def _published(values, rest):
    total = sum(values) + rest
    cells, total_cell = suppress(values, total)
    return total, cells, total_cell


def _reader_range(shown: str, cap: int, total: bool = False) -> range:
    """What a reader knows a cell may hold: "<5" 1..4, "*" 5 and more (capped; a hidden total 1 and
    more), else its number."""
    if shown == SMALL:
        return range(1, 5)
    if shown == HIDDEN:
        return range(1 if total else 5, cap + 1)
    return range(int(shown), int(shown) + 1)


def _possible_values(shown_cells, shown_total, rest, cap):
    """For each hidden cell (and the total, last), the values it may take so that the column adds up:
    sum(cells) + rest == total, every cell in its reader range. Brute force over reachable sums."""
    ranges = [_reader_range(s, cap) for s in shown_cells]
    total_range = _reader_range(shown_total, cap, total=True)
    out = []
    for i in range(len(ranges) + 1):
        # the reachable sums of every cell but i
        sums = {0}
        for j, r in enumerate(ranges):
            if j != i:
                sums = {s + x for s in sums for x in r if s + x <= cap}
        if i < len(ranges):
            out.append({x for x in ranges[i] for t in total_range for s in sums if s + x + rest == t})
        else:
            out.append({t for t in total_range if t - rest in sums})
    return out


@settings(deadline=None)  # a column of 17 rows is suppressed in steps: no flaky timing on a busy machine
@given(columns, rests)
def test_every_small_count_is_hidden_and_the_rest_shown_as_is(values, rest):
    total, cells, total_cell = _published(values, rest)
    for v, cell in zip(values, cells, strict=True):
        assert cell.value == v
        if 1 <= v <= 4:
            assert cell.shown == "<5"
        elif cell.hidden:
            assert cell.shown == "*" and v >= 5  # a complementary cell: never a 0, never called "<5"
        else:
            assert cell.shown == str(v)
    assert total_cell.value == total
    if total_cell.hidden:  # a hidden total is "*" whatever its size; "<5" only when no row holds anything
        assert total_cell.shown == ("*" if any(values) else "<5") and total > 0
        assert 1 <= total <= 4 or any(c.hidden for c in cells)
    else:
        assert total_cell.shown == str(total) and not 1 <= total <= 4


@settings(deadline=None)
@given(columns, rests)
def test_no_column_has_exactly_one_hidden_cell(values, rest):
    _total, cells, total_cell = _published(values, rest)
    hidden = sum(c.hidden for c in [*cells, total_cell])
    if any(values):
        assert hidden == 0 or hidden >= 2
    else:  # no row holds anything: only the total can be hidden (a small count outside every row)
        assert hidden == (1 if 1 <= rest <= 4 else 0)
    if any(1 <= v <= 4 for v in values):
        assert hidden >= 2


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=6))
def test_no_hidden_cell_can_be_worked_out_from_the_total(values):
    """The total is the sum of the rows (as the prefectures make up the province). The reader knows the
    marks ("<5" is 1 to 4, "*" is 5 or more) and every shown cell: by these ranges alone, each hidden
    cell must still have at least three possible values (the rule's margin; see the brute force below
    for what the reader learns from the rule itself)."""
    rest = 0
    total, cells, total_cell = _published(values, rest)
    cap = total + 10
    possible = _possible_values([c.shown for c in cells], total_cell.shown, rest, cap)
    for cell, values_it_may_take in zip([*cells, total_cell], possible, strict=True):
        assert cell.value in values_it_may_take
        if cell.hidden:
            assert len(values_it_may_take) >= 3, (values, rest, cell)
        else:
            assert values_it_may_take == {cell.value}


@pytest.mark.parametrize(
    ("values", "total", "shown", "total_shown"),
    [
        ([3, 10, 20], 33, ["<5", "*", "20"], "33"),  # the next row hides the lone "<5"
        ([20, 10, 3], 33, ["*", "10", "<5"], "33"),  # the next row after the last is the first
        ([1, 1, 10, 20], 32, ["<5", "<5", "*", "20"], "32"),  # two 1s sum to 2: both would be known
        ([1, 5, 9], 15, ["<5", "*", "*"], "15"),  # 1 + "5 or more" = 6 is too narrow: one more hidden
        # not the smallest but the next row: "*" is not "at most the smallest number shown"
        ([2, 30, 5, 5], 42, ["<5", "*", "5", "5"], "42"),
        ([2, 5, 5, 30], 42, ["<5", "*", "*", "*"], "42"),  # 2 + 5 + 5 = 12 leaves too little room
        ([3, 0, 0], 3, ["<5", "0", "0"], "*"),  # the zeros stay 0; the small total is hidden as "*"
        ([3, 0, 0], 8, ["<5", "0", "0"], "*"),  # no other non-zero cell: the total is hidden
        ([0, 0, 0], 3, ["0", "0", "0"], "<5"),  # only the province holds anything: a small total
        ([0, 0, 12], 12, ["0", "0", "12"], "12"),
    ],
)
def test_known_columns(values, total, shown, total_shown):
    cells, total_cell = suppress(values, total)
    assert [c.shown for c in cells] == shown
    assert total_cell.shown == total_shown


def test_a_total_below_the_sum_is_refused():
    with pytest.raises(ValueError):
        suppress([5, 6], 10)


def _compositions(rows: int, total: int):
    """Every table of ``rows`` counts (each ≥ 0) adding up to ``total``."""
    if rows == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(rows - 1, total - first):
            yield (first, *rest)


def _unpinned(groups) -> list:
    """The hidden cells that take a single value over every table published the same way."""
    return [(key, i, seen) for key, cells in groups.items() for i, seen in cells.items() if len(seen) < 2]


@pytest.mark.parametrize(("rows", "largest_sum"), [(3, 36), (4, 28)])
def test_no_published_column_pins_a_hidden_cell(rows, largest_sum):
    """The reader knows the rule and the total, and that the province holds ``rest`` (0 to 3) more than
    its rows. Every table of 3 rows with a sum up to 36 (so every one with rows of 0 to 12) and of 4 rows
    up to 28 is published; those published alike (same marks, same numbers, same total) are one group,
    and in it each hidden cell (the total among them) must take at least two values. Every table a group
    can hold is in it: a shown total fixes the rows' sum, and a hidden total only comes with hidden rows
    summing to at most 21. (The rule this replaces pinned 15,856 cells of 4 rows with totals ≤ 40.)"""
    groups = defaultdict(lambda: defaultdict(set))
    for s in range(largest_sum + 1):
        for values in _compositions(rows, s):
            for rest in range(4):
                cells, total = suppress(values, s + rest)
                key = (rest, tuple(c.shown for c in cells), total.shown)
                for i, cell in enumerate([*cells, total]):
                    if cell.hidden:
                        groups[key][i].add(cell.value)
    # the one exception: no row holds anything and the province's own small count is "<5" (a reader who
    # knows what the province holds outside its rows knows it anyway)
    pinned = [p for p in _unpinned(groups) if set(p[0][1]) != {"0"}]
    assert pinned == []
    assert sum(len(cells) for cells in groups.values()) > 3000  # many hidden cells were checked


def test_the_attacks_that_broke_the_old_rule_fail():
    # "*" was the next-smallest shown cell, so "*" ≤ the smallest number shown: now it is the next row
    cells, total = suppress([2, 5, 5, 30], 42)
    assert [c.shown for c in cells] == ["<5", "*", "*", "*"] and total.shown == "42"
    # 1,1,9 was the only table published as <5,<5,*,40 | 51: now 1,2,8 is published so too
    for values in ([0, 0, 1, 1, 9, 40], [0, 0, 1, 2, 8, 40]):
        cells, total = suppress(values, 51)
        assert [c.shown for c in cells] == ["0", "0", "<5", "<5", "*", "40"] and total.shown == "51"


def test_related_columns_hide_the_same_rows():
    """Households visited ≤ person-visits, row by row: a "<5" in one hides the same row of the other."""
    households, visits = [3, 7, 20, 0], [9, 15, 48, 0]
    (h_cells, h_total), (v_cells, v_total) = suppress_related(
        [(households, sum(households)), (visits, sum(visits))], [(0, 1)]
    )
    assert [c.shown for c in h_cells][0] == "<5"
    assert [c.hidden for c in h_cells] == [c.hidden for c in v_cells]
    assert v_cells[0].shown == "*"  # 9 person-visits would say "at most 9 households" of the row
    alone, _total = suppress(visits, sum(visits))
    assert not any(c.hidden for c in alone)  # on its own the column hides nothing


@pytest.mark.parametrize(("rows", "largest_sum"), [(3, 14), (4, 10)])
def test_a_related_column_does_not_give_a_hidden_cell_away(rows, largest_sum):
    """A reader sets the columns against each other: a "*" of households beside 5 person-visits is 5;
    the difference of the totals against the hidden rows ties them too; a small households total ("*")
    beside a shown person-visits total is bounded by it (suppressed one by one, 3-row pairs have well over
    a hundred pinned cells). Together the same rows are hidden in both, a hidden total hides the other,
    and every hidden cell keeps two values over every pair of columns published alike. A group with a
    hidden total may go on beyond the tables enumerated (person-visits summing up to ``largest_sum``):
    those are judged only when all their tables sum to at most ``largest_sum - 3``; the others are
    complete (a shown total fixes the sum)."""
    groups = defaultdict(lambda: defaultdict(set))
    largest = defaultdict(int)
    for s in range(largest_sum + 1):
        for visits in _compositions(rows, s):
            for households in itertools.product(*[range(v + 1) for v in visits]):
                if any((h == 0) != (v == 0) for h, v in zip(households, visits, strict=True)):
                    continue  # a household visited has at least one person-visit, and only then
                out = suppress_related([(households, sum(households)), (visits, s)], [(0, 1)])
                key = tuple((tuple(c.shown for c in cells), total.shown) for cells, total in out)
                largest[key] = max(largest[key], s)
                for i, cell in enumerate([*out[0][0], out[0][1], *out[1][0], out[1][1]]):
                    if cell.hidden:
                        groups[key][i].add(cell.value)
                h_cells, v_cells = out[0][0], out[1][0]
                assert [c.hidden for c in h_cells] == [c.hidden for c in v_cells]
    complete = {k: cells for k, cells in groups.items() if k[1][1] != HIDDEN or largest[k] <= largest_sum - 3}
    assert len(complete) > 150  # many published pairs with hidden cells were judged
    assert _unpinned(complete) == []
