"""The audit app's rows of the permission matrix (collected by accounts/tests/test_matrix.py)."""

from boai.audit.models import AuditEntry
from boai.core.tests.matrix_kit import only

MATRIX = [
    ("workspace/audit/", "get", "/workspace/audit/", only("auditor"), 302),
    ("workspace/audit/<int:pk>/", "get", "/workspace/audit/{entry.pk}/", only("auditor"), 302),
    ("workspace/audit/verify/", "get", "/workspace/audit/verify/", only("auditor"), 302),
    ("api/v1/audit/entries/", "get", "/api/v1/audit/entries/", only("auditor"), 401),
    ("api/v1/audit/entries/<pk>/", "get", "/api/v1/audit/entries/{entry.pk}/", only("auditor"), 401),
]


def context(ctx):
    return {"entry": AuditEntry.objects.order_by("id").first()}
