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


def make_ledger_entry(
    *,
    family: Family | None = None,
    kind: str = "condolence",
    amount_fen: int = 100000,
    paid_on: date | None = None,
    paid_at=None,
    prefecture: str | None = None,
    reverses=None,
    voucher: str | None = None,
    method: str = "bank",
    recorded_by: str = "wuhua_clerk",
    audited: bool = True,
):
    """A ledger entry as the payment workflow writes it: a paid payment (made here, of ``family``) and
    its entry with a correct ``row_hash``, and the audit entry of the pay step carrying that hash. With
    ``reverses`` (an entry): its reversal (−amount, the payment reversed), audited as the reverse step.
    ``paid_at`` (an aware datetime) gives ``paid_on`` as its Beijing date."""
    from boai.audit.services import audit_log

    from ..models import LedgerEntry, Payment
    from ..selectors.ledger import entry_hash

    actor = user(recorded_by)
    if paid_at is not None:
        paid_on = timezone.localdate(paid_at)
    paid_on = paid_on or timezone.localdate()
    n = next(_seq)
    if reverses is not None:
        payment = reverses.payment
        Payment.objects.filter(pk=payment.pk).update(state=Payment.State.REVERSED)
        amount, kind, pref = -reverses.amount_fen, reverses.kind, reverses.prefecture_id
    else:
        family = family or make_family()
        payment = Payment.objects.create(
            family=family,
            kind=kind,
            amount_fen=amount_fen,
            reason="测试",
            region=family.region,
            year=paid_on.year,
            state=Payment.State.PAID,
            levels="county",
            level=0,
            applied_by=actor,
            applied_at=timezone.now(),
            decided_at=timezone.now(),
        )
        amount, pref = amount_fen, prefecture or family.region_id[:4] + "00"
    entry = LedgerEntry.objects.create(
        payment=payment,
        reverses=reverses,
        amount_fen=amount,
        kind=kind,
        prefecture_id=pref,
        paid_on=paid_on,
        method=method,
        voucher=voucher or f"V-{n:06d}",
        recorded_by=actor,
        recorded_at=paid_at or timezone.now(),
        row_hash="",
    )
    entry.row_hash = entry_hash(entry)
    LedgerEntry.objects.filter(pk=entry.pk).update(row_hash=entry.row_hash)
    if audited:
        audit_log(
            action="care.payment.reversed" if reverses is not None else "care.payment.paid",
            actor=actor,
            obj=payment,
            changes={
                "state": ["approved" if reverses is None else "paid", "reversed" if reverses else "paid"],
                "row_hash": entry.row_hash,
            },
        )
    return entry


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
