"""The workflow engine itself (boai.core.workflow), on a two-step toy workflow over a simple core
table (an SMS code row: its hash column plays the state, its attempts the version)."""

import ast
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from boai.audit.models import AuditEntry
from boai.audit.services import Actor
from boai.core import workflow as engine
from boai.core.errors import Conflict, NotAllowed
from boai.core.models import SmsCode
from boai.core.workflow import Rule, RuleBroken, Step, Workflow, on_enter, transition_take

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MEDIC = Actor(username="toy-medic", role="opo_staff")  # holds cases.medical
OUTSIDER = Actor(username="toy-outsider", role="auditor")


def even(obj, data, actor):
    return None if data.get("n", 0) % 2 == 0 else f"{data['n']} is odd"


R_EVEN = Rule("toy.even", "The number is even.", check=even)
TOY = Workflow(
    kind="toy",
    model=SmsCode,
    state_field="code_hash",
    version_field="attempts",
    start="sent",
    audit_prefix="core.toy",
    title="Toy",
    stale_message="Someone else changed this toy in the meantime.",
    stale_code="toy.stale",
    steps=(
        Step("checked", ("sent",), "cases.medical", rules=(R_EVEN,)),
        Step("used", ("checked",), "cases.medical"),
    ),
    finals=frozenset({"used"}),
)


@pytest.fixture
def toy():
    return SmsCode.objects.create(
        phone_index="toy", purpose="register", code_hash="sent", created_at=NOW, expires_at=NOW
    )


@pytest.fixture
def hooks(monkeypatch):
    """A clean set of hooks for the test (the apps' own stay untouched)."""
    monkeypatch.setattr(engine, "_HOOKS", {})


def take(obj, to, *, actor=MEDIC, version=0, data=None):
    return transition_take(obj, to=to, actor=actor, version=version, now=NOW, data=data or {"n": 2}, flow=TOY)


def snapshot(obj):
    row = SmsCode.objects.get(pk=obj.pk)
    return row.code_hash, row.attempts, AuditEntry.objects.count()


def test_it_takes_the_steps_in_order_bumps_the_version_and_audits_each():
    toy = SmsCode.objects.create(
        phone_index="toy", purpose="register", code_hash="sent", created_at=NOW, expires_at=NOW
    )
    toy = take(toy, "checked")
    assert (toy.code_hash, toy.attempts) == ("checked", 1)
    toy = take(toy, "used", version=1)
    assert snapshot(toy)[:2] == ("used", 2)
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == "core.toy.used" and entry.changes == {"code_hash": ["checked", "used"]}


def test_a_stale_version_is_refused_and_nothing_is_written(toy):
    before = snapshot(toy)
    with pytest.raises(Conflict) as refused:
        take(toy, "checked", version=7)
    assert refused.value.code == "toy.stale"
    assert str(refused.value.message) == "Someone else changed this toy in the meantime."
    assert snapshot(toy) == before


def test_every_workflow_refuses_a_stale_version_through_the_one_check():
    expected = {
        "organ_c1": "case.stale",
        "organ_c2": "case.stale",
        "organ_c3": "case.stale",
        "body": "case.stale",
        "organ_certificate": "cert.stale",
        "organ_consent_form": "cert.stale",
        "body_certificate": "cert.stale",
        "registration": "stale_version",
        "coordinator_qualification": "qualification.stale",
        "coordinator_application": "coordinators.application.stale",
        "care_payment": "care.payment.stale",
    }
    assert {flow.kind: flow.stale_code for flow in engine.workflows()} == expected
    for flow in engine.workflows():
        with pytest.raises(Conflict) as refused:
            engine.version_check(flow, SimpleNamespace(**{flow.version_field: 3}), 2)
        assert (refused.value.code, str(refused.value.message)) == (flow.stale_code, str(flow.stale_message))
        engine.version_check(flow, SimpleNamespace(**{flow.version_field: 3}), 3)  # the same version passes
        engine.version_check(flow, SimpleNamespace(**{flow.version_field: 3}), None)  # none known: no check


def test_the_version_check_is_written_once():
    paths = [p for p in (Path(settings.BASE_DIR) / "boai").rglob("*.py") if "tests" not in p.parts]
    found = [p.name for p in paths for _line in range(p.read_text(encoding="utf-8").count("version != "))]
    assert found == ["workflow.py"]


def test_a_step_out_of_order_is_refused_with_state_order(toy, english):
    before = snapshot(toy)
    with pytest.raises(Conflict) as refused:
        take(toy, "used")
    assert refused.value.code == "state.order"
    assert str(refused.value.message) == "Refused by rule state.order: “used” cannot follow “sent”."
    assert snapshot(toy) == before


def test_a_role_without_the_permission_is_refused(toy):
    before = snapshot(toy)
    with pytest.raises(NotAllowed):
        take(toy, "checked", actor=OUTSIDER)
    assert snapshot(toy) == before


def test_a_rule_refusal_carries_the_rule_code_and_writes_nothing(toy, english):
    before = snapshot(toy)
    with pytest.raises(RuleBroken) as refused:
        take(toy, "checked", data={"n": 3})
    assert refused.value.code == "toy.even"
    assert "toy.even" in str(refused.value.message) and "3 is odd" in str(refused.value.message)
    assert snapshot(toy) == before


