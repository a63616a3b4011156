"""Each role lists exactly the registrations of its own area: in the API, in the search and on the
staff page (the expected set is computed here from the demo data, not by the scoping module)."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from boai.core.tests.matrix_kit import READERS
from boai.core.tests.personas import EXPECTED_SCOPE, user
from boai.registry.models import Registration

pytestmark = pytest.mark.django_db


def expected_numbers(role):
    prefix = EXPECTED_SCOPE[role]
    if not prefix:
        return set()
    return {
        number for number, code in Registration.objects.values_list("number", "region_id") if code.startswith(prefix)
    }


@pytest.mark.parametrize("role", sorted(READERS))
def test_each_role_lists_exactly_its_own_records(role):
    client = APIClient()
    client.force_login(user(role))
    body = client.get("/api/v1/registrations/?page_size=200").json()
    assert {r["number"] for r in body["results"]} == expected_numbers(role)
    found = client.post("/api/v1/registrations/search/?page_size=200", {"search": "YN"}, format="json").json()
    by_name = {r["number"] for r in found["results"]}
    assert by_name <= expected_numbers(role)
    html = Client()
    html.force_login(user(role))
    page = html.get("/workspace/registrations/").content.decode()
    shown = set(re.findall(r">(YN\d{10})<", page))
    assert shown == expected_numbers(role)


def test_the_demo_data_spans_several_counties_so_the_matrix_means_something():
    counties = set(Registration.objects.values_list("region_id", flat=True))
    assert {"530102", "530103", "530302", "532901"} <= counties
