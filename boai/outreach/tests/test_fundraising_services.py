"""Fundraising through its services: projects added and changed (money in fen, scope, version), a day's
results typed in and replaced only when confirmed, and the platform's export imported: good rows saved,
bad rows reported with their row, column and reason, whole-file problems refused with nothing written."""

import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import Workbook

from boai.audit.models import AuditEntry
from boai.core.errors import Conflict, InvalidFields, InvalidInput, NotAllowed
from boai.core.tests.personas import user

from ..models import FundraisingDay, FundraisingImport, FundraisingProject
from ..selectors import fundraising as selectors
from ..services import fundraising as services
from .factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # the refusals' wording is checked in English
        yield


def snapshot():
    return (
        list(FundraisingProject.objects.order_by("id").values_list("title", "target_fen", "version")),
        list(FundraisingDay.objects.order_by("id").values_list("day", "amount_fen", "donors")),
        FundraisingImport.objects.count(),
        AuditEntry.objects.filter(action__startswith="outreach.").count(),
    )


def data(**over) -> services.ProjectData:
    base = dict(
        title="5·8人道公益日",
        purpose="family_care",
        care_kind="relief_fund",
        target="200,000",
        platform="腾讯公益",
        starts_on=date(2025, 5, 5),
        ends_on=date(2025, 5, 8),
        region="530102",
    )
    return services.ProjectData(**(base | over))


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def imported(project, content, filename="export.csv", actor="wuhua_staff", **kwargs):
    return services.results_import(project=project, actor=user(actor), filename=filename, content=content, **kwargs)


def days(project):
    return list(project.days.order_by("day").values_list("day", "amount_fen", "donors"))


@pytest.fixture
def project():
    return make_project(region="530102", created_by="wuhua_staff", starts_on=date(2025, 5, 5), ends_on=date(2025, 5, 8))


# --- projects -------------------------------------------------------------------------------------


def test_a_project_is_saved_with_its_target_in_fen_and_audited():
    p = services.project_create(actor=user("wuhua_staff"), data=data(target="￥200,000.50"))
    assert p.target_fen == 20_000_050
    entry = AuditEntry.objects.get(action="outreach.project.created", object_id=str(p.pk))
    assert entry.changes["target_fen"] == [None, 20_000_050]


def test_a_project_for_another_purpose_keeps_no_care_kind():
    p = services.project_create(actor=user("wuhua_staff"), data=data(purpose="promotion", care_kind="relief_fund"))
    assert p.care_kind == ""


@pytest.mark.parametrize(
    "over, field",
    [
        ({"title": ""}, "title"),
        ({"purpose": "x"}, "purpose"),
        ({"care_kind": ""}, "care_kind"),
        ({"target": "-5"}, "target"),
        ({"target": "abc"}, "target"),
        ({"target": "1.234"}, "target"),
        ({"platform": ""}, "platform"),
        ({"ends_on": date(2025, 5, 1)}, "ends_on"),
        ({"starts_on": None}, "starts_on"),
        ({"region": "530302"}, "region"),  # Qilin: outside Wuhua
        ({"region": "999999"}, "region"),
    ],
)
def test_a_bad_project_is_refused_beside_its_field_and_nothing_is_written(over, field):
    before = snapshot()
    with pytest.raises(InvalidFields) as refused:
        services.project_create(actor=user("wuhua_staff"), data=data(**over))
    assert field in refused.value.errors
    assert snapshot() == before


def test_an_auditor_cannot_add_a_project():
    with pytest.raises(NotAllowed):
        services.project_create(actor=user("auditor"), data=data(region="530000"))


def test_a_stale_version_is_refused(project):
    services.project_update(project=project, actor=user("wuhua_staff"), data=data(title="新名"), version=1)
    with pytest.raises(Conflict):
        services.project_update(project=project, actor=user("wuhua_staff"), data=data(title="再改"), version=1)
    project.refresh_from_db()
    assert (project.title, project.version) == ("新名", 2)


def test_the_dates_cannot_leave_out_a_recorded_day(project):
    services.day_record(project=project, actor=user("wuhua_staff"), day=date(2025, 5, 5), amount="10", donors=1)
    with pytest.raises(InvalidFields) as refused:
        services.project_update(
            project=project, actor=user("wuhua_staff"), data=data(starts_on=date(2025, 5, 6)), version=1
        )
    assert "2025-05-05" in refused.value.errors["starts_on"][0]


