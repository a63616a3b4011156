"""What a refusal writes to the log (issue 12, item 9): one line naming who, what, where and why,
never the traceback a 403 used to bring; a real error keeps its traceback."""

import logging
import sys

import pytest
from django.test import Client

from boai.cases.tests.helpers import client_for
from boai.core.logfilters import OneLineDenials
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db


def _denials(caplog):
    return [r for r in caplog.records if getattr(r, "status_code", None) == 403]


def test_a_refused_page_logs_one_line_with_who_what_where_and_the_permission(caplog):
    sysadmin = user("sysadmin")
    web = Client()
    web.force_login(sysadmin)
    with caplog.at_level(logging.INFO):
        assert web.get("/workspace/certificates/").status_code == 403
    (record,) = _denials(caplog)
    assert record.exc_info is None and record.exc_text is None
    line = logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)
    assert "\n" not in line and "Traceback" not in line
    assert f"user={sysadmin.pk}" in line and "role=system_admin" in line
    assert "GET /workspace/certificates/" in line and "certificates.view" in line


def test_a_refused_api_call_logs_one_line_with_the_view(caplog):
    with caplog.at_level(logging.INFO):
        assert client_for("sysadmin").get("/api/v1/organ-cases/").status_code == 403
    (record,) = _denials(caplog)
    line = logging.Formatter("%(message)s").format(record)
    assert "\n" not in line and "GET /api/v1/organ-cases/" in line and "role=system_admin" in line
    assert "permission_denied" in line


def test_an_anonymous_refusal_says_anonymous(caplog):
    with caplog.at_level(logging.INFO):
        response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert response.status_code == 403
    (record,) = _denials(caplog)
    assert "user=anonymous" in record.getMessage() and "POST /accounts/login/" in record.getMessage()


def test_a_real_error_keeps_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    message = "Internal Server Error: %s"
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, message, ("/x",), exc_info)
    record.status_code = 500
    assert OneLineDenials().filter(record) and record.exc_info is exc_info
    assert "Traceback" in logging.Formatter().format(record)


def test_a_newline_in_a_refused_path_stays_on_one_line():
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get("/workspace/x%0AERROR forged")
    request.user = AnonymousUser()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: %s", (request.path,), None)
    record.status_code, record.request = 403, request
    assert OneLineDenials().filter(record)
    assert "\n" not in record.getMessage() and "user=anonymous" in record.getMessage()


def _django_403(request, message, *args, exc=None):
    """A record as ``django.utils.log.log_response`` writes it for a refusal."""
    from django.core.exceptions import PermissionDenied

    exc = exc if exc is not None else PermissionDenied()
    try:
        raise exc
    except PermissionDenied:
        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, message, args, exc_info)
    record.status_code, record.request = 403, request
    return record


def _staff_request(path):
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    request.user = user("wuhua_staff")
    return request


def test_a_refusal_says_who_what_where_and_why_once_each_even_when_filtered_twice():
    request = _staff_request("/workspace/registry/7/")
    record = _django_403(request, "Forbidden (Permission denied): %s", request.path)
    assert OneLineDenials().filter(record) and OneLineDenials().filter(record)  # two filters, one record
    pk = request.user.pk
    expected = f"Forbidden: user={pk} role=branch_staff GET /workspace/registry/7/ reason=Permission denied"
    assert record.getMessage() == expected


def test_a_named_permission_or_a_csrf_reason_is_the_reason_and_the_path_is_not_repeated():
    from django.core.exceptions import PermissionDenied

    request = _staff_request("/workspace/registry/7/")
    unmask = PermissionDenied("registry.unmask")
    named = _django_403(request, "Forbidden (Permission denied): %s", request.path, exc=unmask)
    OneLineDenials().filter(named)
    assert named.getMessage().endswith("GET /workspace/registry/7/ reason=registry.unmask")
    csrf = _django_403(request, "Forbidden (%s): %s", "CSRF token missing.", request.path)
    csrf.exc_info = None
    OneLineDenials().filter(csrf)
    OneLineDenials().filter(csrf)
    assert csrf.getMessage().endswith("GET /workspace/registry/7/ reason=CSRF token missing.")
    for line in (named.getMessage(), csrf.getMessage()):
        assert line.count("Forbidden") == 1 and line.count("/workspace/registry/7/") == 1 and line.count("user=") == 1
