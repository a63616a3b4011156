"""A small data set whose figures were counted by hand: three years (2024–2026), three prefectures
(Kunming 5301 — Wuhua 530102, Qujing 5303 — Qilin 530302, Dali 5329 — Dali city 532901) and the
province's own records, with the edge cases the rules are about:

- registrations: one withdrawn later (still counted in the year it was signed), one at 23:30 on
  31 December 2024 Beijing time (2024), one at 00:30 on 1 January 2025 Beijing time (2025, though
  it is still 2024 in UTC), a paper form signed on 28 December 2025 typed in on 3 January 2026 (2025);
- cases: an organ case with no organ recovered and a body the station refused (neither counted), an
  organ donation counted at 23:30 on 31 December 2025 (2025) and one at 00:30 on 1 January 2026 (2026);
- care: a family visited twice in 2025 meeting one member each time (1 household, 2 person-visits),
  a phone call (not a visit), a 2026 visit meeting one member and one other person;
- coordinators trained (one marked absent, not counted), qualified, awarded excellent;
- outreach events (one of the province itself: only the province counts it), memorial sites and events.

``build()`` makes it (records straight in the database, as the apps' factories do: the scene, not the
test) and returns what the figures were before it (the test database holds a few records of its own);
``EXPECTED[(year, prefix)]`` holds every annual API figure the data set adds, counted by hand, and
``expected(before)`` the figures the API must then give."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from boai.care.models import FamilyMember
from boai.care.tests.factories import make_contact, make_family, make_site
from boai.care.tests.factories import make_event as make_memorial_event
from boai.cases.models import BodyCase, OrganCase
from boai.coordinators.models import Award, Course, Enrolment, TrainingClass, TrainingKind
from boai.coordinators.tests.factories import make_coordinator, make_qualified
from boai.core.demo import resident_id
from boai.core.figures import SHANGHAI
from boai.core.models import Organisation, Region
from boai.core.tests.personas import user
from boai.outreach.tests.factories import make_event
from boai.registry.models import Registration
from boai.registry.tally import tally_add

YEARS = (2024, 2025, 2026)
PREFIXES = ("53", "5301", "5303", "5329")
COUNTY = {"5301": "530102", "5303": "530302", "5329": "532901"}

_n = count(1)


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def _person(region: str) -> dict:
    n = next(_n)
    born = date(1960, 1, 1).replace(year=1950 + n % 40)
    return {
        "name": "测试",
        "sex": "M",
        "id_type": "resident_id",
        "id_number": resident_id(region, born, "M", n % 90 + 5),
        "birth_date": born,
        "region": Region.objects.get(code=region),
    }


def registration(region: str, at: datetime, *, signed_on: date | None = None, status: str = "active"):
    person = _person(region)
    reg = Registration.objects.create(
        number=f"YNS{next(_n):09d}",
        phone="13800001111",
        channel="online" if signed_on is None else "paper",
        registered_at=at,
        signed_on=signed_on,
        status=status,
        **person,
    )
    tally_add([reg])  # made straight in the database: counted as the registry's services count it
    return reg


def organ_case(region: str, counted_at: datetime | None, beneficiaries: int = 0):
    opened = (counted_at or beijing(2025, 6, 1, 9)) - timedelta(days=2)
    return OrganCase.objects.create(
        number=f"OS{next(_n):08d}",
        opened_at=opened,
        opened_by=user("prov_admin"),
        unit=Organisation.objects.get(code="OPO-KMU1"),
        hospital="测试医院",
        referred_at=opened,
        state=OrganCase.State.CLOSED if counted_at else OrganCase.State.NOT_SUITABLE,
        closed_at=counted_at or opened + timedelta(days=1),
        counted_at=counted_at,
        beneficiaries=beneficiaries,
        **_person(region),
    )


def body_case(region: str, received_at: datetime | None):
    opened = (received_at or beijing(2025, 6, 1, 9)) - timedelta(days=1)
    return BodyCase.objects.create(
        number=f"BS{next(_n):08d}",
        opened_at=opened,
        opened_by=user("prov_admin"),
        station=Organisation.objects.get(code="RS-KMU"),
        basis=BodyCase.Basis.REGISTRATION,
        place_of_death="家中",
        notifier_name="测试家属",
        notifier_relationship="spouse",
        notifier_phone="13800002222",
        state=BodyCase.State.RECEIVED if received_at else BodyCase.State.REFUSED,
        received_at=received_at,
        counted_at=received_at,
        **_person(region),
    )


def national_class(starts_on: date) -> TrainingClass:
    course = Course.objects.create(
        title="协调员国家级培训", kind=TrainingKind.NATIONAL, created_by=user("prov_admin"), created_at=timezone.now()
    )
    return TrainingClass.objects.create(
        course=course,
        title=f"国家级培训{starts_on:%Y}",
        kind=TrainingKind.NATIONAL,
        organiser="中国人体器官捐献管理中心",
        region=Region.objects.get(code="530000"),
        starts_on=starts_on,
        ends_on=starts_on,
        hours=Decimal("16.0"),
        place="北京",
        capacity=50,
        created_by=user("prov_admin"),
    )


def enrol(training_class, coordinator, result=Enrolment.Result.PASSED):
    return Enrolment.objects.create(
        training_class=training_class,
        coordinator=coordinator,
        nominated_by=coordinator.organisation,
        nominated_at=timezone.now(),
        created_by=user("prov_admin"),
        result=result,
    )


def award(coordinator, year: int):
    return Award.objects.create(
        kind=Award.Kind.EXCELLENT_COORDINATOR,
        year=year,
        coordinator=coordinator,
        name=coordinator.name,
        organisation=coordinator.organisation,
        region=coordinator.region,
        document_number=f"云红发〔{year + 1}〕{next(_n)}号",
        awarded_on=date(year + 1, 1, 20),  # given early the next year, for the year
        awarded_by="云南省红十字会",
        created_by=user("prov_admin"),
        created_at=timezone.now(),
    )


def figures_now() -> dict[tuple[int, str], dict[str, int]]:
    from boai.stats.selectors.annual import annual_figures

    return {(year, prefix): annual_figures(year, prefix) for year in YEARS for prefix in PREFIXES}


def expected(before) -> dict[tuple[int, str], dict[str, int]]:
    """The figures once the data set is built on top of ``before``."""
    return {key: {name: before[key][name] + value for name, value in EXPECTED[key].items()} for key in EXPECTED}


def build() -> dict[tuple[int, str], dict[str, int]]:
    before = figures_now()
    K, Q, D = COUNTY["5301"], COUNTY["5303"], COUNTY["5329"]
    # registrations
    registration(K, beijing(2024, 5, 1, 10), status="withdrawn")  # withdrawn later: still 2024
    registration(K, beijing(2024, 12, 31, 23, 30))  # the old year
    registration(Q, beijing(2024, 7, 1, 9))
    registration(K, beijing(2025, 1, 1, 0, 30))  # the new year (still 2024 in UTC)
    registration(Q, beijing(2026, 1, 3, 10), signed_on=date(2025, 12, 28))  # a paper form typed in late
    registration(D, beijing(2025, 9, 9, 9))
    registration(K, beijing(2026, 2, 2, 2))
    registration(Q, beijing(2026, 3, 1, 12))
    # organ and body donations
    organ_case(K, beijing(2024, 8, 1, 3), beneficiaries=3)
    organ_case(K, beijing(2025, 3, 1, 4), beneficiaries=2)
    organ_case(Q, beijing(2025, 12, 31, 23, 30), beneficiaries=4)  # the old year
    organ_case(K, None)  # no organ recovered: not counted
    organ_case(D, beijing(2026, 1, 1, 0, 30), beneficiaries=1)  # the new year
    body_case(K, beijing(2025, 4, 1, 10))
    body_case(Q, None)  # refused by the station: not counted
    body_case(K, beijing(2026, 2, 1, 10))
    # coordinators
    trainee_k = make_coordinator(region=K)
    trainee_q = make_coordinator(region=Q)
    training_2025 = national_class(date(2025, 5, 10))
    enrol(training_2025, trainee_k)
    enrol(training_2025, trainee_q, result=Enrolment.Result.ABSENT)  # absent: not counted
    enrol(national_class(date(2026, 6, 1)), trainee_q)
    qualified_k = make_qualified(region=K, issued_on=date(2025, 6, 1))
    make_qualified(region=Q, issued_on=date(2026, 3, 1))
    make_qualified(region=D, issued_on=date(2024, 11, 11))
    award(qualified_k, 2025)
    award(make_qualified(region=D, issued_on=date(2019, 1, 1)), 2024)
    # outreach events
    make_event(region=K, starts_on=date(2024, 6, 1))
    make_event(region=K, starts_on=date(2025, 4, 1))
    make_event(region=K, starts_on=date(2025, 10, 1))
    make_event(region=Q, starts_on=date(2025, 5, 5))
    make_event(region=D, starts_on=date(2025, 8, 8))
    make_event(region="530000", starts_on=date(2025, 9, 9), created_by="prov_admin")  # the province's own
    make_event(region=Q, starts_on=date(2026, 1, 1))
    # family care: a family visited twice in 2025, a phone call, a 2026 visit
    family_k = make_family(region=K)
    member = FamilyMember.objects.get(family=family_k)
    make_contact(family_k, occurred_on=date(2025, 3, 1), members=[member])
    make_contact(family_k, occurred_on=date(2025, 9, 1), members=[member])
    make_contact(family_k, occurred_on=date(2025, 10, 1), channel="phone", members=[member])  # not a visit
    family_q = make_family(region=Q, created_by="qilin_staff")
    make_contact(
        family_q,
        occurred_on=date(2026, 4, 4),
        members=[FamilyMember.objects.get(family=family_q)],
        others_met=1,
        recorded_by="qilin_staff",
    )
    # memorials
    make_site(region=K, opened_on=date(2024, 4, 1))
    site_d = make_site(region=D, opened_on=date(2025, 4, 4), created_by="prov_admin")
    make_memorial_event(region=K, held_on=date(2024, 12, 21), participants=30)
    make_memorial_event(site=site_d, held_on=date(2025, 4, 4), participants=80, created_by="prov_admin")
    make_memorial_event(region=Q, held_on=date(2026, 12, 22), participants=50, created_by="qilin_staff")
    return before


ZERO = {
    "registrations": 0,
    "organ_donations": 0,
    "organ_beneficiaries": 0,
    "body_donations": 0,
    "coordinators_national_training": 0,
    "coordinators_newly_qualified": 0,
    "coordinators_excellent": 0,
    "outreach_events": 0,
    "families_visited_households": 0,
    "families_visited_person_visits": 0,
    "memorial_sites_new": 0,
    "memorial_events": 0,
    "memorial_participants": 0,
}

# counted by hand from build(), prefecture by prefecture
_BY_PREFECTURE = {
    (2024, "5301"): {
        "registrations": 2,  # the withdrawn one and 23:30 on 31 December
        "organ_donations": 1,
        "organ_beneficiaries": 3,
        "outreach_events": 1,
        "memorial_sites_new": 1,
        "memorial_events": 1,
        "memorial_participants": 30,
    },
    (2024, "5303"): {"registrations": 1},
    (2024, "5329"): {"coordinators_newly_qualified": 1, "coordinators_excellent": 1},
    (2025, "5301"): {
        "registrations": 1,  # 00:30 on 1 January
        "organ_donations": 1,  # the case with no organ recovered is not counted
        "organ_beneficiaries": 2,
        "body_donations": 1,
        "coordinators_national_training": 1,
        "coordinators_newly_qualified": 1,
        "coordinators_excellent": 1,
        "outreach_events": 2,
        "families_visited_households": 1,  # visited twice
        "families_visited_person_visits": 2,  # one member met each time; the phone call is not a visit
    },
    (2025, "5303"): {
        "registrations": 1,  # the paper form signed on 28 December
        "organ_donations": 1,  # 23:30 on 31 December
        "organ_beneficiaries": 4,
        "outreach_events": 1,  # the refused body and the absent trainee count nothing
    },
    (2025, "5329"): {
        "registrations": 1,
        "outreach_events": 1,
        "memorial_sites_new": 1,
        "memorial_events": 1,
        "memorial_participants": 80,
    },
    (2026, "5301"): {"registrations": 1, "body_donations": 1},
    (2026, "5303"): {
        "registrations": 1,
        "coordinators_national_training": 1,
        "coordinators_newly_qualified": 1,
        "outreach_events": 1,
        "families_visited_households": 1,
        "families_visited_person_visits": 2,  # one member and one other person
        "memorial_events": 1,
        "memorial_participants": 50,
    },
    (2026, "5329"): {"organ_donations": 1, "organ_beneficiaries": 1},  # 00:30 on 1 January
}
# the province's own records: the province's publicity event of 2025
_PROVINCE_ONLY = {(2025, "53"): {"outreach_events": 1}}

EXPECTED: dict[tuple[int, str], dict[str, int]] = {}
for _year in YEARS:
    province = dict(ZERO)
    for _prefix in ("5301", "5303", "5329"):
        figures = {**ZERO, **_BY_PREFECTURE.get((_year, _prefix), {})}
        EXPECTED[(_year, _prefix)] = figures
        for name, value in figures.items():
            province[name] += value
    for name, value in _PROVINCE_ONLY.get((_year, "53"), {}).items():
        province[name] += value
    EXPECTED[(_year, "53")] = province
