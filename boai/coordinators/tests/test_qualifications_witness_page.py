"""The procurement step's page says who it cannot offer as a witness and why (the witness rule's text),
the acting coordinator first, and says so plainly when it can offer nobody."""

import pytest
from django.test import Client
from django.urls import reverse

from boai.cases.models import CaseStep, Witness
from boai.cases.tests.helpers import open_organ, walk_organ
from boai.core.tests.personas import user

from ..models import Coordinator, Qualification

pytestmark = pytest.mark.django_db


def suspend(coordinators):
    Qualification.objects.filter(coordinator__in=coordinators).update(state=Qualification.State.SUSPENDED)
    coordinators.update(state=Coordinator.State.SUSPENDED)


def step_page(case):
    client = Client()
    client.force_login(user("coordinator"))
    url = reverse("cases:step", kwargs={"kind": "organ", "pk": case, "to": "procured"})
    return client, url, client.get(url).content.decode()


def test_a_suspended_coordinator_is_told_on_the_step_page_why_she_is_not_offered():
    case = open_organ()["id"]
    walk_organ(case, "ethics_approved")
    suspend(Coordinator.objects.filter(name="杨洁"))
    _, _, html = step_page(case)
    assert 'value="coordinator"' not in html
    assert (
        "You cannot be a witness: 杨洁：协调员资格已暂停" in html or "您不能作为见证人：杨洁：协调员资格已暂停" in html
    )


def test_when_nobody_can_be_offered_the_page_says_so_and_the_step_writes_nothing():
    case = open_organ()["id"]
    walk_organ(case, "ethics_approved")
    suspend(Coordinator.objects.all())
    client, url, html = step_page(case)
    assert 'name="witnesses"' not in html
    assert "Nobody can be offered as a witness" in html or "没有可以作为本案例见证人的协调员" in html
    before = CaseStep.objects.count(), Witness.objects.count()
    client.post(url, {"witnesses": ["coordinator"]})
    assert (CaseStep.objects.count(), Witness.objects.count()) == before
