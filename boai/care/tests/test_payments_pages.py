"""The payment pages as a user meets them: applying in yuan, the list and its filters, the detail with
only this user's actions, pay and reverse forms, the export with a reason, the budgets page, and the
family page's panel."""

import pytest
from django.test import Client
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.core.tests.personas import user

from ..models import Budget, LedgerEntry, Payment
from ..panels import family_panels
from .factories import make_budget, make_family
from .payments_helpers import applied, approved, pay, pdf, snapshot

pytestmark = pytest.mark.django_db


def client(who):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")  # the pages' wording is matched in English
    c.force_login(user(who))
    return c


def test_apply_in_yuan_from_a_family():
    family = make_family(contact_allowed=False)
    c = client("wuhua_clerk")
    page = c.get(f"/workspace/care/payments/apply/{family.pk}/")
    assert page.status_code == 200
    response = c.post(
        f"/workspace/care/payments/apply/{family.pk}/",
        {"kind": "hardship", "amount": "１,２３４.５元", "reason": "因病致贫，申请救助", "documents": [pdf()]},
    )
    payment = Payment.objects.get(family=family)
    assert response.status_code == 302 and response["Location"].endswith(f"/payments/{payment.pk}/")
    assert payment.amount_fen == 123450 and payment.kind == "hardship"
    detail = c.get(response["Location"]).content.decode()
    assert "¥1,234.50" in detail


@pytest.mark.parametrize("amount", ["-5", "0", "1.234", "abc", ""])
def test_a_bad_amount_shows_the_form_again_with_nothing_written(amount):
    family = make_family()
    before = snapshot()
    response = client("wuhua_clerk").post(
        f"/workspace/care/payments/apply/{family.pk}/",
        {"kind": "condolence", "amount": amount, "reason": "理由充分的申请"},
    )
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert snapshot() == before


