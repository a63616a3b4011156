"""API conventions: pagination with `count` and `results`, JSON errors with field messages, domain
errors mapped to 400/409, denials written to the audit log."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, DomainError):
        body = {"detail": str(exc.message), "code": exc.code}
        if exc.field:
            body["errors"] = {exc.field: [str(exc.message)]}
        return Response(body, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": str(_("The request is not valid.")), "errors": response.data}
    if isinstance(exc, exceptions.PermissionDenied | exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        from boai.audit.services import Actor, audit_log_now

        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else Actor(username="anonymous")
        audit_log_now(
            action="security.permission.denied",
            actor=actor,
            success=False,
            object_type="api",
            object_id="",
            object_repr=(request.path if request else "")[:200],
            changes={"method": request.method if request else "", "status": response.status_code},
        )
    return response


def problem(message, code=status.HTTP_400_BAD_REQUEST):
    return Response({"detail": str(message)}, status=code)
