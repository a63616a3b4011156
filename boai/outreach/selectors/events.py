"""Reads of the events area: the scoped list with its filters and counts, the calendar's days, the
choices the event form offers (areas, campaigns, partners), an event's photos and the registrations
attributed to it."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum

from boai.accounts.scoping import user_region_prefix, visible
from boai.core.models import Attachment, Region
from boai.registry.models import Registration

from ..models import Campaign, Event, Partner
from . import campaigns


def _prefix(user) -> str:
    return user_region_prefix(user) or "-"


def prefectures_for(user) -> QuerySet[Region]:
    """The prefectures a filter offers: those inside the user's area (its own for a county)."""
    prefix = _prefix(user)
    qs = Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith="53").order_by("code")
    return qs.filter(code__startswith=prefix[:4] if len(prefix) >= 4 else prefix)


def regions_for(user) -> QuerySet[Region]:
    """The areas an event of the user's may be placed in: counties, prefectures and the province."""
    levels = [Region.Level.COUNTY, Region.Level.PREFECTURE, Region.Level.PROVINCE]
    return Region.objects.filter(code__startswith=_prefix(user), level__in=levels).order_by("code")


def campaigns_for(user) -> QuerySet[Campaign]:
    """The campaigns the user sees (``campaigns.campaigns_for``: theirs and those of the areas above)."""
    return campaigns.campaigns_for(user).order_by("-starts_on", "-id")


def partners_for(*, include: tuple = ()) -> QuerySet[Partner]:
    """The partners an event form offers: those in use, and those ``include`` names (already chosen)."""
    return Partner.objects.filter(Q(active=True) | Q(pk__in=include)).order_by("name")


def partner_list() -> QuerySet[Partner]:
    """Every partner (a shared list, nothing personal), with how many events and campaigns name it."""
    return Partner.objects.annotate(
        event_count=Count("events", distinct=True), campaign_count=Count("campaigns", distinct=True)
    ).order_by("-active", "name")


def event_list(
    *,
    user,
    year: int | None = None,
    kind: str = "",
    campaign: int | None = None,
    region: str = "",
    mode: str = "",
    search: str = "",
) -> QuerySet[Event]:
    qs = visible(user, Event, perm="outreach.view").select_related("region", "campaign")
    if year:
        qs = qs.filter(starts_on__gte=date(year, 1, 1), starts_on__lt=date(year + 1, 1, 1))
    if kind:
        qs = qs.filter(kind=kind)
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    if region:
        qs = qs.filter(region__code__startswith=region[:4])
    if mode:
        qs = qs.filter(mode=mode)
    if search:
        qs = qs.filter(title__icontains=search)
    return qs.order_by("-starts_on", "-id")


def event_totals(qs: QuerySet[Event]) -> dict:
    """The events of a list, their audience and volunteers, summed."""
    sums = qs.order_by().aggregate(events=Count("id"), audience=Sum("audience"), volunteers=Sum("volunteers"))
    return {k: v or 0 for k, v in sums.items()}


def event_years(*, user, today: date) -> list[int]:
    """The years the list offers: from the first event's (at most ten back) to next year."""
    first = visible(user, Event, perm="outreach.view").order_by("starts_on").values_list("starts_on", flat=True)
    start = max(first[0].year if first else today.year, today.year - 10)
    return list(range(today.year + 1, start - 1, -1))


def registrations_count(event: Event) -> int:
    """Registrations attributed to the event (made through its link or QR code, or entered with it)."""
    return Registration.objects.filter(campaign=event.code).count()


def photos(event: Event) -> QuerySet[Attachment]:
    return Attachment.objects.filter(owner_type=event._meta.label_lower, owner_id=str(event.pk)).order_by("id")


def photo(event: Event, attachment_pk) -> Attachment | None:
    return photos(event).filter(pk=attachment_pk).first()


# --- the calendar ---------------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool = True
    events: list = field(default_factory=list)


def _days(user, first: date, last: date, *, month: int | None = None) -> list[Day]:
    """Each day from ``first`` to ``last`` with the events under way that day (a multi-day event on
    each of its days), in the user's area."""
    days = {first + timedelta(n): Day(first + timedelta(n)) for n in range((last - first).days + 1)}
    if month is not None:
        for d in days.values():
            d.in_month = d.day.month == month
    events = (
        visible(user, Event, perm="outreach.view")
        .filter(starts_on__lte=last, ends_on__gte=first)
        .select_related("region")
        .order_by("starts_on", "title", "id")
    )
    for event in events:
        day = max(event.starts_on, first)
        while day <= min(event.ends_on, last):
            days[day].events.append(event)
            day += timedelta(1)
    return list(days.values())


def month_weeks(*, user, year: int, month: int) -> list[list[Day]]:
    """The month's grid, Monday first: whole weeks, the days of the months around it marked."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    days = _days(user, weeks[0][0], weeks[-1][-1], month=month)
    return [days[i : i + 7] for i in range(0, len(days), 7)]


def week_days(*, user, day: date) -> list[Day]:
    """The week (Monday to Sunday) that holds ``day``."""
    monday = day - timedelta(days=day.weekday())
    return _days(user, monday, monday + timedelta(6))
