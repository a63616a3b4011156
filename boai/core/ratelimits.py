"""Rate limits: every limit named once here, its rate a setting (``BOAI_RATE_LIMITS``, each one
overridable from the environment as ``BOAI_RATE_<NAME>``, e.g. ``BOAI_RATE_LOGIN=10/m``), counted by
django-ratelimit in the shared cache (Redis in production, so every app server counts together).

Public limits count per client address (``client_ip``, which knows the trusted proxies); staff limits
count per user, never per address (a branch office shares one NAT address), and are generous enough
that normal work never meets them. One counter, three ways in:

- ``@rate_limit("lookup")`` on a page (or ``exceeded(request, "verify")`` where the page answers itself);
- ``LimitThrottle`` subclasses on an API view (DRF's throttle hook, so the schema lists 429);
- ``StaffLimitMiddleware``: every staff search (a ``q`` term) and export (a file download) on the pages.

A refused request answers 429 before the view runs, so nothing is written: a page in the user's
language, or the API's JSON error body (``detail`` and ``code``). If the cache is down the limits let
requests through (logged): pages and registration keep working without Redis."""

import functools
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError
from rest_framework.throttling import BaseThrottle

from .errors import RateLimited
from .middleware import client_ip

logger = logging.getLogger(__name__)

ADDRESS = "address"
USER = "user"


@dataclass(frozen=True)
class Limit:
    per: str  # ADDRESS or USER
    what: str  # what it counts (for the docs and the reader)


LIMITS = {
    "login": Limit(ADDRESS, "staff sign-in attempts (the password form's POST), on top of the lockout per username"),
    "lookup": Limit(ADDRESS, "a citizen's look-ups: my registration, an e-card's QR page, the memorial wall's search"),
    "verify": Limit(ADDRESS, "the public certificate verification (/verify/ with a number)"),
    "search": Limit(USER, "staff searches: a list's search term, the API's search and q parameters"),
    "export": Limit(USER, "staff exports and downloads (.xlsx, .csv, .pdf, .docx)"),
}

FILE_SUFFIXES = (".xlsx", ".csv", ".pdf", ".docx")


def rate_of(name: str) -> str:
    return settings.BOAI_RATE_LIMITS[name]


def _key(limit: Limit, request) -> str:
    user = getattr(request, "user", None)
    if limit.per == USER and user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{_network(client_ip(request))}"


def _network(address: str | None) -> str:
    """An IPv4 address itself; an IPv6 address's /64 (one subscriber holds the whole /64)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:a.b.c.d from a dual-stack listener is that IPv4 client
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address) if ip.version == 6 else str(ip)


def usage(request, name: str, *, increment: bool = True) -> dict | None:
    """django-ratelimit's count for this request under the named limit (counted once per request
    and limit), or None when the limit is off or the cache cannot be reached."""
    limit = LIMITS[name]
    counted = getattr(request, "_boai_rate_usage", None)
    if counted is None:
        counted = request._boai_rate_usage = {}
    if name in counted:
        return counted[name]
    try:
        result = get_usage(
            request,
            group=f"boai.{name}",
            key=lambda _group, req: _key(limit, req),
            rate=rate_of(name),
            increment=increment,
        )
    except (RedisError, OSError):  # fail open: a stopped Redis must not stop the pages
        logger.warning("rate limit %s not counted: the cache cannot be reached", name, exc_info=True)
        result = None
    counted[name] = result
    return result


def exceeded(request, name: str) -> bool:
    """Count this request under the named limit; True when it is over the limit (refuse it)."""
    result = usage(request, name)
    return bool(result and result["should_limit"])


def exhausted(request, name: str) -> bool:
    """True when the named limit is already used up for this request's key, without counting this
    request (for limits that count only some outcomes, such as failed logins)."""
    result = usage(request, name, increment=False)
    if result and result["count"] >= result["limit"]:
        return True  # kept for limited_response's Retry-After
    request._boai_rate_usage.pop(name, None)  # a later count() counts afresh
    return False


def count(request, name: str) -> None:
    """Count one use of the named limit for this request's key (an outcome that counts)."""
    usage(request, name)


def message() -> str:
    return str(RateLimited.default_message)


def limited_response(request, name: str):
    """The 429 answer: the API's JSON error body, or a page in the user's language."""
    from django.http import HttpResponse, JsonResponse
    from django.utils.html import format_html

    from .responses import error_response

    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message(), "code": RateLimited.code}, status=429)
    elif request.headers.get("HX-Request"):  # htmx swaps it where the results go (base.html's htmx-config)
        response = HttpResponse(format_html('<p class="msg msg-error" role="alert">{}</p>', message()), status=429)
    else:
        response = error_response(request, 429, _("Too many requests"), message())
    result = getattr(request, "_boai_rate_usage", {}).get(name)
    if result:  # seconds until the window ends (0 when it ends this very second)
        response["Retry-After"] = str(max(1, result["time_left"]))
    return response


def rate_limit(name: str, *, methods=("GET", "POST"), when=None):
    """A view decorator: requests with one of ``methods`` (and, if given, ``when(request)`` true) count
    under the named limit; over it, the view does not run and the answer is 429."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and (when is None or when(request)) and exceeded(request, name):
                return limited_response(request, name)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- staff pages: searches and exports, wherever they are ------------------------------------------


def _search_term(data) -> bool:
    return any(str(data.get(field, "")).strip() for field in ("q", "search"))


def staff_limit_for(request, url_name: str) -> str | None:
    """Which limit a signed-in user's page request counts under: a file download is an export, a list
    asked with a search term (in the URL or, for lists that keep it out of URLs, in the POST) a search."""
    path = request.path.lower()
    fmt = str(request.GET.get("format", "")).lower()
    if "export" in url_name or path.endswith(FILE_SUFFIXES) or f".{fmt}" in FILE_SUFFIXES:
        return "export"
    if _search_term(request.GET) or (request.method == "POST" and _search_term(request.POST)):
        return "search"
    return None


class StaffLimitMiddleware:
    """Counts staff searches and exports per user on the pages (the API counts them with its
    throttles, after its own authentication). Place it after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith("/api/"):
            return None
        match = request.resolver_match
        name = staff_limit_for(request, (match.url_name or "") if match else "")
        if name and exceeded(request, name):
            return limited_response(request, name)
        return None


# --- the API -----------------------------------------------------------------------------------------


class LimitThrottle(BaseThrottle):
    """DRF's hook onto the same counters. A subclass names its limit; ``applies`` says which requests
    count (by default all). Over the limit it raises ``RateLimited``: the API's JSON error, 429."""

    limit: str = ""

    def applies(self, request, view) -> bool:
        return True

    def allow_request(self, request, view):
        if self.applies(request, view) and exceeded(getattr(request, "_request", request), self.limit):
            raise RateLimited()
        return True


class LookupThrottle(LimitThrottle):
    limit = "lookup"


class SearchThrottle(LimitThrottle):
    """Counts an API request that searches: the ``search`` action, or a ``q``/``search`` parameter."""

    limit = "search"

    def applies(self, request, view) -> bool:
        return getattr(view, "action", None) == "search" or _search_term(request.query_params)


class ExportThrottle(LimitThrottle):
    """Counts an API request that exports a file: the ``export`` action, or a view marked ``exports = True``."""

    limit = "export"

    def applies(self, request, view) -> bool:
        return getattr(view, "action", None) == "export" or getattr(view, "exports", False)
