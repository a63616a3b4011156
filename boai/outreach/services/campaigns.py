"""Writes of the campaigns area: add and change a campaign (checked, versioned, audited), and the audit
entry of a breakdown's download. A campaign's code is its link (``/c/<code>/``): unique, and fixed once
a registration carries it (the registration would otherwise lose its campaign)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import check_perm
from boai.accounts.scoping import sees, user_region_prefix
from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidFields, InvalidInput
from boai.core.models import Region
from boai.core.services import checks
from boai.core.workflow import stale_check
from boai.registry.models import Registration

from ..models import Campaign, Event, Partner, code_validator

STALE = gettext_lazy("Someone else changed this record in the meantime. Reload it and try again.")
EARLIEST = date(2000, 1, 1)
AHEAD = timedelta(days=2 * 366)  # a campaign planned up to two years ahead
MAX_TARGET = 10_000_000


@dataclass
class CampaignData:
    """What a form or an API body says about a campaign (``region``: a code; ``partners``: ids)."""

    title: str = ""
    code: str = ""
    description: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    region: str = ""
    target_registrations: int | None = None
    partners: list = field(default_factory=list)

    FIELDS = ("title", "code", "description", "starts_on", "ends_on", "region", "target_registrations", "partners")

    @classmethod
    def of(cls, campaign: Campaign) -> "CampaignData":
        return cls(
            title=campaign.title,
            code=campaign.code,
            description=campaign.description,
            starts_on=campaign.starts_on,
            ends_on=campaign.ends_on,
            region=campaign.region_id,
            target_registrations=campaign.target_registrations,
            partners=sorted(campaign.partners.values_list("pk", flat=True)),
        )


def _date(errors, name, value, *, today, missing) -> date | None:
    return checks.day(
        errors,
        name,
        value,
        today=today,
        earliest=EARLIEST,
        ahead=AHEAD,
        missing=missing,
        too_early=_("The date cannot be before 2000."),
        too_late=_("The date cannot be more than two years from today."),
    )


def _region(errors, code, actor) -> Region | None:
    """The province or a prefecture, inside the actor's own area."""
    return checks.region(
        errors,
        code,
        user_region_prefix(actor),
        levels=(Region.Level.PROVINCE, Region.Level.PREFECTURE),
        wrong_level=_("Choose who runs it: the province or a prefecture."),
    )


def _code(errors, value, *, current: Campaign | None) -> str:
    code = (value or "").strip().lower()
    try:
        code_validator(code)
    except ValidationError as exc:
        errors.append(("code", str(exc.messages[0])))
        return code
    taken = Campaign.objects.filter(code=code)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists() or Event.objects.filter(code=code).exists():
        errors.append(("code", _("This code is already used by another campaign: choose another.")))
    elif current is not None and code != current.code and Registration.objects.filter(campaign=current.code).exists():
        errors.append(
            (
                "code",
                _(
                    "Refused by rule code kept: registrations already came through this code's link,"
                    " so it cannot change."
                ),
            )
        )
    return code


def _clean(data: CampaignData, *, actor, today: date, current: Campaign | None = None) -> tuple[dict, list]:
    errors: list = []
    values: dict = {
        "title": checks.text(
            errors, "title", data.title, max_length=128, required=True, missing=_("Give the campaign's title.")
        ),
        "code": _code(errors, data.code, current=current),
        "description": checks.text(errors, "description", data.description, max_length=4000),
    }
    starts = _date(
        errors, "starts_on", data.starts_on, today=today, missing=_("Give the first day, such as 2025-03-01.")
    )
    ends = _date(errors, "ends_on", data.ends_on, today=today, missing=_("Give the last day, such as 2025-12-31."))
    if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
        errors.append(("ends_on", _("The last day cannot be before the first day.")))
    values.update(starts_on=starts, ends_on=ends)
    values["region"] = _region(errors, data.region, actor)
    target = data.target_registrations
    if target in ("", None):
        target = None
    elif isinstance(target, bool) or not isinstance(target, int) or not 0 < target <= MAX_TARGET:
        errors.append(("target_registrations", _("Give a whole number from 1 to 10,000,000, or leave it empty.")))
        target = None
    values["target_registrations"] = target
    ids = data.partners if isinstance(data.partners, list | tuple) else None
    partners = []
    if ids is None or any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        errors.append(("partners", _("Choose the partners from the list.")))
    else:
        partners = list(Partner.objects.filter(pk__in=set(ids), active=True).order_by("pk"))
        if len(partners) != len(set(ids)):
            errors.append(("partners", _("Choose the partners from the list.")))
    if errors:
        raise InvalidFields(errors)
    return values, partners


def _diff(obj, values: dict) -> dict:
    # "code" is masked in the audit log (it usually names a secret); a link's code is public
    return checks.values_set(obj, values, rename={"code": "link_code"})


def _partners_changed(obj, partners, changes) -> None:
    before = sorted(obj.partners.values_list("pk", flat=True)) if obj.pk else []
    after = [p.pk for p in partners]
    if before != after:
        obj.partners.set(partners)
        changes["partners"] = [before, after]


def _saved(obj) -> None:
    try:
        with transaction.atomic():  # a savepoint: a lost race on the code is refused, not a 500
            obj.save()
    except IntegrityError as exc:
        raise InvalidInput(_("This code is already used by another campaign: choose another."), field="code") from exc


@transaction.atomic
def campaign_create(*, actor, data: CampaignData, now=None) -> Campaign:
    """A new campaign run by the province or a prefecture of the actor's area (outreach.manage)."""
    check_perm(actor, "outreach.manage")
    now = now or timezone.now()
    values, partners = _clean(data, actor=actor, today=timezone.localdate(now))
    campaign = Campaign(created_by=actor)
    changes = _diff(campaign, values)
    _saved(campaign)
    _partners_changed(campaign, partners, changes)
    audit_log(action="outreach.campaign.created", actor=actor, obj=campaign, changes=changes, now=now)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor, data: CampaignData, version: int | None, now=None) -> Campaign:
    """Change a campaign. ``version`` is the one the editor read: a save in between refuses this one."""
    check_perm(actor, "outreach.manage")
    now = now or timezone.now()
    # two editors of one campaign queue here; the second finds the version moved on and is refused
    current = Campaign.objects.select_for_update().get(pk=campaign.pk)
    stale_check(current, version, required=True, message=STALE, code="stale")
    if not sees(actor, current, perm="outreach.manage"):
        raise InvalidInput(_("Refused by rule area in scope: this campaign is outside your area."), field="region")
    values, partners = _clean(data, actor=actor, today=timezone.localdate(now), current=current)
    # the code is fixed once registrations carry it: checked again under the lock
    if values["code"] != current.code and Registration.objects.filter(campaign=current.code).exists():
        raise Conflict(_("Refused by rule code kept: registrations already came through this code's link."))
    changes = _diff(current, values)
    _partners_changed(current, partners, changes)
    if not changes:
        return current
    current.version += 1
    _saved(current)
    audit_log(action="outreach.campaign.changed", actor=actor, obj=current, changes=changes, now=now)
    return current


@transaction.atomic
def breakdown_exported(*, actor, campaign: Campaign, total: int) -> None:
    """A campaign's breakdowns downloaded (counts only, nothing personal): audited (outreach.export)."""
    check_perm(actor, "outreach.export")
    audit_log(action="outreach.campaign.exported", actor=actor, obj=campaign, changes={"total": total})
