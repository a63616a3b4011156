"""The fundraising pages: the scoped list with raised / target, a project's page (totals, the daily chart
with its table, imports, how the money was used with the public ledger's link), the forms (a refusal
beside its field, nothing written; a recorded day replaced only when the box is ticked), the upload and
its row error report on the page and as a download."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from boai.care.tests.factories import make_family, make_ledger_entry
from boai.core.tests.personas import user

from ..models import FundraisingDay, FundraisingProject
from .factories import make_project

pytestmark = pytest.mark.django_db

W = "/workspace/outreach/fundraising"


def client(username="wuhua_staff"):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user(username))
    return c


def text(response) -> str:
    return response.content.decode()


def project(**kw):
    kw.setdefault("region", "530102")
    kw.setdefault("created_by", "wuhua_staff")
    return make_project(starts_on=date(2025, 5, 5), ends_on=date(2025, 5, 8), **kw)


def test_the_list_shows_raised_of_target_beside_the_bar_for_the_users_area_only(english):
    mine = project(target_fen=20_000_000, days=((date(2025, 5, 5), 5_000_000, 120),))
    other = project(region="530302", created_by="qilin_staff")
    page = text(client().get(f"{W}/"))
    assert mine.title in page and other.title not in page
    assert "¥50,000.00 / ¥200,000.00 (25%)" in page
    assert 'value="25"' in page


def test_the_list_filters_by_year_and_search():
    old = project()
    FundraisingProject.objects.filter(pk=old.pk).update(starts_on=date(2024, 9, 9), ends_on=date(2024, 9, 9))
    new = project()
    page = text(client().get(f"{W}/?year=2025"))
    assert new.title in page and old.title not in page
    page = text(client().get(f"{W}/?q={old.title}"))
    assert old.title in page and new.title not in page


def test_a_project_is_added_from_the_form_with_the_platform_suggestions(english):
    c = client()
    form = text(c.get(f"{W}/new/"))
    assert '<datalist id="platforms">' in form and "支付宝公益" in form
    response = c.post(
        f"{W}/new/",
        {
            "title": "久久公益节 · 生命接力",
            "purpose": "promotion",
            "target": "100,000",
            "platform": "腾讯公益",
            "starts_on": "2025-09-07",
            "ends_on": "2025-09-09",
            "region": "530102",
        },
    )
    p = FundraisingProject.objects.get(title="久久公益节 · 生命接力")
    assert response.status_code == 302 and p.target_fen == 10_000_000


def test_a_bad_target_is_shown_beside_its_field_and_nothing_is_written(english):
    response = client().post(
        f"{W}/new/",
        {
            "title": "x",
            "purpose": "promotion",
            "target": "十万",
            "platform": "腾讯公益",
            "starts_on": "2025-09-07",
            "ends_on": "2025-09-09",
            "region": "530102",
        },
    )
    assert response.status_code == 200
    assert "Give an amount in yuan" in text(response)
    assert not FundraisingProject.objects.filter(title="x").exists()


def test_a_recorded_day_is_replaced_only_when_the_box_is_ticked(english):
    p = project()
    c = client()
    c.post(f"{W}/{p.pk}/results/", {"day": "2025-05-06", "amount": "100", "donors": "4"})
    response = c.post(f"{W}/{p.pk}/results/", {"day": "2025-05-06", "amount": "300", "donors": "9"})
    assert response.status_code == 200
    assert "Tick the box to replace them" in text(response)
    assert FundraisingDay.objects.get(project=p).amount_fen == 10_000
    response = c.post(f"{W}/{p.pk}/results/", {"day": "2025-05-06", "amount": "300", "donors": "9", "replace": "on"})
    assert response.status_code == 302
    assert FundraisingDay.objects.get(project=p).amount_fen == 30_000


def test_the_project_page_shows_totals_chart_table_and_how_the_money_was_used(english):
    p = project(
        target_fen=100_000,
        care_kind="relief_fund",
        days=((date(2025, 5, 5), 30_000, 10), (date(2025, 5, 6), 20_000, 5)),
    )
    for i in range(3):  # three families paid from the relief fund in 2025: the ledger publishes the kind
        make_ledger_entry(family=make_family(), kind="relief_fund", amount_fen=200_000, paid_on=date(2025, 6, 1 + i))
    page = text(client("auditor").get(f"{W}/{p.pk}/"))
    assert "¥500.00" in page and "50%" in page and ">15<" in page
    assert "<svg" in page and "<script" not in page.split("<main")[-1]
    assert "05-05" in page and "¥300.00" in page
    assert "2025: 3 payments of Relief fund to donor families, ¥6,000.00 in all." in page
    assert "/ledger/?year=2025" in page


def test_an_upload_shows_the_row_error_report_and_offers_it_as_a_download(english):
    p = project()
    c = client()
    upload = SimpleUploadedFile("export.csv", "日期,金额,捐款人次\n2025-05-05,10,1\n2025-05-05,11,1\n".encode())
    check = c.post(f"{W}/{p.pk}/import/", {"file": upload})
    assert "The same day is already on row 2 of this file." in text(check)
    response = c.post(f"{W}/{p.pk}/import/confirm/", {"token": check.context["token"]})
    assert response.status_code == 302
    page = text(c.get(response["Location"]))
    assert "The same day is already on row 2 of this file." in page
    imp_url = response["Location"]
    csv = b"".join(c.get(f"{imp_url}errors/?format=csv").streaming_content).decode("utf-8-sig")
    assert "3,日期,The same day is already on row 2 of this file." in csv
    xlsx = c.get(f"{imp_url}errors/")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [c.value for c in sheet[2]] == [3, "日期", "The same day is already on row 2 of this file."]


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_page(english):
    p = project()
    upload = SimpleUploadedFile("export.xlsx", b"hello, not a workbook")
    response = client().post(f"{W}/{p.pk}/import/", {"file": upload})
    assert response.status_code == 200
    assert "cannot be read" in text(response)
    assert p.imports.count() == 0


def test_the_template_names_the_three_columns():
    response = client().get(f"{W}/template/?format=csv")
    assert b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0] == "日期,金额,捐款人次"


@pytest.mark.parametrize(
    "posted, message",
    [
        ({"day": "2025-05-06", "amount": "abc", "donors": "1"}, "Give an amount in yuan"),
        ({"day": "2025-05-06", "amount": "-5", "donors": "1"}, "The amount cannot be negative."),
        ({"day": "2025-05-06", "amount": "5", "donors": "-1"}, "greater than or equal to 0"),
        ({"day": "2025-06-01", "amount": "5", "donors": "1"}, "within the project&#x27;s dates"),
        ({"day": "not a day", "amount": "5", "donors": "x"}, "Enter a valid date."),
    ],
)
def test_a_bad_day_is_shown_beside_its_field_and_nothing_is_written(english, posted, message):
    p = project()
    response = client().post(f"{W}/{p.pk}/results/", posted)
    assert response.status_code == 200
    assert message in text(response)
    assert not FundraisingDay.objects.filter(project=p).exists()


def test_an_upload_without_a_file_is_asked_for_again(english):
    p = project()
    response = client().post(f"{W}/{p.pk}/import/", {})
    assert response.status_code == 200 and "This field is required." in text(response)
    assert p.imports.count() == 0
