"""Services of follow-ups: the province's settings, the plan (after the donation and on the traditional
days), the family's wishes and the no-contact rule, contacts and visits, and the daily reminders.
Every write checks its rules here, in one transaction with its audit entry."""

import calendar
from datetime import date, timedelta

import filetype
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.roles import check_perm
from boai.accounts.scoping import sees
from boai.audit.services import SYSTEM, audit_log
from boai.core.errors import InvalidInput, NotAllowed
from boai.core.services import attachment_store
from boai.lib import traditional_days as td

from ..models import CareSettings, Channel, Contact, Family, FamilyMember, FollowUp

LEVELS = ("county", "prefecture", "province")  # the payment review levels, from the bottom up
MAX_MONTHS = 120
MAX_YEARS = 30
MAX_PHOTOS = 10
MAX_OTHERS = 50
MAX_STAFF = 100  # "who went or called": a few names
MAX_NOTES = 2000  # what was found, the family's needs
MEETING_CHANNELS = (Channel.PHONE, Channel.VISIT)  # someone must have been met or spoken to
PHOTO_TYPES = {"image/jpeg", "image/png"}
PHOTO_KIND = "photo"
REMIND_DAYS = 7
KIND_BY_DAY = {td.QINGMING: FollowUp.Kind.QINGMING, td.WINTER_SOLSTICE: FollowUp.Kind.WINTER_SOLSTICE}


# --- settings ---------------------------------------------------------------------------------------


def care_settings() -> CareSettings:
    """The province's one settings row, made with the defaults the first time it is asked for."""
    row = CareSettings.objects.order_by("pk").first()
    if row is None:
        with transaction.atomic():
            row, _created = CareSettings.objects.get_or_create(pk=1)
    return row


def parse_months(raw: str) -> list[int]:
    """ "1, 6,12" -> [1, 6, 12]; refused unless whole numbers from 1 to 120, each once."""
    text = (raw or "").replace("，", ",").replace(" ", "")
    if not text:
        return []
    months = []
    for part in text.split(","):
        if not part.isdigit() or not 1 <= int(part) <= MAX_MONTHS:
            raise InvalidInput(
                _("Give the months as whole numbers from 1 to 120, separated by commas (for example 1,6,12)."),
                field="months_after",
            )
        months.append(int(part))
    if len(set(months)) != len(months):
        raise InvalidInput(_("Each month may be given only once."), field="months_after")
    return sorted(months)


def settings_update(
    *, actor, months_after: str, yearly_for: int, traditional_days: bool, payment_levels: list[str], now=None
) -> CareSettings:
    """The follow-up plan (months after the donation, then yearly for N years, the traditional days) and
    the payment review levels (from the bottom up, at least one, each once). Families planned before
    keep their plan; payments already applied for keep their levels."""
    check_perm(actor, "care.settings")
    months = parse_months(months_after)
    if not isinstance(yearly_for, int) or not 0 <= yearly_for <= MAX_YEARS:
        raise InvalidInput(_("Give a number of years from 0 to 30."), field="yearly_for")
    if not months and not yearly_for:
        raise InvalidInput(_("Plan at least one follow-up after the donation."), field="months_after")
    levels = [str(level) for level in payment_levels if level]
    if not levels:
        raise InvalidInput(_("Choose at least one review level."), field="payment_levels")
    if any(level not in LEVELS for level in levels):
        raise InvalidInput(_("Unknown review level."), field="payment_levels")
    if len(set(levels)) != len(levels):
        raise InvalidInput(_("Each review level may be chosen only once."), field="payment_levels")
    if levels != sorted(levels, key=LEVELS.index):
        raise InvalidInput(
            _("Put the review levels in order from the bottom up: county, then prefecture, then province."),
            field="payment_levels",
        )
    now = now or timezone.now()
    with transaction.atomic():
        row = CareSettings.objects.select_for_update().get(pk=care_settings().pk)
        fields = ("months_after", "yearly_for", "traditional_days", "payment_levels")
        before = {key: getattr(row, key) for key in fields}
        row.months_after = ",".join(str(m) for m in months)
        row.yearly_for = yearly_for
        row.traditional_days = bool(traditional_days)
        row.payment_levels = ",".join(levels)
        row.updated_by, row.updated_at = actor, now
        row.save()
        audit_log(
            action="care.settings.changed",
            actor=actor,
            obj=row,
            object_repr=str(_("Family care settings")),
            changes={key: [before[key], getattr(row, key)] for key in fields if before[key] != getattr(row, key)},
            now=now,
        )
    return row


# --- the plan ---------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day: 31 Jan + 1 = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def planned_dates(donated_on: date, row: CareSettings) -> list[tuple[str, str, date]]:
    """(kind, label key, due date) of every follow-up the settings give for a donation on ``donated_on``:
    each month offset, each anniversary for ``yearly_for`` years (a month offset falling on an
    anniversary is one follow-up), and every Qingming and Winter Solstice after the donation until the
    plan's last follow-up. The label key is ``m<months>``: shown as "1 month", "2 years" when read."""
    months = set(parse_months(row.months_after)) | {12 * year for year in range(1, row.yearly_for + 1)}
    plan = [(FollowUp.Kind.AFTER_DONATION, f"m{m}", add_months(donated_on, m)) for m in sorted(months)]
    if row.traditional_days and plan:
        end = max(due for _k, _l, due in plan)
        for day in td.traditional_days(donated_on + timedelta(days=1), end):
            plan.append((KIND_BY_DAY[day.kind], day.kind, day.day))
    return sorted(plan, key=lambda item: (item[2], item[0]))


