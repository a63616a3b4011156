"""The qualifications' rows of the permission matrix: the work list and the API for whoever views
coordinators; one qualification (王磊's, of Wuhua) and its scans by scope; recording and the steps
for the province only."""

from django.core.files.uploadedfile import SimpleUploadedFile

from boai.core.services import attachment_store
from boai.core.tests.personas import user

VIEWERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "coordinator", "auditor"}
IN_WUHUA = VIEWERS - {"qilin_staff"}  # who sees a coordinator of Wuhua
EXPORTERS = VIEWERS - {"coordinator"}  # coordinators.export


def viewers(role, ctx):
    return 200 if role in VIEWERS else 403


def wuhua(role, ctx):
    if role not in VIEWERS:
        return 403
    return 200 if role in IN_WUHUA else 404


def exporters(role, ctx):
    return 200 if role in EXPORTERS else 403


def province(ok):
    return lambda role, ctx: ok if role == "prov_admin" else 403


W = "workspace/coordinators/"
A = "api/v1/coordinator-qualifications/"
MATRIX = [
    (f"{W}qualifications/", "get", f"/{W}qualifications/", viewers, 302),
    (f"{W}qualifications/<int:pk>/", "get", f"/{W}qualifications/{{qualification.pk}}/", wuhua, 302),
    (
        f"{W}qualifications/<int:pk>/<str:action>/",
        "post",
        f"/{W}qualifications/{{qualification.pk}}/suspend/",
        province(400),  # no reason, no document: the form answers with its errors
        302,
    ),
    (
        f"{W}qualifications/<int:pk>/documents/<int:attachment_id>/",
        "get",
        f"/{W}qualifications/{{qualification.pk}}/documents/{{qualification_scan.pk}}/",
        wuhua,
        302,
    ),
    (f"{W}<int:pk>/qualify/", "get", f"/{W}{{trainee.pk}}/qualify/", province(200), 302),
    (A, "get", f"/{A}", viewers, 401),
    (A, "post", f"/{A}", province(400), 401),
    (f"{A}export/", "get", f"/{A}export/", exporters, 401),
    (f"{A}<pk>/", "get", f"/{A}{{qualification.pk}}/", wuhua, 401),
    (f"{A}<pk>/suspend/", "post", f"/{A}{{qualification.pk}}/suspend/", province(400), 401),
    (f"{A}<pk>/reinstate/", "post", f"/{A}{{qualification.pk}}/reinstate/", province(400), 401),
    (f"{A}<pk>/revoke/", "post", f"/{A}{{qualification.pk}}/revoke/", province(400), 401),
    (f"{A}<pk>/renew/", "post", f"/{A}{{qualification.pk}}/renew/", province(400), 401),
]


def context(ctx):
    from boai.coordinators.models import Coordinator, Qualification

    q = Qualification.objects.get(coordinator__name="王磊")
    scan = attachment_store(
        owner=q,
        kind="certificate",
        upload=SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        actor=user("prov_admin"),
    )
    return {"qualification": q, "qualification_scan": scan, "trainee": Coordinator.objects.get(name="陈晨")}
