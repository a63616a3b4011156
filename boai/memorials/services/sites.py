"""Memorial sites and memorial events: add and change them (with their photos), open their photos, export
their lists. Every write checks all its rules first and is saved in one transaction with its audit
entry; a refusal writes nothing (photos stored before a later refusal roll back with the record).

An event's date is never refused for not being the traditional day: ``date_warnings`` says when a
Qingming or Winter Solstice event is not held on that year's day (from ``boai.lib.traditional_days``),
and the pages show it as a warning."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import check_perm
from boai.accounts.scoping import sees, user_region_prefix
from boai.audit.services import audit_log
from boai.core.errors import InvalidFields, InvalidInput
from boai.core.models import Organisation, Region
from boai.core.services import checks, photos_store
from boai.core.workflow import stale_check
from boai.lib import traditional_days

from ..models import MemorialEvent, MemorialSite, Offer

STALE = gettext_lazy("Someone else changed this record in the meantime. Reload it and try again.")
MAX_PHOTOS = 10  # per save
EARLIEST = date(1950, 1, 1)
AHEAD = timedelta(days=366)  # a site about to open, an event being planned: at most a year ahead
MAX_PARTICIPANTS = 1_000_000


# --- shared checks --------------------------------------------------------------------------------


def _in_scope(code: str, actor) -> bool:
    prefix = user_region_prefix(actor)
    return bool(prefix) and code.startswith(prefix)


def _region(errors, code, actor, *, levels) -> Region | None:
    if Region.Level.PROVINCE in levels:
        wrong_level = _("Choose the area: a county, a prefecture or the province.")
    else:
        wrong_level = _("Choose the county or prefecture where it is.")
    return checks.region(errors, code, user_region_prefix(actor), levels=levels, wrong_level=wrong_level)


def _date(errors, name: str, value, *, today: date, missing) -> date | None:
    return checks.day(
        errors,
        name,
        value,
        today=today,
        earliest=EARLIEST,
        ahead=AHEAD,
        missing=missing,
        too_early=_("The date cannot be before 1950."),
        too_late=_("The date cannot be more than a year from today."),
    )


def _check_photos(errors, photos) -> list:
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        errors.append(("photos", _("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS}))
    return photos


# --- sites ----------------------------------------------------------------------------------------


@dataclass
class SiteData:
    """What a form or an API body says about a site (``region`` and ``organisation`` are codes)."""

    name: str = ""
    kind: str = ""
    region: str = ""
    address: str = ""
    opened_on: date | None = None
    offers: list = field(default_factory=list)
    description: str = ""
    organisation: str = ""
    manager: str = ""
    active: bool = True

    FIELDS = (
        "name",
        "kind",
        "region",
        "address",
        "opened_on",
        "offers",
        "description",
        "organisation",
        "manager",
        "active",
    )

    @classmethod
    def of(cls, site: MemorialSite) -> "SiteData":
        return cls(
            name=site.name,
            kind=site.kind,
            region=site.region_id,
            address=site.address,
            opened_on=site.opened_on,
            offers=list(site.offers or []),
            description=site.description,
            organisation=site.organisation.code if site.organisation_id else "",
            manager=site.manager,
            active=site.active,
        )


def _clean_site(data: SiteData, *, actor, today: date, photos) -> tuple[dict, list]:
    errors: list = []
    values: dict = {
        "name": checks.text(
            errors, "name", data.name, max_length=128, required=True, missing=_("Give the site's name.")
        ),
    }
    if data.kind not in MemorialSite.Kind.values:
        errors.append(("kind", _("Choose the kind of site from the list.")))
    values["kind"] = data.kind
    values["region"] = _region(errors, data.region, actor, levels=(Region.Level.COUNTY, Region.Level.PREFECTURE))
    values["address"] = checks.text(errors, "address", data.address, max_length=200)
    values["opened_on"] = _date(
        errors, "opened_on", data.opened_on, today=today, missing=_("Give the opening date, such as 2025-04-04.")
    )
    offers = data.offers if isinstance(data.offers, list | tuple) else []
    if any(o not in Offer.values for o in offers) or not isinstance(data.offers, list | tuple):
        errors.append(("offers", _("Choose what the site offers from the list.")))
    values["offers"] = [o for o in Offer.values if o in offers]  # in the list's order, once each
    values["description"] = checks.text(errors, "description", data.description, max_length=4000)
    manager = checks.text(errors, "manager", data.manager, max_length=128)
    code = (data.organisation or "").strip()
    organisation = None
    if code:
        organisation = Organisation.objects.filter(code=code, is_active=True).first()
        if organisation is None:
            errors.append(("organisation", _("Choose the managing organisation from the list.")))
        elif not _in_scope(organisation.region_id, actor):
            errors.append(
                ("organisation", _("Refused by rule organisation in scope: this organisation is outside your area."))
            )
        elif manager:
            errors.append(
                ("manager", _("Choose the managing organisation or type its name, not both.")),
            )
    elif not manager:
        errors.append(("organisation", _("Choose the managing organisation, or type its name below.")))
    values["organisation"] = organisation
    values["manager"] = "" if organisation else manager
    if not isinstance(data.active, bool):
        errors.append(("active", _("Say whether the site is open.")))
    values["active"] = bool(data.active)
    photos = _check_photos(errors, photos)
    if errors:
        raise InvalidFields(errors)
    return values, photos


def _create(model, clean, *, actor, data, photos, now, action: str):
    """A new site or event in the actor's area (memorials.manage), with its photos, and its audit entry."""
    check_perm(actor, "memorials.manage")
    now = now or timezone.now()
    values, photos = clean(data, actor=actor, today=timezone.localdate(now), photos=photos)
    obj = model(created_by=actor)
    changes = checks.values_set(obj, values)
    obj.save()
    _photos_saved(obj, changes, photos, actor=actor, now=now)
    audit_log(action=action, actor=actor, obj=obj, changes=changes, now=now)
    return obj


