"""The public ledger as a visitor sees it (page and CSV, no login): the folded rows and the totals,
nothing that points at a family (no name, reference, case number, voucher or day), the year taken in
Beijing time, the CSV's format and hashes, and bad years answered with the 404 page."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from ..models import LedgerEntry
from ..selectors.ledger import public_rows, rows_hash
from .factories import make_family, make_ledger_entry

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def family(n: int, region: str = "530102"):
    return make_family(
        region=region,
        donor_name=f"捐献者{n}号",
        reference=f"YN-2025-OD-{n:04d}",
        members=((f"家属{n}号", "spouse", f"1390000{n:04d}"),),
    )


@pytest.fixture
def year_2025():
    """Three condolence payments in Kunming in March (a row), one each in Qujing, Honghe and Yuxi (folded
    into "Other (combined)"), and a hardship payment in Kunming reversed in May (nets to nothing)."""
    made = [
        make_ledger_entry(family=family(i), amount_fen=100050, paid_on=date(2025, 3, 10 + i), voucher=f"VCH-88{i}")
        for i in range(3)
    ]
    made.append(
        make_ledger_entry(family=family(7, "530302"), amount_fen=200000, paid_on=date(2025, 4, 2), voucher="VCH-997")
    )
    made += [
        make_ledger_entry(family=family(n, region), amount_fen=200000, paid_on=date(2025, month, 2), voucher=f"V-{n}")
        for n, region, month in ((5, "532301", 6), (6, "530402", 7))
    ]
    hardship = make_ledger_entry(family=family(8), kind="hardship", amount_fen=50000, paid_on=date(2025, 4, 20))
    made += [hardship, make_ledger_entry(reverses=hardship, paid_on=date(2025, 5, 6), voucher="VCH-REV")]
    return made


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_page_shows_the_rows_and_totals(year_2025):
    response = Client().get("/ledger/?year=2025")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r["month"], r["count"], r["amount"]) for r in rows] == [
        ("2025-03", 3, "3,001.50"),
        (rows[1]["month"], 3, "6,000.00"),
    ]
    totals = {t["kind"]: (t["count"], t["amount"]) for t in response.context["totals"]}
    assert list(totals.values()) == [(6, "9,001.50"), (0, "0.00"), (6, "9,001.50")]  # condolence, hardship, all
    body = response.content.decode()
    assert "3,001.50" in body and "9,001.50" in body
    assert "<svg" in body and "style=" not in body


def test_no_total_gives_away_a_few_payments_by_subtraction():
    """The stranger's finding: condolence 6 with only Kunming's 4 shown gave the other 2 away, and the relief
    fund's 2 stood alone in the totals. Now nothing is left that points at fewer than 3 payments."""
    for day in (3, 4, 5, 6):
        make_ledger_entry(family=make_family(), amount_fen=625000, paid_on=date(2025, 3, day))
    make_ledger_entry(family=make_family(region="530302"), amount_fen=600000, paid_on=date(2025, 5, 1))
    make_ledger_entry(family=make_family(region="532301"), amount_fen=600000, paid_on=date(2025, 9, 1))
    for day in (1, 2):
        make_ledger_entry(family=make_family(), kind="relief_fund", amount_fen=1000000, paid_on=date(2025, 6, day))
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/ledger/?year=2025")
    assert response.context["rows"] == []
    assert [(t["count"], t["amount"]) for t in response.context["totals"]] == [(8, "57,000.00")]  # "All kinds" only
    body = response.content.decode()
    assert "25,000.00" not in body and "12,000.00" not in body and "20,000.00" not in body
    assert "included only in “All kinds”" in body or "included only in &ldquo;All kinds&rdquo;" in body
    # the months are all folded: no empty chart, and the page says so
    assert "<svg" not in body and "tap a bar" not in body
    assert "No month is shown on its own this year" in body
    sheet = Client().get("/ledger/2025.csv").content.decode("utf-8")
    assert "25000.00" not in sheet and "12000.00" not in sheet and "20000.00" not in sheet


