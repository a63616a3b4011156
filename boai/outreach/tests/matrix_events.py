"""The events area's rows of the permission matrix: the events' pages (list, export, calendar, form,
page, photo), the partners' pages and the API. The records: a Wuhua (530102) event with a photo, and a
partner (one list for the province)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from boai.core.services import attachment_store
from boai.core.tests.matrix_rules import EXPORTERS, MANAGERS, VIEWERS, only, scoped
from boai.core.tests.personas import user

from .factories import make_event, make_partner

W = "/workspace/outreach"
EVENT = "{events_event.pk}"

MATRIX = [
    ("workspace/outreach/events/", "get", f"{W}/events/", only(VIEWERS), 302),
    ("workspace/outreach/events/export/", "get", f"{W}/events/export/", only(EXPORTERS), 302),
    ("workspace/outreach/events/calendar/", "get", f"{W}/events/calendar/", only(VIEWERS), 302),
    ("workspace/outreach/events/new/", "get", f"{W}/events/new/", only(MANAGERS), 302),
    ("workspace/outreach/events/<int:pk>/", "get", f"{W}/events/{EVENT}/", scoped("events_event"), 302),
    (
        "workspace/outreach/events/<int:pk>/edit/",
        "get",
        f"{W}/events/{EVENT}/edit/",
        scoped("events_event", allowed=MANAGERS),
        302,
    ),
    (
        "workspace/outreach/events/<int:pk>/photos/<int:attachment_pk>/",
        "get",
        f"{W}/events/{EVENT}/photos/{{events_photo.pk}}/",
        scoped("events_event"),
        302,
    ),
    ("workspace/outreach/partners/", "get", f"{W}/partners/", only(VIEWERS), 302),
    ("workspace/outreach/partners/new/", "get", f"{W}/partners/new/", only(MANAGERS), 302),
    (
        "workspace/outreach/partners/<int:pk>/edit/",
        "get",
        f"{W}/partners/{{events_partner.pk}}/edit/",
        only({"prov_admin"}),  # the shared list: only the province changes it
        302,
    ),
    # the API
    ("api/v1/events/", "get", "/api/v1/events/", only(VIEWERS), 401),
    ("api/v1/events/", "post", "/api/v1/events/", only(MANAGERS, 400), 401),
    ("api/v1/events/<pk>/", "get", f"/api/v1/events/{EVENT}/", scoped("events_event"), 401),
    (
        "api/v1/events/<pk>/",
        "patch",
        f"/api/v1/events/{EVENT}/",
        scoped("events_event", ok=409, allowed=MANAGERS),
        401,
    ),
    ("api/v1/partners/", "get", "/api/v1/partners/", only(VIEWERS), 401),
    ("api/v1/partners/", "post", "/api/v1/partners/", only(MANAGERS, 400), 401),
]


def context(ctx):
    event = make_event(region="530102", title="矩阵宣传活动")
    photo = attachment_store(
        owner=event,
        kind="photo",
        upload=SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        actor=user("wuhua_staff"),
    )
    return {"events_event": event, "events_photo": photo, "events_partner": make_partner(name="矩阵合作单位")}
