"""``/api/v1/payments/``: amounts in fen, scoped, and the same workflow as the pages."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from boai.core.tests.personas import user

from ..models import LedgerEntry, Payment
from .factories import make_budget, make_family
from .payments_helpers import applied, pdf, snapshot

pytestmark = pytest.mark.django_db


def api(who):
    c = APIClient()
    c.force_authenticate(user(who))
    return c


def test_apply_decide_pay_and_reverse_through_the_api():
    family = make_family()
    response = api("wuhua_clerk").post(
        "/api/v1/payments/",
        {"family": family.pk, "kind": "condolence", "amount_fen": 300000, "reason": "人道慰问", "documents": [pdf()]},
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["amount_fen"] == 300000 and response.json()["current_level"] == "county"
    make_budget(year=response.json()["year"])
    for who in ("wuhua_staff", "kunming_staff", "prov_admin"):
        response = api(who).post(f"/api/v1/payments/{pk}/decide/", {"decision": "approved"}, format="json")
        assert response.status_code == 200, response.content
    assert response.json()["state"] == "approved"
    body = {"paid_on": timezone.localdate().isoformat(), "method": "bank", "voucher": "PZ-7"}
    refused = api("kunming_staff").post(f"/api/v1/payments/{pk}/pay/", body, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "care.payer_not_approver"
    assert not LedgerEntry.objects.filter(payment_id=pk).exists()
    response = api("wuhua_clerk").post(f"/api/v1/payments/{pk}/pay/", body, format="json")
    assert response.status_code == 200 and response.json()["ledger"][0]["amount_fen"] == 300000
    response = api("wuhua_clerk").post(f"/api/v1/payments/{pk}/reverse/", {"reason": "错付"}, format="json")
    assert response.status_code == 200 and [e["amount_fen"] for e in response.json()["ledger"]] == [300000, -300000]
    again = api("wuhua_clerk").post(f"/api/v1/payments/{pk}/reverse/", {"reason": "错付"}, format="json")
    assert again.status_code == 409


def test_amount_in_yuan_text_and_bad_input_refused_with_nothing_written():
    family = make_family()
    ok = api("wuhua_clerk").post(
        "/api/v1/payments/",
        {"family": family.pk, "kind": "hardship", "amount": "1,000.50", "reason": "特殊困难", "documents": [pdf()]},
    )
    assert ok.status_code == 201 and ok.json()["amount_fen"] == 100050
    before = snapshot()
    for bad in (
        {"amount": "-1"},
        {"amount": "1.001"},
        {"amount_fen": 0},
        {"amount_fen": "abc"},
        {"kind": "x", "amount_fen": 1},
        {},
    ):
        data = {"family": family.pk, "kind": "hardship", "reason": "特殊困难"} | bad
        response = api("wuhua_clerk").post("/api/v1/payments/", data, format="json")
        assert response.status_code == 400, (bad, response.content)
    assert snapshot() == before


def test_list_is_scoped_and_filtered():
    wuhua = applied()
    qilin = applied(family=make_family(region="530302"), by="qilin_staff")
    ids = [p["id"] for p in api("kunming_staff").get("/api/v1/payments/").json()["results"]]
    assert wuhua.pk in ids and qilin.pk not in ids
    ids = [p["id"] for p in api("wuhua_staff").get("/api/v1/payments/?mine=1").json()["results"]]
    assert ids == [wuhua.pk]
    assert api("prov_admin").get("/api/v1/payments/?state=nope").status_code == 400
    assert api("prov_admin").get("/api/v1/payments/?year=20x6").status_code == 400
    assert api("qilin_staff").get(f"/api/v1/payments/{wuhua.pk}/").status_code == 404
    assert api("opo_staff").get("/api/v1/payments/").status_code == 403
    assert Payment.objects.count() == 2
