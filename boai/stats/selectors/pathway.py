"""The donor pathway (the WHO critical pathway for deceased donation) of the organ cases referred in
a year, inside an area: how many potential donors were referred, how many of them were found
eligible, consented, became actual donors and utilised donors, and why each one that stopped was
lost. Counted per prefecture and per hospital, with conversion rates and actual donors per million
population (``stats.models.RegionPopulation``, blank where staff entered no population).

How a case is placed, from what the cases app records (``cases.workflow``):

- **year**: the year of ``referred_at`` in Beijing time (a case referred at 00:30 on 1 January
  belongs to the new year); the area: the case's county (``OrganCase.region``, the region the case's
  scope and the ``cases.organ_donations`` figure use; the hospital itself is a name, with no county).
- **referred**: every organ case.
- **eligible**: the medical evaluation found the person suitable: the case went on past the
  evaluation (a determination of death begun, withdrawal of life support decided, or the family
  approached).
- **consented**: a consent was signed (a step into "consent signed"), even if revoked later.
- **actual**: at least one organ recovered — ``counted_at`` is set, exactly what the
  ``cases.organ_donations`` figure counts (which counts by the year of the recovery, not of referral).
- **utilised**: at least one organ transplanted (recipients recorded at allocation).

The cases app records no loss reason as such; it is derived from the state the case ended in:
family declined or consent revoked → ``declined``; a refusal made in life → ``refusal_on_record``;
not suitable → ``medical``; ethics review rejected → ``ethics``; cancelled → ``logistics``. A case
closed after procurement with no organ recovered takes the reasons recorded per organ (a medical
reason → ``medical``, the family withdrew → ``declined``, other → ``logistics``); an actual donor
closed with no organ transplanted → ``logistics`` (organ not used). Anything else → ``other``. A case
not yet ended is "in progress", neither counted further nor lost."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from boai.accounts.scoping import user_region_prefix
from boai.cases.models import CaseStep, OrganCase, OrganOutcome
from boai.cases.workflow import ORGAN_FINALS
from boai.core.figures import year_bounds
from boai.core.models import Region, region_prefix
from boai.stats.models import RegionPopulation

from . import params

S = OrganCase.State

STAGES = ("referred", "eligible", "consented", "actual", "utilised")
STAGE_LABELS = {
    "referred": _("Referred (potential donors)"),
    "eligible": _("Eligible"),
    "consented": _("Consented"),
    "actual": _("Actual donors (an organ recovered)"),
    "utilised": _("Utilised donors (an organ transplanted)"),
}
REASONS = ("declined", "refusal_on_record", "medical", "ethics", "logistics", "other")
REASON_LABELS = {
    "declined": _("Family declined"),
    "refusal_on_record": _("Refusal on record"),
    "medical": _("Medically unsuitable"),
    "ethics": _("Ethics review did not approve"),
    "logistics": _("Logistics and other causes"),
    "other": _("Unknown"),
}
# conversion rates: (key, numerator, denominator)
RATES = (
    ("eligible_referred", "eligible", "referred"),
    ("consented_eligible", "consented", "eligible"),
    ("actual_eligible", "actual", "eligible"),
    ("actual_consented", "actual", "consented"),
    ("utilised_actual", "utilised", "actual"),
)
RATE_LABELS = {
    "eligible_referred": _("Eligible / referred"),
    "consented_eligible": _("Consented / eligible"),
    "actual_eligible": _("Actual / eligible (conversion)"),
    "actual_consented": _("Actual / consented"),
    "utilised_actual": _("Utilised / actual"),
}

# the states a case reaches only once its evaluation found the person suitable
ELIGIBLE_STATES = frozenset(
    {
        S.FIRST_DETERMINATION,
        S.BRAIN_DEATH_DETERMINED,
        S.WITHDRAWAL_DECIDED,
        S.DEATH_DETERMINED,
        S.FAMILY_APPROACHED,
        S.CONSENTED,
        S.ETHICS_APPROVED,
        S.PROCURED,
        S.ALLOCATED,
        S.CLOSED,
    }
)
ENDED_BY = {
    S.DECLINED: "declined",
    S.REFUSAL_ON_RECORD: "refusal_on_record",
    S.NOT_SUITABLE: "medical",
    S.ETHICS_REJECTED: "ethics",
    S.CANCELLED: "logistics",
}
MEDICAL_NOT_RECOVERED = frozenset({"function", "anatomy", "infection", "tumour", "instability"})


def place(*, state: str, reached: set, counted: bool, transplanted: bool, not_recovered: list) -> tuple[int, str]:
    """A case's furthest stage (an index of ``STAGES``) and its loss reason ("" when it went through
    to utilised, "open" when it has not ended)."""
    stage = 0
    if reached & ELIGIBLE_STATES:
        stage = 1
    if S.CONSENTED in reached:
        stage = 2
    if counted:
        stage = max(stage, 3)
    if counted and transplanted:
        stage = 4
    if stage == 4:
        return stage, ""
    if state not in ORGAN_FINALS:
        return stage, "open"
    if state in ENDED_BY:
        return stage, ENDED_BY[state]
    if state == S.CLOSED and stage == 3:
        return stage, "logistics"  # recovered, but no organ transplanted
    if state == S.CLOSED and not_recovered:
        reasons = set(not_recovered)
        if reasons & MEDICAL_NOT_RECOVERED:
            return stage, "medical"
        if "family" in reasons:
            return stage, "declined"
        return stage, "logistics"
    return stage, "other"


@dataclass
class Tally:
    """The pathway of a group of cases: donors per stage, losses after each stage by reason, cases in progress."""

    stages: dict = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    losses: dict = field(default_factory=lambda: {s: dict.fromkeys(REASONS, 0) for s in STAGES[:-1]})
    open: int = 0
    population: int | None = None

    def add(self, stage: int, reason: str) -> None:
        for name in STAGES[: stage + 1]:
            self.stages[name] += 1
        if reason == "open":
            self.open += 1
        elif reason:
            self.losses[STAGES[stage]][reason] += 1

    @property
    def rates(self) -> dict:
        """Each conversion rate as a fraction, None when its denominator is 0."""
        return {
            key: (self.stages[top] / self.stages[bottom] if self.stages[bottom] else None) for key, top, bottom in RATES
        }

    @property
    def pmp(self) -> float | None:
        """Actual donors per million population, None when the population is not entered."""
        return self.stages["actual"] * 1_000_000 / self.population if self.population else None

    @property
    def lost_by_reason(self) -> dict:
        return {r: sum(self.losses[s][r] for s in STAGES[:-1]) for r in REASONS}


@dataclass
class Pathway:
    year: int
    region: Region  # the area asked for
    total: Tally
    prefectures: list  # (Region, Tally)
    hospitals: list  # (prefecture Region, hospital name, Tally)


def area_for(user, code: str | None) -> Region:
    """The area a user asked for: a region code inside their own area (theirs when blank). Refuses an
    unknown code, or one outside the user's area, with a message (``InvalidInput``, params' wording)."""
    return params.parse_region(user, code, field="region")[0]


def parse_year(value) -> int:
    """The year asked for (this year, Beijing time, when blank), from 2000 to this year; else ``InvalidInput``."""
    return params.parse_year(value, field="year") if str(value or "").strip() else params.this_year()


def region_choices(user) -> list[Region]:
    """The areas a user may choose: their own, then the prefectures (for the province) or the counties
    (for a prefecture) inside it."""
    own = user_region_prefix(user) if user.has_perm("stats.view") else None
    if not own:
        return []
    regions = list(Region.objects.filter(code=own.ljust(6, "0")))
    below = {2: Region.Level.PREFECTURE, 4: Region.Level.COUNTY}.get(len(own))
    if below:
        regions += list(Region.objects.filter(level=below, code__startswith=own).exclude(code=own.ljust(6, "0")))
    return regions


def _population(codes, year: int) -> dict:
    return dict(RegionPopulation.objects.filter(year=year, region_id__in=codes).values_list("region_id", "population"))


def pathway(*, region: Region, year: int) -> Pathway:
    """The pathway of the organ cases referred in ``year`` (Beijing time) whose county lies in
    ``region`` (already checked against the user's area: ``area_for``)."""
    prefix = region_prefix(region.code)
    start, end = year_bounds(year)
    cases = OrganCase.objects.filter(referred_at__gte=start, referred_at__lt=end, region__code__startswith=prefix)
    rows = list(cases.values_list("pk", "region_id", "hospital", "state", "counted_at", "beneficiaries"))
    reached = defaultdict(set)
    for case_id, to_state in CaseStep.objects.filter(organ_case__in=cases).values_list("organ_case_id", "to_state"):
        reached[case_id].add(to_state)
    not_recovered = defaultdict(list)
    for case_id, reason in OrganOutcome.objects.filter(case__in=cases, recovered=False).values_list(
        "case_id", "reason"
    ):
        not_recovered[case_id].append(reason)

    total = Tally()
    by_prefecture: dict[str, Tally] = defaultdict(Tally)
    by_hospital: dict[tuple, Tally] = defaultdict(Tally)
    for pk, county, hospital, state, counted_at, beneficiaries in rows:
        stage, reason = place(
            state=state,
            reached=reached[pk],
            counted=counted_at is not None,
            transplanted=beneficiaries > 0,
            not_recovered=not_recovered[pk],
        )
        prefecture = county[:4] + "00"
        for tally in (total, by_prefecture[prefecture], by_hospital[(prefecture, " ".join(hospital.split()))]):
            tally.add(stage, reason)

    names = {r.code: r for r in Region.objects.filter(code__in=list(by_prefecture))}
    population = _population([region.code, *by_prefecture], year)
    total.population = population.get(region.code)
    for code, tally in by_prefecture.items():
        # a county's area holds part of its prefecture only: the prefecture's population does not apply
        tally.population = population.get(code) if len(prefix) <= 4 else None
    for code in by_prefecture:
        names.setdefault(code, Region(code=code, name=code))
    prefectures = [(names[code], by_prefecture[code]) for code in sorted(by_prefecture)]
    hospitals = [
        (names[code], hospital, by_hospital[(code, hospital)])
        for code, hospital in sorted(by_hospital, key=lambda k: (k[0], -by_hospital[k].stages["referred"], k[1]))
    ]
    return Pathway(year=year, region=region, total=total, prefectures=prefectures, hospitals=hospitals)
