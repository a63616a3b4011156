"""The three published figures (year boundary and area), and the overview that uses them: its rows
per prefecture, the province's total, the chart, and the audited Excel export."""

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from boai.audit.models import AuditEntry
from boai.core.figures import figure
from boai.core.models import Organisation, Region
from boai.core.tests.personas import user

from ..models import Award, Course, Enrolment, Qualification, TrainingClass
from .factories import make_qualified

pytestmark = pytest.mark.django_db

YEAR = 2023  # before the demo's records


def client(username):
    c = Client()
    c.force_login(user(username))
    return c


def national_class(first_day: date, kind="national") -> TrainingClass:
    course = Course.objects.create(
        title="协调员培训", kind=kind, created_by=user("prov_admin"), created_at=timezone.now()
    )
    return TrainingClass.objects.create(
        course=course,
        title=f"第{first_day:%Y%m%d}期",
        kind=kind,
        organiser="中国人体器官捐献管理中心",
        region=Region.objects.get(code="530000"),
        starts_on=first_day,
        ends_on=first_day,
        hours=24,
        place="北京",
        capacity=50,
        created_by=user("prov_admin"),
    )


def enrol(klass, person, result=Enrolment.Result.PASSED):
    return Enrolment.objects.create(
        training_class=klass,
        coordinator=person,
        nominated_by=Organisation.objects.get(code="RC530000"),
        nominated_at=timezone.now(),
        created_by=user("prov_admin"),
        result=result,
    )


def count(code, year=YEAR, prefix="53"):
    return figure(code).count(year, prefix)


def test_national_training_counts_distinct_people_by_the_first_day_of_the_class_not_the_absent():
    before = (
        count("coordinators.national_training"),
        count("coordinators.national_training", YEAR - 1),
        count("coordinators.national_training", prefix="530302"),
        count("coordinators.national_training", prefix="5301"),
    )
    kunming = make_qualified(name="国培昆明", region="530100")
    qujing = make_qualified(name="国培曲靖", region="530302")
    absent = make_qualified(name="国培缺席", region="530100")
    dec31 = national_class(date(YEAR - 1, 12, 31))  # first day on 31 December: the earlier year
    jan1 = national_class(date(YEAR, 1, 1))
    second = national_class(date(YEAR, 6, 1))
    provincial = national_class(date(YEAR, 3, 1), kind="provincial")
    enrol(dec31, kunming)
    enrol(jan1, kunming)
    enrol(second, kunming)  # the same person twice in the year: once
    enrol(jan1, qujing, result=Enrolment.Result.PENDING)
    enrol(jan1, absent, result=Enrolment.Result.ABSENT)
    enrol(provincial, absent)
    assert count("coordinators.national_training") == before[0] + 2
    assert count("coordinators.national_training", YEAR - 1) == before[1] + 1
    assert count("coordinators.national_training", prefix="530302") == before[2] + 1  # Qilin: 国培曲靖
    assert count("coordinators.national_training", prefix="5301") == before[3] + 1  # Kunming: not the absent


def test_newly_qualified_counts_by_the_date_of_the_qualification_and_the_coordinators_area():
    before = {
        p: (count("coordinators.newly_qualified", prefix=p), count("coordinators.newly_qualified", YEAR - 1, p))
        for p in ("53", "5303")
    }
    make_qualified(name="跨年前", region="530100", issued_on=date(YEAR - 1, 12, 31))
    make_qualified(name="跨年后", region="530302", issued_on=date(YEAR, 1, 1))
    assert count("coordinators.newly_qualified") == before["53"][0] + 1
    assert count("coordinators.newly_qualified", YEAR - 1) == before["53"][1] + 1
    assert count("coordinators.newly_qualified", prefix="5303") == before["5303"][0] + 1
    assert count("coordinators.newly_qualified", YEAR - 1, "5303") == before["5303"][1]
    assert Qualification.objects.filter(coordinator__name="跨年后").exists()


def test_excellent_counts_awards_of_the_kind_for_the_year_in_the_awards_area():
    before = {p: count("coordinators.excellent", prefix=p) for p in ("53", "5301", "5303")}
    before_prev = count("coordinators.excellent", YEAR - 1)
    admin = user("prov_admin")

    def award(person, year, kind=Award.Kind.EXCELLENT_COORDINATOR):
        Award.objects.create(
            kind=kind,
            year=year,
            coordinator=person,
            name=person.name,
            organisation=person.organisation,
            region=person.region,
            document_number="云红发〔2023〕1号",
            awarded_on=date(year, 12, 31),
            awarded_by="云南省红十字会",
            created_by=admin,
            created_at=timezone.now(),
        )

    a = make_qualified(name="优秀甲", region="530100")
    b = make_qualified(name="优秀乙", region="530302")
    award(a, YEAR)
    award(b, YEAR - 1)  # awarded for the year before, even if the paper is dated later
    award(b, YEAR, kind=Award.Kind.OTHER)
    assert count("coordinators.excellent") == before["53"] + 1
    assert count("coordinators.excellent", prefix="5301") == before["5301"] + 1
    assert count("coordinators.excellent", prefix="5303") == before["5303"]
    assert count("coordinators.excellent", YEAR - 1) == before_prev + 1


def test_the_overview_shows_each_prefecture_and_the_province_with_the_figures_and_exports_them():
    person = make_qualified(name="概览", region="530100", issued_on=date(YEAR, 5, 1))
    enrol(national_class(date(YEAR, 4, 1)), person)
    page = client("prov_admin").get(f"/workspace/coordinators/overview/?year={YEAR}")
    assert page.status_code == 200
    rows = dict(page.context["rows"])
    kunming = Region.objects.get(code="530100")
    columns = [key for key, _label in page.context["columns"]]
    values = dict(zip(columns, rows[kunming], strict=True))
    assert values["national_training"] == count("coordinators.national_training", prefix="5301") >= 1
    assert values["newly_qualified"] == count("coordinators.newly_qualified", prefix="5301") >= 1
    total = dict(zip(columns, page.context["total"][1], strict=True))
    assert total["newly_qualified"] == count("coordinators.newly_qualified")
    assert (
        len(rows) == Region.objects.filter(level="prefecture", code__startswith="53").count() + 1
    )  # + the province's own
    assert "<svg" in page.content.decode() and kunming.name in page.content.decode()
    own = client("kunming_staff").get(f"/workspace/coordinators/overview/?year={YEAR}")
    assert [r.code for r, _v in own.context["rows"]] == ["530100"] and own.context["total"] is None
    audits = AuditEntry.objects.filter(action="coordinators.overview.exported").count()
    export = client("auditor").get(f"/workspace/coordinators/overview/export/?year={YEAR}")
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert kunming.name in names
    assert AuditEntry.objects.filter(action="coordinators.overview.exported").count() == audits + 1
    assert client("coordinator").get("/workspace/coordinators/overview/export/").status_code == 403
