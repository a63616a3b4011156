"""The accounts app's rows of the permission matrix (collected by accounts/tests/test_matrix.py)."""

from boai.accounts.models import User
from boai.core.tests.matrix_kit import ACCOUNT_VIEWERS, everyone, only

MATRIX = [
    ("workspace/accounts/", "get", "/workspace/accounts/", only(*ACCOUNT_VIEWERS), 302),
    ("workspace/accounts/<int:pk>/", "get", "/workspace/accounts/{target.pk}/", only(*ACCOUNT_VIEWERS), 302),
    (
        "workspace/accounts/<int:pk>/role/",
        "post",
        "/workspace/accounts/{target.pk}/role/",
        lambda r, c: 302 if r == "secadmin" else 403,
        302,
    ),
    (
        "workspace/accounts/<int:pk>/active/",
        "post",
        "/workspace/accounts/{target.pk}/active/",
        lambda r, c: 302 if r == "sysadmin" else 403,
        302,
    ),
    (
        "workspace/accounts/<int:pk>/second-factor/",
        "post",
        "/workspace/accounts/{target.pk}/second-factor/",
        lambda r, c: 302 if r == "secadmin" else 403,
        302,
    ),
    ("admin/", "get", "/admin/", lambda r, c: 200 if r in ACCOUNT_VIEWERS else 302, 302),
    ("api/v1/accounts/me/", "get", "/api/v1/accounts/me/", everyone(), 401),
    ("api/v1/accounts/users/", "get", "/api/v1/accounts/users/", only(*ACCOUNT_VIEWERS), 401),
    ("api/v1/accounts/users/<pk>/", "get", "/api/v1/accounts/users/{target.pk}/", only(*ACCOUNT_VIEWERS), 401),
]

# Endpoints every visitor may use, and how they answer an anonymous GET.
PUBLIC = {
    "accounts/login/": 200,
    "accounts/login/otp/": 302,
    "accounts/logout/": 405,
    "accounts/password/": 302,
}


def context(ctx):
    return {"target": User.objects.get(username="qilin_staff")}
