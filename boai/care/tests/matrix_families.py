"""The family records' rows of the permission matrix: the list, export, create, the family's page,
change, reveal, members, the outcome letter, and the API. The record they name is a Wuhua family."""

from django.utils import timezone

from boai.core.tests.matrix_kit import by_scope, only
from boai.core.tests.personas import user

from ..models import OutcomeLetter
from .factories import make_family

VIEWERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "coordinator", "auditor"}  # care.view
MANAGERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff"}  # care.manage, care.contact
EXPORTERS = MANAGERS | {"auditor"}  # care.export

BASE = "/workspace/care/families"
RECORD = "families_wuhua"


def context(ctx):
    family = make_family(region="530102", donor_name="矩阵家庭")
    letter = OutcomeLetter.objects.create(
        family=family, people_helped=2, organs=["kidney"], issued_by=user("wuhua_staff"), issued_at=timezone.now()
    )
    return {RECORD: family, "families_member": family.members.first(), "families_letter": letter}


def scoped(ok=200, allowed=VIEWERS):
    return by_scope(ok=ok, allowed=allowed, record=RECORD)


PK = f"{{{RECORD}.pk}}"

MATRIX = [
    ("workspace/care/families/", "get", f"{BASE}/", only(*VIEWERS), 302),
    ("workspace/care/families/export/", "get", f"{BASE}/export/", only(*EXPORTERS), 302),
    (
        "workspace/care/families/export/",
        "post",
        f"{BASE}/export/",
        only(*EXPORTERS),
        302,
        {"reason": "matrix check", "format": "csv"},
    ),
    ("workspace/care/families/new/", "get", f"{BASE}/new/", only(*MANAGERS), 302),
    ("workspace/care/families/<int:pk>/", "get", f"{BASE}/{PK}/", scoped(), 302),
    ("workspace/care/families/<int:pk>/edit/", "get", f"{BASE}/{PK}/edit/", scoped(allowed=MANAGERS), 302),
    (
        "workspace/care/families/<int:pk>/reveal/",
        "post",
        f"{BASE}/{PK}/reveal/",
        scoped(allowed=MANAGERS),
        302,
        {"reason": "matrix check"},
    ),
    (
        "workspace/care/families/<int:pk>/members/new/",
        "get",
        f"{BASE}/{PK}/members/new/",
        scoped(allowed=MANAGERS),
        302,
    ),
    (
        "workspace/care/families/<int:pk>/members/<int:member_pk>/",
        "get",
        f"{BASE}/{PK}/members/{{families_member.pk}}/",
        scoped(allowed=MANAGERS),
        302,
    ),
    (
        "workspace/care/families/<int:pk>/letter/",
        "post",
        f"{BASE}/{PK}/letter/",
        scoped(ok=302, allowed=MANAGERS),  # refused (the family did not ask): back to the page with the message
        302,
    ),
    (
        "workspace/care/families/<int:pk>/letter/<int:letter_pk>/",
        "get",
        f"{BASE}/{PK}/letter/{{families_letter.pk}}/",
        scoped(allowed=MANAGERS),
        302,
    ),
    ("api/v1/families/", "get", "/api/v1/families/", only(*VIEWERS), 401),
    ("api/v1/families/<pk>/", "get", f"/api/v1/families/{PK}/", scoped(), 401),
    (
        "api/v1/families/",
        "post",
        "/api/v1/families/",
        lambda role, ctx: 400 if role in MANAGERS else 403,
        401,
        {"donor_name": ""},
    ),
]
