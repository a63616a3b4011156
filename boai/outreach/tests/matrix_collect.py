"""The collect area's rows of the permission matrix: the collection page of a Wuhua (530102) event,
its key, the service worker and the web manifest, and the sync API."""

from boai.core.tests import matrix_rules as rules

from .factories import make_event

COLLECTORS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff"}


def scoped(ok=200):
    """``ok`` for a collector whose area includes the Wuhua event, 404 for one outside it, else 403."""
    return rules.scoped("collect_event", ok, allowed=COLLECTORS)


def everyone(role, ctx):
    return 200


W = "/workspace/outreach"

MATRIX = [
    ("workspace/outreach/events/<int:pk>/collect/", "get", f"{W}/events/{{collect_event.pk}}/collect/", scoped(), 302),
    (
        "workspace/outreach/events/<int:pk>/collect/key/",
        "get",
        f"{W}/events/{{collect_event.pk}}/collect/key/",
        scoped(),
        302,
    ),
    # no data in either: every signed-in account gets them (the workspace asks anyone else to log in)
    ("workspace/outreach/collect-sw.js", "get", f"{W}/collect-sw.js", everyone, 302),
    (
        "workspace/outreach/events/<int:pk>/collect/app.webmanifest",
        "get",
        f"{W}/events/{{collect_event.pk}}/collect/app.webmanifest",
        everyone,
        302,
    ),
    # the API: an empty batch is a 200 with no results
    (
        "api/v1/events/<event_pk>/collected/",
        "post",
        "/api/v1/events/{collect_event.pk}/collected/",
        scoped(),
        401,
        {"entries": []},
    ),
]


def context(ctx):
    return {"collect_event": make_event(region="530102", title="矩阵登记日")}
