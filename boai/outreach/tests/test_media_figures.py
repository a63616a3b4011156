"""The media reports' figure (a year in Beijing days, the region of the branch that recorded them), the
outreach panel on the home page (this year's figures in the user's area, each linked to its list), and
the demo's reports."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from boai.core.figures import figures
from boai.core.tests.personas import user
from boai.lib.home import panels_for

from ..demo import media as demo
from ..figures import media_reports
from ..home import year_items
from ..models import MediaReport
from .factories import make_event, make_media

pytestmark = pytest.mark.django_db


def test_the_figure_counts_the_year_from_its_first_to_its_last_day():
    make_media(region="530102", published_on=date(2024, 12, 31))
    make_media(region="530102", published_on=date(2025, 1, 1))
    make_media(region="530102", published_on=date(2025, 12, 31))
    make_media(region="530102", published_on=date(2026, 1, 1))
    assert media_reports(2025, "53") == 2
    assert media_reports(2024, "53") == 1 and media_reports(2026, "53") == 1


def test_the_figure_counts_in_the_region_that_recorded_the_report():
    make_media(region="530102", published_on=date(2025, 5, 1))
    make_media(region="530302", published_on=date(2025, 5, 1), created_by="qilin_staff")
    make_media(region="530000", published_on=date(2025, 5, 1), created_by="prov_admin")
    assert media_reports(2025, "53") == 3
    assert media_reports(2025, "5301") == 1 and media_reports(2025, "530102") == 1
    assert media_reports(2025, "5303") == 1
    assert "outreach.media_reports" in figures()


def test_the_home_panel_shows_this_years_outreach_of_the_users_area():
    year = timezone.localdate().year
    make_event(region="530102", starts_on=date(year, 1, 2), audience=150)
    make_event(region="530302", starts_on=date(year, 1, 2), audience=999, created_by="qilin_staff")
    make_media(region="530102", published_on=date(year, 1, 3))
    make_media(region="530102", published_on=date(year - 1, 12, 31))
    items = {item.label: item for item in year_items(user("wuhua_staff"))}
    counts = [item.count for item in items.values()]
    assert counts == [1, 150, 1, 0]
    media = [item for item in items.values() if item.url.startswith("/workspace/outreach/media/")][0]
    assert media.url == f"/workspace/outreach/media/?year={year}"
    province = [item.count for item in year_items(user("prov_admin"))]
    assert province[:3] == [2, 1149, 1]


def test_the_home_page_shows_the_panel_to_viewers_only(english):
    shown = [p.panel.title for p in panels_for(user("coordinator"))]
    assert "Outreach this year" in [str(t) for t in shown]
    assert "Outreach this year" not in [str(p.panel.title) for p in panels_for(user("opo_staff"))]
    c = Client()
    c.force_login(user("wuhua_staff"))
    page = c.get("/workspace/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Outreach this year" in page and "Media reports this year" in page


def test_the_demo_adds_the_reports_once_and_links_them_to_events_when_there():
    event = make_event(region="530000", kind="red_cross_day", starts_on=date(2025, 5, 8), created_by="prov_admin")
    assert demo.load() is True
    assert demo.load() is False
    assert MediaReport.objects.count() >= 10
    assert media_reports(2025, "53") >= 7 and media_reports(2026, "53") >= 2
    outlets = set(MediaReport.objects.values_list("outlet", flat=True))
    assert {"云南日报", "云南广播电视台", "新华网", "人民网", "学习强国"} <= outlets
    gift = MediaReport.objects.filter(title__contains="生命的礼物")
    assert gift.filter(national=True).count() >= 2 and gift.filter(kind="video").exists()
    assert MediaReport.objects.filter(kind="psa").exists()
    assert MediaReport.objects.get(outlet="新华网").event == event
