"""The campaigns' pages: the scoped list (a prefecture also sees the province's campaigns), the form (a
refusal beside the field, nothing written), the campaign page with its three breakdowns counted in the
user's area and per Beijing day, the Excel download, the link page with its QR code and posters, and
the public short link."""

import io
from datetime import date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from boai.audit.models import AuditEntry
from boai.core.models import Region
from boai.core.tests.personas import user
from boai.registry.models import Registration
from boai.registry.tally import tally_add
from boai.registry.tests.helpers import resident_id

from ..models import Campaign
from ..posters import size_px
from ..selectors import campaigns as selectors
from .factories import make_campaign, make_event

pytestmark = pytest.mark.django_db

W = "/workspace/outreach"
BEIJING = ZoneInfo("Asia/Shanghai")
_n = count(1)


def make_registration(code: str, *, region: str = "530102", at=None, channel: str = "online") -> Registration:
    """A registration attributed to ``code`` (made straight in the database: the scene, not the test)."""
    n = next(_n)
    born = date(1960, 1, 1) + timedelta(days=n)
    reg = Registration.objects.create(
        number=f"YNT{n:09d}",
        name="测试",
        sex="M",
        id_type="resident_id",
        id_number=resident_id(region=region, born=born, seq=f"{n % 100:02d}"),
        birth_date=born,
        phone="13800001111",
        region=Region.objects.get(code=region),
        campaign=code,
        channel=channel,
        registered_at=at or timezone.now(),
    )
    tally_add([reg])  # counted as the registry's services count it
    return reg


def client(username="prov_admin", lang="en"):
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user(username))
    return c


def text(response) -> str:
    return response.content.decode()


def test_a_prefecture_sees_its_own_and_the_provinces_campaigns_not_another_prefectures():
    make_campaign(region="530000", title="全省登记季")
    make_campaign(region="530100", title="昆明宣传月", created_by="kunming_staff")
    make_campaign(region="530300", title="曲靖宣传月", created_by="qilin_staff")
    page = text(client("kunming_staff").get(f"{W}/campaigns/"))
    assert "全省登记季" in page and "昆明宣传月" in page and "曲靖宣传月" not in page
    county = text(client("wuhua_staff").get(f"{W}/campaigns/"))
    assert "全省登记季" in county and "昆明宣传月" in county and "曲靖宣传月" not in county
    province = text(client("prov_admin").get(f"{W}/campaigns/"))
    assert all(t in province for t in ("全省登记季", "昆明宣传月", "曲靖宣传月"))
    assert "全省登记季" not in text(client("prov_admin").get(f"{W}/campaigns/?q=昆明"))


def test_a_campaign_is_added_from_the_form_and_a_bad_one_is_explained():
    c = client("prov_admin")
    form = {"title": "测试登记季", "code": "spring-2026", "starts_on": "2026-03-01", "ends_on": "2026-06-30"}
    before = (Campaign.objects.count(), AuditEntry.objects.count())
    bad = c.post(f"{W}/campaigns/new/", {**form, "code": "Spring 2026", "region": "530000"})
    assert bad.status_code == 200 and "lower-case letters" in text(bad)
    bad = c.post(f"{W}/campaigns/new/", {**form, "ends_on": "2026-01-01", "region": "530000"})
    assert "The last day cannot be before the first day." in text(bad)
    assert (Campaign.objects.count(), AuditEntry.objects.count()) == before
    response = c.post(f"{W}/campaigns/new/", {**form, "region": "530000", "target_registrations": "500"})
    campaign = Campaign.objects.get(code="spring-2026")
    assert response.status_code == 302 and response.url == f"{W}/campaigns/{campaign.pk}/"
    edit = c.post(
        f"{W}/campaigns/{campaign.pk}/edit/",
        {**form, "title": "改过的登记季", "region": "530000", "version": str(campaign.version)},
    )
    assert edit.status_code == 302 and Campaign.objects.get(pk=campaign.pk).title == "改过的登记季"


def test_a_prefecture_reads_a_province_campaign_but_cannot_change_it():
    campaign = make_campaign(region="530000")
    assert client("kunming_staff").get(f"{W}/campaigns/{campaign.pk}/").status_code == 200
    assert client("kunming_staff").get(f"{W}/campaigns/{campaign.pk}/edit/").status_code == 404
    other = make_campaign(region="530300", created_by="qilin_staff")
    assert client("kunming_staff").get(f"{W}/campaigns/{other.pk}/").status_code == 404


