"""Every role against every endpoint. Each app declares its rows in its own ``tests/matrix.py``
(see ``core/tests/matrix_kit.py``); this test collects them. A new URL without a row in any app
fails the completeness test, and every list is compared with the records each role should see
(computed here, independently of the scoping module), so a leak in either direction fails."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from boai.core.tests.matrix_kit import ROLES, collected_context, collected_public, collected_rows
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db

MATRIX = collected_rows()
PUBLIC = collected_public()


def all_routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                yield "admin/"
                continue
            yield from all_routes(entry, route)
        elif isinstance(entry, URLPattern):
            route = re.sub(r"\^|\$", "", route)
            yield re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)


def test_every_endpoint_is_in_the_matrix():
    routes = {r for r in all_routes() if "<format>" not in r}
    covered = {row[0] for row in MATRIX} | set(PUBLIC)
    assert routes - covered == set(), "add these endpoints to the role matrix"


@pytest.fixture
def ctx():
    return collected_context()


def _request(client, method, path, role, body=None):  # noqa: C901 - one branch per endpoint's body
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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=[f"{row[1].upper()} {row[2]}" for row in MATRIX])
def test_role_matrix(role, row, ctx):
    _route, method, template, expect, _anon, *body = row
    path = template.format(**ctx)
    client = APIClient() if path.startswith("/api/") else Client()
    client.force_login(user(role))
    response = _request(client, method, path, role, *body)
    assert response.status_code == expect(role, ctx), f"{role} {method.upper()} {path}"


@pytest.mark.parametrize("row", MATRIX, ids=[f"{row[1].upper()} {row[2]}" for row in MATRIX])
def test_anonymous_callers_get_no_data(row, ctx):
    _route, method, template, _expect, anon, *body = row
    path = template.format(**ctx)
    client = APIClient() if path.startswith("/api/") else Client()
    response = _request(client, method, path, None, *body)
    assert response.status_code == anon
    if anon in (401, 403):
        assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("route, status", PUBLIC.items())
def test_public_endpoints_answer_anonymous_visitors(route, status):
    path = "/" + route.replace("<str:code>", "no-such-code").replace("<str:fmt>", "json")
    assert Client().get(path).status_code == status
