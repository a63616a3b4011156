"""The interface kit every app's pages use: one permission check, one way to put a refusal on a
form, one reading of the ``version`` a page or an API client sends back."""

from django.core.exceptions import PermissionDenied

from .errors import DomainError, InvalidFields

MAX_VERSION = 2**31 - 1


def require_perm(request, perm: str) -> None:
    """403 unless the signed-in user holds ``perm`` (a role permission: ``accounts.roles``)."""
    if not request.user.has_perm(perm):
        raise PermissionDenied(perm)  # the permission named in the log line (``core.logfilters``)


def form_error(form, exc: DomainError, *, fields: dict | None = None) -> None:
    """Show a service's refusal on the form: each message under the field it names (every one of
    an ``InvalidFields``), or at the top when the form has no such field. ``fields`` maps the
    service's field names to the form's where they differ (``{"region_code": "region"}``)."""
    errors = exc.errors if isinstance(exc, InvalidFields) else {exc.field: [str(exc.message)]}
    for name, messages in errors.items():
        name = (fields or {}).get(name, name)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def parse_version(value) -> int | None:
    """The record version a client read, from a form field or JSON: a whole number up to 2³¹−1,
    else ``None`` (the caller says what is missing)."""
    if isinstance(value, str) and value.isascii() and value.isdecimal() and len(value) < 11:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VERSION:
        return None
    return value
