"""Real Chromium on a phone (390×844): the family care journey of issue 14, every step taken on the pages by
the role that takes it. Wuhua's staff record an overdue home visit from their work list; a condolence
payment goes from the clerk's application on the family page through the county, the prefecture and the
province to its payment (an approver is refused the payment); the anonymous public ledger shows it in a
month row of three payments, with no family, reference or voucher; the family's consent puts the donor's
name on the public memorial wall, and an unconsented donor stays off it. Screenshots go to
/tmp/e2e-care-*.png."""

from datetime import timedelta

import pytest
from django.utils import timezone

from boai.core.tests.browser import assert_accessible, fits, main_text, phone_pages, require_chromium
from boai.memorials.models import WallEntry

from ..models import Contact, FollowUp, LedgerEntry, Payment
from .factories import make_family, make_follow_up, make_ledger_entry

APPLICATION_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

BASE = "/workspace/care"
DONOR = "张建国"
MEMBER = "王秀兰"
OTHER_DONOR = "李德明"
REFERENCE = "WH-2026-007"
VOUCHER = "PZ-20261205-01"


@pytest.fixture
def as_role(browser, live_server, transactional_base_data):
    """as_role("wuhua_staff") -> a logged-in phone page of that account (one browser context each)."""
    get, close = phone_pages(browser, live_server.url)
    yield get
    close()


@pytest.fixture
def anonymous(browser, transactional_base_data):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def shot(page, name):
    page.screenshot(path=f"/tmp/e2e-care-{name}.png", full_page=True)


main = main_text


