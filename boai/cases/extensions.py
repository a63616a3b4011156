"""Plug-in points of the case pages, for the apps above ``cases`` (which never imports them): an app
registers a function from its own ``apps.py`` that adds names to the case page's template context."""

from collections.abc import Callable

_PAGE: list[Callable] = []


def case_page(fn: Callable) -> Callable:
    """Register ``fn(*, case, user) -> dict``: names the case page's template may use."""
    if fn not in _PAGE:
        _PAGE.append(fn)
    return fn


def case_page_context(*, case, user) -> dict:
    context: dict = {"can_issue": False}
    for fn in _PAGE:
        context.update(fn(case=case, user=user))
    return context
