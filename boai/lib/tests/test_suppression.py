"""Small-number suppression (``boai.lib.suppression``): every count from 1 to 4 is hidden, never one
hidden cell alone in a column, and no hidden cell can be worked out from the total and what is shown —
checked against a brute-force reader who tries every value each hidden cell could have."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boai.lib.suppression import HIDDEN, SMALL, suppress

counts = st.integers(min_value=0, max_value=12) | st.integers(min_value=0, max_value=5000)
columns = st.lists(counts, min_size=1, max_size=17)
rests = st.integers(min_value=0, max_value=6)


def _published(values, rest):
    total = sum(values) + rest
    cells, total_cell = suppress(values, total)
    return total, cells, total_cell


def _reader_range(shown: str, cap: int) -> range:
    """What a reader knows a cell may hold: "<5" 1..4, "*" 5 and more (capped), else its number."""
    if shown == SMALL:
        return range(1, 5)
    if shown == HIDDEN:
        return range(5, cap + 1)
    return range(int(shown), int(shown) + 1)


def _possible_values(shown_cells, shown_total, rest, cap):
    """For each hidden cell (and the total, last), the values it may take so that the column adds up:
    sum(cells) + rest == total, every cell in its reader range. Brute force over reachable sums."""
    ranges = [_reader_range(s, cap) for s in shown_cells]
    total_range = _reader_range(shown_total, cap)
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


@given(columns, rests)
def test_every_small_count_is_hidden_and_the_rest_shown_as_is(values, rest):
    total, cells, total_cell = _published(values, rest)
    for v, cell in zip([*values, total], [*cells, total_cell], strict=True):
        assert cell.value == v
        if 1 <= v <= 4:
            assert cell.shown == "<5"
        elif cell.hidden:
            assert cell.shown == "*" and v >= 5  # a complementary cell: never a 0, never called "<5"
        else:
            assert cell.shown == str(v)


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


@settings(max_examples=300)
@given(st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=6))
def test_no_hidden_cell_can_be_worked_out_from_the_total(values):
    """The total is the sum of the rows (as the prefectures make up the province). The reader knows the
    rule ("<5" is 1 to 4, "*" is 5 or more) and every shown cell: each hidden cell must still have at
    least two possible values."""
    rest = 0
    total, cells, total_cell = _published(values, rest)
    cap = total + 10
    possible = _possible_values([c.shown for c in cells], total_cell.shown, rest, cap)
    for cell, values_it_may_take in zip([*cells, total_cell], possible, strict=True):
        assert cell.value in values_it_may_take
        if cell.hidden:
            assert len(values_it_may_take) >= 2, (values, rest, cell)
        else:
            assert values_it_may_take == {cell.value}


@pytest.mark.parametrize(
    ("values", "total", "shown", "total_shown"),
    [
        ([3, 10, 20], 33, ["<5", "*", "20"], "33"),  # the next-smallest cell hides the lone "<5"
        ([1, 1, 10, 20], 32, ["<5", "<5", "*", "20"], "32"),  # two 1s sum to 2: both would be known
        ([1, 5, 9], 15, ["<5", "*", "*"], "15"),  # 1 + "5 or more" = 6 gives both: one more hidden
        ([3, 0, 0], 3, ["<5", "0", "0"], "<5"),  # the zeros stay 0; the small total is hidden too
        ([3, 0, 0], 8, ["<5", "0", "0"], "*"),  # no other non-zero cell: the total is hidden
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