def plan_follow_ups(family, *, actor=None, since: date | None = None, now=None) -> int:
    """Plan the family's follow-ups from the province's settings (none when the family may not be
    contacted); returns how many were added. Called when a family record is made. Only dates on or after
    ``since`` are planned (by default the day the record was made: an older case is not given years of
    overdue follow-ups). Idempotent: a follow-up already there is kept as it is; one cancelled is planned
    again only when ``since`` is given (contact allowed again)."""
    if not family.contact_allowed:
        return 0
    now = now or timezone.now()
    replan = since is not None
    since = since or timezone.localdate(family.created_at or now)
    added = 0
    with transaction.atomic():
        existing = {(f.kind, f.due_on): f for f in FollowUp.objects.select_for_update().filter(family=family)}
        for kind, label, due in planned_dates(family.donated_on, care_settings()):
            if due < since:
                continue
            found = existing.get((kind, due))
            if found is None:
                FollowUp.objects.create(family=family, kind=kind, label=label, due_on=due)
                added += 1
            elif replan and found.state == FollowUp.State.CANCELLED:
                found.state = FollowUp.State.PLANNED
                found.reminded_on = None
                found.save(update_fields=["state", "reminded_on"])
                added += 1
        if added:
            audit_log(
                action="care.follow_ups.planned",
                actor=actor or SYSTEM,
                obj=family,
                object_repr=family.reference,
                changes={"planned": added, "since": since.isoformat()},
                now=now,
            )
    return added


# --- the family's wishes ----------------------------------------------------------------------------


def family_wishes_update(
    *, actor, family: Family, contact_allowed: bool, preferred_channel: str, wants_outcome: bool, now=None
) -> Family:
    """The family's wishes. Asking not to be contacted cancels every planned follow-up (and any contact
    is refused from then on); allowing contact again plans the follow-ups again from today on."""
    check_perm(actor, "care.manage")
    if not sees(actor, family, perm="care.manage"):
        raise NotAllowed()
    if preferred_channel not in Channel.values:
        raise InvalidInput(_("Choose a channel from the list."), field="preferred_channel")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Family.objects.select_for_update().get(pk=family.pk)
        before = {
            "contact_allowed": locked.contact_allowed,
            "preferred_channel": locked.preferred_channel,
            "wants_outcome": locked.wants_outcome,
        }
        after = {
            "contact_allowed": bool(contact_allowed),
            "preferred_channel": preferred_channel,
            "wants_outcome": bool(wants_outcome),
        }
        changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
        if not changes:
            return locked
        cancelled = replanned = 0
        locked.contact_allowed = after["contact_allowed"]
        locked.preferred_channel = preferred_channel
        locked.wants_outcome = after["wants_outcome"]
        if before["contact_allowed"] and not locked.contact_allowed:
            locked.no_contact_since = now
        elif locked.contact_allowed and not before["contact_allowed"]:
            locked.no_contact_since = None
        locked.version += 1
        locked.save()
        if not locked.contact_allowed:
            cancelled = FollowUp.objects.filter(family=locked, state=FollowUp.State.PLANNED).update(
                state=FollowUp.State.CANCELLED
            )
        elif not before["contact_allowed"]:
            replanned = plan_follow_ups(locked, actor=actor, since=timezone.localdate(now), now=now)
        audit_log(
            action="care.family.wishes_changed",
            actor=actor,
            obj=locked,
            object_repr=locked.reference,
            changes={**changes, "follow_ups_cancelled": cancelled, "follow_ups_planned": replanned},
            now=now,
        )
    return locked


# --- contacts and visits ----------------------------------------------------------------------------


def _photo_type(upload) -> str:
    head = upload.read(8192)
    upload.seek(0)
    guessed = filetype.guess(head)
    return guessed.mime if guessed else ""


