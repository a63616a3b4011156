"""The memorial sites' and events' pages: what each user sees of their own area, the forms (a refusal
shown, nothing written), the traditional days the event form suggests, the date warning, the photos
and the exports (a reason, audited)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.care.tests.factories import make_event, make_site
from boai.core.models import Attachment
from boai.core.tests.personas import user
from boai.lib import traditional_days

from ..models import MemorialEvent, MemorialSite

pytestmark = pytest.mark.django_db

W = "/workspace/memorials"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def client(username="wuhua_staff"):
    c = Client()
    c.force_login(user(username))
    return c


def text(response) -> str:
    return response.content.decode()


def test_the_site_list_shows_only_the_users_area_with_counts():
    make_site(region="530102", name="五华纪念园")
    make_site(region="530302", name="麒麟纪念园", kind="wall", created_by="qilin_staff")
    page = text(client("wuhua_staff").get(f"{W}/sites/"))
    assert "五华纪念园" in page and "麒麟纪念园" not in page
    province = text(client("prov_admin").get(f"{W}/sites/"))
    assert "五华纪念园" in province and "麒麟纪念园" in province
    assert 'id="site-counts"' in province


def test_the_site_list_filters_by_kind_prefecture_and_name():
    make_site(region="530102", name="五华纪念园")
    make_site(region="530302", name="麒麟纪念墙", kind="wall", created_by="qilin_staff")
    c = client("prov_admin")
    assert "五华纪念园" not in text(c.get(f"{W}/sites/?kind=wall"))
    assert "麒麟纪念墙" in text(c.get(f"{W}/sites/?kind=wall"))
    assert "麒麟纪念墙" not in text(c.get(f"{W}/sites/?prefecture=530100"))
    assert "五华纪念园" in text(c.get(f"{W}/sites/?q=五华"))
    assert "麒麟纪念墙" not in text(c.get(f"{W}/sites/?q=五华"))


def test_a_site_is_added_from_the_form_with_a_photo():
    response = client().post(
        f"{W}/sites/new/",
        {
            "name": "五华区生命纪念园",
            "kind": "park",
            "region": "530102",
            "opened_on": "2025-04-03",
            "offers": ["remembrance", "donation_knowledge"],
            "manager": "五华区红十字会",
            "active": "on",
            "photos": [SimpleUploadedFile("a.png", PNG)],
        },
    )
    site = MemorialSite.objects.get(name="五华区生命纪念园")
    assert response.status_code == 302 and response["Location"] == f"{W}/sites/{site.pk}/"
    page = text(client().get(response["Location"]))
    assert "五华区红十字会" in page and ("Photo 1" in page or "照片 1" in page)


def test_a_bad_site_form_shows_the_refusal_and_writes_nothing():
    before = (MemorialSite.objects.count(), AuditEntry.objects.count())
    response = client().post(
        f"{W}/sites/new/",
        {"name": "纪念园", "kind": "park", "region": "530102", "opened_on": "2025-04-03", "manager": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Choose the managing organisation, or type its name below." in text(response)
    assert (MemorialSite.objects.count(), AuditEntry.objects.count()) == before


def test_a_site_of_another_area_is_not_found_and_the_attempt_audited():
    site = make_site(region="530302", created_by="qilin_staff")
    assert client("wuhua_staff").get(f"{W}/sites/{site.pk}/").status_code == 404
    assert client("wuhua_staff").get(f"{W}/sites/{site.pk}/edit/").status_code == 404
    assert AuditEntry.objects.filter(action="security.access.denied", object_id=str(site.pk)).exists()


def test_a_stale_edit_shows_the_conflict():
    site = make_site()
    data = {
        "name": "改名纪念园",
        "kind": "park",
        "region": "530102",
        "opened_on": "2025-04-01",
        "manager": "测试红十字会",
        "active": "on",
        "version": site.version + 1,
    }
    response = client().post(f"{W}/sites/{site.pk}/edit/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Someone else changed this record" in text(response)
    site.refresh_from_db()
    assert site.name != "改名纪念园"
    data["version"] = site.version
    assert client().post(f"{W}/sites/{site.pk}/edit/", data).status_code == 302
    site.refresh_from_db()
    assert site.name == "改名纪念园" and site.version == 2


def test_a_sites_photo_opens_through_the_checked_view_and_is_audited():
    from boai.core.services import attachment_store

    site = make_site()
    photo = attachment_store(
        owner=site, kind="photo", upload=SimpleUploadedFile("a.png", PNG), actor=user("wuhua_staff")
    )
    response = client("kunming_staff").get(f"{W}/sites/{site.pk}/photos/{photo.pk}/")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
    assert AuditEntry.objects.filter(action="memorials.site.photo_viewed", object_id=str(site.pk)).exists()
    assert client("qilin_staff").get(f"{W}/sites/{site.pk}/photos/{photo.pk}/").status_code == 404
    other = make_site()
    assert client().get(f"{W}/sites/{other.pk}/photos/{photo.pk}/").status_code == 404  # not this site's photo


def test_the_site_page_lists_its_events_and_their_participants():
    site = make_site(name="测试纪念园甲")
    make_event(site=site, title="清明缅怀", participants=120)
    make_event(site=site, title="冬至缅怀", participants=80)
    page = text(client().get(f"{W}/sites/{site.pk}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "清明缅怀" in page and "冬至缅怀" in page and "2 events, 200 participants in all." in page


def test_the_event_list_filters_by_year_and_sums_the_participants():
    make_event(held_on=date(2025, 4, 4), participants=300, families_invited=10, families_attended=8)
    make_event(held_on=date(2025, 12, 21), participants=200)
    make_event(held_on=date(2024, 4, 4), participants=999, title="去年的活动")
    make_event(region="530302", held_on=date(2025, 4, 4), participants=5000, created_by="qilin_staff")
    response = client().get(f"{W}/events/?year=2025")
    assert response.context["totals"] == {"events": 2, "participants": 500, "invited": 10, "attended": 8}
    assert "去年的活动" not in text(response)
    everything = client("prov_admin").get(f"{W}/events/?year=")
    assert everything.context["totals"]["participants"] == 6499


def test_the_event_form_suggests_the_next_traditional_days_from_the_calendar():
    response = client().get(f"{W}/events/new/")
    today = timezone.localdate()
    expected = traditional_days.next_traditional_days(today, count=4)
    assert [s["day"] for s in response.context["suggestions"]] == expected
    kinds = {s["kind"] for s in response.context["suggestions"]}
    assert kinds == {"qingming", "winter_solstice"}
    page = text(response)
    for day in expected:
        assert f"{day.day.year}年{day.day.month}月{day.day.day}日" in page
        assert f"held_on={day.day.isoformat()}" in page
    q = next(s for s in response.context["suggestions"] if s["kind"] == "qingming")
    assert q["day"].day == traditional_days.qingming(q["day"].day.year)


def test_a_suggestion_fills_in_the_occasion_and_the_date():
    day = traditional_days.winter_solstice(timezone.localdate().year + 1)
    form = client().get(f"{W}/events/new/?occasion=winter_solstice&held_on={day.isoformat()}").context["form"]
    assert form.initial["occasion"] == "winter_solstice" and form.initial["held_on"] == day


def test_an_event_off_the_traditional_day_is_saved_with_a_warning():
    held = traditional_days.qingming(2025) + timedelta(days=2)
    response = client().post(
        f"{W}/events/new/",
        {
            "title": "周末清明缅怀",
            "occasion": "qingming",
            "held_on": held.isoformat(),
            "region": "530102",
            "organisers": "五华区红十字会",
            "participants": "150",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    event = MemorialEvent.objects.get(title="周末清明缅怀")
    assert event.held_on == held
    page = text(response)
    assert f"Qingming falls on {traditional_days.qingming(2025).isoformat()} in 2025" in page
    assert 'id="date-warning"' in page


def test_a_bad_event_form_writes_nothing():
    before = (MemorialEvent.objects.count(), AuditEntry.objects.count())
    response = client().post(
        f"{W}/events/new/",
        {
            "title": "缅怀",
            "occasion": "other",
            "held_on": "2025-05-08",
            "region": "530102",
            "organisers": "五华区红十字会",
            "participants": "50",
            "families_invited": "3",
            "families_attended": "5",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "More families attended than were invited." in text(response)
    response = client().post(f"{W}/events/new/", {"title": "缅怀", "participants": "-4"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert (MemorialEvent.objects.count(), AuditEntry.objects.count()) == before


def test_exports_need_a_reason_and_are_audited():
    make_site(name="导出纪念园")
    make_event(title="导出活动", held_on=date(2025, 4, 4))
    c = client()
    response = c.post(f"{W}/sites/export/", {"reason": "", "format": "csv"})
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="memorials.site.exported").exists()
    response = c.post(f"{W}/sites/export/?kind=park", {"reason": "年度报告", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "导出纪念园" in b"".join(response.streaming_content).decode("utf-8-sig")
    entry = AuditEntry.objects.get(action="memorials.site.exported")
    assert entry.changes["reason"] == "年度报告" and entry.changes["filters"] == {"kind": "park"}
    response = c.post(f"{W}/events/export/?year=2025", {"reason": "年度报告", "format": "xlsx"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="memorials.event.exported")
    assert entry.changes["rows"] == 1 and entry.changes["filters"]["year"] == "2025"


def test_a_coordinator_reads_but_neither_adds_nor_exports():
    c = client("coordinator")
    assert c.get(f"{W}/sites/").status_code == 200
    assert c.get(f"{W}/sites/new/").status_code == 403
    assert c.get(f"{W}/events/export/").status_code == 403
    assert "Add a site" not in text(c.get(f"{W}/sites/", HTTP_ACCEPT_LANGUAGE="en"))


def test_the_menu_offers_sites_and_events():
    page = text(client().get(f"{W}/sites/"))
    assert f'href="{W}/sites/"' in page and f'href="{W}/events/"' in page


def test_no_photo_is_listed_for_another_record():
    site = make_site()
    assert not Attachment.objects.filter(owner_type="memorials.memorialsite", owner_id=str(site.pk)).exists()
