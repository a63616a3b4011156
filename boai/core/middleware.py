"""Request context (request id, client IP, actor) for the audit log, cache headers, and plain answers to
requests no page would send."""

import ipaddress
import re
import uuid

import structlog
from django.conf import settings
from django.core.signals import request_finished
from django.db import DatabaseError, InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import QueryDict
from django.utils.translation import gettext as _
from django_structlog.middlewares import RequestMiddleware
from django_structlog.signals import bind_extra_request_metadata

from boai.lib.context import RequestContext, request_context

from .responses import error_response

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


def _from_proxy(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.BOAI_PROXY_ADDRESSES)


def client_ip(request) -> str | None:
    """The client address. Behind N trusted proxies, the Nth address from the right of X-Forwarded-For,
    when the request comes from one of them (BOAI_PROXY_ADDRESSES); otherwise the peer's own address."""
    proxies = getattr(settings, "BOAI_TRUSTED_PROXIES", 0)
    if proxies and _from_proxy(request.META.get("REMOTE_ADDR")):
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A request id from outside is trusted only behind our own proxies (which set it).
        trusted = getattr(settings, "BOAI_TRUSTED_PROXIES", 0) and _from_proxy(request.META.get("REMOTE_ADDR"))
        incoming = request.META.get("HTTP_X_REQUEST_ID", "") if trusted else ""
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        context = RequestContext(
            request_id=request_id, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200]
        )
        with request_context(context):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class RequestLogMiddleware(RequestMiddleware):
    """django-structlog's request lines and context (request id, client IP, user id) for every log
    line written while the request is served; the id is the one RequestContextMiddleware made and
    answers in X-Request-ID, the IP the one the audit log records, the path without its query string
    (which may carry something personal)."""

    def prepare(self, request) -> None:
        structlog.contextvars.clear_contextvars()
        super().prepare(request)

    def handle_response(self, request, response) -> None:
        # django-structlog forgets the context here, but Django logs a 4xx answer ("Not Found: …")
        # after the last middleware: keep it until the response is closed (request_finished below).
        context = structlog.contextvars.get_contextvars()
        super().handle_response(request, response)
        structlog.contextvars.bind_contextvars(**context)

    def bind_user_id(self, request) -> None:
        # with the database down the user cannot be read (the session is in it): the line goes without
        # the user's id, instead of a second error raised while the first one is being answered
        try:
            super().bind_user_id(request)
        except DatabaseError:
            structlog.contextvars.bind_contextvars(user_id=None)

    def _process_exception(self, request, exception) -> None:
        # the database unreachable is an outage, answered 503 (core.views.server_error) and logged as
        # such in the request's line, not a "request_failed" 500 with a traceback per request
        if isinstance(exception, OperationalError | InterfaceError):
            return
        super()._process_exception(request, exception)

    @staticmethod
    def format_request(request) -> str:
        return f"{request.method} {request.path}"

    @classmethod
    def bind_ip(cls, request) -> None:
        structlog.contextvars.bind_contextvars(ip=client_ip(request))


@receiver(bind_extra_request_metadata, sender=RequestLogMiddleware)
def _bind_boai_request_id(request, **kwargs):
    # django-structlog has just bound an id of its own: replace it before its first line is written
    structlog.contextvars.bind_contextvars(request_id=getattr(request, "request_id", None))


@receiver(request_finished)
def _forget_request_log_context(**kwargs):
    structlog.contextvars.clear_contextvars()


class NoStoreMiddleware:
    """Pages and API answers may carry personal data: never cache them (static files excepted)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "boai_cacheable", False):  # a view's own header for a file with no data
            return response
        if not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class RejectNullCharactersMiddleware:
    """A NUL character has no place in any text Boai keeps, and PostgreSQL refuses it in text and JSON
    columns: a request carrying one in its path, query, form fields or JSON body is a 400 with a
    message, never a 500 further down. JSON must be UTF-8, so that a NUL cannot hide in another
    encoding. (Uploaded files may hold any bytes; they are not looked at here.)"""

    # \u0000 in JSON text, unless its backslash is itself escaped ("\\u0000" is a backslash and "u0000")
    JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._problem(request)
        if problem:
            return error_response(request, 400, _("Bad request"), problem)
        return self.get_response(request)

    def _problem(self, request):
        nul = _("The request contains a NUL character, which no field may hold.")
        if "\x00" in request.path or self._in_query(request.GET):
            return nul
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        if request.content_type == "application/json":
            charset = request.content_params.get("charset", "utf-8").lower().replace("_", "-")
            if charset not in ("utf-8", "utf8"):
                return _("Send JSON encoded as UTF-8.")
            if b"\x00" in request.body or self.JSON_NUL.search(request.body):
                return nul
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            if request.method == "POST":
                form = request.POST
            elif request.content_type == "application/x-www-form-urlencoded":
                form = QueryDict(request.body, encoding=request.encoding)
            else:
                return None  # no view takes a multipart PUT or PATCH
            if self._in_query(form):
                return nul
        return None

    @staticmethod
    def _in_query(query) -> bool:
        return any("\x00" in k or any("\x00" in v for v in query.getlist(k)) for k in query)


class MethodNotAllowedPageMiddleware:
    """Django answers a GET on a POST-only address with an empty 405; a person who followed a link
    or reloaded gets a page that says what happened instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            page = error_response(
                request,
                405,
                _("Use the button on the page"),
                _("This address only takes a form sent from its page. Go back and use the button there."),
            )
            page["Allow"] = response.get("Allow", "")
            return page
        return response
