"""The certificates app's rows of the permission matrix (collected by accounts/tests/test_matrix.py)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from boai.certificates import services as certs
from boai.certificates.models import Certificate
from boai.core.services import attachment_store
from boai.core.tests.matrix_kit import READERS, only, sees_case
from boai.core.tests.personas import user

MATRIX = [
    ("workspace/certificates/", "get", "/workspace/certificates/", only(*READERS), 302),
    (
        "workspace/certificates/print/",
        "post",
        "/workspace/certificates/print/",
        lambda r, c: 302 if r in READERS else 403,
        302,
    ),
    ("workspace/certificates/stock/", "get", "/workspace/certificates/stock/", only(*READERS), 302),
    (
        "workspace/certificates/stock/transfers/<int:pk>/confirm/",
        "post",
        "/workspace/certificates/stock/transfers/{transfer.pk}/confirm/",
        lambda r, c: 302 if r == "opo_staff" else 403,
        302,
    ),
    (
        "workspace/certificates/reconciliation/",
        "get",
        "/workspace/certificates/reconciliation/",
        only("prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "auditor", "opo_staff"),
        302,
    ),
    ("workspace/certificates/consent-forms/", "get", "/workspace/certificates/consent-forms/", only(*READERS), 302),
    (
        "workspace/certificates/consent-forms/reconciliation/",
        "get",
        "/workspace/certificates/consent-forms/reconciliation/",
        only("prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "auditor", "opo_staff"),
        302,
    ),
    (
        "workspace/certificates/issue/<int:case_pk>/",
        "get",
        "/workspace/certificates/issue/{organ_case.pk}/",
        lambda r, c: 200 if r == "opo_staff" else 403,
        302,
    ),
    ("workspace/certificates/<int:pk>/", "get", "/workspace/certificates/{certificate.pk}/", sees_case("body"), 302),
    (
        "workspace/certificates/<int:pk>/certificate.pdf",
        "get",
        "/workspace/certificates/{certificate.pk}/certificate.pdf",
        sees_case("body"),
        302,
    ),
    (
        "workspace/certificates/<int:pk>/void/",
        "post",
        "/workspace/certificates/{certificate.pk}/void/",
        sees_case("body"),  # the form is shown again with its message (no reason given)
        302,
    ),
    (
        "workspace/certificates/<int:pk>/lost/",
        "post",
        "/workspace/certificates/{certificate.pk}/lost/",
        sees_case("body"),
        302,
    ),
    (
        "workspace/certificates/<int:pk>/return/",
        "post",
        "/workspace/certificates/{certificate.pk}/return/",
        sees_case("body"),
        302,
    ),
    (
        "workspace/certificates/<int:pk>/reissue/",
        "post",
        "/workspace/certificates/{certificate.pk}/reissue/",
        sees_case("body", ok=lambda role: 302 if role == "prov_admin" else 403),
        302,
    ),
    (
        "workspace/certificates/<int:pk>/photos/<int:attachment_id>/",
        "get",
        "/workspace/certificates/{certificate.pk}/photos/{certificate_photo.pk}/",
        sees_case("body"),
        302,
    ),
    ("api/v1/certificates/", "get", "/api/v1/certificates/", only(*READERS), 401),
    ("api/v1/certificates/", "post", "/api/v1/certificates/", lambda r, c: 400 if r in READERS else 403, 401),
    ("api/v1/certificates/<pk>/", "get", "/api/v1/certificates/{certificate.pk}/", sees_case("body"), 401),
    (
        "api/v1/certificates/<pk>/void/",
        "post",
        "/api/v1/certificates/{certificate.pk}/void/",
        sees_case("body", ok=lambda role: 400),  # no reason: malformed for whoever may see it
        401,
    ),
    ("api/v1/certificate-batches/", "get", "/api/v1/certificate-batches/", only("prov_admin"), 401),
    (
        "api/v1/certificate-batches/<pk>/",
        "get",
        "/api/v1/certificate-batches/{batch.pk}/",
        only("prov_admin"),
        401,
    ),
]

# Endpoints every visitor may use, and how they answer an anonymous GET.
PUBLIC = {
    "verify/": 200,  # the certificate check, before a number is typed
}


def context(ctx):
    certificate = certs.body_certificate_issue(actor=user("prov_admin"), case=ctx["body_case"], kind="body_reception")
    photo = attachment_store(
        owner=certificate,
        kind="photo",
        upload=SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        actor=user("prov_admin"),
    )
    batch = certs.batch_receive(
        actor=user("prov_admin"), serial_from=1, serial_to=3, received_on=date(2026, 1, 1), supplier="总会"
    )
    transfer = certs.stock_hand_out(actor=user("prov_admin"), unit=ctx["organ_case"].unit, serial_from=1, serial_to=2)
    assert Certificate.objects.count() == 4
    return {"certificate": certificate, "certificate_photo": photo, "batch": batch, "transfer": transfer}