def test_an_on_enter_hook_runs_in_the_step_transaction_after_the_audit_entry(toy, hooks):
    seen = []

    @on_enter("toy", "checked")
    def look(move):
        row = SmsCode.objects.get(pk=move.obj.pk)
        seen.append((row.code_hash, row.attempts, AuditEntry.objects.order_by("-id").first().action))

    take(toy, "checked")
    assert seen == [("checked", 1, "core.toy.checked")]
    assert engine.hooks_for("toy", "used") == []


def test_a_hook_that_raises_rolls_the_step_back(toy, hooks):
    def refuse(move):
        raise Conflict("the hook refuses", code="toy.hook")

    on_enter("toy", "checked", refuse)
    on_enter("toy", "checked", refuse)  # subscribing twice runs it once
    assert engine.hooks_for("toy", "checked") == [refuse]
    before = snapshot(toy)
    with pytest.raises(Conflict) as refused:
        take(toy, "checked")
    assert refused.value.code == "toy.hook"
    assert snapshot(toy) == before


def test_certificates_subscribe_to_the_body_case_and_cases_import_no_certificates():
    hooked = {fn.__module__ for fn in engine.hooks_for("body", "received") + engine.hooks_for("body", "honoured")}
    assert hooked == {"boai.certificates.hooks"}
    for path in (Path(settings.BASE_DIR) / "boai" / "cases").rglob("*.py"):
        if "tests" not in path.parts:
            assert "boai.certificates" not in _imports(path), path


def test_the_engine_imports_no_programme():
    core = Path(settings.BASE_DIR) / "boai" / "core"
    for path in (core / "workflow.py", core / "management" / "commands" / "workflow_docs.py"):
        for name in _imports(path):
            assert not name.startswith(("boai.accounts", "boai.registry", "boai.cases", "boai.certificates")), name


def test_every_registered_workflow_step_has_an_audit_name():
    for flow in engine.workflows():
        for step in flow.steps:
            label = engine.workflow_action_label(flow.action(step))
            assert label and label != flow.action(step), flow.action(step)
    assert engine.workflow_action_label("cases.organ.opened")
    assert engine.workflow_action_label("nothing.of.ours") is None


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_a_step_the_system_takes_skips_the_role_but_not_the_version_or_the_rules(toy):
    with pytest.raises(Conflict):
        transition_take(toy, to="checked", actor=OUTSIDER, version=5, now=NOW, data={"n": 2}, flow=TOY, as_system=True)
    with pytest.raises(RuleBroken):
        transition_take(toy, to="checked", actor=OUTSIDER, version=0, now=NOW, data={"n": 1}, flow=TOY, as_system=True)
    toy = transition_take(
        toy, to="checked", actor=OUTSIDER, version=0, now=NOW, data={"n": 2}, flow=TOY, as_system=True
    )
    assert toy.code_hash == "checked"


def test_a_step_is_judged_by_the_rules_in_force_on_the_day_it_happened(toy):
    """An old rule stops applying on the day a new one starts: the step's own date (Beijing time)
    decides, whenever it is recorded."""
    from datetime import date

    old = Rule("toy.old", "Under 10.", check=lambda o, d, a: None if d["n"] < 10 else "too big", until=date(2024, 5, 1))
    new = Rule("toy.new", "Under 4.", check=lambda o, d, a: None if d["n"] < 4 else "too big", since=date(2024, 5, 1))
    flow = Workflow(
        kind="toy_dated", model=SmsCode, state_field="code_hash", version_field="attempts", start="sent",
        audit_prefix="core.toy", steps=(Step("checked", ("sent",), "cases.medical", rules=(old, new)),),
    )  # fmt: skip
    before = datetime(2024, 4, 30, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    after = datetime(2024, 4, 30, 16, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on 1 May in Beijing
    data = {"n": 6}
    assert [r.code for r in engine.rules_in_force(flow.steps[0].rules, before)] == ["toy.old"]
    assert [r.code for r in engine.rules_in_force(flow.steps[0].rules, after)] == ["toy.new"]
    with pytest.raises(RuleBroken) as refused:
        transition_take(toy, to="checked", actor=MEDIC, version=0, now=NOW, when=after, data=data, flow=flow)
    assert refused.value.code == "toy.new"
    toy = transition_take(toy, to="checked", actor=MEDIC, version=0, now=NOW, when=before, data=data, flow=flow)
    assert toy.code_hash == "checked"


def test_a_hook_on_a_group_hears_every_workflow_of_the_group(toy, hooks):
    heard = []
    on_enter("toy_group", "checked", lambda move: heard.append(move.workflow.kind))
    flow = Workflow(
        kind="toy_member", group="toy_group", model=SmsCode, state_field="code_hash", version_field="attempts",
        start="sent", audit_prefix="core.toy", steps=(Step("checked", ("sent",), "cases.medical"),),
    )  # fmt: skip
    transition_take(toy, to="checked", actor=MEDIC, version=0, now=NOW, data={}, flow=flow)
    assert heard == ["toy_member"]
