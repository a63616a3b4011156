import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from boai.accounts.scoping import visible
from boai.audit.labels import action_label
from boai.audit.selectors import entries_for_object
from boai.core.fields import index_for
from boai.core.models import region_prefix
from boai.lib import crypto, ethnic

from .models import DuplicateCandidate, HeldEntry, NationalRegistration, Refusal, Registration, RegistrationTally


def search_condition(search: str) -> Q:
    """One indexed condition for what the search looks like: a registration number, an ID number, a
    phone, pinyin initials, or the start of a name. (An OR of all of them would scan every row.)"""
    text = search.strip()
    folded = crypto.normalise(text)
    if re.fullmatch(r"(YN|SY)\d{6,}", folded):
        return Q(number=folded)
    if re.fullmatch(r"\d{17}[\dX]|\d{15}", folded):
        return Q(id_number_index=index_for("id_number", text))
    if re.fullmatch(r"1\d{10}", crypto.normalise_phone(text)):
        return Q(phone_index=index_for("phone", text))
    if text.isascii() and text.isalpha():
        return Q(name_initials__contains=text.upper()) | Q(name__istartswith=text)
    if text.isascii():  # a passport or permit number
        return Q(id_number_index=index_for("id_number", text))
    return Q(name__startswith=text)


SORTS = {
    "newest": ("-registered_at", "-id"),
    "oldest": ("registered_at", "id"),
    "name": ("name_initials", "name", "id"),
    "number": ("number",),
}


def area_condition(region: str) -> Q:
    """The list's area filter: a county, a prefecture or the province, by its code."""
    return Q(region__code__startswith=region_prefix(region) if len(region) == 6 else region)


