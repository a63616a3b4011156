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


# --- memorial sites and events (memorials' sites area) ---------------------------------------------


def make_site(
    *,
    region: str = "530102",
    name: str | None = None,
    kind: str = "park",
    opened_on: date = date(2025, 4, 1),
    active: bool = True,
    created_by: str = "wuhua_staff",
):
    """A memorial site in ``region`` (a county or prefecture code), managed by a named organisation."""
    from boai.memorials.models import MemorialSite

    return MemorialSite.objects.create(
        name=name or f"测试纪念园{next(_seq)}",
        kind=kind,
        region=Region.objects.get(code=region),
        opened_on=opened_on,
        offers=["remembrance"],
        manager="测试红十字会",
        active=active,
        created_by=user(created_by),
    )


def make_event(
    *,
    region: str = "530102",
    site=None,
    title: str | None = None,
    occasion: str = "other",
    held_on: date = date(2025, 5, 8),
    participants: int = 100,
    families_invited: int | None = None,
    families_attended: int | None = None,
    created_by: str = "wuhua_staff",
):
    """A memorial event in ``region`` (the site's, when at a site)."""
    from boai.memorials.models import MemorialEvent

    return MemorialEvent.objects.create(
        title=title or f"测试缅怀活动{next(_seq)}",
        occasion=occasion,
        held_on=held_on,
        site=site,
        region=site.region if site else Region.objects.get(code=region),
        organisers="测试红十字会",
        participants=participants,
        families_invited=families_invited,
        families_attended=families_attended,
        created_by=user(created_by),
    )
