"""The on-call roster marks whom the witness rule would refuse now (the rule's text; no staff account:
refused) and shows no phone to reach them; a county user reads their own prefecture's roster, read
only, without the add button and without denied-access entries in the audit log."""

import re

import pytest
from django.test import Client

from boai.audit.models import AuditEntry
from boai.cases.tests.helpers import staff_account
from boai.core.tests.personas import user

from ..models import Coordinator, Qualification
from ..selectors.practice import week_start
from ..services.practice import shift_add
from .factories import make_qualified, today

pytestmark = pytest.mark.django_db
ROSTER = "/workspace/coordinators/on-call/?prefecture=530100"


def page(username, url=ROSTER):
    c = Client()
    c.force_login(user(username))
    response = c.get(url)
    assert response.status_code == 200
    return response.content.decode()


def row(html, name):
    return next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if name in r)


def test_a_suspended_coordinator_on_the_roster_is_marked_with_the_reason_and_her_phone_is_not_shown():
    yang = Coordinator.objects.get(name="杨洁")
    Qualification.objects.filter(coordinator=yang).update(state=Qualification.State.SUSPENDED)
    Coordinator.objects.filter(pk=yang.pk).update(state=Coordinator.State.SUSPENDED)
    li = make_qualified(
        name="林静",
        region="530100",
        organisation="RC530100",
        account=staff_account("c_ok", "coordinator", "RC530100", "林静"),
    )
    shift_add(actor=user("kunming_staff"), prefecture="530100", coordinator=li, starts_on=today(), ends_on=today())
    html = page("kunming_staff")
    mark = row(html, "杨洁")
    assert "杨洁：协调员资格已暂停" in mark or "杨洁: qualification suspended" in mark
    assert yang.phone not in html and yang.phone[-4:] not in mark
    assert li.phone in row(html, "林静") and "badge-off" not in row(html, "林静")  # may witness: whole number
    seen = AuditEntry.objects.filter(action="coordinators.contact.viewed", actor_username="kunming_staff").last()
    assert yang.pk not in seen.changes["coordinators"] and li.pk in seen.changes["coordinators"]


def test_a_person_on_call_without_a_staff_account_is_marked_and_not_reachable():
    nobody = make_qualified(name="无账号", region="530100")
    assert nobody.user is None
    monday = week_start(today())
    shift_add(actor=user("kunming_staff"), prefecture="530100", coordinator=nobody, starts_on=monday, ends_on=monday)
    mark = row(page("kunming_staff"), "无账号")
    assert "no staff account" in mark or "没有工作人员账号" in mark
    assert nobody.phone not in mark and nobody.phone[-4:] not in mark


def test_a_county_user_reads_their_prefectures_roster_without_the_add_button_or_denied_entries():
    before = AuditEntry.objects.filter(action="security.access.denied").count()
    html = page("wuhua_staff", "/workspace/coordinators/on-call/")
    assert "杨洁" in html and "李娜" in html
    assert "on-call/new/" not in html and "on-call/" + "1/end/" not in html
    html = page("wuhua_staff", ROSTER)
    assert "杨洁" in html
    assert AuditEntry.objects.filter(action="security.access.denied").count() == before
    other = make_qualified(name="曲靖轮值", region="530300")
    shift_add(actor=user("prov_admin"), prefecture="530300", coordinator=other, starts_on=today(), ends_on=today())
    assert "曲靖轮值" not in page("wuhua_staff", "/workspace/coordinators/on-call/?prefecture=530300")
