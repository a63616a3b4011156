"""The public ledger's folding rule on any entries (no database): no published row counts 1 or 2
payments (or pays fewer than 3 families); the totals are the sum of every entry; a reversal nets its
payment out, in the month of the reversal; and an entry is only left to the totals when every level
it could be shown at has too few payments."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ..selectors.ledger import MONTH, PREFECTURE_YEAR, PROVINCE_OTHER, Item, fold, rows_hash

PREFS = ("530100", "530300", "532300")
KINDS = ("condolence", "hardship", "relief_fund")

payment = st.tuples(
    st.integers(1, 12),  # month
    st.sampled_from(PREFS),
    st.sampled_from(KINDS),
    st.integers(1, 5_000_000),  # fen
    st.integers(1, 12),  # family
    st.one_of(st.none(), st.integers(0, 11)),  # reversed how many months later (None: not reversed)
)


def items_of(payments) -> list[Item]:
    items = []
    for i, (month, pref, kind, fen, family, later) in enumerate(payments):
        items.append(Item(month, pref, kind, fen, family, f"p{i:04d}"))
        if later is not None and month + later <= 12:  # a reversal within the year
            items.append(Item(month + later, pref, kind, -fen, family, f"r{i:04d}"))
    return items


@settings(max_examples=300, deadline=None)
@given(st.lists(payment, max_size=60))
def test_no_row_counts_one_or_two_and_totals_add_up(payments):
    items = items_of(payments)
    rows, totals = fold(items)
    for row in rows:
        assert row.count >= 3, row
        paid = {i.family for i in items if i.row_hash in row.hashes and i.amount_fen > 0}
        assert len(paid) >= 3, row
        assert row.hash == rows_hash(row.hashes)
        assert row.amount_fen == sum(i.amount_fen for i in items if i.row_hash in row.hashes)
    # every entry is in at most one row; the totals hold them all
    published = [h for row in rows for h in row.hashes]
    assert len(published) == len(set(published))
    assert totals.get(None, None) is None or totals[None].count == sum(i.count for i in items)
    if items:
        assert totals[None].amount_fen == sum(i.amount_fen for i in items)
        assert totals[None].hash == rows_hash([i.row_hash for i in items])
        for kind in KINDS:
            mine = [i for i in items if i.kind == kind]
            if mine:
                assert totals[kind].count == sum(i.count for i in mine)
                assert totals[kind].amount_fen == sum(i.amount_fen for i in mine)
            else:
                assert kind not in totals
    assert_nothing_derivable(items, rows, totals)


def settled(rest) -> bool:
    """A difference is 0 (no payment, no amount) or at least 3 payments of at least 3 families."""
    count = sum(i.count for i in rest)
    amount = sum(i.amount_fen for i in rest)
    families = {i.family for i in rest if i.amount_fen > 0}
    return (count == 0 and amount == 0) or (count >= 3 and len(families) >= 3)


def assert_nothing_derivable(items, rows, totals):
    published = {h for row in rows for h in row.hashes}
    hidden = {k for k, t in totals.items() if k is not None and not t.shown}
    for kind, total in totals.items():
        if kind is not None and total.shown:  # a kind's total minus its rows
            assert settled([i for i in items if i.kind == kind and i.row_hash not in published]), kind
    if items and totals[None].shown:
        # the overall total minus every row, and minus the shown kinds' totals and the hidden kinds' rows
        assert settled([i for i in items if i.row_hash not in published])
        assert settled([i for i in items if i.kind in hidden and i.row_hash not in published])
    if items and not totals[None].shown:
        assert not settled(items) and all(not t.shown for t in totals.values())


@settings(max_examples=500, deadline=None)
@given(st.lists(payment, max_size=25))
def test_no_total_minus_its_rows_points_at_one_or_two_payments(payments):
    items = items_of(payments)
    rows, totals = fold(items)
    for row in rows:
        assert row.count >= 3 and len({i.family for i in items if i.row_hash in row.hashes and i.amount_fen > 0}) >= 3
    assert_nothing_derivable(items, rows, totals)


def test_the_strangers_example_is_folded():
    """人道慰问金 6 / ¥37,000 with one row of Kunming 4 / ¥25,000 gave the other 2 (¥12,000) away; the relief
    fund's 2 / ¥20,000 stood alone in the totals."""
    items = [Item(3, "530100", "condolence", 625_000, f, f"k{f}") for f in (1, 2, 3, 4)]
    items += [Item(5, "530300", "condolence", 600_000, 5, "q1"), Item(9, "532300", "condolence", 600_000, 6, "c1")]
    items += [Item(6, "530100", "relief_fund", 1_000_000, f, f"r{f}") for f in (7, 8)]
    rows, totals = fold(items[:6])  # the condolence money alone: the two folded with Kunming's row
    assert [(r.level, r.kind, r.count, r.amount_fen) for r in rows] == [(PROVINCE_OTHER, "condolence", 6, 3_700_000)]
    assert totals["condolence"].shown
    assert_nothing_derivable(items[:6], rows, totals)
    # with the relief fund's 2: overall 8 minus condolence 6 would give them away, so both kinds are only
    # in the overall total and no row is left
    rows, totals = fold(items)
    assert rows == []
    assert not totals["condolence"].shown and not totals["relief_fund"].shown
    assert (totals[None].shown, totals[None].count, totals[None].amount_fen) == (True, 8, 5_700_000)
    assert_nothing_derivable(items, rows, totals)


