"""Two province clerks at the same moment, on PostgreSQL's real row locks: recording the same
qualification number for two trainees (one wins, the other is told the number is taken), and
suspending and revoking one qualification (one wins, the other is told it changed)."""

import io

import pytest

from boai.cases.tests.helpers import PDF
from boai.core.tests.concurrency import race
from boai.core.tests.personas import user

from ..models import Coordinator, Qualification, QualificationEvent
from ..services import qualifications as svc
from .factories import make_coordinator, make_qualified, today

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def scan():
    f = io.BytesIO(PDF)
    f.name, f.size = "scan.pdf", len(PDF)
    return f


def test_one_number_recorded_twice_at_once(transactional_base_data):
    a = make_coordinator(name="并发甲", state=Coordinator.State.TRAINEE)
    b = make_coordinator(name="并发乙", state=Coordinator.State.TRAINEE)

    def record(c):
        return lambda: svc.qualification_record(
            actor=user("prov_admin"), coordinator=c, number="OPDC-2026-5555", issued_on=today(), scan=scan()
        )

    assert race(record(a), record(b)) == ["qualification.number_taken", "saved"]
    assert Qualification.objects.filter(number="OPDC-2026-5555").count() == 1
    states = sorted(Coordinator.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", flat=True))
    assert states == ["qualified", "trainee"]


def test_suspend_and_revoke_at_once_on_one_version(transactional_base_data):
    q = make_qualified(name="并发丙").qualifications.get()

    def step(fn):
        return lambda: fn(
            actor=user("prov_admin"),
            qualification=q,
            version=q.version,
            reason="原因",
            document_number="文1",
            scan=scan(),
        )

    assert race(step(svc.qualification_suspend), step(svc.qualification_revoke)) == ["qualification.stale", "saved"]
    assert QualificationEvent.objects.filter(qualification=q).count() == 1
