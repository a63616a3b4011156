"""Issue 12, item 1: a masked ID number cannot be completed from what Boai shows or stores beside it.

One person is registered and referred as a potential donor, through the services. A reader without
the unmask permission (the auditor: registrations, cases, exports and the audit log) then collects
everything Boai gives them about that person: the staff pages (list and detail), the API (list and
detail), the masked exports (CSV and XLSX), the audit log, and a dump of the database. From all of it
the test computes, as an outsider would, the resident ID numbers still consistent with what was seen,
and requires at least 1,000 of them (with the old mask, first 6 + last 4 beside a clear birth date:
exactly one)."""

import io
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient
from stdnum.cn import ric

from boai.audit.models import AuditEntry
from boai.cases.tests.helpers import open_organ
from boai.core.tests.personas import user
from boai.registry.models import Registration
from boai.registry.notices import CURRENT
from boai.registry.services import PersonData, registration_create
from boai.registry.tests.helpers import database_dump, resident_id

BORN = date(1957, 8, 23)  # no other date of the data set is 1957-08-23
ID_NUMBER = resident_id("530102", BORN, "73", "F")  # 530102 19570823 732 + check character
PHONE = "13987650432"
READER = "auditor"  # reads registrations, cases, exports and the audit log; may not unmask


def date_spellings(day: date) -> list[str]:
    """A date as it may appear in a page, a spreadsheet, JSON or a SQL dump."""
    y, m, d = day.year, day.month, day.day
    return [
        f"{y}-{m:02d}-{d:02d}",
        f"{y}{m:02d}{d:02d}",
        f"{y}/{m:02d}/{d:02d}",
        f"{y}/{m}/{d}",
        f"{y}.{m:02d}.{d:02d}",
        f"{y}.{m}.{d}",
        f"{y}年{m}月{d}日",
        f"{y}年{m:02d}月{d:02d}日",
        f"{d:02d}/{m:02d}/{y}",
    ]


def known_positions(number: str, texts: list[str]) -> dict[int, str]:
    """The characters of ``number`` an outsider reads from ``texts``: every mask of it (a string of
    18 with stars, agreeing with it wherever it shows a character: its own row, page or entry), and
    any run of 7 or more of its middle digits (birth date, sequence) written out in clear."""
    known: dict[int, str] = {}
    for text in texts:
        for mask in re.findall(r"(?<![0-9A-Za-z*])[0-9*]{17}[0-9X*](?![0-9A-Za-z*])", text):
            if "*" in mask and all(c in ("*", n) for c, n in zip(mask, number, strict=True)):
                known.update({i: c for i, c in enumerate(mask) if c != "*"})
        for start in range(6, 12):
            for end in range(start + 7, 19):
                if number[start:end] in text:
                    known.update({i: number[i] for i in range(start, end)})
    return known


def known_phone_positions(phone: str, texts: list[str]) -> dict[int, str]:
    """The digits of ``phone`` read from its masks (``139****0432``) and from any run of 7 or more of
    its digits in clear."""
    known: dict[int, str] = {}
    for text in texts:
        for mask in re.findall(r"(?<![0-9*])[0-9*]{11}(?![0-9*])", text):
            if "*" in mask and all(c in ("*", n) for c, n in zip(mask, phone, strict=True)):
                known.update({i: c for i, c in enumerate(mask) if c != "*"})
        for start in range(5):
            for end in range(start + 7, 12):
                if phone[start:end] in text:
                    known.update({i: phone[i] for i in range(start, end)})
    return known


def consistent_numbers(known: dict[int, str], *, years: range, sex: str | None, days: list[date] | None) -> int:
    """How many valid resident ID numbers agree with the known characters, the shown sex and the
    shown birth year (or the leaked birth dates)."""
    count = 0
    region = "".join(known.get(i, "?") for i in range(6))
    assert "?" not in region, "the masks show the region: the outsider knows it"
    if days is None:
        days = [
            date(y, 1, 1) + timedelta(n) for y in years for n in range(366) if (date(y, 1, 1) + timedelta(n)).year == y
        ]
    for day in days:
        body14 = f"{region}{day:%Y%m%d}"
        if any(known.get(i, c) != c for i, c in enumerate(body14)):
            continue
        for seq in range(1000):
            body = f"{body14}{seq:03d}"
            if sex is not None and (seq % 2 == 1) != (sex == "M"):
                continue
            if any(known.get(i, c) != c for i, c in enumerate(body) if i >= 14):
                continue
            check = ric.calc_check_digit(body + "0")
            if known.get(17, check) == check:
                count += 1
    return count


def what_the_reader_sees(reg: Registration, case_id: int) -> list[str]:
    pages = Client(HTTP_ACCEPT_LANGUAGE="en")
    pages.force_login(user(READER))
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_login(user(READER))
    texts = []

    def get(client, url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    for url in (
        "/workspace/registrations/?page_size=200",
        f"/workspace/registrations/{reg.pk}/",
        "/workspace/cases/organ/",
        f"/workspace/cases/organ/{case_id}/",
        "/workspace/audit/",
        "/api/v1/registrations/?page_size=200",
        f"/api/v1/registrations/{reg.pk}/",
        "/api/v1/organ-cases/",
        f"/api/v1/organ-cases/{case_id}/",
        "/workspace/registrations/export.csv",
        "/workspace/cases/organ/?format=xlsx",
    ):
        response = get(pages if url.startswith("/workspace") else api, url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        texts.append(xlsx_text(body) if body[:2] == b"PK" else body.decode("utf-8-sig"))
    xlsx = get(pages, "/workspace/registrations/export.xlsx")
    texts.append(xlsx_text(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content))
    for entry in AuditEntry.objects.filter(object_id__in=[str(reg.pk), str(case_id)]):
        texts.append(get(pages, f"/workspace/audit/{entry.pk}/").content.decode())
        texts.append(str(entry.changes))
    return texts


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row) for ws in book for row in ws.iter_rows(values_only=True)
    )


@pytest.mark.django_db(transaction=True)
def test_a_masked_id_number_cannot_be_completed_from_pages_api_exports_audit_and_a_dump(transactional_base_data):
    reg = registration_create(
        actor=user("wuhua_staff"),
        data=PersonData(
            name="和秀英",
            id_type="resident_id",
            id_number=ID_NUMBER,
            phone=PHONE,
            region_code="530102",
            address="五华区翠湖南路2号",
            organs=["all"],
        ),
        channel="paper",
        consent_version=CURRENT,
    )
    case = open_organ(name="和秀英", id_number=ID_NUMBER)
    texts = what_the_reader_sees(reg, case["id"])
    shown = "\n".join(texts)
    assert ID_NUMBER not in shown and PHONE not in shown  # the raw values: nowhere
    assert ID_NUMBER[:6] in shown and reg.number in shown  # the reader did see the person
    dump = database_dump()
    assert "registry_registration" in dump and ID_NUMBER not in dump and PHONE not in dump
    texts.append(dump)

    known = known_positions(ID_NUMBER, texts)
    leaked_days = [BORN] if any(s in text for s in date_spellings(BORN) for text in texts) else None
    candidates = consistent_numbers(known, years=range(BORN.year, BORN.year + 1), sex="F", days=leaked_days)
    assert candidates >= 1000, f"only {candidates} ID numbers fit what a reader without unmasking sees"
    # the phone: first 3 + last 4 shown, the middle 4 digits nowhere (10,000 numbers remain)
    assert not set(range(3, 7)) & set(known_phone_positions(PHONE, texts))
