"""Writes of the media area: add and change a media report, and the audited export of the list. Every
write checks all its rules first and is saved in one transaction with its audit entry; a refusal writes
nothing."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import check_perm
from boai.accounts.scoping import sees, user_region_prefix, visible_from_above
from boai.audit.services import audit_log
from boai.core.errors import InvalidFields, InvalidInput
from boai.core.models import Region
from boai.core.services import checks
from boai.core.workflow import stale_check

from ..models import Campaign, Event, MediaReport

STALE = gettext_lazy("Someone else changed this record in the meantime. Reload it and try again.")
EARLIEST = date(1950, 1, 1)
AHEAD = timedelta(days=1)  # a report dated tomorrow (time zones, a paper printed overnight), no later
MAX_REACH = 10_000_000_000  # ten billion: more than any outlet's audience
_url_check = URLValidator(schemes=["http", "https"])


@dataclass
class MediaData:
    """What a form or an API body says about a media report (``event``/``campaign``: ids or None;
    ``region``: a code)."""

    outlet: str = ""
    title: str = ""
    url: str = ""
    published_on: date | None = None
    kind: str = ""
    national: bool = False
    reach: int | None = None
    event: int | None = None
    campaign: int | None = None
    region: str = ""

    FIELDS = ("outlet", "title", "url", "published_on", "kind", "national", "reach", "event", "campaign", "region")

    @classmethod
    def of(cls, report: MediaReport) -> "MediaData":
        return cls(
            outlet=report.outlet,
            title=report.title,
            url=report.url,
            published_on=report.published_on,
            kind=report.kind,
            national=report.national,
            reach=report.reach,
            event=report.event_id,
            campaign=report.campaign_id,
            region=report.region_id,
        )


def _url(errors, value) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if not value:
        return ""
    if len(value) > 500:
        errors.append(("url", _("At most %(n)s characters.") % {"n": 500}))
        return value
    try:
        _url_check(value)  # http and https only: a javascript: or data: link is refused here
    except ValidationError:
        errors.append(("url", _("Give a web address starting with http:// or https://.")))
    return value


def _published_on(errors, value, *, today: date) -> date | None:
    return checks.day(
        errors,
        "published_on",
        value,
        today=today,
        earliest=EARLIEST,
        ahead=AHEAD,
        missing=_("Give the date it was published, such as 2025-05-08."),
        too_early=_("The date cannot be before 1950."),
        too_late=_("The date cannot be later than tomorrow: give the day it was published."),
    )


def _reach(errors, value) -> int | None:
    return checks.count(
        errors,
        "reach",
        value,
        most=MAX_REACH,
        too_many=_("At most 10,000,000,000."),
        invalid=_("Give a whole number, 0 or more, or leave it empty when not known."),
    )


def _linked(errors, name: str, model, pk, actor, *, refusal):
    """The event or campaign a report is linked to: one the actor sees, or none."""
    if pk in (None, ""):
        return None
    found = None
    if isinstance(pk, int) and not isinstance(pk, bool):
        found = visible_from_above(actor, model, perm="outreach.view").filter(pk=pk).first()
    if found is None:
        errors.append((name, refusal))
    return found


def _region(errors, code, actor) -> Region | None:
    return checks.region(
        errors,
        code,
        user_region_prefix(actor),
        levels=(Region.Level.COUNTY, Region.Level.PREFECTURE, Region.Level.PROVINCE),
        wrong_level=_("Choose the area: a county, a prefecture or the province."),
    )


def _clean(data: MediaData, *, actor, today: date) -> dict:
    errors: list = []
    values: dict = {
        "outlet": checks.text(
            errors,
            "outlet",
            data.outlet,
            max_length=128,
            required=True,
            missing=_("Give the newspaper, station or site."),
        ),
        "title": checks.text(
            errors, "title", data.title, max_length=200, required=True, missing=_("Give the report's title.")
        ),
        "url": _url(errors, data.url),
        "published_on": _published_on(errors, data.published_on, today=today),
    }
    if data.kind not in MediaReport.Kind.values:
        errors.append(("kind", _("Choose the kind of coverage from the list.")))
    values["kind"] = data.kind
    if not isinstance(data.national, bool):
        errors.append(("national", _("Say whether it is national media.")))
    values["national"] = data.national is True
    values["reach"] = _reach(errors, data.reach)
    event = _linked(
        errors, "event", Event, data.event, actor, refusal=_("Choose a publicity event of your area, or none.")
    )
    campaign = _linked(
        errors, "campaign", Campaign, data.campaign, actor, refusal=_("Choose a campaign of your area, or none.")
    )
    if event is not None and campaign is not None and event.campaign_id and event.campaign_id != campaign.pk:
        errors.append(("campaign", _("The event belongs to another campaign: choose that one, or none.")))
    values["event"] = event
    values["campaign"] = campaign
    values["region"] = _region(errors, data.region, actor)
    if errors:
        raise InvalidFields(errors)
    return values


@transaction.atomic
def media_create(*, actor, data: MediaData, now=None) -> MediaReport:
    """A new media report in the actor's area (outreach.manage)."""
    check_perm(actor, "outreach.manage")
    now = now or timezone.now()
    values = _clean(data, actor=actor, today=timezone.localdate(now))
    report = MediaReport(created_by=actor)
    changes = checks.values_set(report, values)
    report.save()
    audit_log(action="outreach.media.created", actor=actor, obj=report, changes=changes, now=now)
    return report


@transaction.atomic
def media_update(*, report: MediaReport, actor, data: MediaData, version: int | None, now=None) -> MediaReport:
    """Change a media report. ``version`` is the one the editor read: a save in between refuses this one."""
    check_perm(actor, "outreach.manage")
    now = now or timezone.now()
    # two editors of one report queue here; the second finds the version moved on and is refused
    current = MediaReport.objects.select_for_update().get(pk=report.pk)
    stale_check(current, version, required=True, message=STALE, code="stale")
    if not sees(actor, current, perm="outreach.manage"):
        raise InvalidInput(_("Refused by rule area in scope: this report is outside your area."), field="region")
    values = _clean(data, actor=actor, today=timezone.localdate(now))
    changes = checks.values_set(current, values)
    if not changes:
        return current
    current.version += 1
    current.save()
    audit_log(action="outreach.media.changed", actor=actor, obj=current, changes=changes, now=now)
    return current


@transaction.atomic
def media_exported(*, actor, filters: dict, fmt: str, reason: str, count: int) -> None:
    """Every export of the media reports' list is audited with its reason, filters and size (outreach.export)."""
    check_perm(actor, "outreach.export")
    reason = checks.reason(reason)
    audit_log(
        action="outreach.media.exported",
        actor=actor,
        object_type="outreach.mediareport",
        changes={
            "format": fmt,
            "reason": reason,
            "rows": count,
            "filters": {k: str(v) for k, v in filters.items() if v not in ("", None)},
        },
    )
