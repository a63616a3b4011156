"""The coordinators API answers in the user's language: a PATCH without the version read."""

import pytest
from rest_framework.test import APIClient

from boai.core.tests.personas import user

from .factories import make_coordinator

pytestmark = pytest.mark.django_db


def test_a_patch_without_the_version_is_told_so_in_the_user_s_language():
    person = make_coordinator(name="版本号")
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user("wuhua_staff"))
    response = c.patch(f"/api/v1/coordinators/{person.pk}/", {"department": "急诊科"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["version"] == ["Send the version you read."]  # a translated msgid