def test_a_year_with_too_few_payments_publishes_no_figure():
    for day in (1, 2):
        make_ledger_entry(family=make_family(), amount_fen=123400, paid_on=date(2025, 6, day))
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/ledger/?year=2025")
    assert response.context["totals"] == [] and response.context["rows"] == []
    body = response.content.decode()
    assert "Fewer than 3 payments" in body and "1,234.00" not in body and "2,468.00" not in body
    assert "2468.00" not in Client().get("/ledger/2025.csv").content.decode("utf-8")


def test_the_latest_year_is_shown_without_asking(year_2025):
    response = Client().get("/ledger/")
    assert response.status_code == 200
    assert response.context["year"] == 2025


def test_nothing_points_at_a_family(year_2025):
    page = Client().get("/ledger/?year=2025").content.decode()
    sheet = Client().get("/ledger/2025.csv").content.decode()
    for entry in year_2025:
        family = entry.payment.family
        for text in (page, sheet):
            assert family.donor_name not in text
            assert family.reference not in text
            assert entry.voucher not in text
            assert entry.paid_on.isoformat() not in text
            assert entry.paid_on.strftime("%m-%d") not in text
            for member in family.members.all():
                assert member.name not in text and member.phone not in text
        assert "VCH" not in page and "VCH" not in sheet


def test_the_csv(year_2025):
    response = Client().get("/ledger/2025.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="ledger-2025.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert len(rows[0]) == 6
    march = rows[1]
    assert march[:2] == ["2025-03", "昆明市"] and march[3:5] == ["3", "3001.50"]
    expected = rows_hash([e.row_hash for e in year_2025[:3]])
    assert march[5] == expected and len(march[5]) == 64
    assert rows[2][3:5] == ["3", "6000.00"]  # "Other (combined)"
    totals = rows[3:]
    assert [r[3:5] for r in totals] == [["6", "9001.50"], ["0", "0.00"], ["6", "9001.50"]]
    assert totals[-1][5] == rows_hash([e.row_hash for e in LedgerEntry.objects.all()])


def test_the_year_is_taken_in_beijing_time():
    late = make_ledger_entry(family=family(1), paid_at=datetime(2025, 12, 31, 23, 30, tzinfo=BEIJING))
    early = make_ledger_entry(family=family(2), paid_at=datetime(2026, 1, 1, 0, 30, tzinfo=BEIJING))
    assert (late.paid_on, early.paid_on) == (date(2025, 12, 31), date(2026, 1, 1))  # 16:30 UTC on 31 December
    assert public_rows(2025).overall.count == 1
    assert public_rows(2026).overall.count == 1
    assert public_rows(2024).overall.count == 0


def test_a_year_without_payments_is_an_empty_ledger():
    response = Client().get("/ledger/?year=2024")
    assert response.status_code == 200
    assert response.context["has_entries"] is False
    rows = csv_rows(Client().get("/ledger/2024.csv"))
    assert [r[3:5] for r in rows[1:]] == [["0", "0.00"]]


@pytest.mark.parametrize(
    "path",
    [
        "/ledger/?year=abc",
        "/ledger/?year=1999",
        "/ledger/?year=3000",
        "/ledger/?year=",
        "/ledger/?year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%95",  # full-width 2025
        "/ledger/?year=99999999999999999999999",
        "/ledger/1999.csv",
        "/ledger/3000.csv",
        "/ledger/abcd.csv",
        "/ledger/-2025.csv",
        "/ledger/2025.xlsx",
    ],
)
def test_bad_years_are_the_404_page(path):
    response = Client().get(path)
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()


def test_the_public_pages_are_read_only():
    assert Client().post("/ledger/").status_code == 405
    assert Client().post("/ledger/2025.csv").status_code == 405
