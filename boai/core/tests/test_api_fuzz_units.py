"""The API answers as its schema says (``api_fuzz``) to the staff of an OPO unit and of a reception station."""

import pytest

from boai.core.tests.api_fuzz import check_every_operation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["opo_staff", "station_staff"])
def test_every_operation_answers_as_the_schema_says(username):
    check_every_operation(username)
