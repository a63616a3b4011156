"""The applications' rows of the permission matrix: an application of a Wuhua (530102) applicant,
with one document, in review at the county level."""

from boai.core.tests.personas import user

from .app_helpers import pdf

MANAGERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff"}  # coordinators.manage / .review
VIEWERS = MANAGERS | {"coordinator", "auditor"}  # coordinators.view
EXPORTERS = MANAGERS | {"auditor"}  # coordinators.export
IN_WUHUA = {"prov_admin", "kunming_staff", "wuhua_staff", "coordinator", "auditor"}  # their area covers 530102


def scoped(allowed, ok=200, *, viewers=VIEWERS):
    """``ok`` for a role of ``allowed`` whose area covers Wuhua; 404 for one who may look but not there
    (qilin_staff); 403 for the rest (a role that may not look at all, or may look but not act)."""

    def expect(role, ctx):
        if role in viewers and role not in IN_WUHUA:
            return 404
        return ok if role in allowed and role in IN_WUHUA else 403

    return expect


def _by_perm(allowed, ok=200):
    return lambda role, ctx: ok if role in allowed else 403


MATRIX = [
    (
        "workspace/coordinators/<int:pk>/apply/",
        "get",
        "/workspace/coordinators/{app_applicant.pk}/apply/",
        scoped(MANAGERS, viewers=MANAGERS),
        302,
    ),
    ("workspace/coordinators/applications/", "get", "/workspace/coordinators/applications/", _by_perm(VIEWERS), 302),
    (
        "workspace/coordinators/applications/<int:pk>/",
        "get",
        "/workspace/coordinators/applications/{application.pk}/",
        scoped(VIEWERS),
        302,
    ),
    (
        "workspace/coordinators/applications/<int:pk>/",
        "post",
        "/workspace/coordinators/applications/{application.pk}/",
        scoped(MANAGERS),  # no decision in the body: the form again, nothing written
        302,
    ),
    (
        "workspace/coordinators/applications/<int:pk>/withdraw/",
        "post",
        "/workspace/coordinators/applications/{application.pk}/withdraw/",
        scoped(MANAGERS, ok=302),  # no version: back to the application with the message
        302,
    ),
    (
        "workspace/coordinators/applications/<int:pk>/documents/<int:attachment_id>/",
        "get",
        "/workspace/coordinators/applications/{application.pk}/documents/{application_document.pk}/",
        scoped(VIEWERS),
        302,
    ),
    ("workspace/coordinators/settings/", "get", "/workspace/coordinators/settings/", _by_perm({"prov_admin"}), 302),
    ("workspace/coordinators/settings/", "post", "/workspace/coordinators/settings/", _by_perm({"prov_admin"}), 302),
    ("api/v1/coordinator-applications/", "get", "/api/v1/coordinator-applications/", _by_perm(VIEWERS), 401),
    (
        "api/v1/coordinator-applications/",
        "post",
        "/api/v1/coordinator-applications/",
        _by_perm(MANAGERS, ok=400),  # no coordinator named: malformed for whoever may submit
        401,
    ),
    (
        "api/v1/coordinator-applications/export/",
        "get",
        "/api/v1/coordinator-applications/export/",
        _by_perm(EXPORTERS),
        401,
    ),
    (
        "api/v1/coordinator-applications/<pk>/",
        "get",
        "/api/v1/coordinator-applications/{application.pk}/",
        scoped(VIEWERS),
        401,
    ),
    (
        "api/v1/coordinator-applications/<pk>/review/",
        "post",
        "/api/v1/coordinator-applications/{application.pk}/review/",
        scoped(MANAGERS, ok=400),
        401,
    ),
    (
        "api/v1/coordinator-applications/<pk>/withdraw/",
        "post",
        "/api/v1/coordinator-applications/{application.pk}/withdraw/",
        scoped(MANAGERS, ok=400),
        401,
    ),
]


def context(ctx):
    from ..models import Application
    from ..selectors.applications import documents
    from ..services.applications import application_submit
    from .factories import make_coordinator

    applicant = make_coordinator(name="矩阵申请人", region="530102")
    application = application_submit(actor=user("prov_admin"), coordinator=applicant, documents=[pdf()])
    assert application.state == Application.State.IN_REVIEW
    return {
        "app_applicant": applicant,
        "application": application,
        "application_document": documents(application).first(),
    }