@settings(max_examples=100, deadline=None)
@given(st.lists(payment, max_size=40))
def test_reversed_payments_net_out(payments):
    every_one_reversed_at_once = [(m, p, k, f, fam, 0) for m, p, k, f, fam, _later in payments]
    rows, totals = fold(items_of(every_one_reversed_at_once))
    assert rows == []
    if payments:
        assert totals[None].count == 0
        assert totals[None].amount_fen == 0


def test_the_three_levels():
    items = [Item(3, "530100", "condolence", 1000, f, f"a{f}") for f in (1, 2, 3)]  # a month row
    items += [Item(m, "530100", "condolence", 2000, 10 + m, f"b{m}") for m in (4, 5, 6)]  # 1 a month: Kunming's year
    items += [Item(7, p, "condolence", 500, 20 + j, f"c{j}") for j, p in enumerate(("530300", "532300", "530400"))]
    items += [Item(8, "530500", "condolence", 700, 30, "d1"), Item(8, "530500", "hardship", 900, 31, "d2")]
    rows, totals = fold(items)
    levels = [(r.level, r.month, r.prefecture, r.kind, r.count, r.amount_fen) for r in rows]
    assert levels == [
        # March's row (the smallest) goes with the one hardship payment into what only the overall total
        # holds (3 + 1 payments): the overall minus condolence's total would otherwise give that payment away
        (PREFECTURE_YEAR, None, "530100", "condolence", 3, 6000),
        (PROVINCE_OTHER, None, None, "condolence", 4, 2200),  # three prefectures and 530500's one
    ]
    # the one hardship payment, and so condolence's total, are only in the overall total
    assert not totals["hardship"].shown and not totals["condolence"].shown
    assert (totals["hardship"].count, totals["hardship"].amount_fen) == (1, 900)
    assert (totals[None].count, totals[None].amount_fen) == (11, 12100)


def test_a_reversal_counts_in_its_own_month():
    items = [Item(1, "530100", "condolence", 1000, f, f"a{f}") for f in (1, 2, 3, 4)]
    items += [Item(2, "530100", "condolence", -1000, 1, "r1")]  # January's first, reversed in February
    rows, totals = fold(items)
    # February's −1 alone would be the total minus January's row: the secondary rule folds them together
    assert [(r.level, r.month, r.count, r.amount_fen) for r in rows] == [(PROVINCE_OTHER, None, 3, 3000)]
    items += [Item(2, "530100", "condolence", 1000, f, f"f{f}") for f in (5, 6, 7, 8)]  # February's own row
    rows, _totals = fold(items)
    assert [(r.level, r.month, r.count, r.amount_fen) for r in rows] == [(MONTH, 1, 4, 4000), (MONTH, 2, 3, 3000)]
    assert (totals[None].count, totals[None].amount_fen) == (3, 3000)  # February's −1 only in the total


def test_one_family_paid_three_times_is_not_a_row():
    items = [Item(5, "530100", "hardship", 1000, 7, f"x{i}") for i in range(3)]
    rows, _totals = fold(items)
    assert rows == []