def test_the_campaign_page_counts_its_own_and_its_events_registrations_in_the_users_area():
    campaign = make_campaign(code="count-me")
    event = make_event(campaign=campaign, region="530102")
    make_registration("count-me", region="530102")
    make_registration(event.code, region="530102", channel="event")
    make_registration("count-me", region="530302")  # Qujing
    make_registration("someone-else", region="530102")  # another code: not counted
    province = selectors.breakdowns(user=user("prov_admin"), campaign=campaign)
    kunming = selectors.breakdowns(user=user("kunming_staff"), campaign=campaign)
    assert (province["total"], kunming["total"]) == (3, 2)
    assert dict((r.code, n) for r, n in province["prefectures"])["530300"] == 1
    assert len(province["prefectures"]) == 16 and [r.code for r, _n in kunming["prefectures"]] == ["530100"]
    assert dict((v, n) for v, _l, n in kunming["channels"]) == {
        "online": 1,
        "paper": 0,
        "event": 1,
        "import": 0,
        "event_offline": 0,
    }
    page = text(client("kunming_staff").get(f"{W}/campaigns/{campaign.pk}/"))
    assert '<span class="stat-n" id="attributed-total">2</span>' in page
    assert page.count('<svg role="img"') == 3 and 'id="per-prefecture-table"' in page
    assert f'href="/workspace/outreach/events/{event.pk}/"' in page


def test_a_registration_at_half_past_midnight_beijing_time_counts_on_that_day():
    campaign = make_campaign(code="new-year")
    make_registration("new-year", at=datetime(2026, 1, 1, 0, 30, tzinfo=BEIJING))  # 2025-12-31 16:30 UTC
    make_registration("new-year", at=datetime(2025, 12, 31, 23, 59, tzinfo=BEIJING))
    days = selectors.breakdowns(user=user("prov_admin"), campaign=campaign)["days"]
    assert days == [(date(2025, 12, 31), 1), (date(2026, 1, 1), 1)]


def test_the_total_counts_like_the_published_figure():
    from ..figures import campaign_registrations

    campaign = make_campaign(code="figure-check")
    for region in ("530102", "530302", "530102"):
        make_registration("figure-check", region=region, at=datetime(2025, 6, 1, 10, tzinfo=BEIJING))
    total = selectors.breakdowns(user=user("prov_admin"), campaign=campaign)["total"]
    assert total == campaign_registrations(2025, "53") == 3
    assert selectors.breakdowns(user=user("wuhua_staff"), campaign=campaign)["total"] == campaign_registrations(
        2025, "530102"
    )