# --- a day typed in -------------------------------------------------------------------------------


def test_a_day_is_recorded_and_replaced_only_after_confirmation(project):
    actor = user("wuhua_staff")
    services.day_record(project=project, actor=actor, day=date(2025, 5, 6), amount="1,234.50", donors=20)
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        services.day_record(project=project, actor=actor, day=date(2025, 5, 6), amount="2000", donors=30)
    assert "¥1,234.50 from 20 donors" in str(refused.value.message)
    assert snapshot() == before
    _row, replaced = services.day_record(
        project=project, actor=actor, day=date(2025, 5, 6), amount="2000", donors=30, replace=True
    )
    assert replaced
    assert days(project) == [(date(2025, 5, 6), 200_000, 30)]
    entry = AuditEntry.objects.filter(action="outreach.results.recorded").order_by("-id").first()
    assert entry.changes["amount_fen"] == [123_450, 200_000]
    assert entry.changes["donors"] == [20, 30]


@pytest.mark.parametrize(
    "day, amount, donors, field",
    [
        (date(2025, 5, 9), "10", 1, "day"),  # after the project
        (date(2025, 5, 6), "-1", 1, "amount"),
        (date(2025, 5, 6), "十元", 1, "amount"),
        (date(2025, 5, 6), "10", -1, "donors"),
    ],
)
def test_a_bad_day_is_refused_with_nothing_written(project, day, amount, donors, field):
    before = snapshot()
    with pytest.raises(InvalidFields) as refused:
        services.day_record(project=project, actor=user("wuhua_staff"), day=day, amount=amount, donors=donors)
    assert field in refused.value.errors
    assert snapshot() == before


def test_another_county_cannot_record_a_day(project):
    with pytest.raises(InvalidInput):
        services.day_record(project=project, actor=user("qilin_staff"), day=date(2025, 5, 6), amount="1", donors=1)


# --- imports --------------------------------------------------------------------------------------

GOOD_AND_BAD = (
    "日期,金额,捐款人次\n"
    '2025-05-05,"1,234.50",12\n'  # row 2: good
    "2025/5/6,￥1234.5,10\n"  # row 3: good
    "not a date,10,1\n"  # row 4: bad date
    "2025-05-20,10,1\n"  # row 5: outside the project
    "2025-05-07,-3,1\n"  # row 6: negative
    "2025-05-07,十块,1\n"  # row 7: not a number
    "2025-05-05,5,1\n"  # row 8: the same day as row 2
    "2025-05-08,5,-2\n"  # row 9: negative donors
    "\n"
    "2025-05-08,0,0\n"  # row 11: a day with nothing raised is a result too
)


def test_an_import_saves_the_good_rows_and_reports_each_bad_one(project):
    imp = imported(project, GOOD_AND_BAD.encode())
    assert days(project) == [
        (date(2025, 5, 5), 123_450, 12),
        (date(2025, 5, 6), 123_450, 10),
        (date(2025, 5, 8), 0, 0),
    ]
    assert (imp.rows_total, imp.rows_saved, imp.replaced) == (9, 3, 0)
    report = {(e["row"], e["column"]): e["message"] for e in imp.errors}
    assert set(report) == {(4, "日期"), (5, "日期"), (6, "金额"), (7, "金额"), (8, "日期"), (9, "捐款人次")}
    assert report[(4, "日期")] == "This is not a date. Write it as 2025-05-08."
    assert "within the project's dates (2025-05-05 to 2025-05-08)" in report[(5, "日期")]
    assert report[(6, "金额")] == "The amount cannot be negative."
    assert report[(8, "日期")] == "The same day is already on row 2 of this file."
    assert "whole number" in report[(9, "捐款人次")]
    entry = AuditEntry.objects.get(action="outreach.results.imported", object_id=str(imp.pk))
    assert entry.changes["rows_saved"] == 3 and entry.changes["rows_refused"] == 6


