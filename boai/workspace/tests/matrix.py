"""The workspace app's rows of the permission matrix (collected by accounts/tests/test_matrix.py)."""

from boai.core.tests.matrix_kit import everyone

MATRIX = [
    ("workspace/", "get", "/workspace/", everyone(), 302),
    ("workspace/organisations/", "get", "/workspace/organisations/", everyone(), 302),
]
