"""The payments' demo: nothing without families; with them, budgets for 2025 and 2026 in Kunming and
Qujing, payments in every state, enough paid ones across months and prefectures, a reversal that sums
to zero and the payment made again, and the demo's payer never one of its approvers."""

import pytest
from django.db.models import Sum

from ..demo import payments as demo
from ..models import Budget, LedgerEntry, Payment
from .factories import make_family

pytestmark = pytest.mark.django_db


def test_nothing_without_families():
    assert demo.load() is False
    assert not Payment.objects.exists() and not Budget.objects.exists()


def test_the_demo_payments():
    for _i in range(4):
        make_family(region="530102")
    for _i in range(2):
        make_family(region="530302")
    assert demo.load() is True
    assert demo.load() is False  # once
    assert Budget.objects.filter(year__in=(2025, 2026), region_id__in=("530100", "530300")).count() == 12
    states = set(Payment.objects.values_list("state", flat=True))
    assert states == set(Payment.State.values)
    levels = {p.level for p in Payment.objects.filter(state=Payment.State.IN_REVIEW)}
    assert levels == {0, 1, 2}
    paid = LedgerEntry.objects.filter(reverses__isnull=True, reversed_by__isnull=True)
    assert paid.count() >= 8
    assert len({(e.paid_on.year, e.paid_on.month) for e in paid}) >= 5
    assert {e.prefecture_id for e in paid} == {"530100", "530300"}
    reversed_ = Payment.objects.get(state=Payment.State.REVERSED)
    assert reversed_.ledger.aggregate(s=Sum("amount_fen"))["s"] == 0
    for payment in Payment.objects.filter(state__in=(Payment.State.PAID, Payment.State.REVERSED)):
        approvers = set(payment.reviews.values_list("reviewer_id", flat=True))
        assert payment.ledger.first().recorded_by_id not in approvers