def test_an_import_replaces_a_recorded_day_and_says_so(project):
    services.day_record(project=project, actor=user("wuhua_staff"), day=date(2025, 5, 5), amount="1", donors=1)
    imp = imported(project, b"date,amount,donors\n2025-05-05,500,9\n2025-05-06,20,2\n", replace=True)
    assert imp.replaced == 1
    assert selectors.import_replaced(imp) == 1
    assert days(project) == [(date(2025, 5, 5), 50_000, 9), (date(2025, 5, 6), 2_000, 2)]
    entry = AuditEntry.objects.get(action="outreach.results.imported", object_id=str(imp.pk))
    assert entry.changes["replaced_days"] == [["2025-05-05", 100, 1, 50_000, 9]]


def test_a_gbk_csv_is_read(project):
    imp = imported(project, "日期,金额,捐款人次\n2025-05-07,88.8,3\n".encode("gbk"))
    assert imp.rows_saved == 1
    assert days(project) == [(date(2025, 5, 7), 8_880, 3)]


def test_an_xlsx_export_with_date_and_number_cells_is_read(project):
    content = xlsx([["日期", "金额（元）", "捐款人次"], [date(2025, 5, 5), 1234.5, 7], ["2025-05-06", "1,000", "8"]])
    imp = imported(project, content, filename="腾讯公益导出.xlsx")
    assert imp.errors == []
    assert days(project) == [(date(2025, 5, 5), 123_450, 7), (date(2025, 5, 6), 100_000, 8)]


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("export.csv", "日期,金额\n2025-05-05,1\n".encode(), "missing: 捐款人次"),
        ("export.csv", b"", "The file is empty."),
        ("export.csv", "日期,金额,捐款人次\n".encode(), "no rows of results"),
        ("export.xlsx", b"this is not a spreadsheet at all", ".xlsx file cannot be read"),
        ("export.pdf", b"%PDF-1.4", "as .xlsx or .csv"),
        ("export.csv", b"\xff\xfe\x00\xd8garbage\x81", "UTF-8 or GB18030"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_nothing_written(project, filename, content, message):
    before = snapshot()
    with pytest.raises(InvalidInput) as refused:
        imported(project, content, filename=filename)
    assert refused.value.field == "file"
    assert message in str(refused.value.message)
    assert snapshot() == before


def test_more_than_5000_rows_are_refused(project):
    content = "日期,金额,捐款人次\n" + "2025-05-05,1,1\n" * 5001
    with pytest.raises(InvalidInput) as refused:
        imported(project, content.encode())
    assert "more than 5000 rows" in str(refused.value.message)
    assert FundraisingImport.objects.count() == 0


def test_an_auditor_cannot_import(project):
    with pytest.raises(NotAllowed):
        imported(project, "日期,金额,捐款人次\n2025-05-05,1,1\n".encode(), actor="auditor")


# --- reads ----------------------------------------------------------------------------------------


def test_the_list_shows_what_each_project_raised_and_is_scoped():
    wuhua = make_project(
        region="530102", created_by="wuhua_staff", target_fen=1_000_00, days=((date(2025, 5, 8), 25_000, 3),)
    )
    qilin = make_project(region="530302", created_by="qilin_staff")
    seen = {p.pk: p for p in selectors.project_list(user=user("wuhua_staff"))}
    assert qilin.pk not in seen
    assert (seen[wuhua.pk].raised_fen, seen[wuhua.pk].donor_count) == (25_000, 3)
    assert selectors.percent(25_000, 100_000) == 25
    assert {p.pk for p in selectors.project_list(user=user("prov_admin"))} >= {wuhua.pk, qilin.pk}
    assert not selectors.project_list(user=user("prov_admin"), year=2024).filter(pk=wuhua.pk).exists()


def test_the_import_page_counts_the_replaced_days_before_the_entry_is_sealed(project, settings):
    settings.BOAI_AUDIT_SEAL_DEFERRED = True  # the import's audit entry waits for the sealer
    services.day_record(project=project, actor=user("wuhua_staff"), day=date(2025, 5, 5), amount="1", donors=1)
    imp = imported(project, b"date,amount,donors\n2025-05-05,500,9\n", replace=True)
    assert not AuditEntry.objects.filter(action="outreach.results.imported", object_id=str(imp.pk)).exists()
    assert selectors.import_replaced(imp) == 1
