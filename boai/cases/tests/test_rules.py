"""Each legal checkpoint, broken on purpose: the step is refused with 409 naming the rule, and
nothing is written (no step, no document, no audit entry, the version unchanged)."""

import json
from datetime import date

import pytest

from boai.audit.models import AuditEntry
from boai.cases.models import CaseStep, OrganCase, OrganOutcome, Signer
from boai.core.models import Attachment
from boai.registry.tests.helpers import resident_id

from .helpers import (
    ETHICS,
    FAMILY,
    ORGAN_STEPS,
    ago,
    client_for,
    now_text,
    open_organ,
    pdf,
    referral,
    signer,
    staff_account,
    take,
    walk_organ,
)

pytestmark = pytest.mark.django_db


def snapshot(case_id):
    return (
        CaseStep.objects.count(),
        AuditEntry.objects.count(),
        Attachment.objects.count(),
        OrganOutcome.objects.count(),
        Signer.objects.count(),
        OrganCase.objects.get(pk=case_id).version,
        OrganCase.objects.get(pk=case_id).state,
    )


def refused(case_id, to, username, fields, rule):
    before = snapshot(case_id)
    response = take("organ", case_id, to, username, fields)
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == rule and rule in body["detail"], body
    assert snapshot(case_id) == before
    return body


def organ_at(state):
    case = open_organ()
    walk_organ(case["id"], state)
    return case["id"]


def test_family_consent_without_a_parents_signature_is_refused_naming_the_parent():
    case = organ_at("family_approached")
    family = [*FAMILY[:3], signer("parent", "54", name="普", outcome="not_signed")]  # one of two parents signed
    fields = {**ORGAN_STEPS["consented"], "signers": json.dumps(family)}
    body = refused(case, "consented", "coordinator", fields, "consent.family_all")
    assert "尚未签字：普54（父母）" in body["detail"]


def test_family_consent_the_coordinator_did_not_confirm_complete_is_refused():
    case = organ_at("family_approached")
    fields = {**ORGAN_STEPS["consented"], "family_complete": ""}
    body = refused(case, "consented", "coordinator", fields, "consent.family_all")
    assert "确认以上是全部在世的配偶、成年子女、父母" in body["detail"]


def test_a_family_with_no_spouse_and_no_children_needs_only_the_parents():
    case = organ_at("family_approached")
    fields = {**ORGAN_STEPS["consented"], "signers": json.dumps(FAMILY[2:])}
    assert take("organ", case, "consented", "coordinator", fields).status_code == 200


def test_consent_on_written_intent_needs_an_active_registration():
    case = organ_at("family_approached")  # the patient is not in the registry
    fields = {**ORGAN_STEPS["consented"], "basis": "written_intent", "signers": json.dumps([signer("spouse", "71")])}
    refused(case, "consented", "coordinator", fields, "consent.written_intent")


def test_ethics_approval_counts_all_the_members_not_those_present():
    """6 of the 9 present but 10 members: 6 < ⌈2/3 × 10⌉ = 7. The old check (6 ≥ 2/3 of 9) let it pass."""
    case = organ_at("consented")
    fields = {**ETHICS, "members_total": 10, "members_present": 9, "votes_for": 6, "votes_against": 3}
    body = refused(case, "ethics_approved", "opo_staff", fields, "ethics.two_thirds_of_members")
    assert "全体 10 名委员中 6 人赞成，需 7 人" in body["detail"]


def test_ethics_approval_at_exactly_two_thirds_of_the_members_passes():
    case = organ_at("consented")
    fields = {**ETHICS, "members_total": 9, "members_present": 7, "votes_for": 6, "votes_against": 1}
    assert take("organ", case, "ethics_approved", "opo_staff", fields).status_code == 200


def test_ethics_approval_needs_every_one_of_the_five_matters_affirmed():
    case = organ_at("consented")
    body = refused(case, "ethics_approved", "opo_staff", {**ETHICS, "matter_no_sale": "no"}, "ethics.five_matters")
    assert "跨服务区" in body["detail"]


def test_a_video_meeting_keeps_its_record():
    case = organ_at("consented")
    refused(case, "ethics_approved", "opo_staff", {**ETHICS, "meeting_form": "video"}, "ethics.video_record")
    response = take(
        "organ",
        case,
        "ethics_approved",
        "opo_staff",
        {**ETHICS, "meeting_form": "video", "video_record": pdf("video.pdf")},
    )
    assert response.status_code == 200
    kinds = set(Attachment.objects.filter(owner_type="cases.casestep").values_list("kind", flat=True))
    assert {"scan", "video_record"} <= kinds


