"""Bar and column charts as SVG geometry, drawn by a template (no script: the pages' CSP allows none)."""

from datetime import timedelta

# The series' colours, drawn as SVG ``fill`` attributes (the pages' CSP allows no inline style).
PALETTE = ("#c8102e", "#1f5fa8", "#2e8b57", "#b36b00")


def bar_chart(rows, keys, *, width: int = 640, bar: int = 8, gap: int = 6, label_width: int = 120) -> dict:
    """A grouped horizontal bar chart: ``rows`` are ``(label, {key: value})``, a label being a text or
    anything with a ``name`` (a region); one bar per key in each group."""
    peak = max([values[k] for _label, values in rows for k in keys] + [1])
    scale = (width - label_width - 40) / peak
    groups = []
    y = 4
    for label, values in rows:
        bars = []
        for i, key in enumerate(keys):
            w = max(round(values[key] * scale, 1), 0.5)
            bars.append(
                {
                    "key": key,
                    "index": i,
                    "fill": PALETTE[i % len(PALETTE)],
                    "y": y + i * bar,
                    "w": w,
                    "value": values[key],
                    "tx": label_width + w + 4,
                }
            )
        name = getattr(label, "name", label)
        groups.append({"label": name, "y": y, "ty": y + len(keys) * bar / 2 + 4, "bars": bars})
        y += len(keys) * bar + gap
    return {"width": width, "height": y + 4, "x0": label_width, "groups": groups}


def column_chart(
    points,
    *,
    first=None,
    last=None,
    width: int = 400,
    height: int = 170,
    week_after: int = 120,
    describe=str,
    fill: str = PALETTE[0],
    left: int = 40,
) -> dict:
    """A compact column chart of a daily series: ``points`` are ``(date, value)``; one thin column per
    day from ``first`` to ``last`` (default: the first and last point; days without a point are 0),
    or per week (Monday to Sunday) when the span is longer than ``week_after`` days. An axis label
    every 7 days (every day for 10 days or fewer, every 4 weeks when weekly) and the month
    (``YYYY-MM``) under the first label of each month, when there is room. ``describe(value)`` is the
    text of a column's tooltip value. ``rows``: what the columns show, for the table beside the chart.
    The geometry fits ``width``; the template draws it (no script)."""
    values: dict = {}
    for day, value in points:
        values[day] = values.get(day, 0) + value
    if not values and (first is None or last is None):
        empty = {"columns": [], "ticks": [], "rows": [], "weekly": False, "empty": True}
        return {"width": width, "height": height, **empty}
    first = first or min(values)
    last = last or max(values)
    if last < first:
        first, last = last, first
    span = (last - first).days + 1
    weekly = span > week_after
    buckets = []  # (start day, end day, value)
    if weekly:
        start = first - timedelta(days=first.weekday())
        while start <= last:
            end = start + timedelta(days=6)
            total = sum(v for d, v in values.items() if start <= d <= end)
            buckets.append((start, end, total))
            start = end + timedelta(days=1)
    else:
        for i in range(span):
            d = first + timedelta(days=i)
            buckets.append((d, d, values.get(d, 0)))
    right, top, bottom = 10, 14, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([b[2] for b in buckets] + [1])
    slot = plot_w / len(buckets)
    bar = max(min(slot * 0.75, 24), 1)
    base = top + plot_h
    columns, ticks = [], []
    step = 4 if weekly else (1 if len(buckets) <= 10 else 7)  # a short series: every day labelled
    month_seen, month_x = None, -100.0
    for i, (start, end, value) in enumerate(buckets):
        h = round(value / peak * plot_h, 1) if value else 0
        x = round(left + i * slot + (slot - bar) / 2, 1)
        label = start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"
        columns.append(
            {
                "x": x,
                "y": round(base - max(h, 0.5), 1),
                "w": round(bar, 1),
                "h": max(h, 0.5),
                "value": value,
                "title": f"{label}: {describe(value)}",
            }
        )
        if i % step == 0:
            month, tx = start.strftime("%Y-%m"), round(x + bar / 2, 1)
            # the month under the first label of a month, unless the previous month's text is too close
            near_end = tx > width - right - 46  # the month's text ends at the label rather than overflowing
            show = month != month_seen and tx - month_x >= (100 if near_end else 52)
            ticks.append(
                {
                    "x": tx,
                    "label": start.strftime("%d"),
                    "month": month if show else "",
                    "anchor": "end" if near_end else "start",
                }
            )
            if show:
                month_seen, month_x = month, tx
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "base": base,
        "top": top,
        "tick_y": base + 16,
        "month_y": base + 34,
        "peak": describe(peak) if buckets else "",
        "peak_y": top + 4,
        "columns": columns,
        "ticks": ticks,
        "weekly": weekly,
        # the chart's own table: each day (or week) with a value, as (first day, last day, value)
        "rows": [(start, end, value) for start, end, value in buckets if value],
        "fill": fill,
        "empty": not values,
    }
