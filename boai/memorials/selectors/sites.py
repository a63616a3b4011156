"""Reads of memorial sites and events: the scoped lists with their filters and counts, the choices a
form offers (areas, organisations, sites of the user's area), the photos, and the traditional days the
event form suggests (``boai.lib.traditional_days``)."""

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from boai.accounts.scoping import user_region_prefix, visible
from boai.core.models import Attachment, Organisation, Region
from boai.lib import traditional_days

from ..models import MemorialEvent, MemorialSite

SITE_OWNER = "memorials.memorialsite"
EVENT_OWNER = "memorials.memorialevent"


def _prefix(user) -> str:
    return user_region_prefix(user) or "-"


def prefectures_for(user) -> QuerySet[Region]:
    """The prefectures a filter offers: those inside the user's area (its own for a county)."""
    prefix = _prefix(user)
    qs = Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith="53").order_by("code")
    return qs.filter(code__startswith=prefix[:4] if len(prefix) >= 4 else prefix)


def regions_for(user, *, province: bool = False) -> QuerySet[Region]:
    """The areas a site (counties and prefectures) or an event (also the province) of the user's area may
    be placed in."""
    levels = [Region.Level.COUNTY, Region.Level.PREFECTURE] + ([Region.Level.PROVINCE] if province else [])
    return Region.objects.filter(code__startswith=_prefix(user), level__in=levels).order_by("code")


def organisations_for(user) -> QuerySet[Organisation]:
    """The organisations that may manage a site of the user's area."""
    return Organisation.objects.filter(is_active=True, region__code__startswith=_prefix(user)).order_by("type", "code")


def sites_for(user) -> QuerySet[MemorialSite]:
    """The sites an event of the user's may be held at."""
    return visible(user, MemorialSite, perm="memorials.manage").select_related("region").order_by("name")


def site_list(
    *, user, search: str = "", kind: str = "", prefecture: str = "", state: str = ""
) -> QuerySet[MemorialSite]:
    qs = visible(user, MemorialSite, perm="memorials.view").select_related("region", "organisation")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(address__icontains=search) | Q(manager__icontains=search))
    if kind:
        qs = qs.filter(kind=kind)
    if prefecture:
        qs = qs.filter(region__code__startswith=prefecture[:4])
    if state == "open":
        qs = qs.filter(active=True)
    elif state == "closed":
        qs = qs.filter(active=False)
    return qs.annotate(event_count=Count("events")).order_by("-opened_on", "name", "id")


def site_counts(*, user) -> dict:
    """How many sites of the user's area, of each kind, open and closed."""
    qs = visible(user, MemorialSite, perm="memorials.view")
    by_kind = dict(qs.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return {
        "total": sum(by_kind.values()),
        "open": qs.filter(active=True).count(),
        "kinds": [(label, by_kind.get(value, 0)) for value, label in MemorialSite.Kind.choices],
    }


def site_events(*, user, site: MemorialSite) -> QuerySet[MemorialEvent]:
    return visible(user, MemorialEvent, perm="memorials.view").filter(site=site).order_by("-held_on", "-id")


def event_list(
    *, user, year: int | None = None, occasion: str = "", prefecture: str = "", site: int | None = None
) -> QuerySet[MemorialEvent]:
    qs = visible(user, MemorialEvent, perm="memorials.view").select_related("site", "region")
    if year:
        qs = qs.filter(held_on__gte=date(year, 1, 1), held_on__lt=date(year + 1, 1, 1))
    if occasion:
        qs = qs.filter(occasion=occasion)
    if prefecture:
        qs = qs.filter(region__code__startswith=prefecture[:4])
    if site:
        qs = qs.filter(site_id=site)
    return qs.order_by("-held_on", "-id")


def event_totals(qs: QuerySet[MemorialEvent]) -> dict:
    """The events of a list, their participants and the donor families invited and attending, summed."""
    sums = qs.order_by().aggregate(
        events=Count("id"),
        participants=Sum("participants"),
        invited=Sum("families_invited"),
        attended=Sum("families_attended"),
    )
    return {k: v or 0 for k, v in sums.items()}


def event_years(*, user, today: date) -> list[int]:
    """The years the event list offers: from the first event's (at most ten back) to next year."""
    first = visible(user, MemorialEvent, perm="memorials.view").order_by("held_on").values_list("held_on", flat=True)
    start = first[0].year if first else today.year
    start = max(start, today.year - 10)
    return list(range(today.year + 1, start - 1, -1))


def photos(owner) -> QuerySet[Attachment]:
    return Attachment.objects.filter(owner_type=owner._meta.label_lower, owner_id=str(owner.pk)).order_by("id")


def photo(owner, attachment_pk) -> Attachment | None:
    return photos(owner).filter(pk=attachment_pk).first()


def suggested_days(today: date, count: int = 4) -> list[traditional_days.TraditionalDay]:
    """The next traditional days on or after ``today`` (the next Qingming and Winter Solstice, and the
    ones after), from the calendar library, never typed in."""
    return traditional_days.next_traditional_days(today, count=count)
