"""What a stranger found in payments and budgets, each fixed: documents required, Yunnan's budgets only,
one open application per family and kind, no rule codes on staff pages, phones, the county filter, the
amount cap, the voucher's shape, the version's stale check, and the reason withheld from mere readers.
Each wrong step is refused with a message and nothing written."""

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from boai.core.errors import Conflict, InvalidInput
from boai.core.models import Region
from boai.core.tests.personas import user

from ..models import Budget, Payment
from ..services import payments as services
from .factories import make_budget, make_family
from .payments_helpers import CHAIN, applied, approved, decide, pdf, snapshot

pytestmark = pytest.mark.django_db


def client(who):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user(who))
    return c


def api(who):
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.force_authenticate(user(who))
    return c


def apply_page(family, **data):
    body = {"kind": "condolence", "amount": "5000", "reason": "家庭困难，申请人道慰问金"} | data
    return client("wuhua_clerk").post(f"/workspace/care/payments/apply/{family.pk}/", body)


# 1. documents ---------------------------------------------------------------------------------------


def test_an_application_without_a_document_is_refused_on_the_page_and_the_api():
    family = make_family()
    before = snapshot()
    response = apply_page(family)
    assert response.status_code == 200 and "Attach at least one document" in response.content.decode()
    response = api("wuhua_clerk").post(
        "/api/v1/payments/", {"family": family.pk, "kind": "condolence", "amount_fen": 100, "reason": "家庭困难"}
    )
    assert response.status_code == 400 and "documents" in response.json()["errors"]
    with pytest.raises(InvalidInput) as exc:
        applied(family=family, documents=[])
    assert exc.value.field == "documents"
    assert snapshot() == before
    # a text file is no document either
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    assert apply_page(family, documents=[text]).status_code == 200
    assert snapshot() == before
    assert apply_page(family, documents=[pdf()]).status_code == 302


# 2. budgets of the province only ------------------------------------------------------------------


def test_the_budget_form_offers_and_accepts_only_yunnan():
    Region.objects.get_or_create(code="130100", defaults={"name": "石家庄市", "level": Region.Level.PREFECTURE})
    page = client("prov_admin").get("/workspace/care/budgets/").content.decode()
    assert 'value="530100"' in page and 'value="530000"' in page
    assert 'value="130100"' not in page
    offered = page.count('<option value="5')
    assert offered == Region.objects.filter(code__startswith="53", level=Region.Level.PREFECTURE).count() + 1
    before = snapshot()
    response = client("prov_admin").post(
        "/workspace/care/budgets/", {"year": 2026, "kind": "condolence", "region": "130100", "amount": "100"}
    )
    assert response.status_code == 400 and snapshot() == before
    with pytest.raises(InvalidInput) as exc:
        services.budget_set(actor=user("prov_admin"), year=2026, kind="condolence", region_code="130100", amount_fen=1)
    assert exc.value.field == "region" and not Budget.objects.exists()


# 3. one open application per family and kind ------------------------------------------------------


def test_the_same_application_twice_is_refused_while_the_first_is_open(english):
    family = make_family()
    first = applied(family=family)
    before = snapshot()
    with pytest.raises(Conflict) as exc:
        applied(family=family)
    assert f"#{first.pk}" in str(exc.value.message)
    assert timezone.localdate(first.applied_at).isoformat() in str(exc.value.message)
    response = apply_page(family, documents=[pdf()])
    assert response.status_code == 200 and f"#{first.pk}" in response.content.decode()
    assert snapshot() == before
    # another kind is another application
    assert applied(family=family, kind="hardship").state == Payment.State.IN_REVIEW
    # approved, not yet paid: still open
    make_budget(year=first.year, kind="condolence", region="530100")
    for who in CHAIN:
        first = decide(first, who)
    assert first.state == Payment.State.APPROVED
    with pytest.raises(Conflict):
        applied(family=family)
    # once it is closed (here: a rejected one), a new application is welcome
    other = applied(family=make_family())
    decide(other, "wuhua_staff", "rejected", "材料不全")
    assert applied(family=other.family).state == Payment.State.IN_REVIEW


# 4. no rule codes on staff pages ------------------------------------------------------------------


def test_the_approver_reads_a_plain_note_never_a_rule_code():
    payment = approved()
    for who in CHAIN:
        page = client(who).get(f"/workspace/care/payments/{payment.pk}/").content.decode()
        assert "care.payer_not_approver" not in page and "Refused by rule" not in page
        assert "You approved this payment: someone else must record its payment." in page
    page = client("wuhua_clerk").get(f"/workspace/care/payments/{payment.pk}/").content.decode()
    assert "someone else must record" not in page and "Record the payment made" in page
    # while in review, no note about paying at all
    fresh = applied()
    decide(fresh, "wuhua_staff")
    page = client("wuhua_staff").get(f"/workspace/care/payments/{fresh.pk}/").content.decode()
    assert "someone else must record" not in page and "care." not in page.split("<main")[-1].split("</main>")[0]


# 6. the county filter -----------------------------------------------------------------------------


def test_the_county_filter_offers_only_the_users_own_area():
    page = client("wuhua_clerk").get("/workspace/care/payments/").content.decode()
    assert 'value="530102"' in page
    assert 'value="530103"' not in page and 'value="530100"' not in page
    page = client("kunming_staff").get("/workspace/care/payments/").content.decode()
    assert 'value="530103"' in page and 'value="530302"' not in page


