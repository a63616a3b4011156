"""Reads of practice (the cases a coordinator approached, witnessed or followed, counted from the case
records), the on-call roster, assessments, awards and the overview. Scoped only through
``accounts.scoping``."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.scoping import user_region_prefix, visible
from boai.cases.extensions import witness_refusals
from boai.cases.models import CaseStep, OrganCase, Witness
from boai.core.figures import SHANGHAI, figure, year_bounds
from boai.core.models import Region, region_prefix

from ..models import Assessment, Award, Coordinator, Enrolment, OnCallShift, Qualification, TrainingClass

APPROACH = OrganCase.State.FAMILY_APPROACHED
BEFORE_PROCUREMENT = (
    OrganCase.State.REFERRED,
    OrganCase.State.EVALUATING,
    OrganCase.State.FIRST_DETERMINATION,
    OrganCase.State.BRAIN_DEATH_DETERMINED,
    OrganCase.State.WITHDRAWAL_DECIDED,
    OrganCase.State.FAMILY_APPROACHED,
    OrganCase.State.CONSENTED,
    OrganCase.State.ETHICS_APPROVED,
    OrganCase.State.DEATH_DETERMINED,
)
ROLES = ("approached", "witnessed_procurement", "witnessed_allocation", "followed")


# --- practice -------------------------------------------------------------------------------------


@dataclass
class CaseInvolvement:
    case: OrganCase
    first: object  # the first moment the coordinator took part (aware datetime)
    roles: set = field(default_factory=set)

    @property
    def year(self) -> int:
        return timezone.localtime(self.first, SHANGHAI).year


def involvements(users) -> dict[int, dict[int, CaseInvolvement]]:
    """For each user id: the organ cases they took part in, by case id, with how: approached the
    family (the approach step's actor), witnessed the procurement or the allocation (``cases.Witness``)
    or followed (took any other step, and nothing of the above)."""
    ids = [u.pk if hasattr(u, "pk") else u for u in users if u is not None]
    out: dict[int, dict[int, CaseInvolvement]] = {uid: {} for uid in ids}
    if not ids:
        return out

    def note(uid, case, when, role):
        entry = out[uid].setdefault(case.pk, CaseInvolvement(case=case, first=when))
        entry.first = min(entry.first, when)
        entry.roles.add(role)

    steps = CaseStep.objects.filter(actor_id__in=ids, organ_case__isnull=False).select_related("organ_case")
    for s in steps.only("actor_id", "to_state", "step", "occurred_at", "organ_case"):
        approached = s.to_state == APPROACH and s.step in ("", APPROACH)
        note(s.actor_id, s.organ_case, s.occurred_at, "approached" if approached else "followed")
    for w in Witness.objects.filter(coordinator_id__in=ids).select_related("case"):
        note(w.coordinator_id, w.case, w.witnessed_at, f"witnessed_{w.kind}")
    for cases in out.values():
        for entry in cases.values():
            if len(entry.roles) > 1:
                entry.roles.discard("followed")
    return out


def _tally(entries) -> dict:
    counts = {role: 0 for role in ROLES}
    counts["witnessed"] = 0
    for e in entries:
        for role in e.roles:
            counts[role] += 1
        if e.roles & {"witnessed_procurement", "witnessed_allocation"}:
            counts["witnessed"] += 1
    counts["total"] = len(list(entries))
    return counts


def practice_of(coordinator) -> list[CaseInvolvement]:
    """The cases ``coordinator`` took part in (none without a staff account), newest first."""
    if coordinator.user_id is None:
        return []
    found = involvements([coordinator.user_id])[coordinator.user_id].values()
    return sorted(found, key=lambda e: e.first, reverse=True)


def practice_by_year(entries) -> list[tuple[int, dict]]:
    years: dict[int, list] = {}
    for e in entries:
        years.setdefault(e.year, []).append(e)
    return [(year, _tally(items)) for year, items in sorted(years.items(), reverse=True)]


def practice_in_area(*, user, region_prefix: str = "", year: int | None = None) -> list[tuple[Coordinator, dict]]:
    """Per coordinator of the area (within the user's scope): their counts, for ``year`` or all years."""
    qs = visible(user, Coordinator, perm="coordinators.view").filter(user__isnull=False)
    if region_prefix:
        qs = qs.filter(region__code__startswith=region_prefix)
    coordinators = list(qs)
    found = involvements([c.user_id for c in coordinators])
    rows = []
    for c in coordinators:
        entries = [e for e in found[c.user_id].values() if year is None or e.year == year]
        rows.append((c, _tally(entries)))
    return rows


def cases_witnessed(*, year: int, region_prefix: str) -> int:
    """Distinct organ cases witnessed in ``year`` (Beijing time) by coordinators of the area."""
    start, end = year_bounds(year)
    users = Coordinator.objects.filter(region__code__startswith=region_prefix, user__isnull=False).values("user_id")
    return (
        Witness.objects.filter(coordinator_id__in=users, witnessed_at__gte=start, witnessed_at__lt=end)
        .values("case_id")
        .distinct()
        .count()
    )


def section(*, coordinator, user) -> dict:
    """What the coordinator's page shows of this area (templates/coordinators/sections/practice.html)."""
    entries = practice_of(coordinator)
    seen = set(
        visible(user, OrganCase, perm="cases.view")
        .filter(pk__in=[e.case.pk for e in entries])
        .values_list("pk", flat=True)
    )
    return {
        "practice_years": practice_by_year(entries),
        "practice_cases": [(e, e.case.pk in seen) for e in entries],
        "practice_has_account": coordinator.user_id is not None,
        "practice_assessments": list(coordinator.assessments.select_related("assessor").order_by("-year")),
        "practice_awards": list(coordinator.awards.order_by("-year")),
    }


# --- on call --------------------------------------------------------------------------------------


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def prefectures_for(user) -> list[Region]:
    """The prefectures the user may choose on the on-call page: all for the province, else their own."""
    prefix = user_region_prefix(user) or ""
    qs = Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith=prefix[:4])
    return list(qs) if prefix else []


def shifts(*, user, prefecture: str, start: date, end: date):
    """The shifts of ``prefecture`` (a code) overlapping ``start``..``end``, within the user's scope."""
    return (
        visible(user, OnCallShift, perm="coordinators.view")
        .filter(region_id=prefecture, starts_on__lte=end, ends_on__gte=start)
        .select_related("coordinator", "coordinator__organisation", "coordinator__user", "created_by")
        .order_by("starts_on", "coordinator__name")
    )


def roster_shifts(*, user, prefecture: str, start: date, end: date):
    """The shifts the roster page lists. A county user reads their own prefecture's roster, read only:
    shifts are scoped by the prefecture's code (``5301 00``), which a county prefix (``530102``) never
    matches, so ``visible`` would show them nothing; yet those on call there are whom a county branch
    calls for its cases (the case page shows them too). Only the user's own prefecture, from
    ``accounts.scoping``; everyone else reads through ``shifts``."""
    prefix = user_region_prefix(user) or ""
    if len(prefix) == 6 and prefecture == prefix[:4] + "00" and user.has_perm("coordinators.view"):
        return (
            OnCallShift.objects.filter(region_id=prefecture, starts_on__lte=end, ends_on__gte=start)
            .select_related("coordinator", "coordinator__organisation", "coordinator__user", "created_by")
            .order_by("starts_on", "coordinator__name")
        )
    return shifts(user=user, prefecture=prefecture, start=start, end=end)


def roster_refusals(coordinators, *, when) -> dict[int, str]:
    """Who on the roster the witness rule would refuse at ``when``, and why (its text, the case not
    judged): such a person is no one to call for a donation. Without a staff account: refused."""
    refused = {}
    for person in coordinators:
        account = person.user
        if account is None or not account.is_active:
            refused[person.pk] = _("%(name)s: no staff account") % {"name": person.name}
        elif texts := witness_refusals(coordinators=[account], case=None, when=when):
            refused[person.pk] = "; ".join(texts)
    return refused


def on_call_now(*, prefecture: str, day: date):
    """Who of ``prefecture`` is on call on ``day`` (for the case page: not scoped by the reader, who
    has already been let see the case)."""
    return (
        OnCallShift.objects.filter(region_id=prefecture, starts_on__lte=day, ends_on__gte=day)
        .select_related("coordinator", "coordinator__organisation", "coordinator__user")
        .order_by("coordinator__name")
    )


def qualified_on(coordinator, day: date) -> bool:
    """A qualified coordinator with a live qualification that has not expired on ``day``."""
    if coordinator.state != Coordinator.State.QUALIFIED:
        return False
    return (
        Qualification.objects.filter(coordinator=coordinator, state=Qualification.State.ACTIVE)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .exists()
    )


def covers(coordinator, prefecture: str) -> bool:
    """Whether the coordinator's area includes the whole prefecture (their prefecture or the province)."""
    return prefecture.startswith(region_prefix(coordinator.region_id))


def shift_candidates(*, user, prefecture: str, day: date) -> list[Coordinator]:
    qs = visible(user, Coordinator, perm="coordinators.view").filter(state=Coordinator.State.QUALIFIED)
    return [c for c in qs.select_related("organisation") if covers(c, prefecture) and qualified_on(c, day)]


# --- assessments and awards -----------------------------------------------------------------------


def assessment_list(*, user, year: int | None = None, rating: str = "", region: str = "", search: str = ""):
    qs = visible(user, Assessment, perm="coordinators.view").select_related(
        "coordinator", "coordinator__organisation", "assessor"
    )
    if year:
        qs = qs.filter(year=year)
    if rating:
        qs = qs.filter(rating=rating)
    if region:
        qs = qs.filter(coordinator__region__code__startswith=region)
    if search:
        qs = qs.filter(coordinator__name__contains=search)
    return qs.order_by("-year", "coordinator__name", "id")


def award_list(*, user, year: int | None = None, kind: str = "", region: str = ""):
    qs = visible(user, Award, perm="coordinators.view").select_related("coordinator", "organisation")
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(region__code__startswith=region)
    return qs.order_by("-year", "kind", "name", "id")


# --- overview -------------------------------------------------------------------------------------

OVERVIEW_COLUMNS = (
    "coordinators",
    "qualified",
    "classes",
    "trained",
    "national_training",
    "newly_qualified",
    "excellent",
    "witnessed",
)


def overview_row(*, year: int, prefix: str) -> dict:
    """One row of the overview for the area ``prefix``, ``year`` in Beijing time."""
    people = Coordinator.objects.filter(region__code__startswith=prefix)
    classes = TrainingClass.objects.filter(
        region__code__startswith=prefix, starts_on__gte=date(year, 1, 1), starts_on__lt=date(year + 1, 1, 1)
    )
    trained = (
        Enrolment.objects.filter(
            coordinator__region__code__startswith=prefix,
            training_class__starts_on__gte=date(year, 1, 1),
            training_class__starts_on__lt=date(year + 1, 1, 1),
        )
        .exclude(result=Enrolment.Result.ABSENT)
        .values("coordinator_id")
        .distinct()
        .count()
    )
    active = (Coordinator.State.TRAINEE, Coordinator.State.QUALIFIED)  # ACTIVE_NOTE says so on the page
    return {
        "coordinators": people.filter(state__in=active).count(),
        "qualified": people.filter(state=Coordinator.State.QUALIFIED).count(),
        "classes": classes.count(),
        "trained": trained,
        "national_training": figure("coordinators.national_training").count(year, prefix),
        "newly_qualified": figure("coordinators.newly_qualified").count(year, prefix),
        "excellent": figure("coordinators.excellent").count(year, prefix),
        "witnessed": cases_witnessed(year=year, region_prefix=prefix),
    }


class ProvinceLevel:
    """The overview's row of what belongs to the province itself (area 530000: its coordinators, classes
    and awards), so that the rows add up to the total."""

    name = gettext_lazy("Province level (direct)")

    def __init__(self, code: str):
        self.code = code


def overview(*, user, year: int) -> dict:
    """Rows per prefecture of the user's area, plus the province's own (``ProvinceLevel``), and the
    total of the area (the province for the province's staff): the rows add up to the total. Empty for
    a user without a region."""
    prefix = user_region_prefix(user) if user.has_perm("coordinators.view") else None
    if not prefix:
        return {"rows": [], "total": None}
    if len(prefix) == 2:
        areas = list(Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith=prefix))
    else:
        areas = list(Region.objects.filter(code=user.organization.region_id))
    rows = [(region, overview_row(year=year, prefix=region_prefix(region.code))) for region in areas]
    if len(prefix) == 2:
        direct = ProvinceLevel(prefix + "0000")
        rows.append((direct, overview_row(year=year, prefix=direct.code)))  # startswith a full code: that area only
    total_region = Region.objects.filter(code=user.organization.region_id).first()
    total = (total_region, overview_row(year=year, prefix=prefix)) if len(prefix) == 2 else None
    return {"rows": rows, "total": total}