def test_the_committees_decision_document_is_required():
    case = organ_at("consented")
    response = take("organ", case, "ethics_approved", "opo_staff", ETHICS, files=False)
    assert response.status_code == 400 and "scan" in response.json()["errors"]


def _case_recorded_on(day: str, id_number: str) -> int:
    """An organ case entered in Boai on ``day`` (as if the unit had recorded it then)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from boai.cases.forms import ReferralForm
    from boai.cases.services import organ_case_refer
    from boai.core.tests.personas import user

    form = ReferralForm(data={**referral(id_number=id_number), "referred_at": f"{day}T07:00"})
    assert form.is_valid(), form.errors
    recorded = datetime.fromisoformat(f"{day}T07:30").replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return organ_case_refer(actor=user("opo_staff"), data=form.cleaned_data, now=recorded).pk


OLD_PATH = {
    "evaluating": {**ORGAN_STEPS["evaluating"], "category": "c2", "occurred_at": "2024-04-20T08:00"},
    "withdrawal_decided": {
        "decided_by": "普丽",
        "decided_by_relationship": "spouse",
        "occurred_at": "2024-04-20T09:00",
    },
    "family_approached": {"note": "", "occurred_at": "2024-04-20T10:00"},
    "consented": {**ORGAN_STEPS["consented"], "occurred_at": "2024-04-20T11:00"},
}
LAX = {**ETHICS, "members_total": 12, "members_present": 9, "votes_for": 6, "votes_against": 3}


def _walk_old(case):
    for to in OLD_PATH:
        actor = "opo_staff" if to in ("evaluating", "withdrawal_decided") else "coordinator"
        assert take("organ", case, to, actor, OLD_PATH[to]).status_code == 200, to


def test_an_ethics_step_before_1_may_2024_is_judged_by_the_2007_rule():
    """A case in Boai before the law changed keeps the rules of its steps' days: 6 of 9 present out of
    12 members passed on 20 April 2024, not on 2 May."""
    for when, status, seq in (("2024-05-02T09:00", 409, "35"), ("2024-04-20T12:00", 200, "37")):
        case = _case_recorded_on("2024-04-20", resident_id("530102", date(1968, 3, 4), seq, "M"))
        _walk_old(case)
        response = take("organ", case, "ethics_approved", "opo_staff", {**LAX, "occurred_at": when})
        assert response.status_code == status, response.json()


def test_a_case_entered_today_cannot_choose_the_old_rules_by_its_dates():
    """The same steps typed today with April 2024 dates: judged by today's rule (6 of 12 is short)."""
    case = open_organ(referred_at="2024-04-20T07:00", id_number=resident_id("530102", date(1968, 3, 4), "39", "M"))
    _walk_old(case["id"])
    response = take("organ", case["id"], "ethics_approved", "opo_staff", {**LAX, "occurred_at": "2024-04-20T12:00"})
    assert response.status_code == 409 and response.json()["code"] == "ethics.two_thirds_of_members"


def test_a_determining_physician_on_the_transplant_team_is_refused():
    case = organ_at("evaluating")
    refused(case, "first_determination", "opo_staff", {"physicians": "赵军、王 敏"}, "death.independent_physicians")


def test_a_determining_physician_on_the_procurement_team_is_refused():
    case = organ_at("evaluating")
    refused(case, "first_determination", "opo_staff", {"physicians": "张刚、赵军"}, "death.independent_physicians")


def test_a_physician_recorded_as_transplant_staff_of_the_unit_cannot_determine_death():
    from boai.cases.models import TransplantStaff
    from boai.core.models import Organisation

    TransplantStaff.objects.create(unit=Organisation.objects.get(code="OPO-KMU1"), name="钱红", team="transplant")
    case = organ_at("evaluating")
    body = refused(
        case, "first_determination", "opo_staff", {"physicians": "赵军、钱红"}, "death.independent_physicians"
    )
    assert "钱红" in body["detail"]


def test_the_second_brain_death_determination_waits_twelve_hours():
    case = organ_at("first_determination")  # the first at 18 hours ago
    body = refused(
        case,
        "death_determined",
        "opo_staff",
        {"physicians": "赵军、孙丽", "occurred_at": ago(7)},
        "death.brain_interval",
    )
    assert "12" in body["detail"]
    assert (
        take(
            "organ", case, "death_determined", "opo_staff", {"physicians": "赵军、孙丽", "occurred_at": ago(6)}
        ).status_code
        == 200
    )


