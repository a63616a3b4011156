"""The API answers as its schema says (``api_fuzz``) to the system's and the security's administrators."""

import pytest

from boai.core.tests.api_fuzz import check_every_operation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["sysadmin", "secadmin"])
def test_every_operation_answers_as_the_schema_says(username):
    check_every_operation(username)
