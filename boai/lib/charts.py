"""Bar charts as SVG geometry, drawn by a template (no script: the pages' CSP allows none)."""

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