def submit(page, selector):
    """Click the button ``selector`` and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def set_the_scene():
    """A Wuhua family whose one-month follow-up is three days overdue; another Wuhua family that never
    consented to the wall; and two condolence payments already paid this month in Kunming prefecture, to
    two other families (with the journey's, three: the month row is published)."""
    today = timezone.localdate()
    family = make_family(
        donor_name=DONOR,
        reference=REFERENCE,
        donated_on=today - timedelta(days=40),
        members=((MEMBER, "spouse", "13812345678"), ("张小军", "child", "13987654321")),
    )
    follow_up = make_follow_up(family, due_on=today - timedelta(days=3), label="m1")
    other = make_family(donor_name=OTHER_DONOR, reference="WH-2026-008")
    earlier = [
        make_ledger_entry(family=make_family(region=county), amount_fen=200000, paid_on=today)
        for county in ("530102", "530103")
    ]
    return family, follow_up, other, earlier


def test_the_family_care_journey(as_role, anonymous, live_server):
    family, follow_up, other, earlier = set_the_scene()
    url = live_server.url
    today = timezone.localdate()

    # 1. Wuhua's staff record the overdue visit from their work list
    staff = as_role("wuhua_staff")
    staff.goto(f"{url}{BASE}/follow-ups/")
    record = f"a[href='{BASE}/families/{family.pk}/contacts/new/?follow_up={follow_up.pk}']"
    assert DONOR in staff.inner_text("section:has(#overdue-title)")
    assert staff.locator(f"section:has(#overdue-title) {record}").count() == 1
    fits(staff)
    assert_accessible(staff)
    shot(staff, "01-work-list")
    staff.click(record)
    staff.wait_for_selector("#id_channel")
    assert staff.input_value("#id_follow_up") == str(follow_up.pk)  # the follow-up it was opened for
    member = family.members.get(name=MEMBER)
    staff.select_option("#id_channel", "visit")
    staff.fill("#id_occurred_on", today.isoformat())
    staff.fill("#id_staff", "赵社工")
    staff.check(f"input[name=members_met][value='{member.pk}']")
    staff.fill("#id_findings", "家属情绪平稳，身体健康。")
    staff.fill("#id_needs", "孙子明年上学，希望了解助学政策。")
    fits(staff)
    assert_accessible(staff)
    shot(staff, "02-visit-form")
    submit(staff, "form.card button.primary")
    assert staff.url.endswith(f"{BASE}/follow-ups/"), main(staff)[:2000]
    assert REFERENCE in main(staff)
    contact = Contact.objects.get(family=family)
    assert contact.channel == "visit" and list(contact.members_met.all()) == [member]
    assert FollowUp.objects.get(pk=follow_up.pk).state != "planned"
    assert DONOR not in staff.inner_text("section:has(#overdue-title)")
    assert DONOR not in staff.inner_text("section:has(#week-title)")
    assert staff.locator(record).count() == 0
    staff.goto(f"{url}{BASE}/families/{family.pk}/")
    visits = staff.inner_text("section:has(#plan-title)")
    assert today.isoformat() in visits and "赵社工" in visits, visits
    assert staff.locator(f"section:has(#plan-title) a[href='{BASE}/contacts/{contact.pk}/']").count() == 1
    shot(staff, "03-family-visit")

    # 2. the province sets Kunming's condolence budget for the year on the budgets page
    province = as_role("prov_admin")
    province.goto(f"{url}{BASE}/budgets/")
    province.fill("#id_year", str(today.year))
    province.select_option("#id_kind", "condolence")
    province.select_option("#id_region", "530100")
    province.fill("#id_amount", "200,000")
    submit(province, "form[action^='/workspace/care/budgets/'] button.primary")
    assert "昆明" in province.inner_text("table.records tbody") and "200,000.00" in main(province), main(province)

    # the clerk applies from the family page, the amount in yuan
    clerk = as_role("wuhua_clerk")
    clerk.goto(f"{url}{BASE}/families/{family.pk}/")
    clerk.click(f"a[href='{BASE}/payments/apply/{family.pk}/']")
    clerk.wait_for_selector("#id_amount")
    clerk.select_option("#id_kind", "condolence")
    clerk.fill("#id_amount", "5,000.50")
    clerk.fill("#id_reason", "捐献者家庭经济困难，申请人道慰问金。")
    clerk.set_input_files(
        "#id_documents",
        files=[{"name": "申请表.pdf", "mimeType": "application/pdf", "buffer": APPLICATION_PDF}],
    )
    submit(clerk, "form.card button.primary")
    payment = Payment.objects.get(family=family)
    assert clerk.url.endswith(f"{BASE}/payments/{payment.pk}/"), main(clerk)[:2000]
    assert payment.amount_fen == 500050 and payment.kind == "condolence" and payment.state == "in_review"
    assert "5,000.50" in main(clerk)
    assert clerk.locator("input[name=decision]").count() == 0  # not the clerk's decision
    fits(clerk)
    assert_accessible(clerk)
    shot(clerk, "04-payment-applied")

    # the three levels approve, each on the payment's page
    payment_url = f"{url}{BASE}/payments/{payment.pk}/"
    for n, username in enumerate(("wuhua_staff", "kunming_staff", "prov_admin"), start=1):
        reviewer = as_role(username)
        reviewer.goto(payment_url)
        reviewer.check("input[name=decision][value=approved]")
        submit(reviewer, f"form[action='{BASE}/payments/{payment.pk}/'] button.primary")
        assert reviewer.locator("input[name=decision]").count() == 0, main(reviewer)[:2000]
        assert reviewer.locator(".progress li.stage-approved").count() == n, reviewer.inner_text(".progress")
    payment.refresh_from_db()
    assert payment.state == "approved"
    shot(province, "05-payment-approved")

    # an approver may not pay: the page says so, and shows no payment form
    staff.goto(payment_url)
    assert staff.locator(f"form[action='{BASE}/payments/{payment.pk}/pay/']").count() == 0
    assert "须由他人办理支付" in staff.inner_text("p.msg-warning[role=status]")  # why, in words (no rule code)
    assert "care.payer_not_approver" not in main(staff)
    # ...and if they send the payment form anyway (as from a page left open), it is refused, nothing written
    with staff.expect_navigation():
        staff.evaluate(
            """([action, voucher, version, today]) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = action;
                const fields = {
                    csrfmiddlewaretoken: document.querySelector("input[name=csrfmiddlewaretoken]").value,
                    paid_on: today, method: "bank", voucher: voucher,
                    version: version,
                };
                for (const [name, value] of Object.entries(fields)) {
                    const input = document.createElement("input");
                    input.name = name;
                    input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
            }""",
            [
                f"{BASE}/payments/{payment.pk}/pay/",
                "PZ-APPROVER",
                str(payment.version),
                timezone.localdate().isoformat(),
            ],
        )
    assert "支付人不能是任何一级的审批人" in main(staff), main(staff)[:2000]
    assert "care.payer_not_approver" not in main(staff)
    assert Payment.objects.get(pk=payment.pk).state == "approved"
    assert not LedgerEntry.objects.filter(payment=payment).exists()
    shot(staff, "06-approver-cannot-pay")

    # the public ledger has only the two earlier payments of the year: too few to publish any figure, even a
    # total (2,000 + 2,000 would point at two families)
    anonymous.goto(f"{url}/ledger/?year={today.year}")
    month = f"{today:%Y-%m}"
    assert anonymous.locator("section:has(#rows-title) tbody tr", has_text=month).count() == 0
    assert anonymous.locator("section:has(#totals-title) table").count() == 0
    assert "4,000" not in anonymous.inner_text("main")

    # the clerk records the payment made
    clerk.goto(payment_url)
    pay = f"form[action='{BASE}/payments/{payment.pk}/pay/']"
    clerk.fill("#id_paid_on", today.isoformat())
    clerk.select_option("#id_method", "bank")
    clerk.fill("#id_voucher", VOUCHER)
    fits(clerk)
    assert_accessible(clerk)
    submit(clerk, f"{pay} button.primary")
    payment.refresh_from_db()
    assert payment.state == "paid", main(clerk)[:2000]
    entry = LedgerEntry.objects.get(payment=payment)
    assert entry.amount_fen == 500050 and entry.voucher == VOUCHER and entry.prefecture_id == "530100"
    assert VOUCHER in clerk.inner_text("table.records") and "5,000.50" in clerk.inner_text("table.records")
    assert clerk.locator(pay).count() == 0
    fits(clerk)
    assert_accessible(clerk)
    shot(clerk, "07-payment-paid")

    # 3. anyone sees the month on the public ledger: three payments in Kunming, summed; nobody named
    anonymous.goto(f"{url}/ledger/?year={today.year}")
    assert "/accounts/login" not in anonymous.url
    rows = anonymous.locator("section:has(#rows-title) tbody tr", has_text=month)
    assert rows.count() == 1, anonymous.inner_text("section:has(#rows-title)")
    cells = [c.strip() for c in rows.first.locator("td").all_inner_texts()]
    assert cells[0] == month and "昆明" in cells[1] and cells[3] == "3", cells
    assert cells[4] == "9,000.50", cells  # 2,000 + 2,000 + 5,000.50
    page_text = anonymous.inner_text("body")
    secrets = [DONOR, MEMBER, REFERENCE, VOUCHER, *(e.voucher for e in earlier)]
    secrets += [e.payment.family.reference for e in earlier]
    for secret in secrets:
        assert secret not in page_text, secret
    assert DONOR not in anonymous.content() and VOUCHER not in anonymous.content()
    fits(anonymous)
    assert_accessible(anonymous)
    shot(anonymous, "08-public-ledger")

    # 4. the family consented to the wall, with the name: staff record it from the family page
    staff.goto(f"{url}{BASE}/families/{family.pk}/")
    staff.click(f"#memorial-wall a[href='/workspace/memorials/wall/new/{family.pk}/']")
    staff.wait_for_selector("#id_member")
    staff.select_option("#id_member", str(member.pk))
    staff.fill("#id_consented_on", today.isoformat())
    staff.check("#id_show_name")
    fits(staff)
    shot(staff, "09-wall-consent")
    submit(staff, "form.portal-form button.primary")
    entry = WallEntry.objects.get(family=family)
    assert entry.show_name and entry.withdrawn_at is None, main(staff)[:2000]
    assert staff.inner_text("#message-code").strip()  # shown once, to be copied for the family
    assert "/memorial/message/" in main(staff)
    fits(staff)  # the long address of the message page wraps
    shot(staff, "10-wall-code")

    anonymous.goto(f"{url}/memorial/")
    names = anonymous.locator(".wall-card h2").all_inner_texts()
    assert DONOR in [n.strip() for n in names], names
    assert OTHER_DONOR not in anonymous.inner_text("body")  # never consented
    assert not WallEntry.objects.filter(family=other).exists()
    anonymous.fill("#q", OTHER_DONOR)
    submit(anonymous, "form[role=search] button.primary")
    assert anonymous.locator(".wall-card").count() == 0 and OTHER_DONOR not in main(anonymous)
    anonymous.goto(f"{url}/memorial/")
    assert DONOR in main(anonymous)
    fits(anonymous)
    assert_accessible(anonymous)
    shot(anonymous, "11-public-wall")