def registration_list(
    *,
    user,
    search: str = "",
    status: str = "",
    region: str = "",
    date_from=None,
    date_to=None,
    donates: str = "",
    channel: str = "",
    campaign: str = "",
    sort: str = "newest",
) -> QuerySet[Registration]:
    """Registrations the user may see. ``search`` matches the registration number, the name (or its
    pinyin initials, e.g. ZJH), or — exactly, through the blind index — an ID number or a phone."""
    qs = visible(user, Registration).select_related("region").filter(erased_at__isnull=True)
    if search:
        qs = qs.filter(search_condition(search))
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(area_condition(region))
    if date_from:
        qs = qs.filter(registered_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(registered_at__date__lte=date_to)
    if donates == "organs":
        qs = qs.exclude(organs=[])
    elif donates == "tissues":
        qs = qs.exclude(tissues=[])
    elif donates == "body":
        qs = qs.filter(body=True)
    if channel:
        qs = qs.filter(channel=channel)
    if campaign:
        qs = qs.filter(campaign=campaign)
    return qs.order_by(*SORTS.get(sort, SORTS["newest"]))


# What the staff list shows of each registration (``_registration_table.html``): the list reads these
# columns and no other, so it decrypts no address or executor it would not show.
LIST_COLUMNS = (
    "number",
    "name",
    "id_number",
    "phone",
    "region__name",
    "organs",
    "tissues",
    "body",
    "status",
    "donated_on",
    "registered_at",
)


def registration_rows(**filters) -> QuerySet[Registration]:
    """``registration_list``'s rows with the columns the staff list shows (``LIST_COLUMNS``)."""
    return registration_list(**filters).only(*LIST_COLUMNS)


def registration_count(*, user, search: str = "", status: str = "", region: str = "", sort: str = "", **others):
    """How many rows ``registration_list`` gives for the same arguments, read from the tally (dimension
    "status", kept in the writers' transactions: exact, not an estimate) when the filters are only the
    ones it counts by: the user's scope, the area and the status. None for any other filter (a search,
    dates, wishes, channel, campaign): then the list counts its rows. ``test_list_count`` proves it."""
    if search or any(others.values()):
        return None
    rows = visible(user, RegistrationTally).filter(dimension="status")
    rows = rows.filter(value=status) if status else rows.exclude(value="erased")
    if region:
        rows = rows.filter(area_condition(region))
    return rows.aggregate(n=Sum("count"))["n"] or 0


def registration_counts(*, user) -> dict:
    rows = visible(user, Registration).values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    return {"total": sum(counts.values()), **counts}


def personal_data_copy(*, registration) -> dict:
    """Everything Boai holds about a registrant, for their own copy (PIPL art. 45)."""

    r = registration
    return {
        "registration": {
            "number": r.number,
            "status": r.get_status_display(),
            "name": r.name,
            "sex": r.get_sex_display(),
            "ethnic_group": ethnic.label(r.ethnic_group) if r.ethnic_group else "",
            "id_type": r.get_id_type_display(),
            "id_number": r.id_number,
            "birth_date": r.birth_date.isoformat(),
            "phone": r.phone,
            "county": r.region.name,
            "address": r.address,
            "donates": r.what_label(),
            "family_informed": r.family_informed,
            "executor_name": r.executor_name,
            "executor_relationship": r.executor_relationship,
            "executor_phone": r.executor_phone,
            "channel": r.get_channel_display(),
            "registered_at": timezone.localtime(r.registered_at).isoformat(),
            "withdrawn_at": timezone.localtime(r.withdrawn_at).isoformat() if r.withdrawn_at else None,
            "withdrawal_reason": r.withdrawal_reason,
        },
        "consents": [
            {
                "kind": c.get_kind_display(),
                "notice_version": c.notice_version,
                "channel": c.get_channel_display(),
                "time": timezone.localtime(c.given_at).isoformat(),
            }
            for c in r.consents.all()
        ],
        "history": [
            {
                "time": timezone.localtime(e.created_at).isoformat(),
                "what": action_label(e.action),
                "by": e.actor_role or e.actor_username,
            }
            for e in entries_for_object(r)
        ],
    }


def _tally(year: int, region_prefix: str, dimension: str):
    return RegistrationTally.objects.filter(
        dimension=dimension,
        month__gte=date(year, 1, 1),
        month__lt=date(year + 1, 1, 1),
        region__code__startswith=region_prefix,
    )


def registrations_in_year(year: int, region_prefix: str = "53") -> int:
    """The ``registry.registrations`` figure (``registry/figures.py`` says what it counts), read from
    the tally kept in step with the registrations (``registry.tally``); ``recount_registrations_in_year``
    counts the same from the registrations themselves."""
    return _tally(year, region_prefix, "total").aggregate(n=Sum("count"))["n"] or 0


def recount_registrations_in_year(year: int, region_prefix: str = "53") -> int:
    """``registrations_in_year`` counted row by row (the tests and ``rebuild_tally`` check the tally with it)."""
    return Registration.objects.filter(
        signed_on__gte=date(year, 1, 1), signed_on__lt=date(year + 1, 1, 1), region__code__startswith=region_prefix
    ).count()


@dataclass(frozen=True)
class RegistryCheck:
    """What the registry says about a person when a donation case opens."""

    registration: Registration | None  # the newest registration (any status)
    refusal: Refusal | None  # a refusal made in life, not revoked
    national: NationalRegistration | None = None  # the national registry's row (newest), any status

    @property
    def source(self) -> str:
        """Which registry knows the person: "local", "national", "both" or "" (neither)."""
        local = self.registration is not None or self.refusal is not None
        if local and self.national is not None:
            return "both"
        return "local" if local else ("national" if self.national is not None else "")

    @property
    def active(self) -> Registration | None:
        reg = self.registration
        return reg if reg is not None and reg.status == Registration.Status.ACTIVE else None

    @property
    def withdrawn(self) -> Registration | None:
        reg = self.registration
        return reg if reg is not None and reg.status == Registration.Status.WITHDRAWN else None


def registry_check(*, id_number: str) -> RegistryCheck:
    """Look a person up by ID number (blind index: exact match only)."""
    index = index_for("id_number", id_number)
    return RegistryCheck(
        registration=latest_registration(id_number), refusal=refusal_in_force(index), national=national_for(index)
    )


def refusal_in_force(index: str | None) -> Refusal | None:
    """The person's refusal made in life and not revoked, by the blind index of the ID number."""
    if not index:
        return None
    return Refusal.objects.filter(id_number_index=index, revoked_at__isnull=True).first()


def national_for(index: str) -> NationalRegistration | None:
    """The national registry's row of a person (by the blind index of the ID number): an active one
    first, else the newest."""
    if not index:
        return None
    return (
        NationalRegistration.objects.filter(id_number_index=index)
        .order_by("status", "-registered_on", "-id")  # "active" sorts before "withdrawn"
        .first()
    )


def latest_registration(id_number: str) -> Registration | None:
    index = index_for("id_number", id_number)
    if not index:
        return None
    return (
        Registration.objects.filter(id_number_index=index, erased_at__isnull=True)
        .order_by("-registered_at", "-id")
        .first()
    )


def active_registration(id_number: str) -> Registration | None:
    """The person's active registration, if any (at most one: a partial unique index). For the
    portal, which must not tell a stranger that an ID number is registered (``registration_register_online``)."""
    index = index_for("id_number", id_number)
    if not index:
        return None
    return Registration.objects.filter(id_number_index=index, status=Registration.Status.ACTIVE).first()


def duplicate_pairs(user):
    """Open look-alike pairs ``user`` may decide: both registrations in their area."""
    mine = visible(user, Registration, perm="records.change")
    return visible(user, DuplicateCandidate, perm="records.change").filter(
        state=DuplicateCandidate.State.OPEN, other__in=mine
    )


def held_reviewable(user):
    """Held entries ``user`` may decide: the entry's county and the other record both in their scope."""
    mine = visible(user, Registration, perm="records.change")
    refusals = visible(user, Refusal, perm="records.change")
    return visible(user, HeldEntry, perm="records.change").filter(Q(existing__in=mine) | Q(refusal__in=refusals))


def held_queue(user):
    """The open entries ``user`` may decide, oldest first."""
    return held_reviewable(user).filter(state=HeldEntry.State.OPEN).order_by("entered_at", "id")


def review_count(user) -> int:
    """What waits for ``user`` on the review page: open look-alike pairs with both registrations in
    their area, and open held entries they can decide (the menu badge, the workspace home)."""
    if not (user and user.is_authenticated and user.has_perm("records.change")):
        return 0
    return duplicate_pairs(user).count() + held_queue(user).count()


# --- breakdowns of the ``registry.registrations`` figure (the dashboard, the reports) ---
# Each counts exactly the registrations ``registrations_in_year`` counts, split one way. The age group
# is the age reached in the year of signing (signing year minus birth year), so it needs no decryption.
BREAKDOWNS = ("month", "county", "sex", "age_group", "ethnic_group", "channel", "campaign", "wish")
AGE_GROUPS = ((18, 29), (30, 39), (40, 49), (50, 59), (60, 69), (70, 200))


def age_group(age: int) -> str:
    """ "18-29" … "70+": the band of an age reached in the year of signing."""
    for low, high in AGE_GROUPS:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}-{high}"
    return "<18"


