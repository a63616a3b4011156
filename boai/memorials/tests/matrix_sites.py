"""Sites's rows of the permission matrix: the memorial sites' and events' pages and their API. The
records: a Wuhua (530102) site with a photo and a Wuhua event with a photo."""

from django.core.files.uploadedfile import SimpleUploadedFile

from boai.care.tests.factories import make_event, make_site
from boai.core.services import attachment_store
from boai.core.tests.matrix_rules import EXPORTERS, MANAGERS, VIEWERS, only, scoped
from boai.core.tests.personas import user

W = "/workspace/memorials"

MATRIX = [
    ("workspace/memorials/sites/", "get", f"{W}/sites/", only(VIEWERS), 302),
    ("workspace/memorials/sites/export/", "get", f"{W}/sites/export/", only(EXPORTERS), 302),
    ("workspace/memorials/sites/new/", "get", f"{W}/sites/new/", only(MANAGERS), 302),
    ("workspace/memorials/sites/<int:pk>/", "get", f"{W}/sites/{{sites_site.pk}}/", scoped("sites_site"), 302),
    (
        "workspace/memorials/sites/<int:pk>/edit/",
        "get",
        f"{W}/sites/{{sites_site.pk}}/edit/",
        scoped("sites_site", allowed=MANAGERS),
        302,
    ),
    (
        "workspace/memorials/sites/<int:pk>/photos/<int:attachment_pk>/",
        "get",
        f"{W}/sites/{{sites_site.pk}}/photos/{{sites_site_photo.pk}}/",
        scoped("sites_site"),
        302,
    ),
    ("workspace/memorials/events/", "get", f"{W}/events/", only(VIEWERS), 302),
    ("workspace/memorials/events/export/", "get", f"{W}/events/export/", only(EXPORTERS), 302),
    ("workspace/memorials/events/new/", "get", f"{W}/events/new/", only(MANAGERS), 302),
    ("workspace/memorials/events/<int:pk>/", "get", f"{W}/events/{{sites_event.pk}}/", scoped("sites_event"), 302),
    (
        "workspace/memorials/events/<int:pk>/edit/",
        "get",
        f"{W}/events/{{sites_event.pk}}/edit/",
        scoped("sites_event", allowed=MANAGERS),
        302,
    ),
    (
        "workspace/memorials/events/<int:pk>/photos/<int:attachment_pk>/",
        "get",
        f"{W}/events/{{sites_event.pk}}/photos/{{sites_event_photo.pk}}/",
        scoped("sites_event"),
        302,
    ),
    # the API
    ("api/v1/memorial-sites/", "get", "/api/v1/memorial-sites/", only(VIEWERS), 401),
    ("api/v1/memorial-sites/", "post", "/api/v1/memorial-sites/", only(MANAGERS, 400), 401),
    ("api/v1/memorial-sites/<pk>/", "get", "/api/v1/memorial-sites/{sites_site.pk}/", scoped("sites_site"), 401),
    (
        "api/v1/memorial-sites/<pk>/",
        "patch",
        "/api/v1/memorial-sites/{sites_site.pk}/",
        scoped("sites_site", ok=409, allowed=MANAGERS),
        401,
    ),
    ("api/v1/memorial-events/", "get", "/api/v1/memorial-events/", only(VIEWERS), 401),
    ("api/v1/memorial-events/", "post", "/api/v1/memorial-events/", only(MANAGERS, 400), 401),
    ("api/v1/memorial-events/<pk>/", "get", "/api/v1/memorial-events/{sites_event.pk}/", scoped("sites_event"), 401),
    (
        "api/v1/memorial-events/<pk>/",
        "patch",
        "/api/v1/memorial-events/{sites_event.pk}/",
        scoped("sites_event", ok=409, allowed=MANAGERS),
        401,
    ),
]


def _photo(owner):
    return attachment_store(
        owner=owner,
        kind="photo",
        upload=SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        actor=user("wuhua_staff"),
    )


def context(ctx):
    site = make_site(region="530102", name="矩阵纪念园")
    event = make_event(site=site, title="矩阵缅怀活动")
    return {
        "sites_site": site,
        "sites_site_photo": _photo(site),
        "sites_event": event,
        "sites_event_photo": _photo(event),
    }
