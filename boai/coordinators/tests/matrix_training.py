"""The training pages' and API's rows of the permission matrix. Classes are seen by every holder of
coordinators.view; an enrolment (a Wuhua coordinator's) through the coordinator's area; sessions,
attendance and results by the branches that hold coordinators.training (the service then decides
whether the branch runs the class)."""

from datetime import timedelta

from django.utils import timezone

from boai.core.tests.matrix_kit import only
from boai.core.tests.personas import user

P = "/workspace/coordinators"
VIEWERS = ("prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "coordinator", "auditor")
TRAINERS = ("prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff")  # coordinators.training and .manage
EXPORTERS = ("prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "auditor")
SEES_WUHUA = ("prov_admin", "kunming_staff", "wuhua_staff", "coordinator", "auditor")


def answer(ok, among=TRAINERS, scoped=False):
    """``ok`` for ``among``; 404 for the others of them who do not see the Wuhua enrolment (when
    ``scoped``); 403 for everyone else."""

    def expect(role, ctx):
        if role not in among:
            return 403
        if scoped and role not in SEES_WUHUA:
            return 404
        return ok

    return expect


MATRIX = [
    (f"{P[1:]}/courses/", "get", f"{P}/courses/", only(*VIEWERS), 302),
    (f"{P[1:]}/courses/new/", "get", f"{P}/courses/new/", only(*TRAINERS), 302),
    (f"{P[1:]}/classes/", "get", f"{P}/classes/", only(*VIEWERS), 302),
    (f"{P[1:]}/classes/new/", "get", f"{P}/classes/new/", only(*TRAINERS), 302),
    (f"{P[1:]}/classes/<int:pk>/", "get", P + "/classes/{training_class.pk}/", only(*VIEWERS), 302),
    (
        f"{P[1:]}/classes/<int:pk>/edit/",
        "get",
        P + "/classes/{training_class.pk}/edit/",
        # only the branch that runs the (provincial) class edits it; other branches are sent back to it
        lambda r, c: 200 if r == "prov_admin" else (302 if r in TRAINERS else 403),
        302,
    ),
    (
        f"{P[1:]}/classes/<int:pk>/sessions/",
        "post",
        P + "/classes/{training_class.pk}/sessions/",
        answer(400),  # an empty form: the class page again with the form's messages
        302,
    ),
    (f"{P[1:]}/classes/<int:pk>/enrol/", "post", P + "/classes/{training_class.pk}/enrol/", answer(400), 302),
    (
        f"{P[1:]}/classes/<int:pk>/sessions/<int:session_pk>/attendance/",
        "post",
        P + "/classes/{training_class.pk}/sessions/{training_session.pk}/attendance/",
        answer(302),  # nothing chosen: back to the class with the message
        302,
    ),
    (
        f"{P[1:]}/classes/<int:pk>/roster.xlsx",
        "get",
        P + "/classes/{training_class.pk}/roster.xlsx",
        only(*EXPORTERS),
        302,
    ),
    (
        f"{P[1:]}/classes/<int:pk>/sign-in.xlsx",
        "get",
        P + "/classes/{training_class.pk}/sign-in.xlsx",
        only(*EXPORTERS),
        302,
    ),
    (
        f"{P[1:]}/enrolments/<int:pk>/result/",
        "post",
        P + "/enrolments/{training_enrolment.pk}/result/",
        answer(302, scoped=True),
        302,
    ),
    (
        f"{P[1:]}/enrolments/<int:pk>/certificate.pdf",
        "get",
        P + "/enrolments/{training_enrolment.pk}/certificate.pdf",
        answer(200, among=VIEWERS, scoped=True),
        302,
    ),
    ("api/v1/trainings/", "get", "/api/v1/trainings/", only(*VIEWERS), 401),
    ("api/v1/trainings/", "post", "/api/v1/trainings/", answer(400), 401),
    ("api/v1/trainings/export/", "get", "/api/v1/trainings/export/", only(*EXPORTERS), 401),
    ("api/v1/trainings/<pk>/", "get", "/api/v1/trainings/{training_class.pk}/", only(*VIEWERS), 401),
    ("api/v1/training-enrolments/", "get", "/api/v1/training-enrolments/", only(*VIEWERS), 401),
    ("api/v1/training-enrolments/", "post", "/api/v1/training-enrolments/", answer(400), 401),
    ("api/v1/training-enrolments/export/", "get", "/api/v1/training-enrolments/export/", only(*EXPORTERS), 401),
    (
        "api/v1/training-enrolments/<pk>/",
        "get",
        "/api/v1/training-enrolments/{training_enrolment.pk}/",
        answer(200, among=VIEWERS, scoped=True),
        401,
    ),
    (
        "api/v1/training-enrolments/<pk>/result/",
        "post",
        "/api/v1/training-enrolments/{training_enrolment.pk}/result/",
        answer(400, scoped=True),
        401,
    ),
    ("api/v1/training-attendance/", "get", "/api/v1/training-attendance/", only(*VIEWERS), 401),
    ("api/v1/training-attendance/", "post", "/api/v1/training-attendance/", answer(400), 401),
    ("api/v1/training-attendance/export/", "get", "/api/v1/training-attendance/export/", only(*EXPORTERS), 401),
]


def context(ctx):
    from boai.coordinators.services import training as services

    from .factories import make_coordinator

    province = user("prov_admin")
    today = timezone.localdate()
    course = services.course_create(actor=province, title="矩阵培训", kind="provincial")
    training_class = services.class_create(
        actor=province,
        course=course,
        title="矩阵培训班",
        organiser="云南省卫生健康委员会",
        starts_on=today - timedelta(days=1),
        ends_on=today,  # results are recorded from the last day
        hours="12",
        place="昆明",
        capacity=10,
    )
    session = services.session_add(actor=province, training_class=training_class, day=today, topic="法规", hours="4")
    person = make_coordinator(name="矩阵学员", region="530102", state="trainee")
    enrolment = services.enrol(actor=province, training_class=training_class, coordinator=person)
    services.result_record(actor=province, enrolment=enrolment, result="passed", score="90")
    return {"training_class": training_class, "training_session": session, "training_enrolment": enrolment}
