"""Bar and column charts as PNG images drawn on the server with Pillow, for documents (the annual
report's Word file and PDF) where the pages' SVG charts (``lib.charts``) cannot go. Generic: a title,
labels and values. Chinese from the vendored Noto Sans SC fonts, so no font package is needed; a
character the Chinese subset lacks (Latin letters) is drawn with the Latin subset."""

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from .charts import PALETTE
from .pdf import FONTS

INK = (29, 29, 31)
MUTED = (85, 90, 96)
GRID = (222, 224, 228)
SUBSETS = ("chinese-simplified", "latin")


@cache
def _cmap(subset: str) -> frozenset:
    from fontTools.ttLib import TTFont

    with TTFont(FONTS / f"noto-sans-sc-{subset}-400-normal.ttf", lazy=True) as font:
        return frozenset(font["cmap"].getBestCmap())


@cache
def _font(subset: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / f"noto-sans-sc-{subset}-400-normal.ttf"), size)


def _runs(text: str, size: int):
    """``text`` split into (piece, font) runs, each piece in the first subset that has its glyphs."""
    runs: list[tuple[str, ImageFont.FreeTypeFont]] = []
    for ch in text:
        subset = next((s for s in SUBSETS if ord(ch) in _cmap(s)), SUBSETS[0])
        font = _font(subset, size)
        if runs and runs[-1][1] is font:
            runs[-1] = (runs[-1][0] + ch, font)
        else:
            runs.append((ch, font))
    return runs


def text_width(text: str, size: int) -> float:
    return sum(font.getlength(piece) for piece, font in _runs(text, size))


def draw_text(draw: ImageDraw.ImageDraw, xy, text: str, *, size: int, fill=INK, anchor: str = "l") -> None:
    """``text`` with its left ("l"), centre ("m") or right ("r") end at ``xy``, vertically centred."""
    x, y = xy
    width = text_width(text, size)
    x -= {"l": 0, "m": width / 2, "r": width}[anchor]
    for piece, font in _runs(text, size):
        draw.text((x, y), piece, font=font, fill=fill, anchor="lm")
        x += font.getlength(piece)


def _fit(text: str, size: int, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _number(value) -> str:
    return f"{value:,}"


def bar_chart_png(title: str, labels, values, *, width: int = 1200, bar: int = 30, gap: int = 14) -> bytes:
    """Horizontal bars, one per label (a prefecture), each with its value at its end."""
    labels, values = [str(x) for x in labels], list(values)
    size = 22
    label_width = min(max([text_width(label, size) for label in labels] + [60]) + 24, width * 0.3)
    value_room = text_width(_number(max(values + [0])), size) + 24
    top, left = 76, label_width + 8
    height = top + len(labels) * (bar + gap) + 24
    image = Image.new("RGB", (width, max(height, top + 60)), "white")
    draw = ImageDraw.Draw(image)
    draw_text(draw, (24, 34), title, size=28)
    peak = max(values + [1])
    scale = (width - left - value_room - 16) / peak
    y = top
    for label, value in zip(labels, values, strict=True):
        mid = y + bar / 2
        draw_text(draw, (left - 12, mid), _fit(label, size, label_width - 20), size=size, anchor="r")
        w = max(value * scale, 1)
        draw.rectangle((left, y, left + w, y + bar), fill=PALETTE[0])
        draw_text(draw, (left + w + 8, mid), _number(value), size=size, fill=MUTED)
        y += bar + gap
    draw.line((left, top - 6, left, y - gap + 6), fill=MUTED, width=2)
    if not labels:
        draw_text(draw, (width / 2, top + 20), "—", size=size, fill=MUTED, anchor="m")
    return _png(image)


def column_chart_png(title: str, labels, values, *, width: int = 1200, height: int = 520) -> bytes:
    """Vertical columns, one per label (a month, a year), the value above each, the label under it."""
    labels, values = [str(x) for x in labels], list(values)
    size = 22
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw_text(draw, (24, 34), title, size=28)
    left, right, top, bottom = 40, width - 40, 100, height - 56
    draw.line((left, bottom, right, bottom), fill=MUTED, width=2)
    peak = max(values + [1])
    for fraction in (0.5, 1):
        gy = bottom - (bottom - top) * fraction
        draw.line((left, gy, right, gy), fill=GRID, width=1)
    slot = (right - left) / max(len(labels), 1)
    col = min(slot * 0.6, 90)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        cx = left + slot * i + slot / 2
        h = (bottom - top) * value / peak
        if value:
            draw.rectangle((cx - col / 2, bottom - h, cx + col / 2, bottom), fill=PALETTE[1])
        draw_text(draw, (cx, bottom - h - 18), _number(value), size=size - 2, fill=MUTED, anchor="m")
        draw_text(draw, (cx, bottom + 26), _fit(label, size, slot - 4), size=size, anchor="m")
    return _png(image)
