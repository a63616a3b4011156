"""The interface kit every app's pages use: one permission check, one way to put a refusal on a
form, one reading of the ``version`` a page or an API client sends back, and the one way a list
remembers its search term."""

from django.core.exceptions import PermissionDenied

from boai.lib import crypto

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


def _search_context(request, key: str) -> str:
    # bound to the list and the user: a value copied into another session or list does not decrypt
    return f"session.search.{key}.{getattr(request.user, 'pk', '')}"


def search_recall(request, key: str) -> str:
    """The search term a list remembers for this user, or "". The session holds it encrypted with the
    field key (SM4-GCM), never in clear: sessions are only signed, and a dump of ``django_session``
    or a backup would otherwise show every name, ID number and phone staff searched for."""
    token = request.session.get(key)
    if not token or not isinstance(token, str):
        return ""
    try:
        return crypto.decrypt(token, context=_search_context(request, key))
    except crypto.DecryptionError:  # a term kept in clear before, or under a retired key: forget it
        request.session.pop(key, None)
        return ""


def remembered_search(request, key: str, *, max_length: int) -> str:
    """The search term of a list whose term travels in a POST body (never in the URL): a POST sets it
    (its ``q``), ``?clear=1`` forgets it, otherwise the remembered one. Returns the term in force."""
    if request.GET.get("clear"):
        request.session.pop(key, None)
    if request.method == "POST":
        term = request.POST.get("q", "").strip()[:max_length]
        if term:
            request.session[key] = crypto.encrypt(term, context=_search_context(request, key))
        else:
            request.session.pop(key, None)
        return term
    return search_recall(request, key)
