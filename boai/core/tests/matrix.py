"""The core app's rows of the permission matrix (collected by accounts/tests/test_matrix.py)."""

from boai.core.tests.matrix_kit import everyone

MATRIX = [
    ("api/v1/regions/", "get", "/api/v1/regions/", everyone(), 200),
    ("api/v1/regions/<code>/", "get", "/api/v1/regions/530102/", everyone(), 200),
    ("api/v1/organisations/", "get", "/api/v1/organisations/", everyone(), 401),
    ("api/v1/organisations/<pk>/", "get", "/api/v1/organisations/{target.organization_id}/", everyone(), 401),
]

# Endpoints every visitor may use, and how they answer an anonymous GET.
PUBLIC = {
    "": 200,
    "healthz": 200,
    "readyz": 200,  # Redis not configured in tests: not a failure
    "metrics": 200,  # the test client comes from 127.0.0.1, an allowed address
    "i18n/setlang/": 302,
    "jsi18n/": 200,
    "api/schema/": 200,
    "api/docs/": 200,
}
