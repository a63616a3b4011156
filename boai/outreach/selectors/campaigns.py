"""Reads of the campaigns area."""


def attribution_sources(*, user) -> list[tuple[str, str]]:
    """The campaigns and events ``user`` may attribute a paper form or an import to (the registry's
    ``extensions.attribution_sources``)."""
    return []


def attribution_title(code: str) -> str | None:
    """The public title of a campaign's or an event's code (``extensions.attribution_title``)."""
    return None