def _update(obj, clean, *, actor, data, version, photos, now, action: str, outside):
    """Change a site or an event. ``version`` is the one the editor read: a save in between refuses
    this one; ``outside`` is the refusal when the record is not in the actor's area."""
    check_perm(actor, "memorials.manage")
    now = now or timezone.now()
    # two editors of one record queue here; the second finds the version moved on and is refused
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    stale_check(current, version, required=True, message=STALE, code="stale")
    if not sees(actor, current, perm="memorials.manage"):
        raise InvalidInput(outside, field="region")
    values, photos = clean(data, actor=actor, today=timezone.localdate(now), photos=photos)
    changes = checks.values_set(current, values)
    if not changes and not photos:
        return current
    current.version += 1
    current.save()
    _photos_saved(current, changes, photos, actor=actor, now=now)
    audit_log(action=action, actor=actor, obj=current, changes=changes, now=now)
    return current


def _photos_saved(owner, changes: dict, photos, *, actor, now) -> None:
    stored = photos_store(owner, photos, kind="photo", actor=actor, now=now)
    if stored:
        changes["photos_added"] = len(stored)


@transaction.atomic
def site_create(*, actor, data: SiteData, photos=(), now=None) -> MemorialSite:
    """A new memorial site in the actor's area (memorials.manage), with its photos."""
    return _create(
        MemorialSite, _clean_site, actor=actor, data=data, photos=photos, now=now, action="memorials.site.created"
    )


@transaction.atomic
def site_update(*, site: MemorialSite, actor, data: SiteData, version: int | None, photos=(), now=None) -> MemorialSite:
    """Change a site. ``version`` is the one the editor read: a save in between refuses this one."""
    return _update(
        site,
        _clean_site,
        actor=actor,
        data=data,
        version=version,
        photos=photos,
        now=now,
        action="memorials.site.changed",
        outside=_("Refused by rule area in scope: this site is outside your area."),
    )


# --- events ---------------------------------------------------------------------------------------


@dataclass
class EventData:
    """What a form or an API body says about an event (``site``: a site's id or None; ``region``: a code)."""

    title: str = ""
    occasion: str = ""
    held_on: date | None = None
    site: int | None = None
    region: str = ""
    organisers: str = ""
    participants: int | None = None
    families_invited: int | None = None
    families_attended: int | None = None
    report: str = ""

    FIELDS = (
        "title",
        "occasion",
        "held_on",
        "site",
        "region",
        "organisers",
        "participants",
        "families_invited",
        "families_attended",
        "report",
    )

    @classmethod
    def of(cls, event: MemorialEvent) -> "EventData":
        return cls(
            title=event.title,
            occasion=event.occasion,
            held_on=event.held_on,
            site=event.site_id,
            region=event.region_id,
            organisers=event.organisers,
            participants=event.participants,
            families_invited=event.families_invited,
            families_attended=event.families_attended,
            report=event.report,
        )


def _count(errors, name: str, value, *, required: bool, missing=None) -> int | None:
    return checks.count(
        errors, name, value, most=MAX_PARTICIPANTS, too_many=_("At most 1,000,000."), required=required, missing=missing
    )


