"""Numbers as the statistics pages write them, the same in every language: thousands grouped by a comma
and a true minus sign (5,840; −3,070; +12.5%). Django's ``intcomma`` follows the locale, which groups
nothing in Chinese."""

from django import template

register = template.Library()

MINUS = "\u2212"


def _number(value, places: int | None = None) -> str:
    text = f"{abs(value):,.{places}f}" if places is not None else f"{abs(value):,}"
    return (MINUS + text) if value < 0 else text


@register.filter
def thousands(value) -> str:
    """5840 -> "5,840"; -3070 -> "−3,070"; anything not a number as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return _number(value)


@register.filter
def signed(value) -> str:
    """A difference: "+1,234", "−3,070", "0"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return ("+" if value > 0 else "") + _number(value)


@register.filter
def signed_percent(value) -> str:
    """A change in per cent, one decimal: "+12.5%", "−100.0%"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return ("+" if value > 0 else "") + _number(value, 1) + "%"
