"""The cases app's rows of the permission matrix (collected by accounts/tests/test_matrix.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from boai.cases.models import BodyCase, CaseStep, OrganCase
from boai.cases.tests.helpers import open_body, open_organ
from boai.core.services import attachment_store
from boai.core.tests.matrix_kit import READERS, WRITERS, only, sees_case
from boai.core.tests.personas import user

MATRIX = [
    ("workspace/cases/unit-staff/", "get", "/workspace/cases/unit-staff/", only(*READERS), 302),
    ("workspace/cases/<kind:kind>/", "get", "/workspace/cases/organ/", only(*READERS), 302),
    ("workspace/cases/<kind:kind>/", "get", "/workspace/cases/body/", only(*READERS), 302),
    ("workspace/cases/<kind:kind>/new/", "get", "/workspace/cases/organ/new/", only("opo_staff"), 302),
    # a body case: a branch, or the station that the executor or the relatives told directly
    ("workspace/cases/<kind:kind>/new/", "get", "/workspace/cases/body/new/", only(*WRITERS, "station_staff"), 302),
    (
        "workspace/cases/<kind:kind>/<int:pk>/",
        "get",
        "/workspace/cases/organ/{organ_case.pk}/",
        sees_case("organ"),
        302,
    ),
    ("workspace/cases/<kind:kind>/<int:pk>/", "get", "/workspace/cases/body/{body_case.pk}/", sees_case("body"), 302),
    (
        "workspace/cases/<kind:kind>/<int:pk>/steps/<str:to>/",
        "get",
        "/workspace/cases/organ/{organ_case.pk}/steps/evaluating/",
        sees_case("organ", ok=lambda role: 200 if role == "opo_staff" else 302),  # others: back to the case
        302,
    ),
    (
        "workspace/cases/<kind:kind>/<int:pk>/steps/<str:to>/",
        "get",
        "/workspace/cases/body/{body_case.pk}/steps/accepted/",
        sees_case("body", ok=lambda role: 200 if role == "station_staff" else 302),
        302,
    ),
    (
        "workspace/cases/<kind:kind>/<int:pk>/attachments/<int:attachment_id>/",
        "get",
        "/workspace/cases/organ/{organ_case.pk}/attachments/{case_scan.pk}/",
        sees_case("organ"),
        302,
    ),
    ("api/v1/organ-cases/", "get", "/api/v1/organ-cases/", only(*READERS), 401),
    ("api/v1/organ-cases/", "post", "/api/v1/organ-cases/", lambda r, c: 400 if r == "opo_staff" else 403, 401),
    ("api/v1/organ-cases/<pk>/", "get", "/api/v1/organ-cases/{organ_case.pk}/", sees_case("organ"), 401),
    (
        "api/v1/organ-cases/<pk>/transitions/",
        "get",
        "/api/v1/organ-cases/{organ_case.pk}/transitions/",
        sees_case("organ"),
        401,
    ),
    (
        "api/v1/organ-cases/<pk>/transitions/",
        "post",
        "/api/v1/organ-cases/{organ_case.pk}/transitions/",
        sees_case("organ", ok=lambda role: 400),  # no version: malformed for whoever may see the case
        401,
    ),
    ("api/v1/body-cases/", "get", "/api/v1/body-cases/", only(*READERS), 401),
    (
        "api/v1/body-cases/",
        "post",
        "/api/v1/body-cases/",
        lambda r, c: 400 if r in {*WRITERS, "station_staff"} else 403,
        401,
    ),
    ("api/v1/body-cases/<pk>/", "get", "/api/v1/body-cases/{body_case.pk}/", sees_case("body"), 401),
    (
        "api/v1/body-cases/<pk>/transitions/",
        "get",
        "/api/v1/body-cases/{body_case.pk}/transitions/",
        sees_case("body"),
        401,
    ),
]


def context(ctx):
    organ = OrganCase.objects.get(pk=open_organ()["id"])
    scan = attachment_store(
        owner=CaseStep.objects.get(organ_case=organ),
        kind="scan",
        upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4 matrix"),
        actor=user("opo_staff"),
    )
    body = BodyCase.objects.get(pk=open_body()["id"])
    BodyCase.objects.filter(pk=body.pk).update(received_at=body.died_at)
    return {"organ_case": organ, "body_case": body, "case_scan": scan}
