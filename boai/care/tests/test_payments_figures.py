"""The payments' figures: per kind, payments paid in the year and not reversed, and the net amount."""

import pytest

from boai.core.figures import figures
from boai.core.tests.personas import user

from ..models import LedgerEntry
from ..services import payments as services
from .payments_helpers import approved, pay

pytestmark = pytest.mark.django_db


def test_counts_and_amounts_per_kind_year_and_area():
    kept = pay(approved(yuan=3000))
    undone = pay(approved(yuan=2000))
    services.payment_reverse(actor=user("wuhua_clerk"), payment=undone, reason="错付")
    hardship = pay(approved(yuan=1000, kind="hardship"))
    year = LedgerEntry.objects.get(payment=kept).paid_on.year
    found = figures()
    count, amount = found["care.payments_condolence_count"], found["care.payments_condolence_amount"]
    assert count.count(year, "53") == 1 and amount.count(year, "53") == 300000
    assert count.count(year, "530102") == 1 and count.count(year, "5303") == 0
    assert found["care.payments_hardship_count"].count(year, "5301") == 1
    assert found["care.payments_hardship_amount"].count(year, "5301") == hardship.amount_fen
    assert found["care.payments_relief_fund_amount"].count(year, "53") == 0
    assert count.count(year - 1, "53") == 0
    assert {
        f"care.payments_{k}_{m}" for k in ("condolence", "hardship", "relief_fund") for m in ("count", "amount")
    } <= set(found)
