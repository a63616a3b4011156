"""The workflow declaration itself: complete, consistent, and drawn into the docs."""

from boai.accounts.roles import PERMISSIONS
from boai.audit.labels import action_label
from boai.cases.workflow import BODY, ORGAN, ORGAN_FLOWS
from boai.core.management.commands.workflow_docs import TARGET, render

from .helpers import main_path

FLOWS = [*ORGAN_FLOWS.values(), BODY]


def test_the_state_names_are_the_ones_the_api_promises():
    assert set(ORGAN.model.State.values) == {
        "referred", "evaluating", "first_determination", "brain_death_determined", "withdrawal_decided",
        "family_approached", "consented", "ethics_approved", "death_determined",
        "procured", "allocated", "closed", "not_suitable", "declined", "refusal_on_record", "ethics_rejected",
        "cancelled",
    }  # fmt: skip
    assert set(BODY.model.State.values) == {
        "death_notified", "accepted", "received", "in_use", "remains_handled", "memorial", "honoured", "closed",
        "refused", "withdrawn", "cancelled",
    }  # fmt: skip


def test_every_state_is_reachable_and_every_open_state_has_a_way_out():
    reached = set()
    for flow in FLOWS:
        reachable = {flow.start} | {s.to for s in flow.steps}
        reached |= reachable
        for state in reachable - flow.finals:
            assert flow.steps_from(state), (flow.kind, state)
        for final in flow.finals:
            assert not flow.steps_from(final), final
    assert reached == set(ORGAN.model.State.values) | set(BODY.model.State.values)


def test_each_category_has_its_own_order():
    c1, c2, c3 = (main_path(ORGAN_FLOWS[c]) for c in ("c1", "c2", "c3"))
    assert c1.index("death_determined") < c1.index("family_approached")  # brain death, then the family
    assert c1.count("first_determination") == 1
    assert c2.index("withdrawal_decided") < c2.index("family_approached") < c2.index("death_determined")
    assert "first_determination" not in c2
    assert c3.index("brain_death_determined") < c3.index("family_approached") < c3.index("death_determined")


def test_every_step_names_a_permission_a_role_holds_and_has_a_readable_audit_name():
    for flow in FLOWS:
        assert PERMISSIONS[flow.start_perm]
        assert action_label(f"{flow.audit_prefix}.opened") != f"{flow.audit_prefix}.opened"
        for step in flow.steps:
            assert PERMISSIONS[step.perm], step
            assert action_label(f"{flow.audit_prefix}.{step.key}") != f"{flow.audit_prefix}.{step.key}"


def test_the_rule_codes_are_unique():
    rules = [r for flow in FLOWS for step in flow.steps for r in step.rules]
    rules += [r for flow in FLOWS for r in flow.start_rules]
    codes = {}
    for rule in rules:
        assert codes.setdefault(rule.code, rule) is rule, rule.code


def test_the_docs_diagram_is_generated_from_the_declaration():
    assert TARGET.read_text(encoding="utf-8") == render(), "run `make docs`"
    docs = render()
    for kind in ("organ_c1", "organ_c2", "organ_c3"):
        assert f"(`{kind}`)" in docs
    assert "## Organ case — C-II: donation after circulatory death (DCD) (`organ_c2`)" in docs
    assert (
        "ethics_approved --> death_determined: cases.medical [death.independent_physicians, death.no_touch_period]"
        in docs
    )
    assert "| `ethics.two_thirds_present` |" in docs and "until 2024-05-01 (excl.)" in docs


def test_the_demo_cases_load_through_the_workflow(db):
    from boai.cases.demo import load_demo_cases
    from boai.cases.models import BodyCase, OrganCase

    assert load_demo_cases() is True
    assert sorted(OrganCase.objects.values_list("state", flat=True)) == [
        "closed",
        "consented",
        "declined",
        "ethics_approved",
    ]
    assert sorted(BodyCase.objects.values_list("state", flat=True)) == ["accepted", "closed", "memorial"]
    specimen = BodyCase.objects.get(state="memorial")
    assert specimen.opened_by.username == "station_staff" and specimen.use == "specimen"
    assert BodyCase.objects.get(state="closed").honoured_at  # honoured after the reception, before the use
    assert all(c.death_certificate_number for c in BodyCase.objects.all())
    assert OrganCase.objects.get(state="closed").beneficiaries == 3
    own = OrganCase.objects.get(state="ethics_approved")  # the deceased registrant's own wish carried it
    assert own.registry_finding == "deceased" and own.donation_category == "c1"
    assert own.steps.get(to_state="consented").data["basis"] == "written_intent"
    assert load_demo_cases() is False


def test_forms_laid_out_in_groups_show_every_field_once(db):
    forms = {flow.start_form for flow in FLOWS} | {s.form for f in FLOWS for s in f.steps}
    for form_class in forms:
        groups = getattr(form_class, "fieldsets", None)
        if groups:
            names = [n for _title, fields in groups for n in fields]
            assert sorted(names) == sorted(form_class().fields), form_class
