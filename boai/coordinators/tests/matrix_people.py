"""The coordinator records' rows of the permission matrix: the list, export, create, the record's
page, change, reveal, the staff account, and the API. The record they name is a coordinator of Wuhua."""

from datetime import date

from boai.core.tests.matrix_kit import by_scope, only

from .factories import make_coordinator

VIEWERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "coordinator", "auditor"}  # coordinators.view
MANAGERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff"}  # coordinators.manage
CONTACT = MANAGERS | {"coordinator"}  # coordinators.contact
EXPORTERS = MANAGERS | {"auditor"}  # coordinators.export

BASE = "/workspace/coordinators"
RECORD = "people_wuhua"


def context(ctx):
    return {RECORD: make_coordinator(name="矩阵测试", region="530102", born=date(1979, 11, 23))}


def scoped(ok=200, allowed=VIEWERS):
    return by_scope(ok=ok, allowed=allowed, record=RECORD)


MATRIX = [
    ("workspace/coordinators/", "get", f"{BASE}/", only(*VIEWERS), 302),
    ("workspace/coordinators/export/", "get", f"{BASE}/export/", only(*EXPORTERS), 302),
    (
        "workspace/coordinators/export/",
        "post",
        f"{BASE}/export/",
        only(*EXPORTERS),
        302,
        {"reason": "matrix check", "format": "csv"},
    ),
    ("workspace/coordinators/new/", "get", f"{BASE}/new/", only(*MANAGERS), 302),
    ("workspace/coordinators/<int:pk>/", "get", f"{BASE}/{{{RECORD}.pk}}/", scoped(), 302),
    ("workspace/coordinators/<int:pk>/edit/", "get", f"{BASE}/{{{RECORD}.pk}}/edit/", scoped(allowed=MANAGERS), 302),
    (
        "workspace/coordinators/<int:pk>/reveal/",
        "post",
        f"{BASE}/{{{RECORD}.pk}}/reveal/",
        scoped(allowed=CONTACT),
        302,
        {"reason": "matrix check"},
    ),
    (
        "workspace/coordinators/<int:pk>/account/",
        "post",
        f"{BASE}/{{{RECORD}.pk}}/account/",
        scoped(ok=302, allowed=MANAGERS),  # refused (no account chosen): back to the page with the message
        302,
        {"action": "link", "account": ""},
    ),
    ("api/v1/coordinators/", "get", "/api/v1/coordinators/", only(*VIEWERS), 401),
    ("api/v1/coordinators/<pk>/", "get", f"/api/v1/coordinators/{{{RECORD}.pk}}/", scoped(), 401),
    (
        "api/v1/coordinators/",
        "post",
        "/api/v1/coordinators/",
        lambda role, ctx: 400 if role in MANAGERS else 403,
        401,
        {"name": ""},
    ),
    (
        "api/v1/coordinators/<pk>/",
        "patch",
        f"/api/v1/coordinators/{{{RECORD}.pk}}/",
        scoped(ok=409, allowed=MANAGERS),  # a stale version
        401,
        {"version": 999},
    ),
    (
        "api/v1/coordinators/search/",
        "post",
        "/api/v1/coordinators/search/",
        only(*VIEWERS),
        401,
        {"q": "矩阵"},
    ),
    (
        "api/v1/coordinators/export/",
        "post",
        "/api/v1/coordinators/export/",
        only(*EXPORTERS),
        401,
        {"reason": "matrix check", "format": "csv"},
    ),
]
