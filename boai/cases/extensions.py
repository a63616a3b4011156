"""Plug-in points of the cases, for the apps above ``cases`` (which never imports them): an app
registers, from its own ``apps.py``, a function that adds names to the case page's template context
(``case_page``), one that adds a panel to the case page (``case_panel``), one that tightens who may
witness a donation (``witness_check``), or one that supplies the demo cases' consent form numbers
(``demo_consent_forms``)."""

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


_PANELS: list[Callable] = []


def case_panel(fn: Callable) -> Callable:
    """Register ``fn(*, case, user) -> (template name, context) | None``: a panel the case page shows
    in its slot for the apps above ``cases`` (the template sees the context as ``panel``)."""
    if fn not in _PANELS:
        _PANELS.append(fn)
    return fn


def case_panels(*, case, user) -> list[tuple[str, dict]]:
    return [panel for fn in _PANELS if (panel := fn(case=case, user=user))]


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


_DEMO_CONSENT_FORMS: list[Callable] = []


def demo_consent_forms(fn: Callable) -> Callable:
    """Register ``fn(*, unit, count, now) -> list[str]``: the numbers of ``count`` blank consent forms
    ``unit`` holds, for the demo cases' consents (the app that keeps the numbered stock supplies them)."""
    if fn not in _DEMO_CONSENT_FORMS:
        _DEMO_CONSENT_FORMS.append(fn)
    return fn


def demo_consent_form_numbers(*, unit, count: int, now) -> list[str]:
    """Consent form numbers for the demo data; without a stock-keeping app, numbers nobody checks."""
    for fn in _DEMO_CONSENT_FORMS:
        return fn(unit=unit, count=count, now=now)
    return [f"DEMO{n:04d}" for n in range(1, count + 1)]
