"""The interface kit every app's pages use: one permission check, one way to put a refusal on a
form, one reading of the ``version`` a page or an API client sends back, the one way a list
remembers its search term, and the pages every programme repeats: the searchable list, the export
with a stated reason, and the contacts revealed with a stated reason."""

import hashlib
from collections.abc import Callable

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import get_language

from boai.lib import changes, crypto
from boai.lib.pagination import paginate

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


def form_saved(request, form, save: Callable, *, success=None) -> tuple[bool, object]:
    """A posted form through its service: ``(True, save())`` once the form is valid and the service
    accepted it (then ``success`` is shown: a text, or a function of what ``save`` returned), else
    ``(False, None)`` with the service's refusal on the form (``form_error``) and nothing written."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        result = save()
    except DomainError as exc:
        form_error(form, exc)
        return False, None
    if success is not None:
        flash.success(request, success(result) if callable(success) else success)
    return True, result


def searchable_list(
    request,
    *,
    key: str,
    max_length: int,
    filter_form,
    url: str,
    rows: Callable,
    template: str,
    table_template: str,
    context: dict,
    count: Callable | None = None,
):
    """A scoped list whose search term travels in a POST body and is kept in the session (encrypted,
    ``remembered_search`` under ``key``), never in the URL; the filters (``filter_form``, bound to the
    POST or the GET, given the user) stay in the URL. A plain POST redirects to the list's ``url`` with the filters;
    htmx gets the table alone (``table_template``) and the URL to show. ``rows(search, query)`` is the
    scoped queryset; ``count(search, query)``, if given, its exact number of rows or None (then the queryset
    counts them); ``context`` is added to the page's (``page``, ``q``, ``filters``, ``filters_html``,
    ``export_query``)."""
    search = remembered_search(request, key, max_length=max_length)
    filters = filter_form(request.POST if request.method == "POST" else request.GET, user=request.user)
    query = filters.query()
    if query:
        url = f"{url}?{urlencode(query)}"
    if request.method == "POST" and not request.htmx:
        return redirect(url)
    context = {
        "page": paginate(request, rows(search, query), count=count(search, query) if count else None),
        "q": search,
        "filters": filters,
        "filters_html": lambda: filter_fields_html(request, filters),
        "export_query": urlencode(query),
        **context,
    }
    if request.htmx:
        response = render(request, table_template, context)
        response["HX-Push-Url"] = url
        return response
    return render(request, template, context)


def filter_fields_html(request, filters) -> str:
    """A list's filter fields as ``includes/filter_fields.html`` draws them: eight fields and their
    options cost a few milliseconds of template rendering on every page, so the HTML is kept in the
    shared cache like the staff menu (``lib.changes.kept_html``, ``BOAI_MENU_BADGE_SECONDS``), per user
    (the choices follow the user's area), language, form and the values it was given."""
    form = f"{type(filters).__module__}.{type(filters).__qualname__}"
    data = filters.data
    values = data.getlist if hasattr(data, "getlist") else lambda name: [data.get(name, "")]
    given = urlencode(sorted((name, value) for name in filters.fields for value in values(name)))
    digest = hashlib.sha256(f"{form}?{given}".encode()).hexdigest()[:32]
    key = f"filters:{request.user.pk}:{get_language()}:{digest}"
    return changes.kept_html(key, "includes/filter_fields.html", lambda: {"filters": filters})


def export_page(request, *, form, export: Callable, title, intro, breadcrumbs):
    """The page that asks why a list is exported (``core.forms.ExportForm``), then the download:
    ``export(reason, fmt)`` writes the audit entry through its service and returns the download; a
    refusal (a ``DomainError``) is shown on the form and nothing is downloaded."""
    if request.method == "POST" and form.is_valid():
        try:
            return export(form.cleaned_data["reason"], form.cleaned_data["format"])
        except DomainError as exc:
            form_error(form, exc)
    return render(
        request,
        "core/export_form.html",
        {
            "form": form,
            "query": request.GET.urlencode(),
            "title": title,
            "intro": intro,
            "breadcrumbs": breadcrumbs,
        },
    )


def reveal_page(
    request, *, reveal: Callable, name: str, obj, form_template: str, template: str, back: str, context=None
):
    """Contacts shown in full once the user has stated why: ``reveal(reason)`` checks the reason, writes
    the audit entry and returns the values. A refusal shows the reason form again with its message
    (htmx) or goes ``back`` with it; the record is ``name`` in the templates' context."""
    try:
        values = reveal(request.POST.get("reason", ""))
    except DomainError as exc:
        if request.htmx:
            return render(request, form_template, {name: obj, "error": exc.message})
        flash.error(request, exc.message)
        return redirect(back)
    return render(request, template, {name: obj, "values": values, **(context or {})})
