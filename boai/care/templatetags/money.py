"""``{{ fen|yuan }}`` → "¥1,000.50"; ``{{ fen|fen_plain }}`` → "1,000.50" (``boai.lib.money``)."""

from django import template

from boai.lib.money import format_fen, yuan_text

register = template.Library()


@register.filter
def yuan(fen):
    return "" if fen in (None, "") else yuan_text(int(fen))


@register.filter
def fen_plain(fen):
    return "" if fen in (None, "") else format_fen(int(fen))
