"""Records for family care's tests (and the memorials'), made straight in the database: the services
under test make them the checked way; these only set the scene."""

from datetime import date
from itertools import count

from django.utils import timezone

from boai.core.models import Region
from boai.core.tests.personas import user

from ..models import Family, FamilyMember

_seq = count(1)


def make_family(
    *,
    region: str = "530102",
    donor_name: str = "测试捐献者",
    donated_on: date = date(2025, 3, 10),
    donation_kind: str = "organ",
    reference: str | None = None,
    organ_case=None,
    body_case=None,
    contact_allowed: bool = True,
    wants_outcome: bool = False,
    members: tuple = (("测试家属", "spouse", "13800138000"),),
    created_by: str = "wuhua_staff",
) -> Family:
    """A family in ``region`` (a county code) with ``members`` as (name, relationship, phone); the first
    is the main contact."""
    n = next(_seq)
    family = Family.objects.create(
        organ_case=organ_case,
        body_case=body_case,
        reference=reference or getattr(organ_case or body_case, "number", None) or f"T-{n:05d}",
        donation_kind=donation_kind,
        donor_name=donor_name,
        donated_on=donated_on,
        region=Region.objects.get(code=region),
        contact_allowed=contact_allowed,
        no_contact_since=None if contact_allowed else timezone.now(),
        wants_outcome=wants_outcome,
        created_by=user(created_by),
    )
    for i, (name, relationship, phone) in enumerate(members):
        FamilyMember.objects.create(
            family=family, name=name, relationship=relationship, phone=phone, is_main_contact=i == 0
        )
    return family


# --- follow-ups -------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"\x00" * 64


def make_follow_up(family, *, due_on: date, kind: str = "after_donation", label: str = "m1", state: str = "planned"):
    from ..models import FollowUp

    return FollowUp.objects.create(family=family, kind=kind, label=label, due_on=due_on, state=state)


def make_contact(
    family,
    *,
    occurred_on: date,
    channel: str = "visit",
    members=(),
    others_met: int = 0,
    recorded_by: str = "wuhua_staff",
    staff: str = "测试社工",
):
    """A contact or visit straight in the database (the service is what the tests check)."""
    from ..models import Contact

    contact = Contact.objects.create(
        family=family,
        channel=channel,
        occurred_on=occurred_on,
        staff=staff,
        others_met=others_met,
        findings="家中情况稳定",
        needs="希望孩子助学",
        recorded_by=user(recorded_by),
        recorded_at=timezone.now(),
    )
    if members:
        contact.members_met.set(members)
    return contact
