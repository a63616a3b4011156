"""Reads of the campaigns area: the scoped list (a branch also sees the campaigns of the areas above
it, which run everywhere in them), what the registry's forms may attribute a registration to, what a
link's code names, and the registrations attributed to a campaign with their three breakdowns (per
Beijing day, per prefecture, per channel), counted in the user's own area."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.scoping import user_region_prefix, visible, visible_from_above
from boai.core.models import Region
from boai.lib import charts
from boai.registry.models import Registration

from ..models import EVENT_CODE_PREFIX, Campaign, Event, Partner

BEIJING = ZoneInfo("Asia/Shanghai")
RECENT = timedelta(days=90)  # a paper form may still be attributed to a campaign ended this long ago


def campaigns_for(user, *, perm: str = "outreach.view") -> QuerySet[Campaign]:
    """The campaigns ``user`` sees: those run inside their area, and those run by the areas above it
    (a province campaign runs in every prefecture and county)."""
    return visible_from_above(user, Campaign, perm=perm)


def sees_campaign(user, campaign: Campaign) -> bool:
    return campaigns_for(user).filter(pk=campaign.pk).exists()


def campaign_list(*, user, search: str = "", state: str = "", today: date | None = None) -> QuerySet[Campaign]:
    # the events counted are those the user sees, as on the campaign's page
    seen = Q(events__in=events_for(user).values("pk"))
    qs = campaigns_for(user).select_related("region").annotate(event_count=Count("events", filter=seen, distinct=True))
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(code__icontains=search.lower()))
    today = today or timezone.localdate()
    if state == "running":
        qs = qs.filter(starts_on__lte=today, ends_on__gte=today)
    elif state == "ended":
        qs = qs.filter(ends_on__lt=today)
    elif state == "coming":
        qs = qs.filter(starts_on__gt=today)
    return qs.order_by("-starts_on", "-id")


def campaign_for(user, pk, *, perm: str = "outreach.view") -> Campaign | None:
    """One campaign the user sees, or None (the page answers 404)."""
    return campaigns_for(user, perm=perm).select_related("region", "created_by").filter(pk=pk).first()


def campaign_to_change(user, pk) -> Campaign | None:
    """One campaign run inside the user's own area (not one of an area above it), or None."""
    return visible(user, Campaign, perm="outreach.manage").filter(pk=pk).first()


def may_add(user) -> bool:
    """Campaigns are run by the province or a prefecture: a county branch joins them with its events."""
    return user.has_perm("outreach.manage") and bool(regions_for(user))


def regions_for(user) -> list[Region]:
    """Who may run a campaign the user adds: the province (province staff) or a prefecture of their area."""
    prefix = user_region_prefix(user)
    if not prefix:
        return []
    return list(
        Region.objects.filter(
            code__startswith=prefix, level__in=(Region.Level.PROVINCE, Region.Level.PREFECTURE)
        ).order_by("code")
    )


def partners() -> QuerySet[Partner]:
    return Partner.objects.filter(active=True).order_by("name")


def events_of(campaign: Campaign, *, user) -> QuerySet[Event]:
    """The campaign's events that ``user`` sees (held inside their area): a branch does not see the
    titles of another prefecture's events in a province campaign."""
    return events_for(user).filter(campaign=campaign).select_related("region").order_by("starts_on", "id")


def events_for(user, *, perm: str = "outreach.view") -> QuerySet[Event]:
    """The events ``user`` sees (held inside their area)."""
    return visible(user, Event, perm=perm)


# --- the registry's plug-in point (``registry.extensions``) --------------------------------------------


def attribution_sources(*, user) -> list[tuple[str, str]]:
    """The campaigns and events ``user`` may attribute a paper form or an import to: campaigns they see
    that ended at most 90 days ago, and events of their area that started within the last 90 days or
    are to come."""
    since = timezone.localdate() - RECENT
    sources = []
    for c in campaigns_for(user).filter(ends_on__gte=since).order_by("-starts_on", "title"):
        sources.append((c.code, _("%(title)s (campaign)") % {"title": c.title}))
    for e in events_for(user).filter(starts_on__gte=since).order_by("-starts_on", "title"):
        label = _("%(title)s · %(date)s (event)") % {"title": e.title, "date": e.starts_on.isoformat()}
        sources.append((e.code, label))
    return sources


