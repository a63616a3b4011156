"""The polish of the campaigns, events and fundraising pages: the per-day column chart (one thin
column per day, weekly for long campaigns, shared with fundraising), a campaign's events as its reader
sees them, the calendar's month heading, the demo's events around today, and the posters' titles."""

import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from boai.core.tests.personas import user
from boai.lib import charts

from .. import posters
from ..demo import events as events_demo
from ..models import Event
from .factories import make_campaign, make_event, make_project
from .test_campaigns_pages import make_registration

BEIJING = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


def client(username="prov_admin", lang="en"):
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user(username))
    return c


def text(response) -> str:
    return response.content.decode()


# --- the column chart -----------------------------------------------------------------------------


def test_a_column_chart_has_one_thin_column_per_day_and_a_label_every_seven_days():
    first = date(2025, 3, 1)
    points = [(first + timedelta(days=i), i % 5) for i in range(0, 70, 2)]
    chart = charts.column_chart(points, first=first, last=first + timedelta(days=69))
    assert len(chart["columns"]) == 70 and not chart["weekly"]
    assert [t["label"] for t in chart["ticks"]] == ["01", "08", "15", "22", "29", "05", "12", "19", "26", "03"]
    assert [t["month"] for t in chart["ticks"] if t["month"]] == ["2025-03", "2025-04", "2025-05"]
    right = max(c["x"] + c["w"] for c in chart["columns"])
    assert right <= chart["width"] and chart["height"] <= 200  # fits its card, a compact strip
    assert chart["columns"][1]["value"] == 0 and chart["columns"][2]["value"] == 2  # a day without any: 0


def test_a_campaign_longer_than_120_days_is_drawn_by_week():
    chart = charts.column_chart(
        [(date(2025, 3, 3), 4), (date(2025, 3, 9), 1)], first=date(2025, 3, 1), last=date(2025, 12, 31)
    )
    assert chart["weekly"]
    assert chart["columns"][1]["value"] == 5  # Monday 3 March to Sunday 9 March
    assert len(chart["columns"]) < 50
    assert chart["rows"] == [(date(2025, 3, 3), date(2025, 3, 9), 5)]  # the table beside: the same weeks


def test_the_campaign_page_draws_the_days_as_columns_beside_the_table(english):
    c = make_campaign(starts_on=date(2025, 3, 1), ends_on=date(2025, 4, 29))
    make_registration(c.code, at=datetime(2025, 3, 10, 9, tzinfo=BEIJING))
    make_registration(c.code, at=datetime(2025, 3, 10, 10, tzinfo=BEIJING))
    page = text(client().get(f"/workspace/outreach/campaigns/{c.pk}/"))
    assert '<th scope="row">2025-03-10</th><td>2</td>' in page  # the table beside: the days with any
    day_chart = page[page.index('id="per-day-title"') : page.index('id="per-day-table"')]
    assert day_chart.count("<rect") == 60 and "2025-03" in day_chart
    assert "Registrations per day (Beijing time)" in page


