"""A campaign's or an event's QR code and posters: the QR as a PNG (segno), the poster as a PDF
(WeasyPrint, ``lib.pdf``) and as a PNG (Pillow, 150 dpi), in A4 and A3, with the vendored Noto Sans SC
font (no CJK font package is needed on the server)."""

import io
from functools import lru_cache
from itertools import combinations

import segno
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from boai.lib.pdf import FONTS, qr_svg_data_uri, render_pdf

DPI = 150
SIZES_MM = {"a4": (210, 297), "a3": (297, 420)}
RED = (179, 18, 31)
INK = (29, 29, 31)
GREY = (85, 90, 96)
CALL = "扫码登记 器官/遗体捐献志愿"
SOCIETY = "云南省红十字会"


def size_px(size: str) -> tuple[int, int]:
    """A sheet's size in pixels at 150 dpi (A4: 1240 × 1754)."""
    w, h = SIZES_MM[size]
    return round(w / 25.4 * DPI), round(h / 25.4 * DPI)


def qr_png(url: str, *, scale: int = 20) -> bytes:
    """The link's QR code as a large PNG (error correction Q: still reads when a corner is soiled)."""
    out = io.BytesIO()
    segno.make(url, error="q", boost_error=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def _font(px: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    weight = 700 if bold else 400
    return ImageFont.truetype(str(FONTS / f"noto-sans-sc-chinese-simplified-{weight}-normal.ttf"), px)


def _lines(draw, text: str, font, max_width: int) -> list[str]:
    """``text`` wrapped to ``max_width`` pixels (Chinese wraps between any two characters)."""
    lines, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=font) > max_width and line:
            lines.append(line)
            line = ch
        else:
            line += ch
    return [*lines, line] if line else lines


# --- the title: broken at its separators when possible, balanced, shrunk to fit at most 3 lines -------

BREAK_AFTER = "·•，,、：: "  # a title may break after these
DROPPED_AT_BREAK = "·• "  # …and these are not drawn at the end of a line
MAX_TITLE_LINES = 3


@lru_cache(maxsize=4096)
def _char_width(ch: str) -> float:
    """A character's advance at 100 px in the bold poster font (the PDF uses the same font)."""
    return _font(100).getlength(ch)


def _width(text: str, size: float) -> float:
    return sum(_char_width(ch) for ch in text) * size / 100


def _tokens(text: str, *, by_char: bool) -> list[str]:
    if by_char:
        return list(text)
    tokens, token = [], ""
    for ch in text:
        token += ch
        if ch in BREAK_AFTER:
            tokens.append(token)
            token = ""
    return [*tokens, token] if token else tokens


def _clean(line: str) -> str:
    return line.strip().rstrip(DROPPED_AT_BREAK).strip()


def _best_split(tokens: list[str], n: int, size: float, max_width: float) -> list[str] | None:
    """The split of ``tokens`` into ``n`` lines whose widest line is narrowest (balanced), every line
    fitting ``max_width`` and none left with a single character; None when there is none."""
    if n > len(tokens):
        return None
    best, best_key = None, None
    for cuts in combinations(range(1, len(tokens)), n - 1):
        bounds = (0, *cuts, len(tokens))
        lines = [_clean("".join(tokens[a:b])) for a, b in zip(bounds, bounds[1:], strict=False)]
        if any(len(line) < 2 for line in lines) and n > 1:
            continue
        widths = [_width(line, size) for line in lines]
        if max(widths) > max_width:
            continue
        key = (max(widths), max(widths) - min(widths))
        if best_key is None or key < best_key:
            best, best_key = lines, key
    return best


def fit_title(text: str, *, max_width: float, size: float, min_size: float) -> tuple[float, list[str]]:
    """The font size and lines of a poster title: at the largest size from ``size`` down to
    ``min_size``, the fewest lines (at most 3) broken after "·", "•", "，" or a space, else between
    characters; lines balanced, never a single character alone on a line."""
    text = " ".join((text or "").split())
    if not text:
        return size, []
    step = max((size - min_size) / 12, 0.5)
    current = size
    while True:
        for by_char in (False, True):
            tokens = _tokens(text, by_char=by_char)
            for n in range(1, MAX_TITLE_LINES + 1):
                lines = _best_split(tokens, n, current, max_width)
                if lines:
                    return current, lines
        if current <= min_size:
            break
        current = max(current - step, min_size)
    # longer than 3 lines at the smallest size: wrap it at that size (still no single character)
    lines, line = [], ""
    for ch in text:
        if _width(line + ch, min_size) > max_width and line:
            lines.append(line)
            line = ch
        else:
            line += ch
    if len(line) == 1 and lines:
        line = lines[-1][-1] + line
        lines[-1] = lines[-1][:-1]
    return min_size, [*lines, line]


def scan_hint() -> str:
    """The plain line under the QR code (posters are for Yunnan's citizens: in Chinese)."""
    with translation.override("zh-hans"):
        return _("Scan the QR code with your phone: registering takes about 5 minutes.")


def _centred(draw, y: int, text: str, font, width: int, fill, max_width: int) -> int:
    for line in _lines(draw, text, font, max_width):
        w = draw.textlength(line, font=font)
        draw.text(((width - w) / 2, y), line, font=font, fill=fill)
        y += round(font.size * 1.35)
    return y


def poster_png(*, title: str, url: str, size: str = "a4") -> bytes:
    """The poster as a PNG: the title, the call to register, the QR code big, the link, the society."""
    width, height = size_px(size)
    unit = width / 1240  # sizes below are for A4 and scale up for A3
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    margin = round(70 * unit)
    frame = [margin // 2, margin // 2, width - margin // 2, height - margin // 2]
    draw.rectangle(frame, outline=RED, width=round(8 * unit))
    inner = width - 2 * margin
    y = _centred(draw, round(140 * unit), SOCIETY, _font(round(44 * unit)), width, RED, inner)
    px, lines = fit_title(title, max_width=inner, size=round(80 * unit), min_size=round(52 * unit))
    y += round(50 * unit)
    for line in lines:
        y = _centred(draw, y, line, _font(round(px)), width, INK, width)  # already fitted: no wrapping
    y = _centred(draw, y + round(40 * unit), CALL, _font(round(56 * unit)), width, RED, inner)
    qr = Image.open(io.BytesIO(qr_png(url, scale=10))).convert("RGB")
    side = round(700 * unit)
    qr = qr.resize((side, side), Image.NEAREST)
    img.paste(qr, ((width - side) // 2, y + round(50 * unit)))
    y += round(50 * unit) + side + round(30 * unit)
    hint_px, hint_lines = fit_title(scan_hint(), max_width=inner, size=round(40 * unit), min_size=round(30 * unit))
    for line in hint_lines:
        y = _centred(draw, y, line, _font(round(hint_px)), width, INK, width)
    _centred(draw, y + round(10 * unit), url, _font(round(36 * unit), bold=False), width, GREY, inner)
    out = io.BytesIO()
    img.save(out, format="PNG", dpi=(DPI, DPI), optimize=True)
    return out.getvalue()


def poster_pdf(*, title: str, url: str, size: str = "a4") -> bytes:
    """The poster as a PDF (WeasyPrint), vector QR code; the title's lines and size fitted as the PNG's."""
    large = size == "a3"
    # the frame's inner width in points (sheet less 12 mm padding and 14 mm inner padding each side)
    inner_pt = ((297 if large else 210) - 2 * 12 - 2 * 14 - 2) / 25.4 * 72
    title_pt, title_lines = fit_title(title, max_width=inner_pt, size=52 if large else 37, min_size=34 if large else 24)
    return render_pdf(
        "outreach/campaigns_poster_pdf.html",
        {
            "title": title,
            "title_lines": title_lines,
            "title_pt": round(title_pt, 1),
            "hint": scan_hint(),
            "url": url,
            "qr": qr_svg_data_uri(url, scale=10),
            "size": size.upper(),
            "call": CALL,
            "society": SOCIETY,
            "large": large,
        },
    )
