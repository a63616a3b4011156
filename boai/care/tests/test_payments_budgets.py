"""Budgets: committed (approved, not paid), paid (the ledger, net of reversals) and remaining; the last
level's approval refused over budget or with no budget; lowering a budget below what is used refused."""

import pytest
from django.utils import translation

from boai.audit.models import AuditEntry
from boai.core.errors import Conflict, InvalidInput, NotAllowed
from boai.core.tests.personas import user

from ..models import Budget, Payment
from ..selectors.payments import budget_row, budget_table, funding_budget
from ..services import payments as services
from .factories import make_budget, make_family
from .payments_helpers import CHAIN, applied, approved, decide, pay, snapshot

pytestmark = pytest.mark.django_db


def _row(year, kind="condolence", region="530100"):
    return budget_row(Budget.objects.get(year=year, kind=kind, region_id=region))


def test_committed_paid_and_remaining_add_up():
    first = approved(yuan=3000, budget_yuan=10000)
    year = first.year
    row = _row(year)
    assert (row.committed, row.paid, row.remaining) == (300000, 0, 700000)
    pay(first)
    second = approved(yuan=2000, budget_yuan=10000)
    row = _row(year)
    assert (row.committed, row.paid, row.remaining) == (200000, 300000, 500000)
    services.payment_reverse(actor=user("wuhua_clerk"), payment=Payment.objects.get(pk=first.pk), reason="错付")
    row = _row(year)
    assert (row.committed, row.paid, row.remaining) == (200000, 0, 800000)
    pay(second)
    row = _row(year)
    assert (row.committed, row.paid, row.remaining) == (0, 200000, 800000)
    # another prefecture's payments and another kind do not count
    qilin = applied(family=make_family(region="530302"), by="qilin_staff", yuan=100)
    assert qilin.region_id == "530302"
    assert _row(year).used == 200000
    assert [r.budget.region_id for r in budget_table(user=user("qilin_staff"), year=year)] == []
    assert len(budget_table(user=user("prov_admin"), year=year)) == 1


def test_over_budget_approval_at_the_last_level_is_refused_with_the_remaining_amount():
    payment = applied(yuan=5000)
    make_budget(year=payment.year, region="530100", yuan=4000)
    decide(payment, "wuhua_staff")
    payment = decide(payment, "kunming_staff")  # not the last level: no budget check yet
    before = snapshot(payment)
    with translation.override("en"), pytest.raises(Conflict) as exc:
        decide(payment, "prov_admin")
    assert exc.value.code == "care.within_budget"
    assert "4,000.00" in str(exc.value.message)
    assert snapshot(payment) == before
    # a rejection at the last level is always possible
    assert decide(payment, "prov_admin", "rejected", "超出预算").state == Payment.State.REJECTED


def test_no_budget_refuses_the_last_approval():
    payment = applied()
    for who in CHAIN[:2]:
        payment = decide(payment, who)
    before = snapshot(payment)
    with translation.override("en"), pytest.raises(Conflict) as exc:
        decide(payment, "prov_admin")
    assert exc.value.code == "care.within_budget"
    assert "no budget" in str(exc.value.message)
    assert snapshot(payment) == before


def test_the_province_budget_funds_a_prefecture_without_its_own():
    payment = applied()
    make_budget(year=payment.year, region="530000", yuan=100000)
    assert funding_budget(payment).region_id == "530000"
    for who in CHAIN:
        payment = decide(payment, who)
    assert _row(payment.year, region="530000").committed == payment.amount_fen
    make_budget(year=payment.year, region="530100", yuan=100000)
    assert _row(payment.year, region="530000").committed == 0
    assert _row(payment.year, region="530100").committed == payment.amount_fen


def test_budgets_are_set_by_the_province_audited_and_never_below_what_is_used():
    budget = services.budget_set(
        actor=user("prov_admin"), year=2026, kind="hardship", region_code="530300", amount_fen=1_000_000
    )
    assert AuditEntry.objects.filter(action="care.budget.set", object_id=str(budget.pk)).exists()
    payment = approved(yuan=5000, budget_yuan=10000)
    before = snapshot()
    with pytest.raises(InvalidInput) as exc:
        services.budget_set(
            actor=user("prov_admin"), year=payment.year, kind="condolence", region_code="530100", amount_fen=499_999
        )
    assert "5,000.00" in str(exc.value.message)
    assert snapshot() == before
    services.budget_set(
        actor=user("prov_admin"), year=payment.year, kind="condolence", region_code="530100", amount_fen=500_000
    )
    for bad in ({"region_code": "530102"}, {"kind": "x"}, {"year": 1900}, {"amount_fen": -1}):
        data = {"year": 2026, "kind": "hardship", "region_code": "530300", "amount_fen": 100} | bad
        with pytest.raises(InvalidInput):
            services.budget_set(actor=user("prov_admin"), **data)
    with pytest.raises(NotAllowed):
        services.budget_set(actor=user("kunming_staff"), year=2026, kind="hardship", region_code="530100", amount_fen=1)
    assert Budget.objects.get(year=2026, kind="hardship", region_id="530300").amount_fen == 1_000_000
