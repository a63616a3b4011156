"""Small-number suppression for published tables (generic: one column of counts and its total).

A count from 1 to 4 is hidden and shown as "<5" (0 stays 0): with so few people, a reader who knows
someone in the area could recognise them. Hiding it is not enough when the total is shown: with one
hidden cell, the total minus the shown cells gives it back; with two small hidden cells whose sum is 2
both are 1. So more cells are hidden (complementary suppression, shown as "*"): the next-smallest
non-zero one, and so on, until no hidden cell can be worked out from the column's total and what the
reader knows of each hidden cell ("<5": 1 to 4; "*": 5 or more, since every 1 to 4 is "<5").

The total may exceed the sum of the cells (records of the province itself, in no prefecture); the check
assumes the worst, that a reader knows that difference. When no row holds anything, a small total
stands hidden alone: there is no other count to hide beside it."""

from collections.abc import Sequence
from dataclasses import dataclass

SMALL = "<5"
HIDDEN = "*"
LOW, HIGH = 1, 4  # the small counts
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


def _bounds(v: int, reason: str) -> tuple[float, float]:
    """What a reader knows of a cell: its value when shown, 1..4 for "<5", 5.. for "*"."""
    if reason == "small":
        return LOW, HIGH
    if reason == "complementary":
        return HIGH + 1, INF
    return v, v


def derivable(values: Sequence[int], total: int, reasons: Sequence[str], total_reason: str) -> bool:
    """Whether some hidden cell's value (the total's among them) follows from what is shown: the one
    equation ``sum(cells) + rest = total`` (``rest`` known) and each hidden cell's bounds."""
    # variables: the cells (coefficient +1) and the total (coefficient -1); sum(c*x) = -rest
    rest = total - sum(values)
    items = [(1, v, r) for v, r in zip(values, reasons, strict=True)] + [(-1, total, total_reason)]
    hidden = [i for i, (_c, _v, r) in enumerate(items) if r]
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    lows, highs = [], []
    for c, v, r in items:
        lo, hi = _bounds(v, r)
        lows.append(min(c * lo, c * hi))
        highs.append(max(c * lo, c * hi))
    for i in hidden:
        c, v, r = items[i]
        lo, hi = _bounds(v, r)
        # c*x_i = -rest - sum_{j != i} c_j x_j (summed afresh: inf - inf is not a number)
        others_low = sum(x for j, x in enumerate(lows) if j != i)
        others_high = sum(x for j, x in enumerate(highs) if j != i)
        a, b = -rest - others_high, -rest - others_low  # range of c*x_i
        if c < 0:
            a, b = -b, -a
        a, b = max(a, lo), min(b, hi)
        if a == b:
            return True
    return False


def suppress(values: Sequence[int], total: int) -> tuple[list[Cell], Cell]:
    """The cells of a column and of its total, as published. ``values`` are counts (≥ 0) whose sum is
    at most ``total``."""
    values = [int(v) for v in values]
    if any(v < 0 for v in values) or total < sum(values):
        raise ValueError("counts are not negative and the total is at least their sum")
    reasons = ["small" if _small(v) else "" for v in values]
    total_reason = "small" if _small(total) else ""
    while derivable(values, total, reasons, total_reason):
        # the next-smallest shown non-zero cell (ties: the first); the total only when no cell is left
        candidates = sorted((v, i) for i, v in enumerate(values) if not reasons[i] and v > 0)
        if candidates:
            reasons[candidates[0][1]] = "complementary"
        elif not total_reason and total > 0:
            total_reason = "complementary"
        else:  # nothing left to hide: every non-zero count already is
            break
    return [_cell(v, r) for v, r in zip(values, reasons, strict=True)], _cell(total, total_reason)


def _cell(v: int, reason: str) -> Cell:
    return Cell(v, {"small": SMALL, "complementary": HIDDEN}.get(reason, str(v)), reason)
