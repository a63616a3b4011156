"""Every role against every endpoint. Each app declares its rows in its own ``tests/matrix.py``
(see ``core/tests/matrix_kit.py``); this test collects them. A new URL without a row in any app
fails the completeness test, and every list is compared with the records each role should see
(computed here, independently of the scoping module), so a leak in either direction fails.

The roles' requests are in ``test_matrix_roles_*.py``: three files, so the two workers of the CI
(pytest-xdist, a file per worker) share the ~4,000 of them."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from boai.core.tests.matrix_kit import collected_public, collected_rows, module_context, send_row_request

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


ctx = module_context  # the records the paths name, once for the module (matrix_kit.module_context)


@pytest.mark.parametrize("row", MATRIX, ids=[f"{row[1].upper()} {row[2]}" for row in MATRIX])
def test_anonymous_callers_get_no_data(row, ctx):
    _route, method, template, _expect, anon, *body = row
    path = template.format(**ctx)
    client = APIClient() if path.startswith("/api/") else Client()
    response = send_row_request(client, method, path, *body)
    assert response.status_code == anon
    if anon in (401, 403):
        assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("route, status", PUBLIC.items())
def test_public_endpoints_answer_anonymous_visitors(route, status):
    path = "/" + route.replace("<str:code>", "no-such-code").replace("<str:fmt>", "json")
    assert Client().get(path).status_code == status


def test_every_persona_is_in_a_roles_file():
    from boai.accounts.tests import test_matrix_roles_a, test_matrix_roles_b, test_matrix_roles_c
    from boai.core.tests.matrix_kit import ROLES

    split = [*test_matrix_roles_a.ROLES, *test_matrix_roles_b.ROLES, *test_matrix_roles_c.ROLES]
    assert sorted(split) == sorted(ROLES), "each persona in exactly one test_matrix_roles_*.py"
