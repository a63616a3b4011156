from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from boai.lib.dates import BadDate, parse_day
from boai.lib.pagination import paginate

from . import selectors
from .models import AuditEntry


def _date(request, name, errors):
    try:
        return parse_day(request.GET.get(name))
    except BadDate as exc:
        errors[name] = exc.message
        return None


def entry_list(request):
    if not request.user.has_perm("audit.view"):
        raise PermissionDenied
    errors = {}
    filters = {
        "action": request.GET.get("action", "").strip(),
        "actor": request.GET.get("actor", "").strip(),
        "object_type": request.GET.get("object_type", "").strip(),
        "object_id": request.GET.get("object_id", "").strip(),
        "date_from": _date(request, "date_from", errors),
        "date_to": _date(request, "date_to", errors),
    }
    success = request.GET.get("success", "")
    qs = selectors.entry_list(**filters, success={"1": True, "0": False}.get(success))
    return render(
        request,
        "audit/entry_list.html",
        {
            "page": paginate(request, qs, per_page=50),
            "f": request.GET,
            "errors": errors,
            "breadcrumbs": [(_("Audit log"), None)],
        },
    )


def entry_detail(request, pk):
    if not request.user.has_perm("audit.view"):
        raise PermissionDenied
    entry = get_object_or_404(AuditEntry, pk=pk)
    return render(
        request,
        "audit/entry_detail.html",
        {
            "e": entry,
            "breadcrumbs": [(_("Audit log"), reverse("audit:list")), (f"#{entry.id}", None)],
        },
    )


def chain_status(request):
    if not request.user.has_perm("audit.view"):
        raise PermissionDenied
    return render(request, "audit/_chain_status.html", {"report": selectors.verify_chain()})
