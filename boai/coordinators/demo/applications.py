"""The demo applications (called after ``people.load()``, which makes the people): 陈晨's application,
approved at the county, prefecture and province levels (she is in training), and 孙悦's, in review,
awaiting the county branch of Wuhua. Made through the services, as the clerks would."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boai.accounts.models import User

from ..models import Application, Coordinator
from ..services.applications import application_review, application_submit

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def user(username: str) -> User:
    return User.objects.select_related("organization").get(username=username)


def _scan(name: str):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _submit(coordinator: Coordinator, motivation: str, when) -> Application:
    return application_submit(
        actor=user("wuhua_clerk"),  # not a reviewer: no one decides what they submitted
        coordinator=coordinator,
        motivation=motivation,
        documents=[_scan("报名表.pdf"), _scan("学历证书.pdf")],
        now=when,
    )


def load() -> bool:
    made = False
    now = timezone.now()
    trainee = Coordinator.objects.filter(name="陈晨").first()
    if trainee is not None and not trainee.applications.exists():
        state = trainee.state
        Coordinator.objects.filter(pk=trainee.pk).update(state=Coordinator.State.APPLICANT)
        application = _submit(trainee, "在ICU工作八年，愿意投身器官捐献协调工作。", now - timedelta(days=60))
        for days, reviewer in ((55, "wuhua_staff"), (50, "kunming_staff"), (45, "prov_admin")):
            application.refresh_from_db()
            application_review(
                actor=user(reviewer),
                application=application,
                decision="approved",
                version=application.version,
                now=now - timedelta(days=days),
            )
        if state != Coordinator.State.TRAINEE:  # the people's demo said otherwise: keep its word
            Coordinator.objects.filter(pk=trainee.pk).update(state=state)
        made = True
    applicant = Coordinator.objects.filter(name="孙悦").first()
    if applicant is not None and not applicant.applications.exists():
        _submit(applicant, "长期参与社区志愿服务，希望成为器官捐献协调员。", now - timedelta(days=3))
        made = True
    return made