# 7. the amount cap --------------------------------------------------------------------------------


def test_one_payment_is_capped_at_the_configured_maximum():
    family = make_family()
    before = snapshot()
    response = apply_page(family, amount="200,000.01", documents=[pdf()])
    assert response.status_code == 200 and "200,000.00" in response.content.decode()
    assert snapshot() == before
    with override_settings(BOAI_CARE_PAYMENT_MAX_YUAN=1000):
        with pytest.raises(InvalidInput) as exc:
            applied(family=family, yuan=1001)
        assert exc.value.field == "amount" and "1,000.00" in str(exc.value.message)
        response = api("wuhua_clerk").post(
            "/api/v1/payments/",
            {"family": family.pk, "kind": "condolence", "amount": "10,000,000,000", "reason": "家庭困难"}
            | {"documents": [pdf()]},
        )
        assert response.status_code == 400
        assert snapshot() == before
        assert applied(family=family, yuan=1000).amount_fen == 100000


# 8. the voucher and text lengths ------------------------------------------------------------------


@pytest.mark.parametrize("voucher", ["<script>alert(1)</script>", "PZ;DROP", "x" * 65, "   "])
def test_a_bad_voucher_is_refused_with_nothing_written(voucher):
    payment = approved()
    before = snapshot(payment)
    body = {"paid_on": timezone.localdate().isoformat(), "method": "bank", "voucher": voucher, "version": 4}
    response = client("wuhua_clerk").post(f"/workspace/care/payments/{payment.pk}/pay/", body)
    assert response.status_code == 400 and "field-error" in response.content.decode()
    with pytest.raises(InvalidInput) as exc:
        services.payment_pay(
            actor=user("wuhua_clerk"), payment=payment, paid_on=timezone.localdate(), method="bank", voucher=voucher
        )
    assert exc.value.field == "voucher"
    assert snapshot(payment) == before


def test_a_voucher_in_chinese_with_separators_is_accepted():
    payment = approved()
    payment = services.payment_pay(
        actor=user("wuhua_clerk"),
        payment=payment,
        paid_on=timezone.localdate(),
        method="bank",
        voucher="记-2026/05_001.A 号",
    )
    assert payment.state == Payment.State.PAID


def test_long_texts_are_refused_with_a_message():
    payment = applied()
    before = snapshot(payment)
    with pytest.raises(InvalidInput) as exc:
        decide(payment, "wuhua_staff", "rejected", "理" * 501)
    assert exc.value.field == "reason"
    family = make_family()
    with pytest.raises(InvalidInput) as exc:
        services.payment_apply(
            actor=user("wuhua_clerk"),
            family=family,
            kind="condolence",
            amount_fen=100,
            reason="困" * 2001,
            documents=[pdf()],
        )
    assert exc.value.field == "reason" and "2000" in str(exc.value.message)
    assert snapshot(payment) == before


# 9. the version ------------------------------------------------------------------------------------


def test_a_decision_on_a_page_read_before_another_decision_is_refused():
    payment = applied()
    read = Payment.objects.get(pk=payment.pk).version
    decide(payment, "wuhua_staff")  # the county decides first ...
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.version == read + 1
    before = snapshot(payment)
    # ... a page read before that decision is refused, nothing written
    response = client("kunming_staff").post(
        f"/workspace/care/payments/{payment.pk}/", {"decision": "approved", "version": read}, follow=True
    )
    assert "Someone else changed this payment" in response.content.decode()
    assert snapshot(payment) == before
    refused = api("kunming_staff").post(
        f"/api/v1/payments/{payment.pk}/decide/", {"decision": "approved", "version": read}, format="json"
    )
    assert refused.status_code == 409 and snapshot(payment) == before
    # the page sends the version it read: a fresh page decides
    page = client("kunming_staff").get(f"/workspace/care/payments/{payment.pk}/").content.decode()
    assert f'name="version" value="{payment.version}"' in page
    response = client("kunming_staff").post(
        f"/workspace/care/payments/{payment.pk}/", {"decision": "approved", "version": payment.version}
    )
    assert response.status_code == 302 and Payment.objects.get(pk=payment.pk).level == 2


# 10. the reason ------------------------------------------------------------------------------------


def test_the_reason_is_withheld_from_readers_who_do_not_handle_payments():
    payment = applied()
    reason = "家庭困难，申请人道慰问金"
    for who in ("wuhua_clerk", "kunming_staff", "prov_admin", "auditor"):
        assert reason in client(who).get(f"/workspace/care/payments/{payment.pk}/").content.decode(), who
        assert api(who).get(f"/api/v1/payments/{payment.pk}/").json()["reason"] == reason, who
    page = client("coordinator").get(f"/workspace/care/payments/{payment.pk}/").content.decode()
    assert reason not in page and "(Seen only by those who handle and review payments.)" in page
    body = api("coordinator").get(f"/api/v1/payments/{payment.pk}/").json()
    assert body["reason"] != reason
    listed = api("coordinator").get("/api/v1/payments/").json()["results"]
    assert listed and all(p["reason"] != reason for p in listed)
