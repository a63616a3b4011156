"""Bulk import (dry run, error report, all-or-valid, idempotent, all-or-nothing) and streamed export."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from boai.audit.models import AuditEntry
from boai.core.tests.personas import user
from boai.registry.models import ConsentRecord, ImportJob, Registration, RegistrationTally
from boai.registry.parsing import COLUMNS
from boai.registry.tally import tally_recount
from boai.registry.tests.helpers import committing_client, resident_id, sheet

pytestmark = pytest.mark.django_db
# a list without the signing date's column (its rows count on the day of import: test_signed_on.py)
HEADER = [zh for key, zh, _en in COLUMNS if key != "signed_on"]


def row(name, id_number, phone="13800002222", region="530102", organs="全部", **extra):
    values = {
        "姓名": name,
        "证件号码": id_number,
        "手机号": phone,
        "县（市、区）代码": region,
        "捐献器官": organs,
        "性别": "",
        "民族": "汉族",
        "遗体捐献": "否",
    }
    values.update(extra)
    return [values.get(h, "") for h in HEADER]


GOOD = [
    row("赵一", resident_id(seq="01")),
    row("钱二", resident_id(seq="03", sex="F"), phone="13800002223", 捐献组织="眼角膜"),
]
BAD = [
    row("孙三", resident_id(seq="05")[:-1] + ("0" if resident_id(seq="05")[-1] != "0" else "1")),  # check digit
    row("李四", resident_id(born=date(2012, 5, 1), seq="07")),  # a minor
    row("赵一又", resident_id(seq="01")),  # the same person as row 2
]


def xlsx(rows) -> SimpleUploadedFile:
    return sheet(rows, HEADER)


@pytest.fixture
def clerk(django_capture_on_commit_callbacks):
    return committing_client("wuhua_staff", django_capture_on_commit_callbacks)


def upload(client, file, consent="on"):
    response = client.post("/workspace/registrations/import/", {"file": file, "consent": consent})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("id")


def test_the_template_has_the_columns():
    client = Client()
    client.force_login(user("wuhua_staff"))
    ws = load_workbook(io.BytesIO(client.get("/workspace/registrations/import/template.xlsx").content)).active
    assert [c.value for c in ws[1]] == [zh for _k, zh, _en in COLUMNS]
    assert ws[1][-1].value == "签署日期"


def test_a_dry_run_checks_every_row_and_writes_nothing(clerk):
    before = Registration.objects.count()
    job = upload(clerk, xlsx(GOOD + BAD))
    assert (job.state, job.total_rows, job.valid_rows, job.error_rows) == ("checked", 5, 2, 3)
    for stored in (job.file, job.report):  # the list and its report hold ID numbers: encrypted at rest
        raw = open(stored.storage.path(stored.name), "rb").read()
        assert raw.startswith(b"BOAI1") and resident_id(seq="01").encode() not in raw
    assert Registration.objects.count() == before
    messages = {e["row"]: e["message"] for e in job.errors}
    assert "check digit" in messages[4] and "18 or older" in messages[5] and "row 2" in messages[6]
    report = load_workbook(
        io.BytesIO(b"".join(clerk.get(f"/workspace/registrations/import/{job.pk}/report.xlsx").streaming_content))
    ).active
    rows = list(report.iter_rows(values_only=True))
    assert AuditEntry.objects.filter(action="registry.import.report_downloaded", object_id=str(job.pk)).exists()
    assert rows[0][-1] == "Errors" and [r[0] for r in rows[1:]] == ["赵一", "钱二", "孙三", "李四", "赵一又"]
    assert rows[1][-1] in (None, "") and "check digit" in rows[3][-1]
    page = clerk.get(f"/workspace/registrations/import/{job.pk}/").content.decode()
    assert "Import the 2 valid rows only" in page and "Import all" not in page


def test_import_all_is_refused_while_rows_have_errors_then_valid_rows_import(clerk):
    job = upload(clerk, xlsx(GOOD + BAD))
    before = Registration.objects.count()
    clerk.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "all"})
    assert Registration.objects.count() == before
    clerk.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "valid"})
    job.refresh_from_db()
    assert (job.state, job.imported_rows, job.skipped_rows) == ("done", 2, 3)
    imported = Registration.objects.filter(name__in=["赵一", "钱二"]).order_by("number")
    assert [r.channel for r in imported] == ["import", "import"]
    numbers = [int(r.number[-6:]) for r in imported]
    assert numbers[1] == numbers[0] + 1
    assert ConsentRecord.objects.filter(registration__in=imported, kind="sensitive_data").count() == 2
    assert imported[1].tissues == ["cornea"] and imported[1].sex == "F" and imported[0].ethnic_group == "01"
    assert AuditEntry.objects.filter(action="registry.import.committed", object_id=str(job.pk)).count() == 1


def test_rows_written_one_batch_at_a_time_are_written_whole(clerk, settings):
    """Batches of one row, each prepared in a thread while the one before is written (bulk.ahead):
    every row in its place, numbered in order, its wishes, protected fields and consent all there."""
    settings.BOAI_IMPORT_BATCH = 1
    job = upload(clerk, xlsx([*GOOD, row("周五", resident_id(seq="09"), phone="13800002224", organs="肾脏、肝脏")]))
    clerk.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "all"})
    job.refresh_from_db()
    assert (job.state, job.imported_rows) == ("done", 3)
    imported = list(Registration.objects.filter(name__in=["赵一", "钱二", "周五"]).order_by("number"))
    assert [r.name for r in imported] == ["赵一", "钱二", "周五"]
    assert [int(r.number[-6:]) - int(imported[0].number[-6:]) for r in imported] == [0, 1, 2]
    assert imported[0].organs == ["all"] and imported[1].tissues == ["cornea"]
    assert sorted(imported[2].organs) == ["kidney", "liver"] and imported[2].family_informed == []
    ids = [resident_id(seq="01"), resident_id(seq="03", sex="F"), resident_id(seq="09")]
    assert [r.id_number for r in imported] == ids
    assert imported[2].phone == "13800002224" and imported[2].birth_year == imported[2].birth_date.year
    assert ConsentRecord.objects.filter(registration__in=imported).count() == 3
    # every batch counted (the tally is added once, after the last batch)
    tally = {(t.month, t.region_id, t.dimension, t.value): t.count for t in RegistrationTally.objects.exclude(count=0)}
    assert tally == {key: n for key, n in tally_recount().items() if n}


def test_importing_the_same_file_twice_creates_no_duplicates(clerk):
    first = upload(clerk, xlsx(GOOD))
    clerk.post(f"/workspace/registrations/import/{first.pk}/commit/", {"mode": "all"})
    count = Registration.objects.count()
    second = upload(clerk, xlsx(GOOD))
    assert (second.valid_rows, second.error_rows) == (0, 2)
    assert all("already has an active registration" in e["message"] for e in second.errors)
    assert Registration.objects.count() == count


def test_a_failure_in_the_middle_leaves_the_registry_as_it_was(clerk, settings, monkeypatch):
    from boai.registry.services import imports as importing

    settings.BOAI_IMPORT_BATCH = 1
    job = upload(clerk, xlsx(GOOD))
    before = (Registration.objects.count(), ConsentRecord.objects.count())
    calls = {"n": 0}
    original = importing.insert_rows

    def failing(model, objs, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # the second batch's consent records
            raise RuntimeError("disk full")
        return original(model, objs, **kwargs)

    monkeypatch.setattr(importing, "insert_rows", failing)
    with pytest.raises(RuntimeError):
        clerk.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "all"})
    assert (Registration.objects.count(), ConsentRecord.objects.count()) == before
    assert ImportJob.objects.get(pk=job.pk).state == "checked"  # it can be tried again


def test_a_gb18030_csv_is_read():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerow(GOOD[0])
    from boai.registry.services import imports as importing

    job = importing.import_job_create(
        actor=user("wuhua_staff"),
        consent_confirmed=True,
        upload=SimpleUploadedFile("list.csv", text.getvalue().encode("gb18030")),
    )
    job = importing.import_job_check(job_id=job.pk)
    assert (job.valid_rows, job.error_rows) == (1, 0)


@pytest.mark.parametrize(
    "file, message",
    [
        (SimpleUploadedFile("list.txt", b"hello"), "Upload the list as .xlsx or .csv"),
    ],
)
def test_a_wrong_file_is_refused_with_a_message(clerk, file, message):
    response = clerk.post("/workspace/registrations/import/", {"file": file, "consent": "on"})
    assert response.status_code == 200 and message in response.content.decode()


def test_the_consent_must_be_confirmed(clerk):
    response = clerk.post("/workspace/registrations/import/", {"file": xlsx(GOOD)})
    assert "signed the consent form" in response.content.decode()


def test_a_damaged_xlsx_fails_with_a_message(clerk):
    job = upload(clerk, SimpleUploadedFile("list.xlsx", b"PK\x03\x04 not really a workbook"))
    assert job.state == "failed" and "cannot be read" in job.message


def test_rows_outside_the_clerks_area_are_refused(clerk):
    job = upload(clerk, xlsx([row("周五", resident_id(region="530302", seq="09"), region="530302")]))
    assert job.error_rows == 1 and "outside your area" in job.errors[0]["message"]


def test_the_export_is_masked_streamed_and_audited():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("kunming_staff"))
    response = client.get("/workspace/registrations/export.csv?status=active")
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    expected = Registration.objects.filter(region__code__startswith="5301", status="active")
    assert len(rows) == 1 + expected.count()
    for reg in expected:
        assert reg.id_number not in text and reg.phone not in text
    entry = AuditEntry.objects.filter(action="registry.registration.exported").latest("id")
    assert entry.changes["unmasked"] is False and entry.changes["filters"] == {"status": "active"}
    book = load_workbook(io.BytesIO(b"".join(client.get("/workspace/registrations/export.xlsx").streaming_content)))
    assert book.active.max_row == 1 + Registration.objects.filter(region__code__startswith="5301").count()


def test_an_unmasked_export_needs_the_permission_and_a_reason():
    clerk = Client(HTTP_ACCEPT_LANGUAGE="en")
    clerk.force_login(user("kunming_staff"))
    assert clerk.get("/workspace/registrations/export/full/").status_code == 403
    admin = Client(HTTP_ACCEPT_LANGUAGE="en")
    admin.force_login(user("prov_admin"))
    refused = admin.post("/workspace/registrations/export/full/", {"reason": "", "format": "csv"})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    response = admin.post("/workspace/registrations/export/full/", {"reason": "移交遗体接收站核对", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    reg = Registration.objects.filter(erased_at__isnull=True).first()
    assert reg.id_number in text
    entry = AuditEntry.objects.filter(action="registry.registration.exported").latest("id")
    assert entry.changes["unmasked"] is True and entry.changes["reason"] == "移交遗体接收站核对"
