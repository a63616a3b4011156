"""The payment workflow: the review chain level by level, who may decide, the payer who never approved,
the ledger entries with their hashes in the audit chain, reversals, and every wrong step refused with
nothing written."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from boai.audit.models import AuditEntry
from boai.core.errors import Conflict, DomainError, InvalidInput, NotAllowed
from boai.core.tests.personas import user

from ..models import CareSettings, LedgerEntry, Payment, PaymentReview
from ..selectors.ledger import entry_hash
from ..selectors.payments import awaiting, to_pay
from ..services import payments as services
from .factories import make_budget, make_family
from .payments_helpers import CHAIN, applied, approved, decide, pay, snapshot

pytestmark = pytest.mark.django_db


def test_the_chain_level_by_level_then_paid():
    payment = applied()
    assert payment.level_list() == ["county", "prefecture", "province"]
    assert AuditEntry.objects.filter(action="care.payment.opened", object_id=str(payment.pk)).exists()
    make_budget(year=payment.year, region="530100")
    assert list(awaiting(user("wuhua_staff"))) == [payment]
    assert not awaiting(user("kunming_staff")).exists()

    payment = decide(payment, "wuhua_staff")
    assert (payment.state, payment.level) == (Payment.State.IN_REVIEW, 1)
    assert list(awaiting(user("kunming_staff"))) == [payment]
    payment = decide(payment, "kunming_staff")
    assert (payment.state, payment.level) == (Payment.State.IN_REVIEW, 2)
    payment = decide(payment, "prov_admin")
    assert payment.state == Payment.State.APPROVED and payment.decided_at
    assert [r.level for r in payment.reviews.all()] == ["county", "prefecture", "province"]
    assert list(to_pay(user("wuhua_clerk"))) == [payment]
    assert not to_pay(user("wuhua_staff")).exists()  # approved it: not theirs to pay

    payment = pay(payment)
    assert payment.state == Payment.State.PAID
    entry = LedgerEntry.objects.get(payment=payment)
    assert (entry.amount_fen, entry.kind, entry.prefecture_id) == (500000, "condolence", "530100")
    assert entry.row_hash == entry_hash(entry) and len(entry.row_hash) == 64
    audit = AuditEntry.objects.filter(action="care.payment.paid", object_id=str(payment.pk)).get()
    assert audit.changes["row_hash"] == entry.row_hash


def test_levels_follow_the_settings_and_skip_below_the_family_area():
    CareSettings.objects.create(payment_levels="prefecture,province")
    payment = applied()
    assert payment.level_list() == ["prefecture", "province"]
    CareSettings.objects.update(payment_levels="county,province")
    # a family registered at the prefecture itself: the county level is skipped
    payment = applied(family=make_family(region="530100"), by="kunming_staff")
    assert payment.level_list() == ["province"]


@pytest.mark.parametrize(
    "who, code",
    [
        ("kunming_staff", "care.review_level"),  # a level too early
        ("prov_admin", "care.review_level"),
        ("qilin_staff", None),  # another prefecture: outside the area
        ("wuhua_clerk", "care.not_own_application"),
    ],
)
def test_the_wrong_reviewer_is_refused_with_nothing_written(who, code):
    payment = applied(by="wuhua_clerk")
    before = snapshot(payment)
    with pytest.raises(DomainError) as exc:
        decide(payment, who)
    if code:
        assert exc.value.code == code
        assert code in str(exc.value.message)
    else:
        assert isinstance(exc.value, NotAllowed)
    assert snapshot(payment) == before


def test_the_applicant_never_decides_even_at_their_level():
    payment = applied(by="wuhua_staff")
    before = snapshot(payment)
    with pytest.raises(Conflict) as exc:
        decide(payment, "wuhua_staff")
    assert exc.value.code == "care.not_own_application"
    assert snapshot(payment) == before


def test_a_rejection_needs_a_reason_and_ends_the_payment():
    payment = applied()
    before = snapshot(payment)
    with pytest.raises(InvalidInput):
        decide(payment, "wuhua_staff", "rejected", "  ")
    assert snapshot(payment) == before
    payment = decide(payment, "wuhua_staff", "rejected", "材料不全")
    assert payment.state == Payment.State.REJECTED
    assert PaymentReview.objects.get(payment=payment).reason == "材料不全"
    with pytest.raises(Conflict):
        decide(payment, "kunming_staff")


def test_withdraw_only_before_any_decision():
    payment = applied()
    decide(payment, "wuhua_staff")
    before = snapshot(payment)
    with pytest.raises(Conflict) as exc:
        services.payment_withdraw(actor=user("wuhua_clerk"), payment=payment)
    assert exc.value.code == "care.withdraw_before_decision"
    assert snapshot(payment) == before
    other = applied()
    assert services.payment_withdraw(actor=user("wuhua_clerk"), payment=other).state == Payment.State.WITHDRAWN


@pytest.mark.parametrize("approver", CHAIN)
def test_an_approver_at_any_level_cannot_pay(approver):
    payment = approved()
    before = snapshot(payment)
    with translation.override("en"), pytest.raises(Conflict) as exc:
        pay(payment, by=approver)
    assert exc.value.code == "care.payer_not_approver"
    assert "never one who approved it" in str(exc.value.message)
    assert snapshot(payment) == before


def test_nothing_is_paid_without_approval():
    payment = applied()
    before = snapshot(payment)
    with pytest.raises(Conflict) as exc:
        pay(payment)
    assert exc.value.code == "state.order"
    assert snapshot(payment) == before


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"paid_on": "future"}, "paid_on"),
        ({"paid_on": "before"}, "paid_on"),
        ({"paid_on": None}, "paid_on"),
        ({"method": "bitcoin"}, "method"),
        ({"voucher": "  "}, "voucher"),
    ],
)
def test_pay_needs_a_date_method_and_voucher(changes, field):
    payment = approved()
    today = timezone.localdate()
    data = {"paid_on": today, "method": "bank", "voucher": "PZ-1"}
    data.update(changes)
    if data["paid_on"] == "future":
        data["paid_on"] = today + timedelta(days=1)
    if data["paid_on"] == "before":
        data["paid_on"] = today - timedelta(days=1)
    before = snapshot(payment)
    with pytest.raises(InvalidInput) as exc:
        services.payment_pay(actor=user("wuhua_clerk"), payment=payment, **data)
    assert exc.value.field == field
    assert snapshot(payment) == before


def test_a_reversal_writes_a_negative_entry_and_the_ledger_sums_to_zero():
    payment = pay(approved())
    before = snapshot(payment)
    with pytest.raises(InvalidInput):
        services.payment_reverse(actor=user("wuhua_clerk"), payment=payment, reason=" ")
    assert snapshot(payment) == before

    payment = services.payment_reverse(actor=user("kunming_staff"), payment=payment, reason="重复支付")
    assert payment.state == Payment.State.REVERSED
    entries = list(LedgerEntry.objects.filter(payment=payment).order_by("id"))
    assert [e.amount_fen for e in entries] == [500000, -500000]
    assert entries[1].reverses == entries[0]
    assert sum(e.amount_fen for e in entries) == 0
    assert entries[1].row_hash == entry_hash(entries[1]) != entries[0].row_hash
    audit = AuditEntry.objects.get(action="care.payment.reversed", object_id=str(payment.pk))
    assert audit.changes["row_hash"] == entries[1].row_hash and audit.changes["reason"] == "重复支付"

    before = snapshot(payment)
    with pytest.raises(Conflict):  # reversing twice
        services.payment_reverse(actor=user("kunming_staff"), payment=payment, reason="再次冲正")
    assert snapshot(payment) == before


def test_a_family_that_asked_not_to_be_contacted_may_still_receive_money():
    family = make_family(contact_allowed=False)
    payment = applied(family=family)
    assert payment.state == Payment.State.IN_REVIEW


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"amount_fen": 0}, "amount"),
        ({"amount_fen": -5}, "amount"),
        ({"amount_fen": 10**12}, "amount"),
        ({"kind": "bribe"}, "kind"),
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_applications_are_refused_with_nothing_written(kwargs, field):
    family = make_family()
    before = snapshot()
    data = {"kind": "condolence", "amount_fen": 100, "reason": "申请理由充分"} | kwargs
    with pytest.raises(InvalidInput) as exc:
        services.payment_apply(actor=user("wuhua_clerk"), family=family, **data)
    assert exc.value.field == field
    assert snapshot() == before


def test_applying_outside_ones_area_or_without_the_right_is_refused():
    family = make_family(region="530302")
    before = snapshot()
    for who in ("wuhua_clerk", "auditor", "coordinator"):
        with pytest.raises(NotAllowed):
            services.payment_apply(actor=user(who), family=family, kind="condolence", amount_fen=100, reason="理由理由")
    assert snapshot() == before