def contact_record(
    *,
    actor,
    family: Family,
    channel: str,
    occurred_on: date,
    staff: str,
    members_met=(),
    others_met: int = 0,
    findings: str = "",
    needs: str = "",
    photos=(),
    follow_up: FollowUp | int | None = None,
    now=None,
) -> Contact:
    """Record a phone call, home visit, letter or message to the family (never edited afterwards).
    Refused when the family asked not to be contacted, for a date in the future or before the donation,
    for someone met who is not of this family, for a photo not JPEG or PNG; the follow-up it fulfils
    (one of this family's, still planned) is marked done."""
    check_perm(actor, "care.manage")
    if not sees(actor, family, perm="care.manage"):
        raise NotAllowed()
    now = now or timezone.now()
    today = timezone.localdate(now)
    if channel not in Channel.values:
        raise InvalidInput(_("Choose how the family was contacted."), field="channel")
    if not isinstance(occurred_on, date):
        raise InvalidInput(_("Give the date of the contact."), field="occurred_on")
    if occurred_on > today:
        raise InvalidInput(_("The date cannot be in the future."), field="occurred_on")
    if occurred_on < family.donated_on:
        raise InvalidInput(_("The date cannot be before the donation."), field="occurred_on")
    staff = (staff or "").strip()
    if not staff:
        raise InvalidInput(_("Say who went or who called."), field="staff")
    if len(staff) > MAX_STAFF:
        raise InvalidInput(_("Give at most 100 characters: the names of who went or called."), field="staff")
    findings, needs = (findings or "").strip(), (needs or "").strip()
    for name, text in (("findings", findings), ("needs", needs)):
        if len(text) > MAX_NOTES:
            raise InvalidInput(_("At most 2,000 characters."), field=name)
    if not isinstance(others_met, int) or not 0 <= others_met <= MAX_OTHERS:
        raise InvalidInput(_("Give a number of other people from 0 to 50."), field="others_met")
    member_ids = {getattr(m, "pk", m) for m in members_met}
    members = list(FamilyMember.objects.filter(family=family, pk__in=member_ids)) if member_ids else []
    if len(members) != len(member_ids):
        raise InvalidInput(_("Only members of this family can be named as met."), field="members_met")
    photos = [p for p in photos if p]
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(_("At most 10 photos."), field="photos")
    for photo in photos:
        if _photo_type(photo) not in PHOTO_TYPES:
            raise InvalidInput(
                _("Photos must be JPEG or PNG pictures (this file is not one, whatever its name)."), field="photos"
            )
        if photo.size > 20 * 1024 * 1024:
            raise InvalidInput(_("The file is larger than 20 MB."), field="photos")
    with transaction.atomic():
        locked = Family.objects.select_for_update().get(pk=family.pk)
        if not locked.contact_allowed:
            raise NotAllowed(
                _("This family asked not to be contacted: no contact or visit can be recorded."),
            )
        fu = None
        if follow_up:
            fu_id = getattr(follow_up, "pk", follow_up)
            fu = FollowUp.objects.select_for_update().filter(pk=fu_id, family=locked).first()
            if fu is None:
                raise InvalidInput(_("This follow-up is not one of this family's."), field="follow_up")
            if fu.state != FollowUp.State.PLANNED:
                raise InvalidInput(_("This follow-up is no longer planned."), field="follow_up")
        if channel in MEETING_CHANNELS and not members and not others_met:
            raise InvalidInput(
                _(
                    "A phone call or home visit meets someone: tick the family members met"
                    " or give the number of others."
                ),
                field="members_met",
            )
        contact = Contact.objects.create(
            family=locked,
            follow_up=fu,
            channel=channel,
            occurred_on=occurred_on,
            staff=staff,
            others_met=others_met,
            findings=findings,
            needs=needs,
            recorded_by=actor,
            recorded_at=now,
        )
        if members:
            contact.members_met.set(members)
        if fu is not None:
            fu.state = FollowUp.State.DONE
            fu.save(update_fields=["state"])
        for photo in photos:
            try:
                attachment_store(owner=contact, kind=PHOTO_KIND, upload=photo, actor=actor, now=now)
            except InvalidInput as exc:
                raise InvalidInput(exc.message, field="photos") from exc
        audit_log(
            action="care.contact.recorded",
            actor=actor,
            obj=contact,
            object_repr=f"{locked.reference} {occurred_on.isoformat()}",
            changes={
                "channel": channel,
                "occurred_on": occurred_on.isoformat(),
                "members_met": len(members),
                "others_met": others_met,
                "photos": len(photos),
                "follow_up": fu.pk if fu else None,
            },
            now=now,
        )
    return contact


# --- reminders --------------------------------------------------------------------------------------


def follow_up_reminders_send(*, now=None) -> int:
    """Tell the staff member responsible for each family of the follow-ups due in the next 7 days not yet
    reminded: ``reminded_on`` and an audit entry naming them (the reminders show on their home page and
    the work list). Run twice a day: the second finds nothing. Returns how many were reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = FollowUp.objects.filter(
        state=FollowUp.State.PLANNED,
        reminded_on__isnull=True,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=REMIND_DAYS),
        family__contact_allowed=True,
        family__responsible__isnull=False,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            fu = FollowUp.objects.select_for_update().select_related("family").get(pk=pk)
            if fu.reminded_on is not None or fu.state != FollowUp.State.PLANNED:
                continue  # another run got there first
            fu.reminded_on = today
            fu.save(update_fields=["reminded_on"])
            audit_log(
                action="care.follow_up.reminded",
                actor=SYSTEM,
                obj=fu,
                object_repr=f"{fu.family.reference} {fu.due_on.isoformat()}",
                changes={"due_on": fu.due_on.isoformat(), "responsible": fu.family.responsible_id},
                now=now,
            )
            sent += 1
    return sent
