"""Reads of coordinator records: the scoped list with its search and filters, the counts per state,
the accounts that may be linked, and the other areas' sections of a coordinator's page."""

import re
from datetime import timedelta
from importlib import import_module

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from boai.accounts.models import User
from boai.accounts.roles import Role
from boai.accounts.scoping import user_region_prefix, visible
from boai.core.fields import index_for
from boai.core.models import Organisation, Region
from boai.lib import crypto

from ..models import Coordinator, Qualification, ReviewSettings

PERM = "coordinators.view"
BRANCH = (Organisation.Type.RC_BRANCH,)
HOSPITAL = (Organisation.Type.OPO_UNIT, Organisation.Type.HOSPITAL)
# The areas whose section the coordinator's page shows, in this order (selectors/<area>.py: section()).
SECTION_AREAS = ("applications", "training", "qualifications", "practice")


def search_condition(search: str) -> Q:
    """An exact ID number or phone (blind index), otherwise a part of the name."""
    text = search.strip()
    folded = crypto.normalise(text)
    if re.fullmatch(r"\d{17}[\dX]|\d{15}", folded):
        return Q(id_number_index=index_for("id_number", text))
    if re.fullmatch(r"1\d{10}", crypto.normalise_phone(text)):
        return Q(phone_index=index_for("phone", text))
    if text.isascii() and text.isalnum() and any(c.isdigit() for c in text):  # a passport or permit
        return Q(id_number_index=index_for("id_number", text))
    return Q(name__icontains=text)


def expiry_warning_days() -> int:
    row = ReviewSettings.objects.first()
    return row.expiry_warning_days if row else 90


def expiring_qualifications(*, today=None) -> QuerySet[Qualification]:
    today = today or timezone.localdate()
    return Qualification.objects.filter(
        state=Qualification.State.ACTIVE,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=expiry_warning_days()),
    )


def coordinator_list(
    *,
    user,
    search: str = "",
    state: str = "",
    organisation_type: str = "",
    prefecture: str = "",
    organisation: str = "",
    region: str = "",
    expiring: bool = False,
) -> QuerySet[Coordinator]:
    """The coordinators ``user`` may see, filtered. ``organisation_type`` is "branch" or "hospital";
    ``prefecture`` a prefecture code; ``region`` a code prefix; ``expiring``: a live qualification
    ending within the province's warning period."""
    qs = visible(user, Coordinator, perm=PERM).select_related("region", "organisation", "user")
    if search:
        qs = qs.filter(search_condition(search))
    if state:
        qs = qs.filter(state=state)
    if organisation_type == "branch":
        qs = qs.filter(organisation__type__in=BRANCH)
    elif organisation_type == "hospital":
        qs = qs.filter(organisation__type__in=HOSPITAL)
    if prefecture:
        qs = qs.filter(region__code__startswith=prefecture[:4])
    if region:
        qs = qs.filter(region__code__startswith=region)
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    if expiring:
        qs = qs.filter(pk__in=expiring_qualifications().values("coordinator_id"))
    return qs.order_by("name", "id")


def state_counts(*, user) -> list[tuple[str, str, int]]:
    """(state, label, how many) for every state, over every record the user may see."""
    rows = visible(user, Coordinator, perm=PERM).values("state").annotate(n=Count("id"))
    counts = {row["state"]: row["n"] for row in rows}
    return [(value, label, counts.get(value, 0)) for value, label in Coordinator.State.choices]


def prefectures_for(user) -> QuerySet[Region]:
    """The prefectures a filter offers: those inside the user's area (none for a county clerk)."""
    prefix = user_region_prefix(user) or "-"
    qs = Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith="53").order_by("code")
    if len(prefix) >= 4:
        return qs.filter(code__startswith=prefix[:4])
    return qs.filter(code__startswith=prefix)


def organisations_for(user) -> QuerySet[Organisation]:
    """The organisations a coordinator of ``user``'s area may work for."""
    prefix = user_region_prefix(user) or "-"
    return Organisation.objects.filter(
        type__in=BRANCH + HOSPITAL, is_active=True, region__code__startswith=prefix
    ).order_by("type", "code")


def regions_for(user) -> QuerySet[Region]:
    """The areas a coordinator of ``user``'s area may work in (the province, prefectures, counties)."""
    prefix = user_region_prefix(user) or "-"
    return Region.objects.filter(code__startswith=prefix).order_by("code")


def linkable_accounts(*, user) -> QuerySet[User]:
    """Active accounts of role coordinator in ``user``'s area, not linked to any record."""
    prefix = user_region_prefix(user) or "-"
    return (
        User.objects.filter(is_active=True, role=Role.COORDINATOR, organization__region__code__startswith=prefix)
        .filter(coordinator_record__isnull=True)
        .select_related("organization")
        .order_by("username")
    )


def sections(*, coordinator, user) -> list[tuple[str, dict]]:
    """(area, its context) for each area's part of the coordinator's page."""
    found = []
    for area in SECTION_AREAS:
        module = import_module(f"{__package__}.{area}")
        section = getattr(module, "section", None)
        if section is not None:
            found.append((area, section(coordinator=coordinator, user=user) or {}))
    return found
