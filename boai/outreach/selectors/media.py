"""Reads of the media area: the scoped list of media reports with its filters and totals, the choices
the form offers (areas, events and campaigns the user sees), and the coverage of one event or campaign
(the panel their pages show)."""

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from boai.accounts.scoping import user_region_prefix, visible
from boai.core.models import Region

from ..models import Campaign, Event, MediaReport
from . import campaigns

PANEL_LIMIT = 50


def _prefix(user) -> str:
    return user_region_prefix(user) or "-"


def regions_for(user) -> QuerySet[Region]:
    """The areas a report of the user's may be recorded in: their own and every one inside it."""
    levels = [Region.Level.COUNTY, Region.Level.PREFECTURE, Region.Level.PROVINCE]
    return Region.objects.filter(code__startswith=_prefix(user), level__in=levels).order_by("code")


def events_for(user) -> QuerySet[Event]:
    """The publicity events a report may be linked to: those the user sees, newest first."""
    return visible(user, Event, perm="outreach.view").order_by("-starts_on", "-id")


def campaigns_for(user) -> QuerySet[Campaign]:
    """The campaigns the user sees (``campaigns.campaigns_for``: theirs and those of the areas above)."""
    return campaigns.campaigns_for(user).order_by("-starts_on", "-id")


def media_list(
    *,
    user,
    search: str = "",
    year: int | None = None,
    kind: str = "",
    national: str = "",
    event: int | None = None,
    campaign: int | None = None,
) -> QuerySet[MediaReport]:
    """The media reports of the user's area; ``national``: "yes", "no" or "" (all)."""
    qs = visible(user, MediaReport, perm="outreach.view").select_related("region", "event", "campaign")
    if search:
        qs = qs.filter(Q(outlet__icontains=search) | Q(title__icontains=search))
    if year:
        qs = qs.filter(published_on__gte=date(year, 1, 1), published_on__lt=date(year + 1, 1, 1))
    if kind:
        qs = qs.filter(kind=kind)
    if national == "yes":
        qs = qs.filter(national=True)
    elif national == "no":
        qs = qs.filter(national=False)
    if event:
        qs = qs.filter(event_id=event)
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    return qs.order_by("-published_on", "-id")


def media_totals(qs: QuerySet[MediaReport]) -> dict:
    """How many reports a list holds, how many by national media, and their known reach summed."""
    sums = qs.order_by().aggregate(
        reports=Count("id"), national=Count("id", filter=Q(national=True)), reach=Sum("reach")
    )
    return {k: v or 0 for k, v in sums.items()}


def media_years(*, user, today: date) -> list[int]:
    """The years the list offers: from the first report's (at most ten back) to this year."""
    first = (
        visible(user, MediaReport, perm="outreach.view").order_by("published_on").values_list("published_on", flat=True)
    )
    start = first[0].year if first else today.year
    start = max(start, today.year - 10)
    return list(range(today.year, start - 1, -1))


def reports_for(*, user, event: Event | None = None, campaign: Campaign | None = None) -> list[MediaReport]:
    """The coverage of one event or one campaign that the user sees, newest first (for the panel on
    their pages). A campaign's coverage includes the reports on its events."""
    qs = visible(user, MediaReport, perm="outreach.view").select_related("event", "campaign")
    if event is not None:
        qs = qs.filter(event=event)
    elif campaign is not None:
        qs = qs.filter(Q(campaign=campaign) | Q(event__campaign=campaign))
    else:
        return []
    return list(qs.order_by("-published_on", "-id")[:PANEL_LIMIT])
