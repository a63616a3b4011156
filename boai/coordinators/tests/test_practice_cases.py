"""Practice counted from the case records (approached, witnessed, followed; never typed), the
coordinator page's section, and the case page's panel of this week's on-call coordinators who may
witness the case."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.cases import extensions
from boai.cases.models import CaseStep, OrganCase
from boai.cases.tests.helpers import open_organ, walk_organ
from boai.core.models import Region
from boai.core.tests.personas import user
from boai.lib.masking import mask_phone

from ..models import Coordinator, OnCallShift
from ..selectors.practice import practice_by_year, practice_in_area, practice_of, section, week_start
from .factories import make_qualified, today

pytestmark = pytest.mark.django_db


def client(username):
    c = Client()
    c.force_login(user(username))
    return c


def the_coordinator() -> Coordinator:
    """The coordinator record of the demo account ``coordinator`` (杨洁), made when the demo has none."""
    account = user("coordinator")
    return Coordinator.objects.filter(user=account).first() or make_qualified(
        name="杨洁", region="530000", account=account
    )


def on_call_this_week(person, prefecture="530100"):
    monday = week_start(today())
    return OnCallShift.objects.create(
        region=Region.objects.get(code=prefecture),
        coordinator=person,
        starts_on=monday,
        ends_on=monday + timedelta(days=6),
        created_by=user("prov_admin"),
        created_at=timezone.now(),
    )


def test_the_cases_a_coordinator_approached_witnessed_and_followed_are_counted_from_the_case_records():
    yang = the_coordinator()
    before = {c.pk: counts for c, counts in practice_in_area(user=user("prov_admin"), region_prefix="53")}
    case = open_organ()
    walk_organ(case["id"], until="allocated")  # the coordinator approaches, records the consent, witnesses
    entries = [e for e in practice_of(yang) if e.case.pk == case["id"]]
    assert len(entries) == 1
    assert entries[0].roles >= {"approached", "witnessed_procurement"}
    assert "followed" not in entries[0].roles  # followed only where nothing more
    year, counts = practice_by_year([entries[0]])[0]
    assert year == today().year and counts["approached"] == 1 and counts["witnessed"] == 1
    after = dict(practice_in_area(user=user("prov_admin"), region_prefix="53"))
    gained = {k: after[yang][k] - before.get(yang.pk, {}).get(k, 0) for k in ("approached", "witnessed", "total")}
    assert gained == {"approached": 1, "witnessed": 1, "total": 1}


def test_a_coordinator_who_only_took_another_step_followed_the_case():
    yang = the_coordinator()
    case = open_organ()
    walk_organ(case["id"], until="evaluating")
    now = timezone.now()
    CaseStep.objects.create(  # a step of the case's timeline the coordinator recorded (the scene only)
        organ_case_id=case["id"],
        from_state="evaluating",
        to_state="evaluating",
        step="note",
        actor=yang.user,
        recorded_at=now,
        occurred_at=now,
    )
    found = [e for e in practice_of(yang) if e.case.pk == case["id"]]
    assert len(found) == 1 and found[0].roles == {"followed"}


def test_the_section_shows_the_counts_per_year_and_links_only_the_cases_the_reader_may_see():
    yang = the_coordinator()
    case = open_organ()
    walk_organ(case["id"], until="procured")
    shown = section(coordinator=yang, user=user("prov_admin"))
    assert shown["practice_years"][0][0] == today().year
    assert any(e.case.pk == case["id"] and can_see for e, can_see in shown["practice_cases"])
    hidden = section(coordinator=yang, user=user("qilin_staff"))  # the case is of a Wuhua resident
    assert any(e.case.pk == case["id"] and not can_see for e, can_see in hidden["practice_cases"])
    html = render_to_string("coordinators/sections/practice.html", shown)
    number = OrganCase.objects.get(pk=case["id"]).number
    assert f'/workspace/cases/organ/{case["id"]}/">{number}</a>' in html
    assert f'<span class="mono">{number}</span>' in render_to_string("coordinators/sections/practice.html", hidden)
    no_account = make_qualified(name="无账号", region="530102")
    assert section(coordinator=no_account, user=user("prov_admin"))["practice_cases"] == []


def test_the_case_page_offers_this_weeks_on_call_coordinators_who_may_witness_it():
    yang = the_coordinator()
    on_call_this_week(yang)
    without_account = make_qualified(name="无账号轮值", region="530100")
    on_call_this_week(without_account)
    case = open_organ()
    page = client("opo_staff").get(f"/workspace/cases/organ/{case['id']}/").content.decode()
    assert 'id="on-call"' in page and yang.name in page
    assert "无账号轮值" not in page  # cannot witness: no coordinator account
    assert mask_phone(yang.phone) in page and yang.phone not in page  # OPO staff: masked
    audits = AuditEntry.objects.filter(action="coordinators.contact.viewed").count()
    full = client("wuhua_staff").get(f"/workspace/cases/organ/{case['id']}/").content.decode()
    assert yang.phone in full
    assert AuditEntry.objects.filter(action="coordinators.contact.viewed").count() == audits + 1


def test_someone_the_witness_rule_refuses_is_not_offered_and_after_procurement_nobody_is():
    yang = the_coordinator()
    on_call_this_week(yang)
    case = open_organ()

    def refuse(*, coordinator, case, when):
        return "suspended (test)"

    extensions.witness_check(refuse)
    try:
        page = client("opo_staff").get(f"/workspace/cases/organ/{case['id']}/").content.decode()
    finally:
        extensions._WITNESS.remove(refuse)
    assert yang.name not in page.split('id="on-call"')[1].split("</section>")[0]
    walk_organ(case["id"], until="procured")
    assert OrganCase.objects.get(pk=case["id"]).state == "procured"
    assert 'id="on-call"' not in client("opo_staff").get(f"/workspace/cases/organ/{case['id']}/").content.decode()
