"""Money: integer fen in the database, yuan as people type and read it.

``parse_yuan("1,000.50")`` → 100050 fen; ``format_fen(100050)`` → "1,000.50". One parser and one
formatter for the whole system, so that every form, API and page agrees on what an amount means."""

import re
import unicodedata

from django.utils.translation import gettext as _

MAX_FEN = 10**12  # ten billion yuan: anything above is a typing mistake, never a payment


class AmountError(ValueError):
    """An amount that cannot be read: ``message`` says why in the user's language, ``field`` where.
    (``lib`` sits below ``core``: callers turn it into their own refusal, ``core.errors.InvalidInput``.)"""

    def __init__(self, message, field: str = "amount"):
        super().__init__(str(message))
        self.message = message
        self.field = field


_SHAPE = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.(\d*))?$")


def parse_yuan(value, *, field: str = "amount", allow_zero: bool = False, max_fen: int = MAX_FEN) -> int:
    """``value`` (yuan, as typed: "1000", "1,000.5", "１０００元", "¥1000.50") as integer fen.
    Refused with a message (``AmountError`` on ``field``): empty, garbage, negative, zero (unless
    ``allow_zero``), more than two decimals, or more than ``max_fen``."""
    if isinstance(value, bool) or value is None:
        raise AmountError(_("Give an amount in yuan, for example 1000 or 1,000.50."), field=field)
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise AmountError(_("Give an amount in yuan, for example 1000 or 1,000.50."), field=field)
    text = unicodedata.normalize("NFKC", value).strip()  # full-width digits, ，and ．become ASCII
    text = text.replace(" ", "").replace("\u00a0", "")
    if text.startswith(("¥", "￥")):
        text = text[1:]
    for suffix in ("人民币", "元", "RMB", "CNY"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    if text.startswith("-") or text.startswith("−"):
        raise AmountError(_("The amount cannot be negative."), field=field)
    if text.startswith("+"):
        text = text[1:]
    if len(text) > 30 or not text.isascii():
        raise AmountError(_("Give an amount in yuan, for example 1000 or 1,000.50."), field=field)
    match = _SHAPE.match(text)
    if not match:
        raise AmountError(_("Give an amount in yuan, for example 1000 or 1,000.50."), field=field)
    decimals = match.group(4) or ""
    if len(decimals) > 2:
        raise AmountError(_("Give the amount with at most two decimals (fen)."), field=field)
    fen = int(match.group(1).replace(",", "")) * 100 + int((decimals + "00")[:2])
    if fen == 0 and not allow_zero:
        raise AmountError(_("The amount must be more than zero."), field=field)
    if fen > max_fen:
        raise AmountError(
            _("The amount is too large (at most %(max)s yuan).") % {"max": format_fen(max_fen)}, field=field
        )
    return fen


def format_fen(fen: int) -> str:
    """``100050`` → "1,000.50"; negative amounts keep their sign ("-1,000.50")."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def yuan_text(fen: int) -> str:
    """ "¥1,000.50" (a page's display)."""
    text = format_fen(fen)
    return f"-¥{text[1:]}" if text.startswith("-") else f"¥{text}"
