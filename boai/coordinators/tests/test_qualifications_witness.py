"""THE RULE: only a qualified coordinator, with an active qualification valid on the day, whose area
covers the case, witnesses a procurement or an allocation. Every other witness is refused with the
rule's text naming what is missing, and nothing is written; the case page offers only those who pass."""

from datetime import timedelta

import pytest

from boai.audit.models import AuditEntry
from boai.cases.models import CaseStep, OrganCase, OrganOutcome, Witness
from boai.cases.tests.helpers import ORGAN_STEPS, open_organ, staff_account, take, walk_organ
from boai.core.models import Attachment
from boai.core.tests.personas import user

from ..models import Coordinator, Qualification
from .factories import make_coordinator, make_qualified, today

pytestmark = pytest.mark.django_db
RULE = "witness.qualified_coordinator"


def snapshot(case_id):
    case = OrganCase.objects.get(pk=case_id)
    return (
        CaseStep.objects.count(),
        Witness.objects.count(),
        AuditEntry.objects.count(),
        Attachment.objects.count(),
        OrganOutcome.objects.count(),
        case.version,
        case.state,
    )


def account(username, name, org="RC530000"):
    return staff_account(username, "coordinator", org, name)


def unqualified():
    make_coordinator(name="周芳", region="530000", state=Coordinator.State.TRAINEE, account=account("c_train", "周芳"))
    return "c_train", ("周芳: not qualified (In training)", "周芳：尚未取得协调员资格")


def suspended():
    make_qualified(
        name="吴刚",
        region="530000",
        account=account("c_susp", "吴刚"),
        qualification_state=Qualification.State.SUSPENDED,
    )
    Coordinator.objects.filter(name="吴刚").update(state=Coordinator.State.SUSPENDED)
    return "c_susp", ("吴刚: qualification suspended", "吴刚：协调员资格已暂停")


def expired():
    until = today() - timedelta(days=2)
    make_qualified(name="郑丽", region="530000", account=account("c_exp", "郑丽"), valid_until=until)
    return "c_exp", (
        f"郑丽: qualification expired on {until.isoformat()}",
        f"郑丽：协调员资格已于{until.isoformat()}过期",
    )


def not_yet():
    later = today() + timedelta(days=1)
    make_qualified(name="钱进", region="530000", account=account("c_late", "钱进"), issued_on=later)
    return "c_late", (f"钱进: qualified only on {later.isoformat()}", f"钱进：{later.isoformat()}才取得资格")


def out_of_area():
    # the account's organisation is the province's (it sees the case); the coordinator's area is Qilin
    make_qualified(name="冯雪", region="530302", organisation="RC530000", account=account("c_far", "冯雪"))
    return "c_far", ("冯雪: area does not cover the case", "冯雪：工作区域不包括本案例所在地")


def no_record():
    account("c_none", "蒋涛")
    return "c_none", ("蒋涛: has no coordinator record", "蒋涛：没有协调员档案")


CASES = [unqualified, suspended, expired, not_yet, out_of_area, no_record]


def refused(case_id, to, actor, fields, text):
    before = snapshot(case_id)
    response = take("organ", case_id, to, actor, fields)
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == RULE, body
    assert any(t in body["detail"] for t in text), body  # the rule's text, in English or in Chinese
    assert snapshot(case_id) == before
    return body


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.mark.parametrize("who", CASES, ids=lambda f: f.__name__)
def test_a_procurement_witnessed_by_one_who_does_not_pass_is_refused_and_nothing_written(who, english):
    username, text = who()
    case = open_organ()["id"]
    walk_organ(case, "ethics_approved")
    fields = {**ORGAN_STEPS["procured"], "witnesses": ["coordinator", username]}
    refused(case, "procured", "coordinator", fields, text)


@pytest.mark.parametrize("who", CASES, ids=lambda f: f.__name__)
def test_an_allocation_witnessed_by_one_who_does_not_pass_is_refused_and_nothing_written(who, english):
    username, text = who()
    case = open_organ()["id"]
    walk_organ(case, "procured")
    fields = {**ORGAN_STEPS["allocated"], "witnesses": ["coordinator", username]}
    refused(case, "allocated", "opo_staff", fields, text)


def test_the_refusal_is_in_the_users_language():
    suspended()
    case = open_organ()["id"]
    walk_organ(case, "ethics_approved")
    fields = {**ORGAN_STEPS["procured"], "witnesses": ["coordinator", "c_susp"]}
    before = snapshot(case)
    body = take("organ", case, "procured", "coordinator", fields).json()
    assert "吴刚" in body["detail"], body
    assert snapshot(case) == before


def test_qualified_coordinators_pass_for_procurement_and_allocation():
    make_qualified(name="林静", region="530100", organisation="RC530100", account=account("c_ok", "林静", "RC530100"))
    case = open_organ()["id"]
    walk_organ(case, "ethics_approved")
    fields = {**ORGAN_STEPS["procured"], "witnesses": ["coordinator", "c_ok"]}
    assert take("organ", case, "procured", "coordinator", fields).status_code == 200
    fields = {**ORGAN_STEPS["allocated"], "witnesses": ["coordinator", "c_ok"]}
    assert take("organ", case, "allocated", "opo_staff", fields).status_code == 200
    assert Witness.objects.filter(case_id=case, coordinator__username="c_ok").count() == 2


def test_the_demo_coordinator_is_qualified():
    yang = Coordinator.objects.get(name="杨洁")
    assert yang.user == user("coordinator") and yang.state == Coordinator.State.QUALIFIED
    assert yang.qualifications.get().state == Qualification.State.ACTIVE


def test_the_case_page_offers_only_those_who_pass():
    for who in CASES:
        who()
    make_qualified(name="林静", region="530100", organisation="RC530100", account=account("c_ok", "林静", "RC530100"))
    case = open_organ()["id"]
    walk_organ(case, "ethics_approved")
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user("coordinator"))
    page = client.get(reverse("cases:step", kwargs={"kind": "organ", "pk": case, "to": "procured"}))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="coordinator"' in html and 'value="c_ok"' in html
    for username in ("c_train", "c_susp", "c_exp", "c_late", "c_far", "c_none"):
        assert f'value="{username}"' not in html, username


def test_the_day_of_the_witnessing_is_beijings():
    from datetime import UTC, date, datetime

    from boai.cases.models import OrganCase

    from ..hooks import witness_refusal

    make_qualified(name="韩梅", region="530000", account=account("c_day", "韩梅"), issued_on=date(2026, 3, 2))
    case = OrganCase.objects.get(pk=open_organ()["id"])
    # 2026-03-01 17:30 UTC is 2026-03-02 01:30 in Beijing: the day of the qualification, so it passes
    assert witness_refusal(coordinator=user("c_day"), case=case, when=datetime(2026, 3, 1, 17, 30, tzinfo=UTC)) is None
    refusal = witness_refusal(coordinator=user("c_day"), case=case, when=datetime(2026, 3, 1, 15, 30, tzinfo=UTC))
    assert refusal and "韩梅" in refusal
