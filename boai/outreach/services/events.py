"""Writes of the events area: publicity events (with their photos) and partners. Every write checks all
its rules first and is saved in one transaction with its audit entry; a refusal writes nothing (photos
stored before a later refusal roll back with the event). An event's ``code`` (``ev-`` and a short
random token) is made here, once, and never changes: its registration link and QR code carry it."""

import secrets
import string
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import check_perm
from boai.accounts.scoping import sees, user_region_prefix, visible_from_above
from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidFields, InvalidInput
from boai.core.models import Region
from boai.core.services import checks, photos_store
from boai.core.workflow import stale_check

from ..models import EVENT_CODE_PREFIX, Campaign, Event, EventKind, Mode, Partner

STALE = gettext_lazy("Someone else changed this record in the meantime. Reload it and try again.")
MAX_PHOTOS = 10  # per save
EARLIEST = date(2000, 1, 1)
AHEAD = timedelta(days=366)  # an event being planned: at most a year ahead
MAX_DAYS = 366  # an event lasts at most a year (a season is a campaign)
MAX_COUNT = 10_000_000  # audience of a media event can be large
CODE_ALPHABET = string.ascii_lowercase + string.digits
CODE_LENGTH = 6


# --- shared checks --------------------------------------------------------------------------------


AREA_LEVELS = (Region.Level.COUNTY, Region.Level.PREFECTURE, Region.Level.PROVINCE)


def _date(errors, name: str, value, *, today: date, missing) -> date | None:
    return checks.day(
        errors,
        name,
        value,
        today=today,
        earliest=EARLIEST,
        ahead=AHEAD,
        missing=missing,
        too_early=_("The date cannot be before 2000."),
        too_late=_("The date cannot be more than a year from today."),
        keep_refused=False,
    )


def _count(errors, name: str, value) -> int | None:
    return checks.count(errors, name, value, most=MAX_COUNT, too_many=_("At most 10,000,000."))


def _region(errors, code, actor) -> Region | None:
    return checks.region(
        errors,
        code,
        user_region_prefix(actor),
        levels=AREA_LEVELS,
        wrong_level=_("Choose the area: a county, a prefecture or the province."),
    )


# --- events ---------------------------------------------------------------------------------------


@dataclass
class EventData:
    """What a form or an API body says about an event (``campaign``: an id or None; ``region``: a code;
    ``partners``: ids)."""

    title: str = ""
    kind: str = ""
    campaign: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    place: str = ""
    region: str = ""
    organisers: str = ""
    partners: list = field(default_factory=list)
    mode: str = Mode.OFFLINE
    audience: int | None = None
    volunteers: int | None = None
    report: str = ""

    FIELDS = (
        "title",
        "kind",
        "campaign",
        "starts_on",
        "ends_on",
        "place",
        "region",
        "organisers",
        "partners",
        "mode",
        "audience",
        "volunteers",
        "report",
    )

    @classmethod
    def of(cls, event: Event) -> "EventData":
        return cls(
            title=event.title,
            kind=event.kind,
            campaign=event.campaign_id,
            starts_on=event.starts_on,
            ends_on=event.ends_on,
            place=event.place,
            region=event.region_id,
            organisers=event.organisers,
            partners=sorted(event.partners.values_list("pk", flat=True)),
            mode=event.mode,
            audience=event.audience,
            volunteers=event.volunteers,
            report=event.report,
        )


