"""Plug-in points of the cases, for the apps above ``cases`` (which never imports them): an app
registers, from its own ``apps.py``, a function that adds names to the case page's template context
(``case_page``), or one that tightens who may witness a donation (``witness_check``)."""

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


_WITNESS: list[Callable] = []


def witness_check(fn: Callable) -> Callable:
    """Register ``fn(*, coordinator, case, when) -> str | None``: why ``coordinator`` may not witness
    ``case`` at ``when`` (None: no objection). The rule ``witness.qualified_coordinator`` asks every
    registered check, after its own (an active coordinator whose area includes the case)."""
    if fn not in _WITNESS:
        _WITNESS.append(fn)
    return fn


def witness_refusals(*, coordinators, case, when) -> list[str]:
    return [
        refusal
        for coordinator in coordinators
        for fn in _WITNESS
        if (refusal := fn(coordinator=coordinator, case=case, when=when))
    ]
