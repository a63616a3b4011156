"""Plug-in points of the registry, for the apps above it (which it never imports).

Attribution: a registration's ``campaign`` column holds the code of the campaign or event it came
through (a link, a QR code, or the staff's choice for a paper form). An app that owns such codes
registers, from its own ``apps.py``:

- ``attribution_sources``: ``fn(*, user) -> list[(code, label)]``, the codes a staff member may
  choose when entering a paper form or importing a list (the field becomes a list to choose from);
- ``attribution_title``: ``fn(code) -> str | None``, the public title of a code (shown to a citizen
  who came through the link), or None when the code means nothing (it is then not kept);
- ``attribution_allowed``: ``fn(*, user, code) -> bool``, whether a staff member may attribute an
  entry to ``code`` (any campaign or event they see, however old: a paper form may come in late).
  The registry's services ask it for every entry by staff, whatever door it came in by."""

from collections.abc import Callable

_SOURCES: list[Callable] = []
_TITLES: list[Callable] = []
_ALLOWED: list[Callable] = []


def attribution_sources(fn: Callable) -> Callable:
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def attribution_title(fn: Callable) -> Callable:
    if fn not in _TITLES:
        _TITLES.append(fn)
    return fn


def attribution_allowed(fn: Callable) -> Callable:
    if fn not in _ALLOWED:
        _ALLOWED.append(fn)
    return fn


def allowed_for(user, code: str) -> bool:
    """Whether ``user`` may attribute an entry to ``code`` (always, when no app checks codes)."""
    code = (code or "").strip()
    return not code or not _ALLOWED or any(fn(user=user, code=code) for fn in _ALLOWED)


def sources_for(user) -> list[tuple[str, str]] | None:
    """The codes ``user`` may choose, or None when no app gives any (the field stays free text)."""
    if not _SOURCES:
        return None
    return [source for fn in _SOURCES for source in fn(user=user)]


def title_for(code: str) -> str | None:
    """What ``code`` names, for the public; None when nothing does."""
    code = (code or "").strip()
    if not code:
        return None
    for fn in _TITLES:
        if title := fn(code):
            return title
    return None