def _clean_event(data: EventData, *, actor, today: date, photos) -> tuple[dict, list]:
    errors: list = []
    values: dict = {
        "title": checks.text(
            errors, "title", data.title, max_length=128, required=True, missing=_("Give the event's title.")
        ),
    }
    if data.occasion not in MemorialEvent.Occasion.values:
        errors.append(("occasion", _("Choose the occasion from the list.")))
    values["occasion"] = data.occasion
    values["held_on"] = _date(
        errors, "held_on", data.held_on, today=today, missing=_("Give the date of the event, such as 2025-04-04.")
    )
    site = None
    if data.site not in (None, ""):
        site = MemorialSite.objects.filter(pk=data.site).first() if isinstance(data.site, int) else None
        if site is None or not sees(actor, site, perm="memorials.manage"):
            errors.append(("site", _("Choose a memorial site of your area, or none.")))
            site = None
    values["site"] = site
    if site is not None:
        values["region"] = site.region  # an event at a site is counted where the site stands
    else:
        values["region"] = _region(
            errors,
            data.region,
            actor,
            levels=(Region.Level.COUNTY, Region.Level.PREFECTURE, Region.Level.PROVINCE),
        )
    values["organisers"] = checks.text(
        errors, "organisers", data.organisers, max_length=200, required=True, missing=_("Say who organised it.")
    )
    participants = _count(
        errors, "participants", data.participants, required=True, missing=_("Give the number of participants.")
    )
    invited = _count(errors, "families_invited", data.families_invited, required=False)
    attended = _count(errors, "families_attended", data.families_attended, required=False)
    if invited is not None and attended is not None and attended > invited:
        errors.append(("families_attended", _("More families attended than were invited.")))
    elif participants is not None and attended is not None and attended > participants:
        errors.append(("families_attended", _("More families attended than there were participants.")))
    values.update(participants=participants, families_invited=invited, families_attended=attended)
    values["report"] = checks.text(errors, "report", data.report, max_length=4000)
    photos = _check_photos(errors, photos)
    if errors:
        raise InvalidFields(errors)
    return values, photos


def date_warnings(occasion: str, held_on: date | None) -> list[str]:
    """A gentle word when a Qingming or Winter Solstice event is not held on that year's day (saving is
    allowed: families often meet on the weekend nearest to it)."""
    if not isinstance(held_on, date) or occasion not in (
        traditional_days.QINGMING,
        traditional_days.WINTER_SOLSTICE,
    ):
        return []
    try:
        day = traditional_days.traditional_day(occasion, held_on.year)
    except ValueError:
        return []
    if day == held_on:
        return []
    return [
        _("%(day)s falls on %(date)s in %(year)s; this event is dated %(held)s. Saved as it is: check the date.")
        % {
            "day": traditional_days.LABELS[occasion],
            "date": day.isoformat(),
            "year": held_on.year,
            "held": held_on.isoformat(),
        }
    ]


@transaction.atomic
def event_create(*, actor, data: EventData, photos=(), now=None) -> MemorialEvent:
    """A new memorial event in the actor's area (memorials.manage), with its photos."""
    return _create(
        MemorialEvent, _clean_event, actor=actor, data=data, photos=photos, now=now, action="memorials.event.created"
    )


@transaction.atomic
def event_update(
    *, event: MemorialEvent, actor, data: EventData, version: int | None, photos=(), now=None
) -> MemorialEvent:
    """Change an event. ``version`` is the one the editor read: a save in between refuses this one."""
    return _update(
        event,
        _clean_event,
        actor=actor,
        data=data,
        version=version,
        photos=photos,
        now=now,
        action="memorials.event.changed",
        outside=_("Refused by rule area in scope: this event is outside your area."),
    )


# --- photos and exports ---------------------------------------------------------------------------


def photo_viewed(*, actor, owner, attachment) -> None:
    """Who opened which photo of a site or an event (memorials.view)."""
    check_perm(actor, "memorials.view")
    with transaction.atomic():
        audit_log(
            action=f"memorials.{owner._meta.model_name.removeprefix('memorial')}.photo_viewed",
            actor=actor,
            obj=owner,
            changes={"attachment": attachment.pk},
        )


@transaction.atomic
def list_exported(*, actor, what: str, filters: dict, fmt: str, reason: str, count: int) -> None:
    """Every export of the sites' or the events' list is audited with its reason, filters and size
    (memorials.export). ``what``: "site" or "event"."""
    check_perm(actor, "memorials.export")
    if what not in ("site", "event"):
        raise ValueError(what)
    reason = checks.reason(reason)
    audit_log(
        action=f"memorials.{what}.exported",
        actor=actor,
        object_type=f"memorials.memorial{what}",
        changes={
            "format": fmt,
            "reason": reason,
            "rows": count,
            "filters": {k: str(v) for k, v in filters.items() if v not in ("", None)},
        },
    )
