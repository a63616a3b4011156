"""The permission matrix for prov_admin, kunming_staff, wuhua_staff: every row of every app as each of them
(see ``test_matrix.py`` and ``core/tests/matrix_kit.py``)."""

import pytest

from boai.core.tests.matrix_kit import check_role_row, module_context, role_rows

pytestmark = pytest.mark.django_db

ctx = module_context
ROLES = ["prov_admin", "kunming_staff", "wuhua_staff"]


@pytest.mark.parametrize("role, row", role_rows(ROLES))
def test_role_matrix(role, row, ctx):
    check_role_row(role, row, ctx)