def _clean_event(data: EventData, *, actor, today: date, photos, current: Event | None = None) -> tuple:
    errors: list = []
    values: dict = {
        "title": checks.text(
            errors, "title", data.title, max_length=128, required=True, missing=_("Give the event's title.")
        ),
    }
    if data.kind not in EventKind.values:
        errors.append(("kind", _("Choose the kind of event from the list.")))
    values["kind"] = data.kind
    campaign = None
    if data.campaign not in (None, ""):
        if isinstance(data.campaign, int) and not isinstance(data.campaign, bool):
            campaign = visible_from_above(actor, Campaign, perm="outreach.view").filter(pk=data.campaign).first()
        # an event already in a campaign the actor cannot see keeps it
        if campaign is None and current is not None and current.campaign_id == data.campaign:
            campaign = current.campaign
        if campaign is None:
            errors.append(("campaign", _("Choose a campaign of your area, or none.")))
    values["campaign"] = campaign
    starts = _date(
        errors, "starts_on", data.starts_on, today=today, missing=_("Give the first day, such as 2025-05-08.")
    )
    ends = _date(errors, "ends_on", data.ends_on, today=today, missing=_("Give the last day, such as 2025-05-08."))
    if starts and ends:
        if ends < starts:
            errors.append(("ends_on", _("The last day cannot be before the first day.")))
        elif (ends - starts).days >= MAX_DAYS:
            errors.append(("ends_on", _("An event lasts at most a year; for a longer series, make a campaign.")))
    values["starts_on"], values["ends_on"] = starts, ends
    values["place"] = checks.text(errors, "place", data.place, max_length=200)
    values["region"] = _region(errors, data.region, actor)
    values["organisers"] = checks.text(
        errors, "organisers", data.organisers, max_length=200, required=True, missing=_("Say who organised it.")
    )
    ids = data.partners if isinstance(data.partners, list | tuple) else None
    partners = []
    if ids is None or any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        errors.append(("partners", _("Choose the partners from the list.")))
    else:
        partners = list(Partner.objects.filter(pk__in=set(ids)))
        known = {p.pk for p in partners}
        # a partner no longer in use may stay on an event that had it, not be newly added
        kept = set(current.partners.values_list("pk", flat=True)) if current else set()
        if len(known) != len(set(ids)) or any(not p.active and p.pk not in kept for p in partners):
            errors.append(("partners", _("Choose the partners from the list.")))
    if data.mode not in Mode.values:
        errors.append(("mode", _("Say whether it was on site, online or both.")))
    values["mode"] = data.mode
    values["audience"] = _count(errors, "audience", data.audience)
    values["volunteers"] = _count(errors, "volunteers", data.volunteers)
    values["report"] = checks.text(errors, "report", data.report, max_length=4000)
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        errors.append(("photos", _("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS}))
    if errors:
        raise InvalidFields(errors)
    return values, partners, photos


def _new_code() -> str:
    while True:
        code = EVENT_CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Event.objects.filter(code=code).exists():
            return code


def _set_partners(event: Event, partners: list, changes: dict) -> None:
    before = set(event.partners.values_list("pk", flat=True))
    after = {p.pk for p in partners}
    if before != after:
        event.partners.set(partners)
        changes["partners"] = [sorted(before), sorted(after)]


def _saved(event, changes, partners, photos, *, actor, now, action) -> Event:
    _set_partners(event, partners, changes)
    stored = photos_store(event, photos, kind="photo", actor=actor, now=now)
    if stored:
        changes["photos_added"] = len(stored)
    audit_log(action=action, actor=actor, obj=event, changes=changes, now=now)
    return event


def event_create(*, actor, data: EventData, photos=(), now=None) -> Event:
    """A new publicity event in the actor's area (outreach.manage), with its own code and its photos."""
    check_perm(actor, "outreach.manage")
    now = now or timezone.now()
    values, partners, photos = _clean_event(data, actor=actor, today=timezone.localdate(now), photos=photos)
    last = None
    for _attempt in range(3):
        try:
            with transaction.atomic():
                code = _new_code()
                event = Event(created_by=actor, code=code)
                changes = checks.values_set(event, values)
                event.save()
                changes["code"] = [None, event.code]
                return _saved(event, changes, partners, photos, actor=actor, now=now, action="outreach.event.created")
        except IntegrityError as exc:  # two new events drew the same code at once: draw again
            if not Event.objects.filter(code=code).exists():
                raise
            last = exc
    raise Conflict(_("The event could not be given a code. Try again.")) from last


@transaction.atomic
def event_update(*, event: Event, actor, data: EventData, version: int | None, photos=(), now=None) -> Event:
    """Change an event. ``version`` is the one the editor read: a save in between refuses this one."""
    check_perm(actor, "outreach.manage")
    now = now or timezone.now()
    # two editors of one event queue here; the second finds the version moved on and is refused
    current = Event.objects.select_for_update().get(pk=event.pk)
    stale_check(current, version, required=True, message=STALE, code="stale")
    if not sees(actor, current, perm="outreach.manage"):
        raise InvalidInput(_("Refused by rule area in scope: this event is outside your area."), field="region")
    values, partners, photos = _clean_event(
        data, actor=actor, today=timezone.localdate(now), photos=photos, current=current
    )
    changes = checks.values_set(current, values)
    partner_ids = {p.pk for p in partners}
    if not changes and not photos and partner_ids == set(current.partners.values_list("pk", flat=True)):
        return current
    current.version += 1
    current.save()
    return _saved(current, changes, partners, photos, actor=actor, now=now, action="outreach.event.changed")


@transaction.atomic
def event_photos_add(*, event: Event, actor, photos, now=None) -> int:
    """Photos added on the event's page (outreach.manage, in the actor's area): no version is asked,
    as adding photos changes no field. Returns how many were added."""
    check_perm(actor, "outreach.manage")
    now = now or timezone.now()
    current = Event.objects.select_for_update().get(pk=event.pk)
    if not sees(actor, current, perm="outreach.manage"):
        raise InvalidInput(_("Refused by rule area in scope: this event is outside your area."), field="photos")
    photos = list(photos or [])
    if not photos:
        raise InvalidInput(_("Choose one or more photos."), field="photos")
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(_("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS}, field="photos")
    stored = photos_store(current, photos, kind="photo", actor=actor, now=now)
    audit_log(action="outreach.event.changed", actor=actor, obj=current, changes={"photos_added": len(stored)}, now=now)
    return len(stored)


def photo_viewed(*, actor, event: Event, attachment) -> None:
    """Who opened which photo of an event (outreach.view)."""
    check_perm(actor, "outreach.view")
    with transaction.atomic():
        audit_log(action="outreach.event.photo_viewed", actor=actor, obj=event, changes={"attachment": attachment.pk})


@transaction.atomic
def events_exported(*, actor, filters: dict, fmt: str, count: int) -> None:
    """An export of the events' list (outreach.export): events hold no personal data, so no reason is
    asked, but who took which list, and when, is recorded."""
    check_perm(actor, "outreach.export")
    audit_log(
        action="outreach.event.exported",
        actor=actor,
        object_type="outreach.event",
        changes={
            "format": fmt,
            "rows": count,
            "filters": {k: str(v) for k, v in filters.items() if v not in ("", None)},
        },
    )


# --- partners -------------------------------------------------------------------------------------


@dataclass
class PartnerData:
    name: str = ""
    kind: str = Partner.Kind.GOVERNMENT
    active: bool = True

    FIELDS = ("name", "kind", "active")

    @classmethod
    def of(cls, partner: Partner) -> "PartnerData":
        return cls(name=partner.name, kind=partner.kind, active=partner.active)


def _clean_partner(data: PartnerData, *, current: Partner | None = None) -> dict:
    errors: list = []
    name = checks.text(errors, "name", data.name, max_length=128, required=True, missing=_("Give the partner's name."))
    if name:
        same = Partner.objects.filter(name__iexact=name)
        if current is not None:
            same = same.exclude(pk=current.pk)
        if same.exists():
            errors.append(("name", _("A partner of this name is already in the list.")))
    if data.kind not in Partner.Kind.values:
        errors.append(("kind", _("Choose the kind of partner from the list.")))
    if not isinstance(data.active, bool):
        errors.append(("active", _("Say whether the partner is in use.")))
    if errors:
        raise InvalidFields(errors)
    return {"name": name, "kind": data.kind, "active": data.active}


def _partner_saved(partner: Partner):
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError as exc:  # the same name saved at the same moment by someone else
        raise InvalidFields([("name", _("A partner of this name is already in the list."))]) from exc


@transaction.atomic
def partner_create(*, actor, data: PartnerData, now=None) -> Partner:
    """A new partner in the shared list (outreach.manage)."""
    check_perm(actor, "outreach.manage")
    values = _clean_partner(data)
    partner = Partner()
    changes = checks.values_set(partner, values)
    _partner_saved(partner)
    audit_log(action="outreach.partner.created", actor=actor, obj=partner, changes=changes, now=now)
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, actor, data: PartnerData, version: int | None, now=None) -> Partner:
    """Change a partner (its name, kind, whether it is still offered): the list is the whole province's,
    so only the province changes it (``outreach.partners``). Stale versions are refused."""
    check_perm(actor, "outreach.partners")
    current = Partner.objects.select_for_update().get(pk=partner.pk)
    stale_check(current, version, required=True, message=STALE, code="stale")
    values = _clean_partner(data, current=current)
    changes = checks.values_set(current, values)
    if not changes:
        return current
    current.version += 1
    _partner_saved(current)
    audit_log(action="outreach.partner.changed", actor=actor, obj=current, changes=changes, now=now)
    return current
