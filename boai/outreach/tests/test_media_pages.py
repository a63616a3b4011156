"""The media reports' pages: the scoped list with its filters, search and totals, the form (pre-selected
from an event or a campaign; a refusal shown beside its field, nothing written), the page of a report
(its link opening in a new tab, safely), the export (a reason, audited) and the panel an event's or a
campaign's page includes."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import Client
from openpyxl import load_workbook

from boai.audit.models import AuditEntry
from boai.core.tests.personas import user

from ..models import MediaReport
from ..selectors.media import reports_for
from .factories import make_campaign, make_event, make_media

pytestmark = pytest.mark.django_db

W = "/workspace/outreach"


def client(username="wuhua_staff"):
    c = Client()
    c.force_login(user(username))
    return c


def text(response) -> str:
    return response.content.decode()


def form(**over) -> dict:
    return {
        "outlet": "昆明日报",
        "title": "五华区宣传活动见报",
        "url": "https://www.kunming.cn/news/1.html",
        "published_on": "2025-05-09",
        "kind": "news",
        "reach": "3000",
        "region": "530102",
    } | over


def test_the_list_shows_only_the_users_area_with_totals():
    a = make_media(region="530102")
    b = make_media(region="530302", created_by="qilin_staff")
    page = text(client().get(f"{W}/media/"))
    assert a.title in page and b.title not in page
    province = client("prov_admin").get(f"{W}/media/")
    assert a.title in text(province) and b.title in text(province)
    assert province.context["totals"] == {"reports": 2, "national": 0, "reach": 2000}


def test_the_list_filters_and_searches():
    event = make_event(region="530102")
    campaign = make_campaign(region="530102")
    on_event = make_media(event=event, published_on=date(2025, 5, 9))
    on_campaign = make_media(campaign=campaign, kind="video", published_on=date(2026, 1, 3))
    national = make_media(published_on=date(2026, 2, 1))
    MediaReport.objects.filter(pk=national.pk).update(national=True, outlet="新华网")

    def titles(query):
        return {r.title for r in client().get(f"{W}/media/?{query}").context["page"].object_list}

    assert titles("year=2025") == {on_event.title}
    assert titles("kind=video") == {on_campaign.title}
    assert titles("national=yes") == {national.title}
    assert titles(f"event={event.pk}") == {on_event.title}
    assert titles(f"campaign={campaign.pk}") == {on_campaign.title}
    assert titles("q=新华") == {national.title}
    assert titles(f"q={on_event.title}") == {on_event.title}


def test_the_list_pages_through_many_reports():
    for _ in range(30):
        make_media()
    response = client().get(f"{W}/media/")
    assert len(response.context["page"].object_list) == 25 and response.context["totals"]["reports"] == 30
    assert len(client().get(f"{W}/media/?page=2").context["page"].object_list) == 5


def test_a_report_is_added_from_the_form_and_its_link_opens_safely():
    response = client().post(f"{W}/media/new/", form())
    report = MediaReport.objects.get(title="五华区宣传活动见报")
    assert response.status_code == 302 and response["Location"] == f"{W}/media/{report.pk}/"
    page = text(client().get(response["Location"]))
    assert 'href="https://www.kunming.cn/news/1.html" target="_blank" rel="noopener noreferrer"' in page
    assert AuditEntry.objects.filter(action="outreach.media.created", object_id=str(report.pk)).exists()


@pytest.mark.parametrize(
    "over, field, message",
    [
        ({"url": "javascript:alert(1)"}, "url", "Give a web address starting with http:// or https://."),
        ({"published_on": "2099-01-01"}, "published_on", "The date cannot be later than tomorrow"),
        ({"reach": "-5"}, "reach", "greater than or equal to 0"),
        ({"region": "530302"}, "region", "Select a valid choice"),
    ],
)
def test_a_bad_form_shows_the_refusal_beside_the_field_and_writes_nothing(over, field, message):
    before = (MediaReport.objects.count(), AuditEntry.objects.count())
    response = client().post(f"{W}/media/new/", form(**over), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in text(response)
    assert (MediaReport.objects.count(), AuditEntry.objects.count()) == before


def test_an_event_outside_the_area_is_not_offered_and_refused_if_sent():
    qilin = make_event(region="530302", created_by="qilin_staff")
    page = client().get(f"{W}/media/new/")
    assert qilin.title not in text(page)
    response = client().post(f"{W}/media/new/", form(event=str(qilin.pk)), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "event" in response.context["form"].errors
    assert not MediaReport.objects.exists()


def test_the_form_preselects_the_event_or_the_campaign_it_was_opened_from():
    campaign = make_campaign(region="530100")
    event = make_event(region="530102", campaign=campaign)
    c = client("kunming_staff")
    initial = c.get(f"{W}/media/new/?event={event.pk}").context["form"].initial
    assert initial["event"] == event.pk and initial["campaign"] == campaign.pk and initial["region"] == "530102"
    initial = c.get(f"{W}/media/new/?campaign={campaign.pk}").context["form"].initial
    assert initial["campaign"] == campaign.pk and "event" not in initial
    assert "event" not in client("qilin_staff").get(f"{W}/media/new/?event={event.pk}").context["form"].initial


def test_a_stale_edit_shows_the_conflict_and_a_fresh_one_saves():
    report = make_media(region="530102")
    data = form(title="改过的标题", version=str(report.version + 1))
    response = client().post(f"{W}/media/{report.pk}/edit/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Someone else changed this record" in text(response)
    data["version"] = str(report.version)
    assert client().post(f"{W}/media/{report.pk}/edit/", data).status_code == 302
    report.refresh_from_db()
    assert report.title == "改过的标题" and report.version == 2


def test_a_report_of_another_area_is_not_found():
    report = make_media(region="530302", created_by="qilin_staff")
    assert client().get(f"{W}/media/{report.pk}/").status_code == 404
    assert client().post(f"{W}/media/{report.pk}/edit/", form(version="1")).status_code == 404


def test_the_export_needs_a_reason_and_is_audited_with_its_filters():
    make_media(published_on=date(2025, 5, 9))
    make_media(published_on=date(2024, 5, 9))
    c = client()
    response = c.post(f"{W}/media/export/?year=2025", {"reason": "", "format": "xlsx"})
    assert response.status_code == 200 and not AuditEntry.objects.filter(action="outreach.media.exported").exists()
    response = c.post(f"{W}/media/export/?year=2025", {"reason": "年度宣传总结", "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(filename=__import__("io").BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 2  # the header and the one report of 2025
    entry = AuditEntry.objects.get(action="outreach.media.exported")
    assert entry.changes["reason"] == "年度宣传总结" and entry.changes["rows"] == 1
    assert entry.changes["filters"] == {"year": "2025"}


def test_a_coordinator_reads_but_neither_adds_nor_exports():
    make_media(region="530102")
    c = client("coordinator")
    assert c.get(f"{W}/media/").status_code == 200
    assert c.get(f"{W}/media/new/").status_code == 403
    assert c.get(f"{W}/media/export/").status_code == 403


def test_the_panel_lists_an_events_coverage_with_the_add_link():
    event = make_event(region="530102")
    on_event = make_media(event=event)
    other = make_media()
    hidden = make_media(region="530302", event=event, created_by="qilin_staff")
    reports = reports_for(user=user("wuhua_staff"), event=event)
    assert [r.pk for r in reports] == [on_event.pk]
    add_url = f"{W}/media/new/?event={event.pk}"
    html = render_to_string("outreach/media_panel.html", {"reports": reports, "add_url": add_url})
    assert on_event.title in html and other.title not in html and hidden.title not in html
    assert f'href="{add_url}"' in html and 'rel="noopener noreferrer"' in html


def test_the_panel_of_a_campaign_includes_the_coverage_of_its_events():
    campaign = make_campaign(region="530102")
    event = make_event(region="530102", campaign=campaign)
    direct = make_media(campaign=campaign)
    via_event = make_media(event=event)
    reports = reports_for(user=user("wuhua_staff"), campaign=campaign)
    assert {r.pk for r in reports} == {direct.pk, via_event.pk}
    empty = render_to_string("outreach/media_panel.html", {"reports": [], "add_url": ""})
    assert "Add media report" not in empty and "添加" not in empty


@pytest.mark.parametrize(
    "over",
    [{"reach": "many"}, {"event": "abc"}, {"campaign": "-1"}, {"published_on": "2025-13-01"}, {"kind": "x"}],
)
def test_odd_form_values_are_shown_as_field_errors(over):
    response = client().post(f"{W}/media/new/", form(**over))
    assert response.status_code == 200 and set(over) <= set(response.context["form"].errors)
    assert not MediaReport.objects.exists()


def test_odd_list_filters_show_the_list_instead_of_failing():
    make_media()
    for query in ("year=abc", "event=x", "kind=rumour", "page=zz", "national=maybe"):
        assert client().get(f"{W}/media/?{query}").status_code == 200, query