def wish_kinds(organs, tissues, body) -> list[str]:
    """What a registration offers, one or more of "organs", "tissues", "body"."""
    return [kind for kind, wished in (("organs", organs), ("tissues", tissues), ("body", body)) if wished]


def registrations_by(dimension: str, year: int, region_prefix: str = "53") -> dict[str, int]:
    """The year's registrations split by ``dimension`` (one of ``BREAKDOWNS``): {value: count}.
    "month" keys are "01".."12"; "county" keys are county codes; "wish" counts a registration once
    under each thing it offers (organs, tissues, body), so its values may add up to more than the total.
    Read from the tally; ``recount_registrations_by`` counts the same from the registrations."""
    if dimension not in BREAKDOWNS:
        raise ValueError(dimension)
    if dimension == "month":
        rows = _tally(year, region_prefix, "total").values_list("month").annotate(n=Sum("count")).order_by()
        out = {f"{month.month:02d}": n for month, n in rows}
    elif dimension == "county":
        out = dict(_tally(year, region_prefix, "total").values_list("region_id").annotate(n=Sum("count")).order_by())
    else:
        out = dict(_tally(year, region_prefix, dimension).values_list("value").annotate(n=Sum("count")).order_by())
    return {key: n for key, n in out.items() if n}


def recount_registrations_by(dimension: str, year: int, region_prefix: str = "53") -> dict[str, int]:
    """``registrations_by`` counted row by row."""
    if dimension not in BREAKDOWNS:
        raise ValueError(dimension)
    qs = Registration.objects.filter(
        signed_on__gte=date(year, 1, 1), signed_on__lt=date(year + 1, 1, 1), region__code__startswith=region_prefix
    )
    out: dict[str, int] = {}
    if dimension in ("month", "age_group", "wish"):
        for signed_on, birth_year, organs, tissues, body in qs.values_list(
            "signed_on", "birth_year", "organs", "tissues", "body"
        ).iterator():
            if dimension == "month":
                keys = [f"{signed_on.month:02d}"]
            elif dimension == "age_group":
                keys = [age_group(signed_on.year - birth_year)]
            else:
                keys = wish_kinds(organs, tissues, body)
            for key in keys:
                out[key] = out.get(key, 0) + 1
        return out
    column = {"county": "region_id"}.get(dimension, dimension)
    for value, n in qs.values_list(column).annotate(n=Count("id")).order_by():
        out[value or ""] = n
    return out
