"""Follow-ups' rows of the permission matrix: the work list and the contacts API for whoever views
family care; recording a contact and the family's wishes for care.manage holders in the family's
area (a family of Wuhua: Qilin's staff get 404); the settings for the province only."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from boai.core.services import attachment_store
from boai.core.tests.personas import user

VIEWERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "coordinator", "auditor"}
MANAGERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff"}
OUT_OF_WUHUA = {"qilin_staff"}


def viewers(ok=200):
    return lambda role, ctx: ok if role in VIEWERS else 403


def managers(ok=200):
    return lambda role, ctx: ok if role in MANAGERS else 403


def in_wuhua(ok=200, allowed=VIEWERS):
    def expect(role, ctx):
        if role not in allowed:
            return 403
        return 404 if role in OUT_OF_WUHUA else ok

    return expect


def province(ok):
    return lambda role, ctx: ok if role == "prov_admin" else 403


W = "workspace/care/"
A = "api/v1/family-contacts/"
MATRIX = [
    (f"{W}settings/", "get", f"/{W}settings/", province(200), 302),
    (f"{W}settings/", "post", f"/{W}settings/", province(400), 302),
    (f"{W}follow-ups/", "get", f"/{W}follow-ups/", viewers(), 302),
    (
        f"{W}families/<int:pk>/contacts/new/",
        "get",
        f"/{W}families/{{followups_family.pk}}/contacts/new/",
        in_wuhua(200, MANAGERS),
        302,
    ),
    (
        f"{W}families/<int:pk>/contacts/new/",
        "post",
        f"/{W}families/{{followups_family.pk}}/contacts/new/",
        in_wuhua(400, MANAGERS),  # an empty form answers with its errors
        302,
    ),
    (
        f"{W}families/<int:pk>/wishes/",
        "post",
        f"/{W}families/{{followups_family.pk}}/wishes/",
        in_wuhua(302, MANAGERS),  # no channel: back to the family with the message
        302,
    ),
    (f"{W}contacts/<int:pk>/", "get", f"/{W}contacts/{{followups_contact.pk}}/", in_wuhua(), 302),
    (
        f"{W}contacts/<int:pk>/photos/<int:attachment_id>/",
        "get",
        f"/{W}contacts/{{followups_contact.pk}}/photos/{{followups_photo.pk}}/",
        in_wuhua(),
        302,
    ),
    (A, "get", f"/{A}", viewers(), 401),
    (A, "post", f"/{A}", managers(400), 401),
    (f"{A}<pk>/", "get", f"/{A}{{followups_contact.pk}}/", in_wuhua(), 401),
]


def context(ctx):
    from .factories import PNG, make_contact, make_family, make_follow_up

    family = make_family(region="530102", donor_name="矩阵捐献者", donated_on=date(2025, 3, 10))
    make_follow_up(family, due_on=date(2025, 4, 10))
    contact = make_contact(family, occurred_on=date(2025, 5, 1), members=list(family.members.all()))
    photo = attachment_store(
        owner=contact, kind="photo", upload=SimpleUploadedFile("x.png", PNG), actor=user("wuhua_staff")
    )
    return {"followups_family": family, "followups_contact": contact, "followups_photo": photo}
