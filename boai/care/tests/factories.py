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


# --- payments ---------------------------------------------------------------------------------------


def make_budget(
    *, year: int = 2026, kind: str = "condolence", region: str = "530100", yuan: int = 100000, by="prov_admin"
):
    """A yearly budget of ``yuan`` for ``kind`` in ``region`` (a prefecture, or 530000)."""
    from ..models import Budget

    budget, _created = Budget.objects.update_or_create(
        year=year,
        kind=kind,
        region=Region.objects.get(code=region),
        defaults={"amount_fen": yuan * 100, "set_by": user(by), "set_at": timezone.now()},
    )
    return budget


def make_payment(
    *,
    family: Family | None = None,
    kind: str = "condolence",
    yuan: int = 5000,
    state: str = "in_review",
    levels: str = "county,prefecture,province",
    level: int = 0,
    applied_by: str = "wuhua_clerk",
    year: int | None = None,
):
    """A payment straight in the database (no reviews, no ledger): the services under test move it."""
    from ..models import Payment

    family = family or make_family()
    now = timezone.now()
    return Payment.objects.create(
        family=family,
        kind=kind,
        amount_fen=yuan * 100,
        reason="测试申请理由",
        region=family.region,
        year=year or timezone.localdate(now).year,
        state=state,
        levels=levels,
        level=level,
        applied_by=user(applied_by),
        applied_at=now,
    )
