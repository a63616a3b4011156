"""Reads of follow-ups: the work list (due this week and overdue, by the family's county), the label of
a follow-up in the reader's language, a family's plan and contacts, a contact's photos, the counts for
the menu badge and the home page."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import ngettext

from boai.accounts.scoping import visible
from boai.core.models import Attachment
from boai.lib import traditional_days as td

from ..models import Contact, FollowUp

PHOTO_KIND = "photo"


def label(fu: FollowUp) -> str:
    """What a follow-up is for, in the reader's language: "1 month", "2 years", "Qingming"."""
    key = fu.label or ""
    if key.startswith("m") and key[1:].isdigit():
        months = int(key[1:])
        if months % 12 == 0:
            years = months // 12
            return ngettext("%(n)d year after the donation", "%(n)d years after the donation", years) % {"n": years}
        return ngettext("%(n)d month after the donation", "%(n)d months after the donation", months) % {"n": months}
    if key in td.LABELS:
        return str(td.LABELS[key])
    return str(fu.get_kind_display())


def week_of(today: date) -> tuple[date, date]:
    """Monday and Sunday of ``today``'s week."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def _base(user):
    return visible(user, FollowUp, perm="care.view").filter(state=FollowUp.State.PLANNED, family__contact_allowed=True)


def work_list(user, *, today: date | None = None, county: str = "", kind: str = ""):
    """The planned follow-ups overdue (before today) or due this week (to Sunday), oldest first."""
    today = today or timezone.localdate()
    _monday, sunday = week_of(today)
    qs = _base(user).filter(due_on__lte=sunday).select_related("family", "family__region", "family__responsible")
    if county:
        qs = qs.filter(family__region__code__startswith=county)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("due_on", "family__reference", "id")


def due_count(user) -> int:
    """Overdue plus due this week (the menu badge)."""
    _monday, sunday = week_of(timezone.localdate())
    return _base(user).filter(due_on__lte=sunday).count()


def overdue_count(user, today: date | None = None) -> int:
    return _base(user).filter(due_on__lt=today or timezone.localdate()).count()


def reminded_to(user) -> int:
    """Follow-ups of the families ``user`` is responsible for, reminded and still open."""
    return _base(user).filter(family__responsible=user, reminded_on__isnull=False).count()


def family_follow_ups(family):
    return family.follow_ups.order_by("due_on", "id")


def family_contacts(family):
    return family.contacts.select_related("follow_up").prefetch_related("members_met").order_by("-occurred_on", "-id")


def contact_list(user, *, family: int | None = None, channel: str = "", year: int | None = None):
    qs = visible(user, Contact, perm="care.view").select_related("family", "follow_up").prefetch_related("members_met")
    if family:
        qs = qs.filter(family_id=family)
    if channel:
        qs = qs.filter(channel=channel)
    if year:
        qs = qs.filter(occurred_on__gte=date(year, 1, 1), occurred_on__lt=date(year + 1, 1, 1))
    return qs.order_by("-occurred_on", "-id")


def photos(contact: Contact):
    return Attachment.objects.filter(owner_type="care.contact", owner_id=str(contact.pk), kind=PHOTO_KIND).order_by(
        "id"
    )


def photo_for(contact: Contact, attachment_id) -> Attachment | None:
    return photos(contact).filter(pk=attachment_id).first()


def people_met(contact: Contact) -> int:
    """Members met plus others met, as recorded (a letter or a message meets nobody)."""
    return contact.members_met.count() + contact.others_met


def open_follow_ups(family):
    return family.follow_ups.filter(state=FollowUp.State.PLANNED).order_by("due_on")
