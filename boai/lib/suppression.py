"""Small-number suppression for published tables (generic: one column of counts and its total).

A count from 1 to 4 is hidden and shown as "<5" (0 stays 0): with so few people, a reader who knows
someone in the area could recognise them. Hiding it is not enough when the total is shown: with one
hidden cell, the total minus the shown cells gives it back; with two small hidden cells whose sum is 2
both are 1. So more cells are hidden (complementary suppression, shown as "*").

The rule is public and must not itself give anything away (a reader who knows it reasons about every
table that would have been published the same way):

- which cell is hidden next never depends on the sizes of the counts, only on the table's fixed order:
  the next non-zero cell still shown after the first "<5", going round to the top. A "*" in a row is
  therefore a count of 5 or more (every 1 to 4 is already "<5"), and nothing more is known of it;
- cells are hidden one by one until, from the total and what is shown ("<5": 1 to 4; "*": 5 or more),
  every hidden cell could still be at least ``SPREAD`` (3) different numbers. Asking for three rather
  than two leaves room for what the reader learns from the rule having gone on hiding (that the step
  before was too narrow): checked by brute force over every table of 3 and 4 rows in the tests
  (every hidden cell keeps at least two possible values among the tables published the same way);
- when every non-zero cell is hidden and that is still not enough, the total is hidden too: the last
  resort. A hidden total is always "*", whatever its size (a small total beside "<5" cells too), so
  that "*" in the total says only "1 or more".

The total may exceed the sum of the cells (records of the province itself, in no prefecture); the check
assumes the worst, that a reader knows that difference. When no row holds anything, a small total
stands hidden alone as "<5": there is no other count to hide beside it (a reader who knew the
difference would know it anyway).

Two columns counting the same records (households visited, and the person-visits to them) are
suppressed together (``suppress_related``): a reader could otherwise set a hidden cell against the
other column's shown one, or the difference of the two totals against the hidden rows."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

SMALL = "<5"
HIDDEN = "*"
LOW, HIGH = 1, 4  # the small counts
SPREAD = 3  # the fewest values each hidden cell must still be able to take, by ranges alone
INF = float("inf")


@dataclass(frozen=True)
class Cell:
    value: int  # the true count: never published when ``hidden``
    shown: str  # what the table shows: the number, "<5" or "*"
    reason: str = ""  # "" shown, "small" (1 to 4), "complementary"

    @property
    def hidden(self) -> bool:
        return bool(self.reason)


def _small(v: int) -> bool:
    return LOW <= v <= HIGH


def _bounds(v: int, reason: str, total: bool = False) -> tuple[float, float]:
    """What a reader knows of a cell: its value when shown, 1..4 when small, 5.. when complementary (a
    hidden total: 1..)."""
    if total and reason == "complementary":
        return LOW, INF
    if reason == "small":
        return LOW, HIGH
    if reason == "complementary":
        return HIGH + 1, INF
    return v, v


def narrowest(values: Sequence[int], total: int, reasons: Sequence[str], total_reason: str) -> float:
    """The fewest values a hidden cell (the total among them) may take, by what is shown: the one equation
    ``sum(cells) + rest = total`` (``rest`` known) and each hidden cell's bounds. INF when nothing is
    hidden or every hidden cell is unbounded."""
    # variables: the cells (coefficient +1) and the total (coefficient -1); sum(c*x) = -rest
    rest = total - sum(values)
    items = [(1, v, r) for v, r in zip(values, reasons, strict=True)] + [(-1, total, total_reason)]
    hidden = [i for i, (_c, _v, r) in enumerate(items) if r]
    if not hidden:
        return INF
    if len(hidden) == 1:
        return 1
    lows, highs = [], []
    for c, v, r in items:
        lo, hi = _bounds(v, r, c < 0)
        lows.append(min(c * lo, c * hi))
        highs.append(max(c * lo, c * hi))
    fewest = INF
    for i in hidden:
        c, v, r = items[i]
        lo, hi = _bounds(v, r, c < 0)
        # c*x_i = -rest - sum_{j != i} c_j x_j (summed afresh: inf - inf is not a number)
        others_low = sum(x for j, x in enumerate(lows) if j != i)
        others_high = sum(x for j, x in enumerate(highs) if j != i)
        a, b = -rest - others_high, -rest - others_low  # range of c*x_i
        if c < 0:
            a, b = -b, -a
        a, b = max(a, lo), min(b, hi)
        fewest = min(fewest, b - a + 1)
    return fewest


def derivable(values: Sequence[int], total: int, reasons: Sequence[str], total_reason: str) -> bool:
    """Whether some hidden cell's value (the total's among them) follows from what is shown."""
    return narrowest(values, total, reasons, total_reason) <= 1


def _too_narrow(values, total, reasons, total_reason) -> bool:
    return narrowest(values, total, reasons, total_reason) < SPREAD


def suppress(values: Sequence[int], total: int) -> tuple[list[Cell], Cell]:
    """The cells of a column and of its total, as published. ``values`` are counts (≥ 0) whose sum is
    at most ``total``."""
    values = [int(v) for v in values]
    if any(v < 0 for v in values) or total < sum(values):
        raise ValueError("counts are not negative and the total is at least their sum")
    reasons, total_reason = _marks(values, total, set(), False)
    smalls = [i for i, r in enumerate(reasons) if r]
    if smalls:
        # the fixed order: the rows after the first "<5", going round to the top
        n = len(values)
        after = [(smalls[0] + 1 + k) % n for k in range(n)]
        following = [i for i in after if not reasons[i] and values[i] > 0]
        while _too_narrow(values, total, reasons, total_reason):
            if following:
                reasons[following.pop(0)] = "complementary"
            else:  # every non-zero cell is hidden: the total too, as the last resort ("*" even when small)
                total_reason = "complementary"
                break
    return [_cell(v, r) for v, r in zip(values, reasons, strict=True)], _cell(total, total_reason)


def suppress_related(
    columns: Sequence[tuple[Sequence[int], int]], related: Collection[tuple[int, int]]
) -> list[tuple[list[Cell], Cell]]:
    """Several columns of one table (each ``(values, total)``), each suppressed against its total, where
    each pair in ``related`` (column indexes: the smaller, the larger; no column in two pairs) counts the
    same records, the first never above the second row by row and 0 exactly when it is (households
    visited and the person-visits to them). A reader could set one against the other, so the pair is
    suppressed as one: the same rows hidden in both (a row with a count of 1 to 4 in either, then the
    next rows in the fixed order) until neither column, nor what their hidden rows differ by, can be
    worked out too closely; both totals hidden as the last resort."""
    out = {c: suppress(values, total) for c, (values, total) in enumerate(columns)}
    for a, b in related:
        out[a], out[b] = _suppress_pair(columns[a], columns[b])
    return [out[c] for c in range(len(columns))]


def _marks(values, total, rows, hide_total):
    """The first marks: 1 to 4 "small", the ``rows`` (when not 0) "complementary"; a small total is "<5"
    only when no row holds anything; beside other hidden cells it is "*", as the total always is when
    hidden (a hidden total of 5 or more must not be told from a small one)."""
    reasons = ["small" if _small(v) else "complementary" if i in rows and v > 0 else "" for i, v in enumerate(values)]
    total_reason = ("complementary" if any(values) else "small") if _small(total) else ""
    if hide_total and total > 0:
        total_reason = "complementary"
    return reasons, total_reason


def _suppress_pair(small, large):
    for values, total in (small, large):
        if any(v < 0 for v in values) or total < sum(values):
            raise ValueError("counts are not negative and the total is at least their sum")
    n = len(small[0])
    rows = {i for i in range(n) if _small(small[0][i]) or _small(large[0][i])}
    hide_totals = False
    if rows:
        after = [(min(rows) + 1 + k) % n for k in range(n)]
        following = [i for i in after if i not in rows and (small[0][i] > 0 or large[0][i] > 0)]
        while True:
            marks = [_marks(*column, rows, False) for column in (small, large)]
            outs = [
                ([_cell(v, r) for v, r in zip(c[0], m[0], strict=True)], _cell(c[1], m[1]))
                for c, m in zip((small, large), marks, strict=True)
            ]
            if not (
                _too_narrow(*small, *marks[0]) or _too_narrow(*large, *marks[1]) or _gap_too_narrow(small, large, *outs)
            ):
                break
            if following:
                rows.add(following.pop(0))
            else:
                hide_totals = True
                break
    # a hidden total (small, or the last resort) hides the other: else the one shown bounds the other
    hide_totals = hide_totals or any(_marks(*column, rows, False)[1] for column in (small, large))
    result = []
    for values, total in (small, large):
        reasons, total_reason = _marks(values, total, rows, hide_totals)
        result.append(([_cell(v, r) for v, r in zip(values, reasons, strict=True)], _cell(total, total_reason)))
    return tuple(result)


def _gap_too_narrow(small, large, small_out, large_out) -> bool:
    """Whether what the hidden rows of two related columns differ by (``large`` minus ``small``, row by
    row never below 0) can be worked out too closely: the difference of the totals less the differences
    of the rows shown in both is their sum, and each lies between what the two cells' marks allow."""
    if small_out[1].hidden or large_out[1].hidden:
        return False
    rows = range(len(small[0]))
    hidden = [i for i in rows if small_out[0][i].hidden or large_out[0][i].hidden]
    if not hidden:
        return False
    rest = (large[1] - small[1]) - sum(large[0][i] - small[0][i] for i in rows if i not in hidden)
    bounds = []
    for i in hidden:
        s_lo, s_hi = _bounds(small[0][i], small_out[0][i].reason)
        l_lo, l_hi = _bounds(large[0][i], large_out[0][i].reason)
        bounds.append((max(0, l_lo - s_hi), l_hi - s_lo))
    return _fewest(bounds, rest) < SPREAD


def _fewest(bounds, rest) -> float:
    """The fewest values any x_i may take when sum(x) == rest and each x_i lies in its bounds."""
    fewest = INF
    for i, (lo, hi) in enumerate(bounds):
        others_low = sum(b[0] for j, b in enumerate(bounds) if j != i)
        others_high = sum(b[1] for j, b in enumerate(bounds) if j != i)
        a, b = max(lo, rest - others_high), min(hi, rest - others_low)
        fewest = min(fewest, b - a + 1)
    return fewest


def _cell(v: int, reason: str) -> Cell:
    return Cell(v, {"small": SMALL, "complementary": HIDDEN}.get(reason, str(v)), reason)
