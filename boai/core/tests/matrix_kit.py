"""The shared vocabulary of the permission matrix: the personas' groups and the expectation builders
each app's ``tests/matrix.py`` uses, and the collector that gathers every app's rows.

An app declares, in ``boai/<app>/tests/matrix.py``:

- ``MATRIX``: rows ``(url pattern as Django knows it, method, concrete path, expectation, anonymous
  answer)``, where the expectation maps ``(role, ctx)`` to the status code that role must get;
- ``PUBLIC`` (optional): ``{url pattern: status of an anonymous GET}`` for endpoints every visitor uses;
- ``context(ctx)`` (optional): the records its paths name (``{organ_case.pk}``), built on the demo
  data; it receives what the apps before it (in ``INSTALLED_APPS`` order) built.

``accounts/tests/test_matrix*.py`` run every row for every role, and fail for a URL no app covers."""

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from boai.core.tests.personas import EXPECTED_SCOPE, user
from boai.lib.plugins import declarations

ROLES = list(EXPECTED_SCOPE)
READERS = {u for u in ROLES if u not in ("sysadmin", "secadmin")}
UNMASKERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff"}
WRITERS = UNMASKERS  # records.change
ACCOUNT_VIEWERS = {"sysadmin", "secadmin"}


def only(*names):
    return lambda role, ctx: 200 if role in names else 403


def by_scope(ok=200, allowed=READERS, denied=404, forbidden=403, record="in_wuhua"):
    def expect(role, ctx):
        if role not in allowed:
            return forbidden
        prefix = EXPECTED_SCOPE[role]
        return ok if prefix and ctx[record].region_id.startswith(prefix) else denied

    return expect


# Who sees the demo cases: an organ case of OPO-KMU1 and a body case at RS-KMU, both of a Wuhua resident.
CASE_SEERS = {
    "organ": {"prov_admin", "kunming_staff", "wuhua_staff", "coordinator", "opo_staff", "auditor"},
    "body": {"prov_admin", "kunming_staff", "wuhua_staff", "coordinator", "station_staff", "auditor"},
}


def sees_case(kind, ok=lambda role: 200):
    return lambda role, ctx: ok(role) if role in CASE_SEERS[kind] else (404 if role in READERS else 403)


def everyone(code=200):
    return lambda role, ctx: code


def collected_rows() -> list:
    return [row for _config, rows in declarations("tests.matrix", "MATRIX") for row in rows]


def collected_public() -> dict:
    public = {}
    for _config, endpoints in declarations("tests.matrix", "PUBLIC"):
        public.update(endpoints)
    return public


def collected_context() -> dict:
    ctx = {}
    for _config, context in declarations("tests.matrix", "context"):
        ctx.update(context(dict(ctx)))
    return ctx


@pytest.fixture(scope="module")
def module_context(django_db_setup, django_db_blocker):
    """The records the rows' paths name, built once for a whole test module inside a transaction that is
    rolled back at its end: each test then runs in its own savepoint within it (pytest-django's ``db``),
    so a request that writes is undone before the next one, as if the records were new for every test.
    Building them for each of the ~4,000 requests was most of the matrix's time."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield collected_context()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def role_rows(roles):
    """(role, row) pairs for ``pytest.mark.parametrize("role, row", ...)``, with readable ids."""
    return [
        pytest.param(role, row, id=f"{row[1].upper()} {row[2]}-{role}") for role in roles for row in collected_rows()
    ]


def check_role_row(role, row, ctx):
    _route, method, template, expect, _anon, *body = row
    path = template.format(**ctx)
    client = APIClient() if path.startswith("/api/") else Client()
    client.force_login(user(role))
    response = send_row_request(client, method, path, *body)
    assert response.status_code == expect(role, ctx), f"{role} {method.upper()} {path}"


def send_row_request(client, method, path, body=None):  # noqa: C901 - one branch per endpoint's body
    """Send the row's request. A row may carry its own body as a sixth element; the branches below
    are the bodies of the Foundation's and the registry's endpoints."""
    data = {}
    if body is not None:
        data = body
    elif path.endswith("/unmask/"):
        data = {"reason": "matrix check"}
    elif path.endswith("/role/"):
        data = {"role": "branch_staff", "organization": "RC530302"}
    elif path.endswith("/withdraw/"):
        data = {"reason": "matrix check"}
    elif path.endswith("/deceased/"):
        data = {"version": 999, "died_on": "2026-01-01"}  # stale: the page answers 200 with the message
    elif method == "patch":
        data = {"version": 999}  # a stale version: refused with 409 where the write is allowed
    elif path == "/api/v1/registrations/":
        data = {"name": ""}  # invalid: 400 where creating is allowed
    elif path.endswith("/second-factor/"):
        data = {"reason": "matrix check"}
    elif path.endswith("/search/"):
        data = {"search": "张"}
    elif path.endswith("/active/"):
        data = {"active": "0", "reason": "matrix check"}
    return getattr(client, method)(path, data, **({"format": "json"} if isinstance(client, APIClient) else {}))
