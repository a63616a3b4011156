"""The campaigns area's rows of the permission matrix: the campaigns' pages, their link / QR / poster
downloads, an event's link page, the public short link and the API. The records: a campaign run by the
Kunming prefecture (530100: seen by Kunming and its counties, by province roles, not by Qujing) and an
event in Wuhua (530102)."""

from boai.core.tests.matrix_kit import by_scope, everyone
from boai.core.tests.matrix_rules import EXPORTERS, MANAGERS, VIEWERS, only

from .factories import make_campaign, make_event

# who sees a Kunming campaign: Kunming, its counties (it runs there too) and the province's roles
SEE_KUNMING = {"prov_admin", "kunming_staff", "wuhua_staff", "coordinator", "auditor"}
CHANGE_KUNMING = {"prov_admin", "kunming_staff"}  # Wuhua sees it, but it is run by the prefecture


def campaign(allowed=VIEWERS, ok=200, seen_not_changed=404):
    def expect(role, ctx):
        if role not in allowed:
            return 403
        if role not in SEE_KUNMING:
            return 404
        if allowed is MANAGERS and role not in CHANGE_KUNMING:
            return seen_not_changed
        return ok

    return expect


W = "/workspace/outreach"
C = f"{W}/campaigns/{{camp_campaign.pk}}"

MATRIX = [
    ("workspace/outreach/campaigns/", "get", f"{W}/campaigns/", only(VIEWERS), 302),
    # a county branch joins campaigns with its events: it is sent back to the list
    (
        "workspace/outreach/campaigns/new/",
        "get",
        f"{W}/campaigns/new/",
        lambda role, ctx: 200 if role in {"prov_admin", "kunming_staff"} else 302 if role in MANAGERS else 403,
        302,
    ),
    ("workspace/outreach/campaigns/<int:pk>/", "get", f"{C}/", campaign(), 302),
    ("workspace/outreach/campaigns/<int:pk>/edit/", "get", f"{C}/edit/", campaign(MANAGERS), 302),
    ("workspace/outreach/campaigns/<int:pk>/export/", "get", f"{C}/export/", campaign(EXPORTERS), 302),
    ("workspace/outreach/campaigns/<int:pk>/link/", "get", f"{C}/link/", campaign(), 302),
    ("workspace/outreach/campaigns/<int:pk>/link/<str:name>/", "get", f"{C}/link/qr.png/", campaign(), 302),
    (
        "workspace/outreach/events/<int:pk>/link/",
        "get",
        f"{W}/events/{{camp_event.pk}}/link/",
        by_scope(allowed=VIEWERS, record="camp_event"),
        302,
    ),
    (
        "workspace/outreach/events/<int:pk>/link/<str:name>/",
        "get",
        f"{W}/events/{{camp_event.pk}}/link/qr.png/",
        by_scope(allowed=VIEWERS, record="camp_event"),
        302,
    ),
    # the public short link: to the registration form, for everyone
    ("c/<slug:code>/", "get", "/c/{camp_campaign.code}/", everyone(302), 302),
    # the API
    ("api/v1/campaigns/", "get", "/api/v1/campaigns/", only(VIEWERS), 401),
    ("api/v1/campaigns/", "post", "/api/v1/campaigns/", only(MANAGERS, 400), 401),
    ("api/v1/campaigns/<pk>/", "get", "/api/v1/campaigns/{camp_campaign.pk}/", campaign(), 401),
    (
        "api/v1/campaigns/<pk>/",
        "patch",
        "/api/v1/campaigns/{camp_campaign.pk}/",
        campaign(MANAGERS, ok=409, seen_not_changed=403),
        401,
    ),
    (
        "api/v1/campaigns/<pk>/registrations/",
        "get",
        "/api/v1/campaigns/{camp_campaign.pk}/registrations/",
        campaign(),
        401,
    ),
]


def context(ctx):
    kunming = make_campaign(region="530100", code="matrix-kunming", title="矩阵登记季", created_by="kunming_staff")
    return {"camp_campaign": kunming, "camp_event": make_event(region="530102", campaign=kunming)}