def test_a_child_under_one_year_waits_twenty_four_hours():
    from datetime import timedelta

    from django.utils import timezone

    from boai.registry.tests.helpers import resident_id

    infant = resident_id("530102", timezone.localdate() - timedelta(days=150), "33", "M")
    case = open_organ(id_number=infant, referred_at=ago(40))["id"]
    assert (
        take(
            "organ", case, "evaluating", "opo_staff", {**ORGAN_STEPS["evaluating"], "occurred_at": ago(39)}
        ).status_code
        == 200
    )
    assert (
        take(
            "organ", case, "first_determination", "opo_staff", {"physicians": "赵军、孙丽", "occurred_at": ago(38)}
        ).status_code
        == 200
    )
    body = refused(
        case,
        "death_determined",
        "opo_staff",
        {"physicians": "赵军、孙丽", "occurred_at": ago(20)},
        "death.brain_interval",
    )
    assert "24" in body["detail"]


def test_circulatory_death_needs_the_no_touch_observation():
    case = open_organ()["id"]
    walk_organ(case, "ethics_approved", category="c2")
    fields = {
        "physicians": "赵军、孙丽",
        "treatment_withdrawn_at": ago(hours=1, minutes=10),
        "circulatory_arrest_at": ago(hours=1),
        "observation_minutes": 1,
        "occurred_at": ago(minutes=55),
    }
    refused(case, "death_determined", "opo_staff", fields, "death.no_touch_period")
    late = take(
        "organ",
        case,
        "death_determined",
        "opo_staff",
        {**fields, "observation_minutes": 5, "occurred_at": ago(minutes=58)},
    )
    assert late.status_code == 400 and "occurred_at" in late.json()["errors"]  # declared before the observation ended


def test_an_organ_that_was_not_consented_cannot_be_recovered():
    case = organ_at("ethics_approved")
    outcomes = [
        {"organ": "kidney", "recovered": True},
        {"organ": "liver", "recovered": True},
        {"organ": "heart", "recovered": True},
    ]
    body = refused(
        case,
        "procured",
        "coordinator",
        {"outcomes": json.dumps(outcomes), "witnesses": ["coordinator"]},
        "procurement.consented_only",
    )
    assert "心脏" in body["detail"]


def test_every_consented_organ_must_be_accounted_for():
    case = organ_at("ethics_approved")
    refused(
        case,
        "procured",
        "coordinator",
        {"outcomes": json.dumps([{"organ": "kidney", "recovered": True}]), "witnesses": ["coordinator"]},
        "procurement.every_consented_organ",
    )


def test_a_witness_who_is_not_a_coordinator_is_refused():
    case = organ_at("ethics_approved")
    fields = {**ORGAN_STEPS["procured"], "witnesses": ["coordinator", "opo_staff"]}
    refused(case, "procured", "coordinator", fields, "witness.qualified_coordinator")


def test_a_disabled_coordinator_cannot_witness():
    other = staff_account("coord_off", "coordinator", "RC530000", "协调员 停用")
    other.is_active = False
    other.save()
    case = organ_at("ethics_approved")
    fields = {**ORGAN_STEPS["procured"], "witnesses": ["coordinator", "coord_off"]}
    refused(case, "procured", "coordinator", fields, "witness.qualified_coordinator")


def test_a_coordinator_of_another_area_cannot_witness():
    staff_account("coord_qilin", "coordinator", "RC530302", "协调员 麒麟")
    case = organ_at("ethics_approved")  # a case of Wuhua (Kunming); Qilin is in Qujing
    fields = {**ORGAN_STEPS["procured"], "witnesses": ["coordinator", "coord_qilin"]}
    refused(case, "procured", "coordinator", fields, "witness.qualified_coordinator")


def test_the_coordinator_who_records_the_procurement_must_have_witnessed_it():
    from boai.coordinators.tests.factories import make_qualified

    # another coordinator who may witness (qualified, of the province): only the recorder is missing
    make_qualified(
        name="协调员二", region="530000", account=staff_account("coord_two", "coordinator", "RC530000", "协调员 二")
    )
    case = organ_at("ethics_approved")
    fields = {**ORGAN_STEPS["procured"], "witnesses": ["coord_two"]}
    refused(case, "procured", "coordinator", fields, "procurement.recorded_by_witness")
    assert take("organ", case, "procured", "opo_staff", ORGAN_STEPS["procured"]).status_code == 403


