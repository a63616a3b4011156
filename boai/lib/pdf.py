"""PDFs from Django templates with WeasyPrint, with Chinese glyphs from the vendored Noto Sans SC
fonts (so no CJK font package is needed on the server). TTF, not WOFF2: see scripts/woff2_to_ttf.py."""

from pathlib import Path

import segno
from django.template.loader import render_to_string

FONTS = Path(__file__).resolve().parent.parent / "core" / "static" / "vendor" / "fonts"


def font_css() -> str:
    faces = []
    for weight in (400, 700):
        for subset in ("latin", "chinese-simplified"):
            path = FONTS / f"noto-sans-sc-{subset}-{weight}-normal.ttf"
            faces.append(
                f"@font-face {{ font-family: 'Boai Sans'; font-weight: {weight}; "
                f"src: url('{path.as_uri()}') format('truetype'); }}"
            )
    return "\n".join(faces)


def render_pdf(template: str, context: dict) -> bytes:
    # Imported on first use, not with the module: WeasyPrint loads Pango and takes about a second,
    # which every page, command and test would otherwise pay.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template, context)
    fonts = FontConfiguration()
    return HTML(string=html, base_url=str(FONTS)).write_pdf(
        stylesheets=[CSS(string=font_css(), font_config=fonts)], font_config=fonts
    )


def qr_svg_data_uri(url: str, scale: int = 4) -> str:
    return segno.make(url, error="m", boost_error=False).svg_data_uri(scale=scale)