def test_the_tables_download_as_excel_and_the_download_is_audited():
    campaign = make_campaign(code="excel-me")
    make_registration("excel-me", region="530102")
    response = client("prov_admin").get(f"{W}/campaigns/{campaign.pk}/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1] == ("Total", campaign.title, 1)
    assert ("Per prefecture", "昆明市", 1) in rows and ("Per channel", "Online", 1) in rows
    assert AuditEntry.objects.filter(action="outreach.campaign.exported", object_id=str(campaign.pk)).count() == 1
    assert client("coordinator").get(f"{W}/campaigns/{campaign.pk}/export/").status_code == 403


def test_the_link_page_shows_the_short_link_and_offers_the_qr_code_and_posters():
    campaign = make_campaign(code="poster-me", title="云岭同心·边疆聚力·生命传递")
    page = text(client().get(f"{W}/campaigns/{campaign.pk}/link/"))
    assert "http://testserver/c/poster-me/" in page and "data:image/svg+xml" in page
    qr = client().get(f"{W}/campaigns/{campaign.pk}/link/qr.png/")
    assert qr["Content-Type"] == "image/png" and Image.open(io.BytesIO(qr.content)).width >= 500


@pytest.mark.parametrize("size", ["a4", "a3"])
def test_the_poster_pdf_carries_the_title_and_the_link(size):
    campaign = make_campaign(code="poster-pdf", title="云岭同心生命传递")
    response = client().get(f"{W}/campaigns/{campaign.pk}/link/poster-{size}.pdf/")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    words = reader.pages[0].extract_text().replace(" ", "").replace("\n", "")
    assert "云岭同心生命传递" in words and "testserver/c/poster-pdf/" in words and "扫码登记" in words
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert round(width_mm) == {"a4": 210, "a3": 297}[size]


@pytest.mark.parametrize("size, pixels", [("a4", (1240, 1754)), ("a3", (1754, 2480))])
def test_the_poster_png_is_a4_or_a3_at_150_dpi(size, pixels):
    campaign = make_campaign(code="poster-png")
    response = client().get(f"{W}/campaigns/{campaign.pk}/link/poster-{size}.png/")
    image = Image.open(io.BytesIO(response.content))
    assert image.size == pixels == size_px(size)


def test_an_events_link_page_and_poster_work_for_its_area_only():
    event = make_event(region="530102", title="五华宣传日")
    assert "/c/" + event.code in text(client("wuhua_staff").get(f"{W}/events/{event.pk}/link/"))
    assert client("wuhua_staff").get(f"{W}/events/{event.pk}/link/poster-a4.png/").status_code == 200
    assert client("qilin_staff").get(f"{W}/events/{event.pk}/link/").status_code == 404
    assert client("wuhua_staff").get(f"{W}/events/{event.pk}/link/nothing.exe/").status_code == 404


def test_the_short_link_leads_to_the_registration_form_and_an_unknown_one_gets_a_friendly_page():
    make_campaign(code="go-register", title="去登记")
    response = Client().get("/c/go-register/")
    assert response.status_code == 302 and response.url == "/register/?c=go-register"
    form = Client().get(response.url)
    assert "去登记" in text(form)
    unknown = Client().get("/c/no-such-code/")  # Chinese by default (the words: /work/i18n/campaigns.py)
    assert unknown.status_code == 404 and 'lang="zh-hans"' in text(unknown) and 'href="/register/"' in text(unknown)
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/c/no-such-code/")
    assert "This link is not in use" in text(english)


def test_attribution_sources_offer_recent_campaigns_and_events_of_the_users_area(english):
    today = timezone.localdate()
    make_campaign(code="now-running", title="正在进行", starts_on=today - timedelta(days=10), ends_on=today)
    make_campaign(code="long-ended", title="早已结束", starts_on=date(2020, 1, 1), ends_on=date(2020, 2, 1))
    make_event(region="530102", title="五华近期活动", starts_on=today - timedelta(days=5))
    make_event(region="530302", title="麒麟活动", starts_on=today, created_by="qilin_staff")
    labels = dict(selectors.attribution_sources(user=user("wuhua_staff")))
    assert "now-running" in labels and "long-ended" not in labels
    assert any("五华近期活动" in v and "(event)" in v for v in labels.values())
    assert not any("麒麟活动" in v for v in labels.values())
    assert selectors.attribution_title("now-running") == "正在进行"
    assert selectors.attribution_title("nothing-here") is None


def test_a_campaign_out_of_scope_answers_404_and_the_attempt_is_audited():
    other = make_campaign(region="530300", created_by="qilin_staff")
    assert client("kunming_staff").get(f"{W}/campaigns/{other.pk}/").status_code == 404
    denied = AuditEntry.objects.filter(action="security.access.denied", object_id=str(other.pk))
    assert denied.filter(object_type="outreach.campaign").count() == 1
    assert client("kunming_staff").get(f"{W}/campaigns/999999/").status_code == 404


def test_every_refusal_of_the_form_shows_at_once_and_a_prefecture_runs_its_own_by_default():
    c = client("kunming_staff")
    form = c.get(f"{W}/campaigns/new/").content.decode()
    assert '<option value="530100" selected>' in form
    response = c.post(f"{W}/campaigns/new/", {"title": "", "code": "Bad Code", "starts_on": "2026-05-01"})
    page = text(response)
    assert response.status_code == 200 and not Campaign.objects.exists()
    for message in (
        "Give the campaign&#x27;s title.",
        "lower-case letters",
        "Give the last day, such as 2025-12-31.",
        "Choose who runs it: the province or a prefecture.",
    ):
        assert message in page, message
