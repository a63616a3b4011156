"""Helpers of the applications' tests: scans to upload, a submitted application, and a snapshot of
everything a refused step must leave as it was."""

from django.core.files.uploadedfile import SimpleUploadedFile

from boai.accounts.models import User
from boai.accounts.roles import Role
from boai.audit.models import AuditEntry
from boai.core.models import Attachment, Organisation
from boai.core.tests.personas import user

from ..models import Application, ApplicationReview, Coordinator, ReviewSettings
from ..services import applications as services
from .factories import make_coordinator

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name="application.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="id-card.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def not_a_scan(name="diploma.pdf"):
    return SimpleUploadedFile(name, b"just some text pretending", content_type="application/pdf")


def set_levels(levels: str):
    row = services.review_settings()
    ReviewSettings.objects.filter(pk=row.pk).update(levels=levels)


def province_clerk():
    """A second account of the provincial branch: submits what ``prov_admin`` decides."""
    return User.objects.get_or_create(
        username="prov_clerk",
        defaults={
            "full_name": "钱进",
            "role": Role.BRANCH_STAFF,
            "organization": Organisation.objects.get(code="RC530000"),
        },
    )[0]


def submitted(*, region="530102", by="wuhua_clerk", **kwargs) -> Application:
    coordinator = kwargs.pop("coordinator", None) or make_coordinator(region=region, name="孙悦")
    return services.application_submit(
        actor=province_clerk() if by == "prov_clerk" else user(by),
        coordinator=coordinator,
        motivation="愿意为器官捐献工作出力",
        documents=[pdf(), png()],
    )


def decide(application, by, decision="approved", reason=""):
    application.refresh_from_db()
    return services.application_review(
        actor=user(by), application=application, decision=decision, reason=reason, version=application.version
    )


def snapshot(application=None, coordinator=None):
    """What a refused step must not change."""
    shot = {
        "applications": Application.objects.count(),
        "reviews": ApplicationReview.objects.count(),
        "audit": AuditEntry.objects.count(),
        "attachments": Attachment.objects.count(),
    }
    if application is not None:
        application = Application.objects.get(pk=application.pk)
        shot["application"] = (application.state, application.level, application.version, application.decided_at)
        coordinator = coordinator or application.coordinator
    if coordinator is not None:
        coordinator = Coordinator.objects.get(pk=coordinator.pk)
        shot["coordinator"] = (coordinator.state, coordinator.version)
    return shot