def test_a_long_campaign_says_it_counts_by_week(english):
    c = make_campaign(starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    make_registration(c.code, at=datetime(2025, 3, 4, 9, tzinfo=BEIJING))
    make_registration(c.code, at=datetime(2025, 3, 8, 9, tzinfo=BEIJING))
    page = text(client().get(f"/workspace/outreach/campaigns/{c.pk}/"))
    assert "Registrations per week" in page
    # the table beside the chart counts the same weeks as its columns
    assert '<th scope="row">2025-03-03 – 2025-03-09</th><td>2</td>' in page


def test_the_fundraising_page_uses_the_same_column_chart(english):
    p = make_project(
        region="530102",
        created_by="wuhua_staff",
        starts_on=date(2025, 5, 1),
        ends_on=date(2025, 5, 31),
        days=((date(2025, 5, 3), 12_345, 4), (date(2025, 5, 10), 500, 1)),
    )
    page = text(client("wuhua_staff").get(f"/workspace/outreach/fundraising/{p.pk}/"))
    svg = page[page.index('class="column-chart"') : page.index("</svg>")]
    assert svg.count("<rect") == 10  # 1 to 10 May, one column per day
    assert "2025-05-03: ¥123.45" in svg


# --- a campaign's events, as its reader sees them ---------------------------------------------------


def test_a_branch_sees_only_its_own_events_of_a_province_campaign(english):
    c = make_campaign(region="530000")
    make_event(region="530102", campaign=c, title="五华区登记日")
    qj = make_event(region="530302", campaign=c, title="麒麟区登记日", created_by="qilin_staff")
    page = text(client("qilin_staff").get(f"/workspace/outreach/campaigns/{c.pk}/"))
    assert "麒麟区登记日" in page and "五华区登记日" not in page
    events_stat = re.search(r'<span class="stat-n">(\d+)</span><span>Events</span>', page)
    assert events_stat and events_stat.group(1) == "1"
    listing = text(client("qilin_staff").get("/workspace/outreach/campaigns/"))
    assert "五华区登记日" not in listing
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_login(user("qilin_staff"))
    assert api.get(f"/api/v1/campaigns/{c.pk}/").json()["events"] == [qj.pk]
    assert len(text(client().get(f"/workspace/outreach/campaigns/{c.pk}/")).split("登记日</a>")) == 3  # province: both


# --- the calendar and the demo ------------------------------------------------------------------------


def test_the_calendar_heading_is_the_month_in_the_locales_format():
    assert "December 2026" in text(client(lang="en").get("/workspace/outreach/events/calendar/?date=2026-12-05"))
    page = text(client(lang="zh-hans").get("/workspace/outreach/events/calendar/?date=2026-12-05"))
    assert "2026年12月" in page and "十二月" not in page


def test_the_demo_has_events_around_the_day_it_is_loaded_once():
    assert events_demo.load() is True
    assert events_demo.load() is False
    today = timezone.localdate()
    near = Event.objects.filter(starts_on__gte=today - timedelta(days=7), starts_on__lte=today + timedelta(days=30))
    assert near.count() == 4
    assert near.filter(starts_on__gt=today).count() == 3
    Event.objects.filter(title=events_demo.AROUND_TODAY[0][0]).delete()
    assert events_demo.load() is True and near.count() == 4  # a demo loaded before gets the missing one


# --- posters ------------------------------------------------------------------------------------------

TITLE = "云岭同心·边疆聚力·生命传递"


@pytest.mark.parametrize("width", [1100, 900, 600, 447.9, 694.5])
def test_a_long_title_breaks_at_its_dots_and_never_leaves_one_character_alone(width):
    size, lines = posters.fit_title(TITLE, max_width=width, size=80, min_size=24)
    assert 1 <= len(lines) <= 3
    assert all(len(line) >= 2 for line in lines)
    assert "".join(lines).replace("·", "") == TITLE.replace("·", "")
    assert all(line in ("云岭同心", "边疆聚力", "生命传递", "云岭同心·边疆聚力", "边疆聚力·生命传递") for line in lines)


def test_a_title_without_separators_is_balanced_on_at_most_three_lines():
    title = "器官捐献登记宣传" * 5
    size, lines = posters.fit_title(title, max_width=1100, size=80, min_size=52)
    assert len(lines) <= 3 and min(len(line) for line in lines) >= 2
    assert max(len(line) for line in lines) - min(len(line) for line in lines) <= 2
    assert "".join(lines) == title


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("size", ["a4", "a3"])
def test_the_pdf_poster_prints_the_title_on_balanced_lines_and_the_scan_hint(size, tmp_path):
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(posters.poster_pdf(title=TITLE, url="https://example.cn/c/yunling-2026/", size=size))
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    assert not any(line == "递" for line in lines)
    assert "5" in out and ("二维码" in out or "QR code" in out)  # the hint under the QR code


def test_the_png_poster_is_drawn_in_both_sizes():
    for size in ("a4", "a3"):
        png = posters.poster_png(title=TITLE, url="https://example.cn/c/yunling-2026/", size=size)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
