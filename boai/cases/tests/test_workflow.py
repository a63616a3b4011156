"""The workflow declaration itself: complete, consistent, and drawn into the docs."""

from boai.accounts.roles import PERMISSIONS
from boai.audit.labels import action_label
from boai.cases.workflow import BODY, ORGAN, WORKFLOWS
from boai.core.management.commands.workflow_docs import TARGET, render


def test_the_state_names_are_the_ones_the_api_promises():
    assert set(ORGAN.model.State.values) == {
        "referred", "evaluating", "family_approached", "consented", "ethics_approved", "death_determined",
        "procured", "allocated", "closed", "not_suitable", "declined", "refusal_on_record", "ethics_rejected",
        "cancelled",
    }  # fmt: skip
    assert set(BODY.model.State.values) == {
        "death_notified", "accepted", "received", "in_use", "remains_handled", "memorial", "honoured", "closed",
        "refused", "withdrawn", "cancelled",
    }  # fmt: skip


def test_every_state_is_reachable_and_every_open_state_has_a_way_out():
    for flow in WORKFLOWS.values():
        reachable = {flow.start} | {s.to for s in flow.steps}
        assert reachable == set(flow.model.State.values)
        for state in set(flow.model.State.values) - flow.finals:
            assert flow.steps_from(state), state
        for final in flow.finals:
            assert not flow.steps_from(final), final


def test_every_step_names_a_permission_a_role_holds_and_has_a_readable_audit_name():
    for flow in WORKFLOWS.values():
        assert PERMISSIONS[flow.start_perm]
        assert action_label(f"cases.{flow.kind}.opened") != f"cases.{flow.kind}.opened"
        for step in flow.steps:
            assert PERMISSIONS[step.perm], step
            assert action_label(f"cases.{flow.kind}.{step.to}") != f"cases.{flow.kind}.{step.to}"


def test_the_rule_codes_are_unique():
    rules = [r for flow in WORKFLOWS.values() for step in flow.steps for r in step.rules]
    rules += [r for flow in WORKFLOWS.values() for r in flow.start_rules]
    codes = {}
    for rule in rules:
        assert codes.setdefault(rule.code, rule) is rule, rule.code


def test_the_docs_diagram_is_generated_from_the_declaration():
    assert TARGET.read_text(encoding="utf-8") == render(), "run `make docs`"
    assert "ethics_approved --> death_determined: cases.medical [death.independent_physicians]" in render()


def test_the_demo_cases_load_through_the_workflow(db):
    from boai.cases.demo import load_demo_cases
    from boai.cases.models import BodyCase, OrganCase

    assert load_demo_cases() is True
    assert sorted(OrganCase.objects.values_list("state", flat=True)) == ["closed", "consented", "declined"]
    assert sorted(BodyCase.objects.values_list("state", flat=True)) == ["accepted", "closed", "memorial"]
    specimen = BodyCase.objects.get(state="memorial")
    assert specimen.opened_by.username == "station_staff" and specimen.use == "specimen"
    assert BodyCase.objects.get(state="closed").honoured_at  # honoured after the reception, before the use
    assert all(c.death_certificate_number for c in BodyCase.objects.all())
    assert OrganCase.objects.get(state="closed").beneficiaries == 3
    assert load_demo_cases() is False


def test_forms_laid_out_in_groups_show_every_field_once(db):
    forms = {flow.start_form for flow in WORKFLOWS.values()} | {s.form for f in WORKFLOWS.values() for s in f.steps}
    for form_class in forms:
        groups = getattr(form_class, "fieldsets", None)
        if groups:
            names = [n for _title, fields in groups for n in fields]
            assert sorted(names) == sorted(form_class().fields), form_class
