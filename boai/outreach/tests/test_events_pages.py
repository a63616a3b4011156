"""The publicity events' pages: the list of the user's area (filters, title search, counts), the
Excel export (audited, opened with openpyxl), the calendar (a month grid Monday first, a week, a
multi-day event on each of its days), the form (a refusal shown beside its field, nothing written), an
event's page (partners, photos, registrations attributed to it, the links for those allowed) and the
partners' pages."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.models import Attachment
from boai.core.tests.personas import user
from boai.registry.models import Registration
from boai.registry.tests.helpers import api_registration

from ..models import Event, Partner
from .factories import make_campaign, make_event, make_partner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

W = "/workspace/outreach"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def client(username="wuhua_staff"):
    c = Client()
    c.force_login(user(username))
    return c


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_list_shows_only_the_users_area_with_totals():
    make_event(region="530102", title="五华宣传", audience=300)
    make_event(region="530302", title="麒麟宣传", created_by="qilin_staff")
    page = text(client().get(f"{W}/events/"))
    assert "五华宣传" in page and "麒麟宣传" not in page
    province = text(client("prov_admin").get(f"{W}/events/"))
    assert "五华宣传" in province and "麒麟宣传" in province
    assert 'id="event-totals"' in province and ">500<" in province  # 300 + 200


def test_the_list_filters_by_year_kind_campaign_region_mode_and_title():
    campaign = make_campaign()
    make_event(region="530102", title="五华登记", starts_on=date(2025, 5, 8), campaign=campaign)
    make_event(region="530302", title="麒麟讲座", kind="lecture", starts_on=date(2026, 3, 1), created_by="qilin_staff")
    Event.objects.filter(title="麒麟讲座").update(mode="online")
    c = client("prov_admin")

    def shown(query):
        page = text(c.get(f"{W}/events/?{query}"))
        return {t for t in ("五华登记", "麒麟讲座") if t in page}

    assert shown("year=2025") == {"五华登记"}
    assert shown("kind=lecture") == {"麒麟讲座"}
    assert shown(f"campaign={campaign.pk}") == {"五华登记"}
    assert shown("region=530300") == {"麒麟讲座"}
    assert shown("mode=online") == {"麒麟讲座"}
    assert shown("q=登记") == {"五华登记"}
    assert shown("year=abc&kind=nonsense") == {"五华登记", "麒麟讲座"}  # a bad filter is ignored, no error


def test_the_export_is_an_excel_workbook_of_the_filtered_list_and_audited():
    partner = make_partner(name="云南日报")
    event = make_event(region="530102", title="五华登记", starts_on=date(2025, 5, 8), audience=321)
    event.partners.add(partner)
    make_event(region="530102", title="五华讲座", kind="lecture", starts_on=date(2025, 6, 1))
    make_event(region="530302", title="麒麟登记", created_by="qilin_staff")
    response = client().get(f"{W}/events/export/?kind=registration_drive")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:4] == ("Code", "First day of the event", "Last day of the event", "Title")
    assert len(rows) == 2
    assert rows[1][0] == event.code and rows[1][3] == "五华登记" and rows[1][10] == "云南日报" and rows[1][12] == 321
    entry = AuditEntry.objects.get(action="outreach.event.exported")
    assert entry.changes["rows"] == 1 and entry.changes["filters"] == {"kind": "registration_drive"}


def test_the_month_calendar_starts_on_monday_and_shows_a_multi_day_event_on_each_day():
    event = make_event(region="530102", title="志愿服务周", starts_on=date(2025, 5, 30), ends_on=date(2025, 6, 2))
    make_event(region="530302", title="麒麟活动", starts_on=date(2025, 5, 30), created_by="qilin_staff")
    page = text(client().get(f"{W}/events/calendar/?date=2025-05-15"))
    assert "May 2025" in page
    assert page.index(">Monday<") < page.index(">Sunday<")
    # May 2025 begins on a Thursday: the grid starts on Monday 28 April and ends on Sunday 1 June
    days = [chunk.split('"')[0] for chunk in page.split('data-day="')[1:]]
    assert days[0] == "2025-04-28" and days[-1] == "2025-06-01" and len(days) == 35
    link = f'href="/workspace/outreach/events/{event.pk}/"'
    assert page.count(link) == 3  # 30, 31 May and 1 June (2 June is in the next grid)
    assert "麒麟活动" not in page
    assert "date=2025-04-01" in page and "date=2025-06-01" in page  # previous and next month


def test_the_month_picker_jumps_to_a_month_and_a_bad_one_stays_put():
    make_event(region="530102", title="六月讲座", starts_on=date(2025, 6, 12))
    page = text(client().get(f"{W}/events/calendar/?month=2025-06"))
    assert "June 2025" in page and "六月讲座" in page
    assert 'value="2025-06"' in page  # the picker shows the month on screen
    assert "June 2025" in text(client().get(f"{W}/events/calendar/?date=2025-06-03&month=2025-13"))


def test_the_week_calendar_shows_monday_to_sunday():
    make_event(region="530102", title="周三活动", starts_on=date(2025, 5, 7))
    make_event(region="530102", title="下周活动", starts_on=date(2025, 5, 12))
    page = text(client().get(f"{W}/events/calendar/?view=week&date=2025-05-08"))
    assert "2025-05-05" in page and "2025-05-11" in page
    assert "周三活动" in page and "下周活动" not in page
    assert "date=2025-05-01" in page and "date=2025-05-15" in page


def test_the_calendar_names_the_weekdays_in_chinese():
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page.force_login(user("wuhua_staff"))
    body = page.get(f"{W}/events/calendar/?date=2025-05-15", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "星期一" in body and "星期日" in body


def test_a_bad_calendar_date_shows_this_month():
    assert client().get(f"{W}/events/calendar/?date=2025-13-45&view=week").status_code == 200


def form(**kw):
    values = {
        "title": "五华宣传",
        "kind": "lecture",
        "starts_on": "2025-05-08",
        "ends_on": "2025-05-08",
        "place": "五华区",
        "region": "530102",
        "organisers": "五华区红十字会",
        "mode": "offline",
        "audience": "120",
        "volunteers": "",
        "report": "",
    }
    return values | kw


def test_an_event_is_added_from_the_form_with_partners_and_a_photo():
    partner = make_partner(name="昆明医科大学")
    photo = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    response = client().post(f"{W}/events/new/", form(partners=[str(partner.pk)], photos=photo))
    event = Event.objects.get(title="五华宣传")
    assert response.status_code == 302 and response["Location"] == f"{W}/events/{event.pk}/"
    assert list(event.partners.all()) == [partner]
    assert Attachment.objects.filter(owner_type="outreach.event").count() == 1


def test_a_refused_form_says_why_beside_the_field_and_writes_nothing():
    page = text(client().post(f"{W}/events/new/", form(ends_on="2025-05-01", audience="-5")))
    assert "The last day cannot be before the first day." in page or "greater than or equal to 0" in page
    page = text(client().post(f"{W}/events/new/", form(ends_on="2025-05-01")))
    assert "The last day cannot be before the first day." in page
    page = text(client().post(f"{W}/events/new/", form(region="530302")))  # not offered to Wuhua
    assert "Select a valid choice" in page
    assert not Event.objects.exists()


def test_a_stale_edit_is_refused_on_the_page():
    event = make_event(region="530102")
    c = client()
    assert c.post(f"{W}/events/{event.pk}/edit/", form(version="1")).status_code == 302
    page = text(c.post(f"{W}/events/{event.pk}/edit/", form(title="又改", version="1")))
    assert "changed this record in the meantime" in page
    assert Event.objects.get(pk=event.pk).title == "五华宣传"


def _attributed(event, n):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_login(user("wuhua_staff"))
    made = []
    for i in range(n):
        body = api_registration(seq=f"{60 + i}", phone=f"1370000{4000 + i}")
        response = api.post("/api/v1/registrations/", body, format="json")
        assert response.status_code == 201, response.content
        made.append(response.json()["id"])
    Registration.objects.filter(pk__in=made).update(campaign=event.code)


def test_the_event_page_shows_partners_photos_registrations_and_the_links():
    event = make_event(region="530102", title="五华宣传")
    event.partners.add(make_partner(name="云南省教育厅"))
    _attributed(event, 2)
    c = client()
    c.post(f"{W}/events/{event.pk}/", {"photos": SimpleUploadedFile("p.png", PNG, content_type="image/png")})
    page = text(c.get(f"{W}/events/{event.pk}/"))
    assert 'id="event-registrations">2<' in page
    assert "云南省教育厅" in page and event.code in page
    assert f"{W}/events/{event.pk}/link/" in page and f"{W}/events/{event.pk}/collect/" in page
    photo = Attachment.objects.get(owner_type="outreach.event")
    assert f"{W}/events/{event.pk}/photos/{photo.pk}/" in page
    assert c.get(f"{W}/events/{event.pk}/photos/{photo.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="outreach.event.photo_viewed").count() == 1
    auditor = text(client("auditor").get(f"{W}/events/{event.pk}/"))
    assert "/link/" not in auditor and "/collect/" not in auditor and "Add the photos" not in auditor
    assert client("auditor").post(f"{W}/events/{event.pk}/", {}).status_code == 403


def test_the_partners_page_lists_them_and_a_manager_adds_and_changes_one():
    make_partner(name="云南省民政厅")
    assert "云南省民政厅" in text(client("auditor").get(f"{W}/partners/"))
    c = client()
    assert c.post(f"{W}/partners/new/", {"name": "大理大学", "kind": "school", "active": "on"}).status_code == 302
    partner = Partner.objects.get(name="大理大学")
    page = text(c.post(f"{W}/partners/new/", {"name": "大理大学", "kind": "school"}))
    assert "already in the list" in page
    # only the province changes the shared list; the county branch that added it is refused
    assert (
        c.post(f"{W}/partners/{partner.pk}/edit/", {"name": "大理", "kind": "school", "version": "1"}).status_code
        == 403
    )
    edit = {"name": "大理大学", "kind": "school", "version": "1"}
    response = client("prov_admin").post(f"{W}/partners/{partner.pk}/edit/", edit)
    assert response.status_code == 302
    assert Partner.objects.get(pk=partner.pk).active is False
