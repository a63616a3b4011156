import ipaddress
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django_prometheus.exports import ExportToDjangoView

from boai.accounts.scoping import user_region_prefix
from boai.audit.services import Actor, audit_log_now
from boai.lib.pagination import paginate

from . import health, selectors
from .middleware import client_ip
from .models import Organisation, ReferenceDataset
from .responses import error_response


def home(request):
    """The public portal's front page."""
    return render(request, "core/home.html")


@never_cache
def healthz(request):
    """The process is up and answers: for a load balancer's liveness probe. It touches neither the
    database, Redis nor storage (that is /readyz), so a database outage does not get live processes
    restarted."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Whether this process can serve: the database, Redis and storage, each named with its state.
    503 when one of them fails (Redis not configured is no failure)."""
    ready, states = health.readiness()
    return JsonResponse({"status": "ok" if ready else "unavailable", **states}, status=200 if ready else 503)


def _metrics_allowed(request) -> bool:
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    allowed = (ipaddress.ip_network(entry, strict=False) for entry in settings.BOAI_METRICS_ALLOWED_IPS)
    return any(ip in network for network in allowed)


@never_cache
def metrics(request):
    """Prometheus metrics, for the addresses in BOAI_METRICS_ALLOWED_IPS only; anyone else gets the
    ordinary 404 page, as if there were nothing here."""
    if not _metrics_allowed(request):
        raise Http404
    return ExportToDjangoView(request)


@login_required
def organisation_list(request):
    if not request.user.has_perm("orgs.view"):
        raise PermissionDenied
    org_type = request.GET.get("type", "")
    search = request.GET.get("q", "").strip()
    mine_only = request.GET.get("scope", "mine") == "mine"
    prefix = user_region_prefix(request.user) if mine_only else ""
    qs = selectors.organisation_list(
        search=search, type=org_type if org_type in Organisation.Type.values else "", region_prefix=prefix or ""
    )
    # where the region list came from (a package and its version): for the system administrators only
    dataset = ReferenceDataset.objects.filter(name="regions").first() if request.user.has_perm("orgs.manage") else None
    return render(
        request,
        "core/organisation_list.html",
        {
            "page": paginate(request, qs),
            "q": search,
            "type": org_type,
            "types": Organisation.Type.choices,
            "mine_only": mine_only,
            "dataset": dataset,
            "breadcrumbs": [(_("Organisations"), None)],
        },
    )


def bad_request(request, exception=None):
    return error_response(request, 400, _("Bad request"), _("The request could not be understood. Please try again."))


def permission_denied(request, exception=None):
    user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    audit_log_now(
        action="security.permission.denied",
        actor=user or Actor(username="anonymous"),
        success=False,
        object_type="page",
        object_repr=request.path[:200],
        changes={"method": request.method},
    )
    return error_response(request, 403, _("Not allowed"), _("Your account does not have permission to open this page."))


def page_not_found(request, exception=None):
    return error_response(request, 404, _("Page not found"), _("This page does not exist, or you cannot see it."))


# What a lost database connection raises (PostgreSQL down or restarting, the network to it cut).
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def service_unavailable(request):
    """503 while the database cannot be reached: a page (or JSON under /api/) that needs neither the
    database nor the session (the plain layout, no menu, no messages), with Retry-After."""
    title = _("Service temporarily unavailable")
    message = _("The system cannot reach its database at the moment. Please try again in a minute.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "service_unavailable"}, status=503)
    else:
        # rendered without the request: its context processors would read the user, from the session, from
        # the database
        context = {"title": title, "message": message, "request_id": getattr(request, "request_id", "")}
        response = HttpResponse(render_to_string("core/unavailable.html", context), status=503)
    response["Retry-After"] = "30"
    return response


@requires_csrf_token
def server_error(request):
    # Django calls this inside its ``except`` block: the exception at hand tells an outage from a bug
    if isinstance(sys.exc_info()[1], UNAVAILABLE_ERRORS):
        return service_unavailable(request)
    return error_response(
        request,
        500,
        _("Something went wrong"),
        _("An error occurred on our side. It has been logged; please try again later."),
    )


def csrf_failure(request, reason=""):
    return error_response(
        request,
        403,
        _("Form expired"),
        _("This form has expired or was sent from elsewhere. Go back, reload the page and try again."),
    )