def attribution_allowed(*, user, code: str) -> bool:
    """Whether ``user`` may attribute an entry to ``code``: a campaign or an event they see (theirs or
    of an area above theirs), however long ago it ended (a paper form may be typed in late)."""
    if code.startswith(EVENT_CODE_PREFIX):
        return visible_from_above(user, Event, perm="outreach.view").filter(code=code).exists()
    return campaigns_for(user).filter(code=code).exists()


def attribution_title(code: str) -> str | None:
    """The public title of a campaign's or an event's code while its link attributes (``by_code``),
    else None (the portal then keeps no code)."""
    found = by_code(code)
    return found.title if found else None


def by_code(code: str) -> Campaign | Event | None:
    """The campaign or event a short link's code names, whatever its case (a code typed off a poster
    may come in capitals; codes are lower case), while it still attributes: until ``RECENT`` after it
    ended (a poster stays up a while). Later, or unknown: None."""
    code = (code or "").strip().lower()
    model = Event if code.startswith(EVENT_CODE_PREFIX) else Campaign
    return model.objects.filter(code=code, ends_on__gte=timezone.localdate() - RECENT).first()


# --- registrations attributed -----------------------------------------------------------------------


def codes_of(campaign: Campaign) -> list[str]:
    """The codes whose registrations count for ``campaign``: its own and its events'."""
    return [campaign.code, *campaign.events.values_list("code", flat=True)]


def attributed(*, user, codes: list[str]) -> QuerySet[Registration]:
    """The registrations made through ``codes``, of registrants in the user's area (one row, one count,
    whatever became of it later: the figures count the same way)."""
    return visible(user, Registration, perm="outreach.view").filter(campaign__in=codes)


def per_day(qs) -> list[tuple[date, int]]:
    """Counts per Beijing calendar day of ``registered_at`` (00:30 on 1 Jan in Beijing is 1 Jan)."""
    rows = (
        qs.annotate(day=TruncDate("registered_at", tzinfo=BEIJING))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    return [(r["day"], r["n"]) for r in rows]


def per_prefecture(qs, *, user) -> list[tuple[Region, int]]:
    """Counts per prefecture of the registrant's county, every prefecture of the user's area listed."""
    counts = {
        r["pref"]: r["n"] for r in qs.annotate(pref=Substr("region_id", 1, 4)).values("pref").annotate(n=Count("id"))
    }
    prefix = user_region_prefix(user) or "-"
    if len(prefix) == 2:
        areas = Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith=prefix)
    else:
        areas = Region.objects.filter(code=prefix[:4] + "00")
    return [(r, counts.get(r.code[:4], 0)) for r in areas.order_by("code")]


def per_channel(qs) -> list[tuple[str, str, int]]:
    """Counts per channel (online, paper, event, import, offline at an event), every channel listed."""
    counts = {r["channel"]: r["n"] for r in qs.values("channel").annotate(n=Count("id"))}
    return [(value, str(label), counts.get(value, 0)) for value, label in Registration.Channel.choices]


def breakdowns(*, user, campaign: Campaign) -> dict:
    """The total and the three breakdowns of a campaign's registrations, in the user's area."""
    qs = attributed(user=user, codes=codes_of(campaign))
    days = per_day(qs)
    prefectures = per_prefecture(qs, user=user)
    channels = per_channel(qs)
    return {
        "total": qs.count(),
        "days": days,
        "prefectures": prefectures,
        "channels": channels,
    }


def charts_of(data: dict, *, campaign: Campaign | None = None, today: date | None = None) -> dict:
    """The SVG geometry of the three breakdowns (``lib.charts``): the days as a column chart over the
    campaign's dates so far (weekly when longer than 120 days), the others as bar charts."""
    first = last = None
    if campaign is not None:
        days = [d for d, _n in data["days"]]
        today = today or timezone.localdate()
        first = min([campaign.starts_on, *days])
        last = max([min(campaign.ends_on, max(today, campaign.starts_on)), *days])
    return {
        "days": charts.column_chart(data["days"], first=first, last=last),
        "prefectures": charts.bar_chart(
            [(r.name, {"n": n}) for r, n in data["prefectures"]], ["n"], bar=16, label_width=190
        ),
        "channels": charts.bar_chart(
            [(label, {"n": n}) for _v, label, n in data["channels"]], ["n"], bar=16, label_width=330
        ),
    }
