"""A campaign's or an event's QR code and posters: the QR as a PNG (segno), the poster as a PDF
(WeasyPrint, ``lib.pdf``) and as a PNG (Pillow, 150 dpi), in A4 and A3, with the vendored Noto Sans SC
font (no CJK font package is needed on the server)."""

import io

import segno
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
    y = _centred(draw, y + round(50 * unit), title, _font(round(80 * unit)), width, INK, inner)
    y = _centred(draw, y + round(40 * unit), CALL, _font(round(56 * unit)), width, RED, inner)
    qr = Image.open(io.BytesIO(qr_png(url, scale=10))).convert("RGB")
    side = round(700 * unit)
    qr = qr.resize((side, side), Image.NEAREST)
    img.paste(qr, ((width - side) // 2, y + round(50 * unit)))
    y += round(50 * unit) + side + round(40 * unit)
    _centred(draw, y, url, _font(round(40 * unit), bold=False), width, GREY, inner)
    out = io.BytesIO()
    img.save(out, format="PNG", dpi=(DPI, DPI), optimize=True)
    return out.getvalue()


def poster_pdf(*, title: str, url: str, size: str = "a4") -> bytes:
    """The poster as a PDF (WeasyPrint), vector QR code."""
    return render_pdf(
        "outreach/campaigns_poster_pdf.html",
        {
            "title": title,
            "url": url,
            "qr": qr_svg_data_uri(url, scale=10),
            "size": size.upper(),
            "call": CALL,
            "society": SOCIETY,
            "large": size == "a3",
        },
    )
