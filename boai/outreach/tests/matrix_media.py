"""The media area's rows of the permission matrix: the media reports' pages and their API. The record:
a Wuhua (530102) media report."""

from boai.core.tests.matrix_rules import EXPORTERS, MANAGERS, VIEWERS, only, scoped

from .factories import make_media

W = "/workspace/outreach"

MATRIX = [
    ("workspace/outreach/media/", "get", f"{W}/media/", only(VIEWERS), 302),
    ("workspace/outreach/media/export/", "get", f"{W}/media/export/", only(EXPORTERS), 302),
    ("workspace/outreach/media/new/", "get", f"{W}/media/new/", only(MANAGERS), 302),
    ("workspace/outreach/media/<int:pk>/", "get", f"{W}/media/{{media_report.pk}}/", scoped("media_report"), 302),
    (
        "workspace/outreach/media/<int:pk>/edit/",
        "get",
        f"{W}/media/{{media_report.pk}}/edit/",
        scoped("media_report", allowed=MANAGERS),
        302,
    ),
    # the API
    ("api/v1/media-reports/", "get", "/api/v1/media-reports/", only(VIEWERS), 401),
    ("api/v1/media-reports/", "post", "/api/v1/media-reports/", only(MANAGERS, 400), 401),
    ("api/v1/media-reports/<pk>/", "get", "/api/v1/media-reports/{media_report.pk}/", scoped("media_report"), 401),
    (
        "api/v1/media-reports/<pk>/",
        "patch",
        "/api/v1/media-reports/{media_report.pk}/",
        scoped("media_report", ok=409, allowed=MANAGERS),
        401,
    ),
]


def context(ctx):
    return {"media_report": make_media(region="530102")}
