"""Recording a qualification and its steps (suspend, reinstate, renew, revoke): the coordinator
follows, each step is an event with its document and an audit entry; every wrong step is refused
with nothing written."""

import io
from datetime import timedelta

import pytest

from boai.audit.models import AuditEntry
from boai.cases.tests.helpers import PDF
from boai.core.errors import Conflict, InvalidInput, NotAllowed
from boai.core.models import Attachment
from boai.core.tests.personas import user

from ..models import Coordinator, Qualification, QualificationEvent
from ..services import qualifications as svc
from .factories import make_coordinator, make_qualified, today

pytestmark = pytest.mark.django_db


def scan():
    f = io.BytesIO(PDF)
    f.name = "scan.pdf"
    f.size = len(PDF)
    return f


def counts():
    return (
        Qualification.objects.count(),
        QualificationEvent.objects.count(),
        AuditEntry.objects.count(),
        Attachment.objects.count(),
        list(Coordinator.objects.order_by("pk").values_list("state", flat=True)),
        list(Qualification.objects.order_by("pk").values_list("state", "valid_until")),
    )


def record(coordinator, **over):
    data = {
        "actor": user("prov_admin"),
        "coordinator": coordinator,
        "number": "OPDC-2026-0001",
        "issued_on": today() - timedelta(days=10),
        "valid_until": today() + timedelta(days=1000),
        "provincial_number": "滇红协〔2026〕1号",
        "registered_on": today(),
        "scan": scan(),
    }
    data.update(over)
    return svc.qualification_record(**data)


def doc(**over):
    return {"reason": "违反工作纪律", "document_number": "滇红协〔2026〕5号", "scan": scan(), **over}


def test_recording_a_qualification_makes_the_trainee_qualified():
    trainee = make_coordinator(name="陈一", state=Coordinator.State.TRAINEE)
    q = record(trainee)
    trainee.refresh_from_db()
    assert trainee.state == Coordinator.State.QUALIFIED
    assert q.issuing_body == "中国人体器官捐献管理中心"
    assert q.events.get().step == "granted"
    assert AuditEntry.objects.filter(action="coordinators.qualification.recorded").count() == 1
    assert Attachment.objects.filter(owner_type="coordinators.qualification", owner_id=str(q.pk)).count() == 1


@pytest.mark.parametrize(
    "over, field",
    [
        ({"number": " "}, "number"),
        ({"issued_on": today() + timedelta(days=2)}, "issued_on"),  # 2: a run may cross midnight
        ({"valid_until": today() - timedelta(days=10)}, "valid_until"),
        ({"registered_on": today() + timedelta(days=2)}, "registered_on"),
        ({"scan": None}, "scan"),
    ],
)
def test_bad_input_is_refused_with_nothing_written(over, field):
    trainee = make_coordinator(name="陈二", state=Coordinator.State.TRAINEE)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        record(trainee, **over)
    assert refused.value.field == field
    assert counts() == before


def test_an_applicant_or_qualified_one_cannot_be_qualified_and_a_number_is_unique():
    applicant = make_coordinator(name="陈三")
    qualified = make_qualified(name="陈四")
    trainee = make_coordinator(name="陈五", state=Coordinator.State.TRAINEE)
    before = counts()
    with pytest.raises(Conflict, match="qualification.after_training"):
        record(applicant)
    with pytest.raises(Conflict):
        record(qualified)
    with pytest.raises(Conflict) as taken:
        record(trainee, number="OPDC-2019-0412")  # 杨洁's
    assert taken.value.code == "qualification.number_taken"
    assert counts() == before


def test_only_the_province_records_or_steps():
    trainee = make_coordinator(name="陈六", state=Coordinator.State.TRAINEE)
    before = counts()
    with pytest.raises(NotAllowed):
        record(trainee, actor=user("wuhua_staff"))
    q = Qualification.objects.get(coordinator__name="杨洁")
    with pytest.raises(NotAllowed):
        svc.qualification_suspend(actor=user("kunming_staff"), qualification=q, **doc())
    assert counts() == before


def test_suspend_reinstate_renew_revoke_move_the_coordinator():
    c = make_qualified(name="陈七", valid_until=today() + timedelta(days=30))
    q = c.qualifications.get()
    admin = user("prov_admin")
    q = svc.qualification_suspend(actor=admin, qualification=q, **doc())
    c.refresh_from_db()
    assert (q.state, c.state) == ("suspended", "suspended")
    q = svc.qualification_reinstate(actor=admin, qualification=q, **doc(reason="整改完成"))
    c.refresh_from_db()
    assert (q.state, c.state) == ("active", "qualified")
    new_until = today() + timedelta(days=5 * 365)
    q = svc.qualification_renew(actor=admin, qualification=q, valid_until=new_until, **doc(reason="复审合格"))
    assert q.valid_until == new_until
    q = svc.qualification_revoke(actor=admin, qualification=q, **doc(reason="严重违纪"))
    c.refresh_from_db()
    assert (q.state, c.state) == ("revoked", "revoked")
    assert list(q.events.values_list("step", flat=True)) == ["suspended", "reinstated", "renewed", "revoked"]
    assert all(e.document_number for e in q.events.all())
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {f"coordinators.qualification.{s}" for s in ("suspended", "reinstated", "renewed", "revoked")} <= actions
    # revoked is final; the coordinator may qualify again with a new qualification
    before = counts()
    with pytest.raises(Conflict):
        svc.qualification_reinstate(actor=admin, qualification=q, **doc())
    assert counts() == before
    record(c, number="OPDC-2026-0099")
    c.refresh_from_db()
    assert c.state == "qualified"


@pytest.mark.parametrize(
    "step, over, field",
    [
        ("suspend", {"reason": ""}, "reason"),
        ("suspend", {"document_number": ""}, "document_number"),
        ("suspend", {"scan": None}, "scan"),
        ("renew", {"valid_until": None}, "valid_until"),
        ("renew", {"valid_until": "past"}, "valid_until"),
    ],
)
def test_a_step_without_its_reason_or_document_is_refused(step, over, field):
    c = make_qualified(name="陈八", valid_until=today() + timedelta(days=30))
    q = c.qualifications.get()
    kwargs = doc(**over)
    if step == "renew":
        v = kwargs.pop("valid_until", None)
        kwargs["valid_until"] = today() + timedelta(days=10) if v == "past" else v
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        svc.STEPS[step](actor=user("prov_admin"), qualification=q, **kwargs)
    assert refused.value.field == field
    assert counts() == before


def test_a_stale_version_is_refused():
    q = make_qualified(name="陈九").qualifications.get()
    before = counts()
    with pytest.raises(Conflict):
        svc.qualification_suspend(actor=user("prov_admin"), qualification=q, version=q.version + 5, **doc())
    assert counts() == before
