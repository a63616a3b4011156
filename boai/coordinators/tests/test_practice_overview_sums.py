"""The overview's rows add up to its total in every column: the province's own coordinators, classes and
awards (area 530000) have their row, "province level (direct)"; the active coordinators are those in
training or qualified, and the page and the Excel say so."""

from datetime import date
from io import BytesIO

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from boai.core.models import Region
from boai.core.tests.personas import user
from boai.lib.plugins import demo_load

from ..models import Award, Coordinator
from .factories import make_coordinator, make_qualified
from .test_practice_overview import YEAR, client, enrol, national_class

pytestmark = pytest.mark.django_db
URL = "/workspace/coordinators/overview/"


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def table(year: int) -> tuple[list[str], dict, dict, str]:
    page = client("prov_admin").get(f"{URL}?year={year}")
    assert page.status_code == 200
    columns = [key for key, _label in page.context["columns"]]
    rows = {str(region.name): dict(zip(columns, values, strict=True)) for region, values in page.context["rows"]}
    total = dict(zip(columns, page.context["total"][1], strict=True))
    return columns, rows, total, page.content.decode()


def assert_rows_add_up(year: int) -> None:
    columns, rows, total, _body = table(year)
    for column in columns:
        assert sum(values[column] for values in rows.values()) == total[column], (year, column, rows, total)


def test_with_the_demo_data_the_rows_add_up_to_the_total_every_year():
    demo_load()  # the whole demo, its cases (witnesses) too
    this_year = timezone.localdate().year
    for year in range(this_year - 3, this_year + 1):
        assert_rows_add_up(year)


def test_a_province_level_coordinator_has_the_province_row_and_the_rows_add_up():
    direct = zh("Province level (direct)")
    _columns, rows, _total, _body = table(YEAR)
    before = rows[direct]
    person = make_qualified(name="省直属", region="530000", issued_on=date(YEAR, 5, 1))
    enrol(national_class(date(YEAR, 4, 1)), person)
    Award.objects.create(
        kind=Award.Kind.EXCELLENT_COORDINATOR,
        year=YEAR,
        coordinator=person,
        name=person.name,
        organisation=person.organisation,
        region=person.region,
        document_number="云红发〔2023〕12号",
        awarded_on=date(YEAR, 12, 31),
        awarded_by="云南省红十字会",
        created_by=user("prov_admin"),
        created_at=timezone.now(),
    )
    make_coordinator(name="申请中", region="530000")  # an applicant: not active
    make_coordinator(name="暂停中", region="530000", state=Coordinator.State.SUSPENDED)  # suspended: not active
    make_coordinator(name="培训中", region="530000", state=Coordinator.State.TRAINEE)  # in training: active

    _columns, rows, total, body = table(YEAR)
    after = rows[direct]
    assert after["coordinators"] == before["coordinators"] + 2  # the qualified one and the one in training
    assert after["qualified"] == before["qualified"] + 1
    assert after["classes"] == before["classes"] + 1  # the province's own class
    for key in ("trained", "national_training", "newly_qualified", "excellent"):
        assert after[key] == before[key] + 1, key
    assert_rows_add_up(YEAR)
    note = zh(
        "Coordinators (active): people in training or qualified; applicants and suspended, revoked, rejected or"
        " departed people are not counted. Province level (direct): what belongs to the province itself (its"
        " coordinators, classes and awards); the rows add up to the total."
    )
    assert direct in body and note in body

    export = client("prov_admin").get(f"{URL}export/?year={YEAR}")
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    cells = [row for row in sheet.iter_rows(values_only=True)]
    names = [row[0] for row in cells]
    assert direct in names and note in names
    by_name = {row[0]: row[1:] for row in cells}
    total_row = next(row[1:] for row in cells if row[0] == zh("Total"))
    prefectures = [r.name for r in Region.objects.filter(level="prefecture", code__startswith="53")]
    for i, value in enumerate(total_row):
        assert value == sum(by_name[name][i] for name in [*prefectures, direct]), i