def test_a_rejection_cannot_contradict_the_votes():
    case = organ_at("consented")
    fields = {**ETHICS, "votes_for": 9, "votes_against": 0, "reason": "x"}
    refused(case, "ethics_rejected", "opo_staff", fields, "ethics.rejection_matches_votes")


def test_an_invisible_character_does_not_hide_a_team_member():
    case = organ_at("evaluating")
    fields = {"physicians": "张\u200b刚、赵军"}
    refused(case, "first_determination", "opo_staff", fields, "death.independent_physicians")


def test_a_step_out_of_order_is_refused():
    case = organ_at("evaluating")
    refused(case, "death_determined", "opo_staff", {"physicians": "赵军、孙丽"}, "state.order")


def test_a_brain_death_case_approaches_the_family_only_after_death_is_determined():
    case = organ_at("evaluating")
    refused(case, "family_approached", "coordinator", {"note": ""}, "state.order")


def test_a_step_back_to_the_start_is_refused():
    case = organ_at("evaluating")
    refused(case, "referred", "opo_staff", {}, "state.order")


def test_a_stale_edit_is_refused_and_overwrites_nothing():

    case = open_organ()["id"]
    first, second = client_for("opo_staff"), client_for("opo_staff")
    version = first.get(f"/api/v1/organ-cases/{case}/").json()["version"]
    body = {
        "to": "evaluating",
        "version": version,
        "occurred_at": now_text(),
        "category": "c1",
        "procurement_team": "张刚",
        "transplant_team": "王敏",
    }
    assert first.post(f"/api/v1/organ-cases/{case}/transitions/", body, format="json").status_code == 200
    before = snapshot(case)
    late = {**body, "to": "not_suitable", "reason": "肝功能衰竭"}
    response = second.post(f"/api/v1/organ-cases/{case}/transitions/", late, format="json")
    assert response.status_code == 409 and response.json()["code"] == "case.stale"
    assert snapshot(case) == before and OrganCase.objects.get(pk=case).state == "evaluating"


def test_nothing_recovered_means_no_allocation_and_no_donation_counted():
    case = organ_at("ethics_approved")
    outcomes = [
        {"organ": "kidney", "recovered": False, "reason": "infection"},
        {"organ": "liver", "recovered": False, "reason": "function"},
    ]
    ok = take(
        "organ",
        case,
        "procured",
        "coordinator",
        # dated like the normal path's steps (computed once, at import), so the next steps still follow it
        {
            "outcomes": json.dumps(outcomes),
            "witnesses": ["coordinator"],
            "occurred_at": ORGAN_STEPS["procured"]["occurred_at"],
        },
    )
    assert ok.status_code == 200 and ok.json()["counted_at"] is None
    refused(case, "allocated", "opo_staff", ORGAN_STEPS["allocated"], "allocation.organ_recovered")
    closed = take("organ", case, "closed", "coordinator", ORGAN_STEPS["closed"])
    assert closed.status_code == 200 and closed.json()["state"] == "closed"


def test_a_case_with_recovered_organs_cannot_close_before_allocation():
    case = organ_at("procured")
    refused(case, "closed", "coordinator", ORGAN_STEPS["closed"], "closing.after_allocation")


def test_allocation_must_cover_every_recovered_organ():
    case = organ_at("procured")
    fields = {
        "allocations": json.dumps([{"organ": "liver", "allocation_ref": "X-1", "recipients": 1}]),
        "witnesses": ["coordinator"],
    }
    refused(case, "allocated", "opo_staff", fields, "allocation.every_recovered_organ")


def test_closing_needs_the_body_restored():
    case = organ_at("allocated")
    refused(case, "closed", "coordinator", {**ORGAN_STEPS["closed"], "body_restored": ""}, "closing.body_restored")


def test_a_refusal_speaks_the_callers_language():
    case = organ_at("consented")
    client = client_for("opo_staff")
    version = client.get(f"/api/v1/organ-cases/{case}/").json()["version"]
    body = {**ETHICS, "to": "ethics_approved", "version": version, "occurred_at": now_text(), "members_total": 10}
    body["votes_for"], body["votes_against"] = 6, 3
    english = client.post(
        f"/api/v1/organ-cases/{case}/transitions/",
        {**body, "scan": pdf()},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.status_code == 409
    assert english.json()["detail"].startswith("Refused by rule ethics.two_thirds_of_members: Approval needs votes")
    assert "6 of 10 members in favour; 7 needed" in english.json()["detail"]
