"""The fundraising area's rows of the permission matrix: the projects' pages and their API. The
records: a Wuhua (530102) project with one import that refused a row."""

from datetime import date

from boai.core.tests.matrix_rules import VIEWERS, only, scoped
from boai.core.tests.personas import user

from ..services import fundraising as services
from .factories import make_project

WRITERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff"}


W = "/workspace/outreach/fundraising"
P = "{fundraising_project.pk}"
I = "{fundraising_import.pk}"  # noqa: E741
API = "/api/v1/fundraising-projects"

MATRIX = [
    ("workspace/outreach/fundraising/", "get", f"{W}/", only(VIEWERS), 302),
    ("workspace/outreach/fundraising/new/", "get", f"{W}/new/", only(WRITERS), 302),
    ("workspace/outreach/fundraising/template/", "get", f"{W}/template/", only(WRITERS), 302),
    ("workspace/outreach/fundraising/<int:pk>/", "get", f"{W}/{P}/", scoped("fundraising_project"), 302),
    (
        "workspace/outreach/fundraising/<int:pk>/edit/",
        "get",
        f"{W}/{P}/edit/",
        scoped("fundraising_project", allowed=WRITERS),
        302,
    ),
    (
        "workspace/outreach/fundraising/<int:pk>/results/",
        "get",
        f"{W}/{P}/results/",
        scoped("fundraising_project", allowed=WRITERS),
        302,
    ),
    (
        "workspace/outreach/fundraising/<int:pk>/import/",
        "get",
        f"{W}/{P}/import/",
        scoped("fundraising_project", allowed=WRITERS),
        302,
    ),
    (
        # the confirmation of a checked file: without one waiting, back to the upload
        "workspace/outreach/fundraising/<int:pk>/import/confirm/",
        "post",
        f"{W}/{P}/import/confirm/",
        scoped("fundraising_project", ok=302, allowed=WRITERS),
        302,
    ),
    (
        "workspace/outreach/fundraising/<int:pk>/imports/<int:import_pk>/",
        "get",
        f"{W}/{P}/imports/{I}/",
        scoped("fundraising_project"),
        302,
    ),
    (
        "workspace/outreach/fundraising/<int:pk>/imports/<int:import_pk>/errors/",
        "get",
        f"{W}/{P}/imports/{I}/errors/",
        scoped("fundraising_project"),
        302,
    ),
    # the API
    ("api/v1/fundraising-projects/", "get", f"{API}/", only(VIEWERS), 401),
    ("api/v1/fundraising-projects/", "post", f"{API}/", only(WRITERS, 400), 401),
    ("api/v1/fundraising-projects/<pk>/", "get", f"{API}/{P}/", scoped("fundraising_project"), 401),
    (
        "api/v1/fundraising-projects/<pk>/",
        "patch",
        f"{API}/{P}/",
        scoped("fundraising_project", ok=409, allowed=WRITERS),
        401,
    ),
    (
        "api/v1/fundraising-projects/<pk>/results/",
        "post",
        f"{API}/{P}/results/",
        # a JSON body is not an upload: 415 where the import is allowed
        scoped("fundraising_project", ok=415, allowed=WRITERS),
        401,
    ),
]


def context(ctx):
    project = make_project(
        region="530102", created_by="wuhua_staff", starts_on=date(2025, 5, 8), ends_on=date(2025, 5, 8)
    )
    imp = services.results_import(
        project=project,
        actor=user("wuhua_staff"),
        filename="export.csv",
        content="日期,金额,捐款人次\n2025-05-08,100,3\n2025-06-01,5,1\n".encode(),
    )
    return {"fundraising_project": project, "fundraising_import": imp}
