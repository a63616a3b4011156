"""Imports read what spreadsheets and people actually write (issue 12, item 8): a CSV with a byte-order
mark in any accepted encoding (GB18030's is 84 31 95 33), and text dates such as 1979年3月15日,
1979/3/15 or 1979.3.15, read by one parser (lib.dates) that the template's notes describe."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from boai.core.tests.personas import user
from boai.lib.dates import BadDate, parse_day
from boai.lib.sheets import decode_text
from boai.registry.models import NationalRegistration
from boai.registry.services import imports as importing
from boai.registry.tests.helpers import committing_client
from boai.registry.tests.test_import_export import GOOD, HEADER, row
from boai.registry.tests.test_national import HEADER as NATIONAL_HEADER
from boai.registry.tests.test_national import PEOPLE, imported

pytestmark = pytest.mark.django_db


def csv_bytes(rows, header=HEADER, encoding="gb18030", bom=True) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode(encoding) + text.getvalue().encode(encoding)


def checked(content: bytes, name="list.csv"):
    job = importing.import_job_create(
        actor=user("wuhua_staff"), consent_confirmed=True, upload=SimpleUploadedFile(name, content)
    )
    return importing.import_job_check(job_id=job.pk)


# --- byte-order marks ---------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
@pytest.mark.parametrize("bom", [True, False])
def test_a_csv_is_read_with_or_without_a_byte_order_mark(encoding, bom):
    job = checked(csv_bytes(GOOD, encoding=encoding, bom=bom))
    assert (job.valid_rows, job.error_rows) == (2, 0), job.message


def test_the_gb18030_byte_order_mark_is_the_four_bytes_excel_writes():
    raw = b"\x84\x31\x95\x33" + "姓名,证件号码".encode("gb18030")
    assert decode_text(raw) == "姓名,证件号码"
    assert decode_text("\ufeff姓名".encode("utf-8")) == "姓名"
    assert decode_text(b"\xef\xbb\xbf" + "姓名".encode("gb18030")) == "姓名"  # a UTF-8 mark on GB18030 text
    assert decode_text(b"\xff\xfe\x00\xd8") is None


def test_the_national_export_as_a_gb18030_csv_with_a_mark_is_imported(django_capture_on_commit_callbacks):
    province = committing_client("prov_admin", django_capture_on_commit_callbacks)
    content = csv_bytes(PEOPLE[:1], header=NATIONAL_HEADER)
    job = imported(province, SimpleUploadedFile("national.csv", content))
    assert job.imported_rows == 1


# --- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "1979-03-15",
        "1979-3-15",
        "1979/3/15",
        "1979/03/15",
        "1979.3.15",
        "1979年3月15日",
        "1979年03月15日",
        "1979 年 3 月 15 日",
        "1979年3月15号",
        "１９７９年３月１５日",
        "19790315",
        "1979-03-15 00:00:00",
    ],
)
def test_a_date_is_read_as_people_write_it(typed):
    assert parse_day(typed) == date(1979, 3, 15)


@pytest.mark.parametrize("typed", ["1979-02-30", "1979/3-15", "79/3/15", "1979年13月1日", "3/15/1979", "明天"])
def test_what_is_no_date_is_refused(typed):
    with pytest.raises(BadDate):
        parse_day(typed)


@pytest.mark.parametrize("typed", ["1979年3月15日", "1979/3/15", "1979.3.15"])
def test_an_import_row_with_a_text_birth_date_is_read(typed):
    passport = row("John Smith", "", 证件类型="护照", 性别="男", 出生日期=typed)
    passport[HEADER.index("证件号码")] = "E12345678"
    passport[HEADER.index("民族")] = ""
    job = checked(csv_bytes([passport], encoding="utf-8", bom=False))
    assert (job.valid_rows, job.error_rows) == (1, 0), job.message


def test_a_national_row_with_a_chinese_date_is_imported(django_capture_on_commit_callbacks):
    province = committing_client("prov_admin", django_capture_on_commit_callbacks)
    person = [*PEOPLE[0]]
    person[NATIONAL_HEADER.index("登记日期")] = "2023年4月1日"
    job = imported(province, SimpleUploadedFile("national.csv", csv_bytes([person], header=NATIONAL_HEADER)))
    assert job.imported_rows == 1
    assert NationalRegistration.objects.get(job=job).registered_on == date(2023, 4, 1)


def test_the_template_notes_say_which_dates_and_encodings_are_read():
    client = Client()
    client.force_login(user("wuhua_staff"))
    workbook = load_workbook(io.BytesIO(client.get("/workspace/registrations/import/template.xlsx").content))
    assert [c.value for c in workbook.worksheets[0][1]] == [*HEADER, "签署日期"]  # HEADER: a list without it
    notes = " ".join(str(r[0].value) for r in workbook.worksheets[1].iter_rows())
    for form in ("1979/3/15", "1979.3.15", "1979年3月15日", "GB18030"):
        assert form in notes
