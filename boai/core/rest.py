"""API conventions: pagination with `count` and `results`, JSON errors with field messages, domain
errors mapped to 400/409, denials written to the audit log; and the small steps the apps' viewsets
share (a permission checked, a query parameter read, a body copied into a service's data, the
``version`` an update must send)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from boai.audit.services import Actor, audit_log_now
from boai.lib.numbers import plain_number

from .errors import DomainError, InvalidFields
from .interface import parse_version


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


def _audit_denial(request, status_code: int) -> None:

    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else Actor(username="anonymous")
    audit_log_now(
        action="security.permission.denied",
        actor=actor,
        success=False,
        object_type="api",
        object_id="",
        object_repr=(request.path if request else "")[:200],
        changes={"method": request.method if request else "", "status": status_code},
    )


def _note_denial(request, view, exc) -> None:
    """What the one-line log of a refusal names as its reason (``core.logfilters``): the view and the
    rule or DRF code that refused."""
    django_request = getattr(request, "_request", request)
    if django_request is None:
        return
    code = exc.code if isinstance(exc, DomainError) else exc.get_codes()
    django_request.boai_denial = f"{type(view).__name__ if view is not None else '-'}: {code}"


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, DomainError):
        body = {"detail": str(exc.message), "code": exc.code}
        if isinstance(exc, InvalidFields):  # every field refused, each with its messages
            body["errors"] = {name or "non_field_errors": messages for name, messages in exc.errors.items()}
        elif exc.field:
            body["errors"] = {exc.field: [str(exc.message)]}
        if exc.status == status.HTTP_403_FORBIDDEN:  # a role refused inside a service, after its rollback
            _note_denial(request, context.get("view"), exc)
            _audit_denial(request, exc.status)
        return Response(body, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data
        general = errors.get("non_field_errors", []) if isinstance(errors, dict) else []
        if any(getattr(e, "code", "") == "null" for e in general):  # DRF's "No data provided" is English only
            errors = {"non_field_errors": [str(_("Send the fields as a JSON object."))]}
        response.data = {"detail": str(_("The request is not valid.")), "errors": errors}
    elif isinstance(exc, exceptions.ParseError):
        too_deep = exc.get_codes() == "too_deep"  # our own message; DRF's names the decoder's error in English
        response.data = {"detail": str(exc.detail) if too_deep else str(_("The request body is not valid JSON."))}
    if isinstance(exc, exceptions.PermissionDenied | exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        _note_denial(request, context.get("view"), exc)
        _audit_denial(request, response.status_code)
    return response


def problem(message, code=status.HTTP_400_BAD_REQUEST):
    return Response({"detail": str(message)}, status=code)


# --- steps shared by the viewsets -----------------------------------------------------------------


def check_perm(request, perm: str) -> None:
    """403 unless the caller holds ``perm`` (a write inside a read-only viewset permission)."""
    if not request.user.has_perm(perm):
        raise exceptions.PermissionDenied()


def year_param(request, name: str = "year") -> int | None:
    """The query parameter ``name`` as a year of four digits, None when absent; 400 otherwise."""
    year = request.query_params.get(name, "")
    if not year:
        return None
    number = plain_number(year, digits=4)
    if number is None or len(year) != 4:
        raise exceptions.ValidationError({name: [gettext("A year such as 2025.")]})
    return number


def region_filter(request, qs, name: str = "region"):
    """``qs`` narrowed to the region code (or its beginning) in the query parameter ``name``."""
    region = request.query_params.get(name, "")
    if region:
        if plain_number(region, digits=6) is None:
            raise exceptions.ValidationError({name: [gettext("A region code or its beginning, such as 5301.")]})
        qs = qs.filter(region__code__startswith=region)
    return qs


def number_param(request, name: str, message) -> int | None:
    """The query parameter ``name`` as a whole number (a record's id), None when absent; 400 with
    ``message`` otherwise."""
    value = request.query_params.get(name, "")
    if not value:
        return None
    number = plain_number(value)
    if number is None:
        raise exceptions.ValidationError({name: [message]})
    return number


def version_sent(request) -> int:
    """The ``version`` the client read, which an update must send (a stale one is the service's 409)."""
    version = parse_version(request.data.get("version") if isinstance(request.data, dict) else None)
    if version is None:
        raise exceptions.ValidationError({"version": [gettext("Send the version you read.")]})
    return version


def body_into(serializer_class, request, data, *, partial: bool = False):
    """Check the request's body with ``serializer_class`` and copy the fields ``data`` (a service's
    dataclass with ``FIELDS``) knows into it; ``data`` is returned."""
    body = serializer_class(data=request.data, partial=partial)
    body.is_valid(raise_exception=True)
    for name, value in body.validated_data.items():
        if name in data.FIELDS:
            setattr(data, name, value)
    return data


class VersionedUpdates:
    """A viewset's PUT (every field) and PATCH (some) through its ``_update(request, partial=...)``."""

    def update(self, request, pk=None):
        """Replace the record's fields. Send the ``version`` you read: a stale one is 409."""
        return self._update(request, partial=False)

    def partial_update(self, request, pk=None):
        """Change some fields. Send the ``version`` you read: a stale one is 409."""
        return self._update(request, partial=True)
