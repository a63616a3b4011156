"""The sections of a family's page, one per area of family care (members and wishes, follow-ups and
visits, outcome letters, payments): each area's ``views`` module registers a function that returns
its panel, so the family page never needs to know the areas."""

from collections.abc import Callable

_PANELS: list[tuple[int, Callable]] = []


def family_panel(order: int) -> Callable:
    """Register ``fn(*, family, user, request) -> (template name, context) | None`` as the family page's
    panel at ``order`` (the template sees the context as ``panel``)."""

    def register(fn: Callable) -> Callable:
        if all(fn is not registered for _order, registered in _PANELS):
            _PANELS.append((order, fn))
            _PANELS.sort(key=lambda item: item[0])
        return fn

    return register


def family_panels(*, family, user, request=None) -> list[tuple[str, dict]]:
    return [panel for _order, fn in _PANELS if (panel := fn(family=family, user=user, request=request))]
