"""A registration counts on the day the person signed: the staff form, the import, the API, a held
entry and the portal carry that day, checked to be neither in the future nor before the person
turned 18, and the entry time is kept beside it."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.errors import InvalidFields
from boai.core.fields import index_for
from boai.core.figures import figure
from boai.core.models import Attachment
from boai.core.tests.personas import user
from boai.registry import parsing
from boai.registry.models import HeldEntry, ImportJob, Registration
from boai.registry.notices import CURRENT
from boai.registry.services import PersonData, held_decide, registration_create
from boai.registry.services.portal import registration_register_online, registration_request_code
from boai.registry.services.registrations import adult_from
from boai.registry.tests.helpers import committing_client, form_data, last_code, resident_id, sheet

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LEAP_BORN = date(2000, 2, 29)  # turned 18 on 1 March 2018


def person(seq="41", born=date(1980, 4, 4), region="530102", signed_on=None) -> PersonData:
    return PersonData(
        name="签署测试",
        id_type="resident_id",
        id_number=resident_id(region, born, seq, "M"),
        phone="13800004444",
        region_code=region,
        organs=["all"],
        signed_on=signed_on,
    )


def enter(data: PersonData, now: datetime, who="prov_admin"):
    return registration_create(actor=user(who), data=data, channel="paper", consent_version=CURRENT, now=now)


def written() -> tuple:
    return Registration.objects.count(), HeldEntry.objects.count(), AuditEntry.objects.count()


# the rule


def test_the_day_a_person_turns_18():
    assert adult_from(date(1990, 5, 5)) == date(2008, 5, 5)
    assert adult_from(LEAP_BORN) == date(2018, 3, 1)
    assert adult_from(date(2004, 2, 29)) == date(2022, 3, 1)


def test_a_paper_form_signed_on_30_december_typed_in_on_3_january_counts_in_the_old_year():
    registrations = figure("registry.registrations")
    before = registrations.count(2025, "53"), registrations.count(2026, "53")
    reg = enter(person(signed_on=date(2025, 12, 30)), datetime(2026, 1, 3, 9, 0, tzinfo=SHANGHAI))
    assert reg.signed_on == date(2025, 12, 30)
    assert timezone.localtime(reg.registered_at) == datetime(2026, 1, 3, 9, 0, tzinfo=SHANGHAI)  # kept beside it
    assert (registrations.count(2025, "53"), registrations.count(2026, "53")) == (before[0] + 1, before[1])


@pytest.mark.parametrize(
    "born, signed_on, message",
    [
        (date(1980, 4, 4), date(2026, 1, 4), "is in the future"),  # entered on 3 January
        (LEAP_BORN, date(2018, 2, 28), "before they turned 18 (2018-03-01)"),
        (date(2007, 12, 31), date(2025, 12, 30), "before they turned 18 (2025-12-31)"),
    ],
)
def test_a_signing_date_in_the_future_or_before_18_is_refused_and_nothing_is_written(english, born, signed_on, message):
    before = written()
    with pytest.raises(InvalidFields) as refused:
        enter(person(born=born, signed_on=signed_on), datetime(2026, 1, 3, 9, 0, tzinfo=SHANGHAI))
    assert [field for field, _m in refused.value.items] == ["signed_on"]
    assert message in refused.value.items[0][1]
    assert written() == before


def test_signed_on_the_day_of_turning_18_is_accepted():
    reg = enter(person(born=LEAP_BORN, signed_on=date(2018, 3, 1)), datetime(2026, 1, 3, 9, 0, tzinfo=SHANGHAI))
    assert reg.signed_on == date(2018, 3, 1)


def test_a_minor_today_is_told_once_about_the_birth_date(english):
    with pytest.raises(InvalidFields) as refused:
        enter(person(born=date(2010, 1, 1), signed_on=date(2025, 1, 1)), datetime(2026, 1, 3, tzinfo=SHANGHAI))
    assert [field for field, _m in refused.value.items] == ["birth_date"]


def test_half_past_midnight_on_1_january_on_the_portal_counts_in_the_new_year(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.BOAI_SMS_OUTBOX = tmp_path / "sms.jsonl"
    moment = datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI)  # 2025-12-31 16:30 UTC
    registrations = figure("registry.registrations")
    before = registrations.count(2025, "53"), registrations.count(2026, "53")
    data = person(seq="43")
    with django_capture_on_commit_callbacks(execute=True):
        registration_request_code(data=data, consent_version=CURRENT, ip="10.1.1.1", now=moment)
    result = registration_register_online(
        data=data, code=last_code(settings.BOAI_SMS_OUTBOX), consent_version=CURRENT, ip="10.1.1.1", now=moment
    )
    reg = Registration.objects.get(id_number_index=index_for("id_number", data.id_number))
    assert reg.channel == "online" and reg.signed_on == date(2026, 1, 1), result
    assert (registrations.count(2025, "53"), registrations.count(2026, "53")) == (before[0], before[1] + 1)


# the staff form


def clerk_client():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    return client


def paper(**overrides):
    data = form_data(
        consent=None,
        consent_signed="on",
        channel="paper",
        signed_on=(timezone.localdate() - timedelta(days=4)).isoformat(),
        scan=SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_staff_form_asks_for_the_signing_day_today_by_default():
    page = clerk_client().get("/workspace/registrations/new/").content.decode()
    field = re.search(r'<input[^>]*name="signed_on"[^>]*>', page).group(0)
    assert 'type="date"' in field and f'value="{timezone.localdate().isoformat()}"' in field and "required" in field


def test_a_paper_form_keeps_the_signing_day_and_the_detail_page_shows_both_days():
    client = clerk_client()
    signed = timezone.localdate() - timedelta(days=4)
    response = client.post("/workspace/registrations/new/", paper())
    reg = Registration.objects.get(name="和志刚")
    assert response.status_code == 302 and reg.signed_on == signed
    assert timezone.localdate(reg.registered_at) == timezone.localdate()
    page = client.get(f"/workspace/registrations/{reg.pk}/").content.decode()
    shown = re.search(r'<dd id="signed-on">(.*?)</dd>', page, re.S).group(1)
    entered = timezone.localtime(reg.registered_at).strftime("%Y-%m-%d %H:%M")
    assert f"signed on {signed.isoformat()}" in shown and f"entered {entered}" in shown


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"signed_on": ""}, "Enter the day the person signed the form."),
        ({"signed_on": "30/12/2025"}, "Enter the day the person signed as a date"),
        (
            {"signed_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
            "is in the future",
        ),  # 2: a run may cross midnight
        (
            {"id_number": resident_id("530102", LEAP_BORN, "45", "M"), "signed_on": "2018-02-28"},
            "before they turned 18 (2018-03-01)",
        ),
    ],
)
def test_a_bad_signing_day_on_the_paper_form_is_explained_and_writes_nothing(overrides, message):
    before = (*written(), Attachment.objects.count())
    response = clerk_client().post("/workspace/registrations/new/", paper(**overrides))
    text = response.content.decode()
    assert response.status_code == 200 and message in text
    assert re.search(r'id="id_signed_on_error"', text)  # under the field, not only at the top
    assert (*written(), Attachment.objects.count()) == before


# the API


def api_body(**overrides):
    body = {
        "name": "签署测试",
        "id_type": "resident_id",
        "id_number": resident_id("530102", date(1980, 4, 4), "47", "M"),
        "phone": "13700004444",
        "region": "530102",
        "organs": ["kidney"],
        "consent_version": CURRENT,
        "channel": "paper",
    }
    body.update(overrides)
    return body


def api():
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    return client


def test_the_api_takes_the_signing_day_and_answers_it():
    signed = timezone.localdate() - timedelta(days=10)
    response = api().post("/api/v1/registrations/", api_body(signed_on=signed.isoformat()), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["signed_on"] == signed.isoformat()
    assert Registration.objects.get(number=response.json()["number"]).signed_on == signed


def test_the_api_without_a_signing_day_counts_the_day_of_entry():
    response = api().post("/api/v1/registrations/", api_body(), format="json")
    assert response.status_code == 201 and response.json()["signed_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    "signed_on, message",
    [
        ((timezone.localdate() + timedelta(days=2)).isoformat(), "is in the future"),
        ("1990-01-01", "before they turned 18 (1998-04-04)"),
        ("2025-02-30", "Date has wrong format"),
    ],
)
def test_the_api_refuses_a_bad_signing_day_on_its_field_and_writes_nothing(english, signed_on, message):
    before = written()
    response = api().post("/api/v1/registrations/", api_body(signed_on=signed_on), format="json")
    assert response.status_code == 400
    body = response.json()
    assert message in str(body.get("errors", body).get("signed_on")), body
    assert written() == before


# a held entry


def test_a_held_entry_registered_after_the_review_keeps_its_signing_day():
    other = enter(person(seq="49", region="530302"), timezone.now())  # in Qilin: outside Wuhua's clerk's area
    signed = timezone.localdate() - timedelta(days=6)
    answer = api().post(
        "/api/v1/registrations/",
        api_body(id_number=other.id_number, signed_on=signed.isoformat()),
        format="json",
    )
    assert answer.status_code == 202
    entry = HeldEntry.objects.get(reference=answer.json()["reference"])
    other.status = "withdrawn"
    other.save(update_fields=["status"])
    later = timezone.now() + timedelta(hours=1)
    held_decide(entry=entry, actor=user("prov_admin"), outcome="register", now=later)
    entry.refresh_from_db()
    assert entry.registration.signed_on == signed and entry.registration.registered_at == later


def test_an_entry_held_before_signing_days_were_kept_counts_on_the_day_it_was_entered():
    other = enter(person(seq="51", region="530302"), timezone.now())
    answer = api().post("/api/v1/registrations/", api_body(id_number=other.id_number), format="json")
    entry = HeldEntry.objects.get(reference=answer.json()["reference"])
    data = dict(entry.data)
    data["person"] = {k: v for k, v in data["person"].items() if k != "signed_on"}
    entry.data, entry.entered_at = data, timezone.now() - timedelta(days=3)
    entry.save(update_fields=["data", "entered_at"])
    other.status = "withdrawn"
    other.save(update_fields=["status"])
    held_decide(entry=entry, actor=user("prov_admin"), outcome="register")
    entry.refresh_from_db()
    assert entry.registration.signed_on == timezone.localdate() - timedelta(days=3)


# the import

HEADER = [zh for _key, zh, _en in parsing.COLUMNS]


def row(name, seq, signed, born=date(1981, 3, 3)):
    values = {
        "姓名": name,
        "证件号码": resident_id("530102", born, seq, "M"),
        "手机号": "13800005555",
        "县（市、区）代码": "530102",
        "捐献器官": "全部",
        "遗体捐献": "否",
        "签署日期": signed,
    }
    return [values.get(h, "") for h in HEADER]


@pytest.fixture
def importer(django_capture_on_commit_callbacks):
    return committing_client("wuhua_staff", django_capture_on_commit_callbacks)


def upload(client, file):
    response = client.post("/workspace/registrations/import/", {"file": file, "consent": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("id")


def test_an_imported_list_carries_each_signing_day_and_reports_the_bad_ones(importer):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    rows = [
        row("赵签一", "61", "2025-12-30"),
        row("钱签二", "63", "2025/12/29"),
        row("孙签三", "65", datetime(2025, 11, 5)),  # an Excel date cell
        row("李签四", "67", "2025-13-01"),
        row("周签五", "69", ""),
        row("吴签六", "71", tomorrow),
        row("郑签七", "73", "2018-02-28", born=LEAP_BORN),
    ]
    before = written()
    job = upload(importer, sheet(rows, HEADER))
    assert (job.state, job.total_rows, job.valid_rows, job.error_rows) == ("checked", 7, 3, 4)
    assert written()[0] == before[0]  # the dry run writes nothing
    messages = {e["row"]: e["message"] for e in job.errors}
    assert "Date signed: write the day the person signed as 2025-03-15" in messages[5]
    assert "Date signed: write the day the person signed the form." in messages[6]
    assert "is in the future" in messages[7]
    assert "before they turned 18 (2018-03-01)" in messages[8]
    importer.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "valid"})
    signed = dict(Registration.objects.filter(name__in=["赵签一", "钱签二", "孙签三"]).values_list("name", "signed_on"))
    assert signed == {"赵签一": date(2025, 12, 30), "钱签二": date(2025, 12, 29), "孙签三": date(2025, 11, 5)}
    assert Registration.objects.filter(name__in=["李签四", "周签五", "吴签六", "郑签七"]).count() == 0


def test_a_list_without_the_column_counts_on_the_day_of_import(importer):
    header = HEADER[:-1]
    job = upload(importer, sheet([row("王无日", "75", "")[:-1]], header))
    assert (job.valid_rows, job.error_rows) == (1, 0)
    importer.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "all"})
    assert Registration.objects.get(name="王无日").signed_on == timezone.localdate()


def test_an_excel_date_serial_and_the_usual_forms_are_read():
    errors = []
    assert parsing._signed_on({"signed_on": 46021.0}, errors, 2) == date(2025, 12, 30)
    assert parsing._signed_on({"signed_on": "2025年12月30日"}, errors, 2) == date(2025, 12, 30)
    assert parsing._signed_on({}, errors, 2) is None and errors == []
    assert parsing._signed_on({"signed_on": -3.0}, errors, 2) is None and errors[0].field == "signed_on"


def test_the_template_explains_the_signing_day(client):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(user("wuhua_staff"))
    workbook = load_workbook(BytesIO(client.get("/workspace/registrations/import/template.xlsx").content))
    assert [c.value for c in workbook.active[1]][-1] == "签署日期"
    assert workbook.active[2][-1].value == "2025-03-15"
    notes = " ".join(str(r[0].value) for r in workbook.worksheets[1].iter_rows())
    assert "签署日期" in notes or "Date signed" in notes


def test_the_import_page_says_what_a_list_without_the_column_means():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    help_text = re.search(
        r'<li id="signed-on-help">(.*?)</li>', client.get("/workspace/registrations/import/").content.decode(), re.S
    )
    assert "<code>签署日期</code>" in help_text.group(1) and "counts on the day it is imported" in help_text.group(1)