def test_the_reviewer_sees_the_form_others_do_not():
    payment = applied()
    assert (
        "Record the decision" in client("wuhua_staff").get(f"/workspace/care/payments/{payment.pk}/").content.decode()
    )
    for who in ("kunming_staff", "wuhua_clerk", "auditor"):
        page = client(who).get(f"/workspace/care/payments/{payment.pk}/").content.decode()
        assert "Record the decision" not in page
    response = client("wuhua_staff").post(f"/workspace/care/payments/{payment.pk}/", {"decision": "approved"})
    assert response.status_code == 302
    assert Payment.objects.get(pk=payment.pk).level == 1
    # a refusal is a plain message, not a 500, and never the rule's code
    response = client("wuhua_staff").post(
        f"/workspace/care/payments/{payment.pk}/", {"decision": "approved"}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and "it awaits the decision of" in page
    assert "care.review_level" not in page and "Refused by rule" not in page


def test_pay_page_refuses_an_approver_plainly_and_lets_another_pay():
    payment = approved()
    page = client("wuhua_staff").get(f"/workspace/care/payments/{payment.pk}/").content.decode()
    assert "Record the payment made" not in page and "care.payer_not_approver" not in page
    assert "You approved this payment: someone else must record its payment." in page
    before = snapshot(payment)
    today = timezone.localdate().isoformat()
    body = {"paid_on": today, "method": "bank", "voucher": "PZ-9"}
    response = client("wuhua_staff").post(f"/workspace/care/payments/{payment.pk}/pay/", body, follow=True)
    page = response.content.decode()
    assert "someone else must pay it" in page and "care.payer_not_approver" not in page
    assert snapshot(payment) == before
    page = client("wuhua_clerk").get(f"/workspace/care/payments/{payment.pk}/").content.decode()
    assert "Record the payment" in page and "data-confirm" in page
    bad = client("wuhua_clerk").post(f"/workspace/care/payments/{payment.pk}/pay/", body | {"voucher": ""})
    assert bad.status_code == 400 and snapshot(payment) == before
    response = client("wuhua_clerk").post(f"/workspace/care/payments/{payment.pk}/pay/", body)
    assert response.status_code == 302
    assert LedgerEntry.objects.filter(payment=payment).count() == 1
    page = client("kunming_staff").get(f"/workspace/care/payments/{payment.pk}/").content.decode()
    assert "Reverse the payment" in page
    response = client("kunming_staff").post(f"/workspace/care/payments/{payment.pk}/reverse/", {"reason": "重复"})
    assert response.status_code == 302
    assert sum(LedgerEntry.objects.filter(payment=payment).values_list("amount_fen", flat=True)) == 0


def test_list_filters_counts_and_scope():
    wuhua = applied()
    qilin = applied(family=make_family(region="530302"), by="qilin_staff")
    page = client("kunming_staff").get("/workspace/care/payments/").content.decode()
    assert f"/payments/{wuhua.pk}/" in page and f"/payments/{qilin.pk}/" not in page
    mine = client("wuhua_staff").get("/workspace/care/payments/?mine=on").content.decode()
    assert f"/payments/{wuhua.pk}/" in mine and "Awaits my decision" in mine
    assert (
        f"/payments/{wuhua.pk}/"
        not in client("kunming_staff").get("/workspace/care/payments/?mine=on").content.decode()
    )
    assert (
        f"/payments/{wuhua.pk}/"
        not in client("prov_admin").get("/workspace/care/payments/?state=paid").content.decode()
    )
    assert client("prov_admin").get("/workspace/care/payments/?year=abc&county=zzz").status_code == 200
    assert client("qilin_staff").get(f"/workspace/care/payments/{wuhua.pk}/").status_code == 404


def test_export_needs_a_reason_and_is_audited():
    applied()
    c = client("auditor")
    before = AuditEntry.objects.filter(action="care.payment.exported").count()
    assert c.post("/workspace/care/payments/export/", {"reason": "", "format": "csv"}).status_code == 200
    assert AuditEntry.objects.filter(action="care.payment.exported").count() == before
    response = c.post("/workspace/care/payments/export/?kind=condolence", {"reason": "年度审计", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "5,000.00" in body and "测试家属" not in body
    entry = AuditEntry.objects.filter(action="care.payment.exported").latest("id")
    assert entry.changes["reason"] == "年度审计" and entry.changes["filters"] == {"kind": "condolence"}


def test_budgets_page_shows_the_sums_and_only_the_province_sets_them():
    payment = approved(yuan=3000, budget_yuan=10000)
    page = client("kunming_staff").get(f"/workspace/care/budgets/?year={payment.year}").content.decode()
    assert "¥10,000.00" in page and "¥3,000.00" in page and "¥7,000.00" in page and "<svg" in page
    assert "Save the budget" not in page
    assert client("kunming_staff").post("/workspace/care/budgets/", {}).status_code == 403
    response = client("prov_admin").post(
        "/workspace/care/budgets/", {"year": 2027, "kind": "relief_fund", "region": "530300", "amount": "20,000"}
    )
    assert response.status_code == 302
    assert Budget.objects.get(year=2027, kind="relief_fund", region_id="530300").amount_fen == 2_000_000
    response = client("prov_admin").post(
        "/workspace/care/budgets/", {"year": payment.year, "kind": "condolence", "region": "530100", "amount": "100"}
    )
    assert response.status_code == 400 and "3,000.00" in response.content.decode()
    assert client("prov_admin").get("/workspace/care/budgets/?year=zz").status_code == 200


def test_family_panel_lists_the_family_payments():
    payment = applied()
    panels = family_panels(family=payment.family, user=user("wuhua_staff"))
    template, context = next(p for p in panels if p[0] == "care/payments_panel.html")
    assert [p.pk for p in context["payments"]] == [payment.pk] and context["can_apply"]
    assert not next(p for p in family_panels(family=payment.family, user=user("auditor")) if p[0] == template)[1][
        "can_apply"
    ]


def test_menu_badge_and_home_panels():
    from ..home import PANELS
    from ..selectors.payments import awaiting_count

    payment = applied()
    make_budget(year=payment.year)
    assert awaiting_count(user("wuhua_staff")) == 1 and awaiting_count(user("wuhua_clerk")) == 0
    panel = next(p for p in PANELS if p.order == 45)  # other areas add their panels to the list
    items = list(panel.items(user("wuhua_staff")))
    assert items and items[0].count == 1


def test_counts_per_state_of_the_list():
    from ..selectors.payments import counts, payment_list

    applied(yuan=100)
    applied(yuan=200)
    pay(approved(yuan=300))
    rows = {c["state"]: (c["n"], c["fen"]) for c in counts(payment_list(user=user("wuhua_staff")))}
    assert rows["in_review"] == (2, 30000) and rows["paid"] == (1, 30000) and rows["rejected"] == (0, 0)
    page = client("wuhua_staff").get("/workspace/care/payments/").content.decode()
    assert "¥300.00" in page
