"""Reads of family records: the scoped list with its search and filters, its counts, the counties and
staff a form offers."""

import re

from django.db.models import Count, Q, QuerySet

from boai.accounts.scoping import user_region_prefix, visible
from boai.core.fields import index_for
from boai.core.models import Region
from boai.lib import crypto

from ..models import DonationKind, Family, FamilyMember

PERM = "care.view"


def search_condition(search: str) -> Q:
    """An exact member's phone (blind index), otherwise a part of the donor's name or of the reference."""
    text = search.strip()
    if re.fullmatch(r"1\d{10}", crypto.normalise_phone(text)):
        members = FamilyMember.objects.filter(phone_index=index_for("phone", text)).values("family_id")
        return Q(pk__in=members)
    return Q(donor_name__icontains=text) | Q(reference__icontains=text)


def family_list(
    *, user, search: str = "", region: str = "", donation_kind: str = "", contact: str = "", reference: str = ""
) -> QuerySet[Family]:
    """The families ``user`` may see. ``region``: a code prefix; ``contact``: "yes" (may be contacted) or
    "no"; ``reference``: exact."""
    qs = visible(user, Family, perm=PERM).select_related("region", "responsible")
    if search:
        qs = qs.filter(search_condition(search))
    if region:
        qs = qs.filter(region__code__startswith=region)
    if donation_kind:
        qs = qs.filter(donation_kind=donation_kind)
    if contact == "yes":
        qs = qs.filter(contact_allowed=True)
    elif contact == "no":
        qs = qs.filter(contact_allowed=False)
    if reference:
        qs = qs.filter(reference=reference)
    return qs.order_by("-donated_on", "-id")


def counts(*, user) -> dict:
    """How many families the user sees: in all, per kind of donation, and how many may not be contacted."""
    qs = visible(user, Family, perm=PERM)
    per_kind = {row["donation_kind"]: row["n"] for row in qs.values("donation_kind").annotate(n=Count("id"))}
    return {
        "total": sum(per_kind.values()),
        "kinds": [(value, label, per_kind.get(value, 0)) for value, label in DonationKind.choices],
        "no_contact": qs.filter(contact_allowed=False).count(),
    }


def counties_for(user) -> QuerySet[Region]:
    prefix = user_region_prefix(user) or "-"
    return Region.objects.filter(level=Region.Level.COUNTY, code__startswith=prefix).order_by("code")


def areas_for(user) -> QuerySet[Region]:
    """The prefectures and counties a filter offers inside the user's area."""
    prefix = user_region_prefix(user) or "-"
    return Region.objects.filter(
        level__in=(Region.Level.PREFECTURE, Region.Level.COUNTY), code__startswith=prefix
    ).order_by("code")


def members(family: Family, *, active_only: bool = False) -> QuerySet[FamilyMember]:
    qs = family.members.all()
    return qs.filter(active=True) if active_only else qs
