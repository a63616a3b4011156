"""Each legal checkpoint, broken on purpose: the step is refused with 409 naming the rule, and
nothing is written (no step, no document, no audit entry, the version unchanged)."""

import json

import pytest

from boai.audit.models import AuditEntry
from boai.cases.models import CaseStep, OrganCase, OrganOutcome, Signer
from boai.core.models import Attachment

from .helpers import FAMILY, ORGAN_STEPS, client_for, now_text, open_organ, signer, staff_account, take, walk_organ

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


def test_ethics_approval_at_six_of_ten_is_refused():
    case = organ_at("consented")
    body = refused(
        case,
        "ethics_approved",
        "opo_staff",
        {"members_present": 10, "votes_for": 6, "votes_against": 4},
        "ethics.two_thirds",
    )
    assert "出席 10 人，赞成 6 人" in body["detail"]


def test_ethics_approval_at_exactly_two_thirds_passes():
    case = organ_at("consented")
    response = take("organ", case, "ethics_approved", "opo_staff", {"members_present": 9, "votes_for": 6})
    assert response.status_code == 200


def test_a_determining_physician_on_the_transplant_team_is_refused():
    case = organ_at("ethics_approved")
    refused(
        case,
        "death_determined",
        "opo_staff",
        {"category": "dbd", "physicians": "赵军、王 敏"},
        "death.independent_physicians",
    )


def test_a_determining_physician_on_the_procurement_team_is_refused():
    case = organ_at("ethics_approved")
    refused(
        case, "death_determined", "opo_staff", {"category": "dcd", "physicians": "张刚"}, "death.independent_physicians"
    )


def test_an_organ_that_was_not_consented_cannot_be_recovered():
    case = organ_at("death_determined")
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
    case = organ_at("death_determined")
    refused(
        case,
        "procured",
        "coordinator",
        {"outcomes": json.dumps([{"organ": "kidney", "recovered": True}]), "witnesses": ["coordinator"]},
        "procurement.every_consented_organ",
    )


def test_a_witness_who_is_not_a_coordinator_is_refused():
    case = organ_at("death_determined")
    fields = {**ORGAN_STEPS["procured"], "witnesses": ["coordinator", "opo_staff"]}
    refused(case, "procured", "coordinator", fields, "procurement.witness_coordinator")


def test_a_disabled_coordinator_cannot_witness():
    other = staff_account("coord_off", "coordinator", "RC530000", "协调员 停用")
    other.is_active = False
    other.save()
    case = organ_at("death_determined")
    fields = {**ORGAN_STEPS["procured"], "witnesses": ["coordinator", "coord_off"]}
    refused(case, "procured", "coordinator", fields, "procurement.witness_coordinator")


def test_a_coordinator_of_another_area_cannot_witness():
    staff_account("coord_qilin", "coordinator", "RC530302", "协调员 麒麟")
    case = organ_at("death_determined")  # a case of Wuhua (Kunming); Qilin is in Qujing
    fields = {**ORGAN_STEPS["procured"], "witnesses": ["coordinator", "coord_qilin"]}
    refused(case, "procured", "coordinator", fields, "procurement.witness_coordinator")


def test_the_coordinator_who_records_the_procurement_must_have_witnessed_it():
    staff_account("coord_two", "coordinator", "RC530000", "协调员 二")
    case = organ_at("death_determined")
    fields = {**ORGAN_STEPS["procured"], "witnesses": ["coord_two"]}
    refused(case, "procured", "coordinator", fields, "procurement.recorded_by_witness")
    assert take("organ", case, "procured", "opo_staff", ORGAN_STEPS["procured"]).status_code == 403


def test_a_rejection_cannot_contradict_the_votes():
    case = organ_at("consented")
    fields = {"members_present": 9, "votes_for": 9, "reason": "x"}
    refused(case, "ethics_rejected", "opo_staff", fields, "ethics.rejection_matches_votes")


def test_an_invisible_character_does_not_hide_a_team_member():
    case = organ_at("ethics_approved")
    fields = {"category": "dbd", "physicians": "张\u200b刚"}
    refused(case, "death_determined", "opo_staff", fields, "death.independent_physicians")


def test_a_step_out_of_order_is_refused():
    case = organ_at("evaluating")
    refused(case, "death_determined", "opo_staff", {"category": "dbd", "physicians": "赵军"}, "state.order")


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
    case = organ_at("death_determined")
    outcomes = [
        {"organ": "kidney", "recovered": False, "reason": "infection"},
        {"organ": "liver", "recovered": False, "reason": "function"},
    ]
    ok = take(
        "organ", case, "procured", "coordinator", {"outcomes": json.dumps(outcomes), "witnesses": ["coordinator"]}
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
    fields = {"allocations": json.dumps([{"organ": "liver", "allocation_ref": "X-1", "recipients": 1}])}
    refused(case, "allocated", "opo_staff", fields, "allocation.every_recovered_organ")


def test_closing_needs_the_body_restored():
    case = organ_at("allocated")
    refused(case, "closed", "coordinator", {**ORGAN_STEPS["closed"], "body_restored": ""}, "closing.body_restored")


def test_a_refusal_speaks_the_callers_language():
    case = organ_at("consented")
    client = client_for("opo_staff")
    version = client.get(f"/api/v1/organ-cases/{case}/").json()["version"]
    body = {"to": "ethics_approved", "version": version, "occurred_at": now_text(), "members_present": 10}
    body["votes_for"] = 6
    english = client.post(f"/api/v1/organ-cases/{case}/transitions/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 409
    assert english.json()["detail"].startswith("Refused by rule ethics.two_thirds: Approval needs at least two-thirds")
    assert "6 of 10 in favour" in english.json()["detail"]
