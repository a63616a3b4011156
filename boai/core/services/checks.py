"""Field checks shared by the services of the apps: each appends ``(field, message)`` to ``errors`` and
returns the cleaned value, so that a service reports every problem of a form at once. The variations
between apps (earliest date, how far ahead, the largest number, the messages) are parameters; a caller
passes its own messages so that each page keeps its wording.

Core may not import accounts: the region check takes the actor's region prefix
(``boai.accounts.scoping.user_region_prefix(actor)``) from the caller."""

from datetime import date, timedelta

from django.utils.translation import gettext as _

from boai.core.errors import InvalidInput
from boai.core.models import Region
from boai.lib.text import free_text_problem

PROVINCE_PREFIX = "53"  # Yunnan: every area of a record lies in the province


def text(errors, name: str, value, *, max_length: int, required: bool = False, missing=None) -> str:
    """Free text, stripped (anything but a string counts as empty); ``missing``: the message when it
    is required and empty."""
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        errors.append((name, missing or _("This field is required.")))
    elif len(value) > max_length:
        errors.append((name, _("At most %(n)s characters.") % {"n": max_length}))
    elif problem := free_text_problem(value):
        errors.append((name, problem))
    return value


def day(
    errors,
    name: str,
    value,
    *,
    today: date,
    earliest: date,
    ahead: timedelta,
    missing,
    too_early,
    too_late,
    keep_refused: bool = True,
) -> date | None:
    """A date between ``earliest`` and ``today + ahead``. ``keep_refused``: return a refused date
    anyway (so that later checks, e.g. "ends before it starts", still speak), or None."""
    if not isinstance(value, date):
        errors.append((name, missing))
        return None
    if value < earliest:
        errors.append((name, too_early))
        return value if keep_refused else None
    if value > today + ahead:
        errors.append((name, too_late))
        return value if keep_refused else None
    return value


def count(
    errors, name: str, value, *, most: int, too_many, required: bool = False, missing=None, invalid=None
) -> int | None:
    """A whole number from 0 to ``most``; empty is None (refused with ``missing`` when ``required``)."""
    if value is None or value == "":
        if required:
            errors.append((name, missing or _("Give a number (0 or more).")))
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors.append((name, invalid or _("Give a whole number, 0 or more.")))
        return None
    if value > most:
        errors.append((name, too_many))
        return None
    return value


def region(errors, code, prefix: str | None, *, levels, wrong_level, name: str = "region") -> Region | None:
    """An area of the province at one of ``levels`` inside the actor's own area (``prefix``: the
    actor's region prefix; empty or None sees no area)."""
    code = code.strip() if isinstance(code, str) else ""
    found = Region.objects.filter(code=code).first()
    if found is None or not found.code.startswith(PROVINCE_PREFIX) or found.level not in levels:
        errors.append((name, wrong_level))
        return None
    if not (prefix and found.code.startswith(prefix)):
        errors.append((name, _("Refused by rule area in scope: this area is outside your own.")))
        return None
    return found


def reason(value, missing=None) -> str:
    """Why someone opens personal data or exports a list: at least 4 characters of plain text, kept to
    200; refused at once (``missing``: the message when too short)."""
    value = value.strip() if isinstance(value, str) else ""
    if len(value) < 4:
        raise InvalidInput(missing or _("State why you need this list (at least 4 characters)."), field="reason")
    if problem := free_text_problem(value):
        raise InvalidInput(problem, field="reason")
    return value[:200]


def plain(value):
    """A value as the audit log stores it (dates as ISO text)."""
    return value.isoformat() if isinstance(value, date) else value


def values_set(obj, values: dict, *, rename: dict | None = None) -> dict:
    """Set ``values`` on ``obj`` (a model instance); return the audit's changes ``{name: [before,
    after]}``, foreign keys by their key. ``rename``: audit names for some fields (e.g. ``code``, which
    the audit log masks)."""
    rename = rename or {}
    changes = {}
    for name, after in values.items():
        before = getattr(obj, obj._meta.get_field(name).attname)
        after_key = after.pk if hasattr(after, "pk") else after
        if before != after_key:
            setattr(obj, name, after)
            changes[rename.get(name, name)] = [plain(before), plain(after_key)]
    return changes
