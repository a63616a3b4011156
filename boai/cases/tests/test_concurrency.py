"""Two people saving the same case at the same moment, on PostgreSQL's real row locks."""

import threading

import pytest
from django.db import connection

from boai.cases.models import CaseStep, OrganCase
from boai.cases.services import case_step
from boai.core.errors import Conflict
from boai.core.tests.personas import user

from .helpers import open_organ

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_steps_on_one_version_one_wins_one_is_told(transactional_base_data):
    from django.utils import timezone

    case = OrganCase.objects.get(pk=open_organ()["id"])
    barrier = threading.Barrier(2)
    outcomes = []

    def save(to, data):
        try:
            barrier.wait()
            case_step(
                case=case, to=to, data={"occurred_at": timezone.now(), **data}, actor=user("opo_staff"), version=1
            )
            outcomes.append("saved")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=save, args=("evaluating", {"category": "c1", "procurement_team": ["张刚"], "transplant_team": []})
        ),
        threading.Thread(target=save, args=("not_suitable", {"reason": "多器官衰竭"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["case.stale", "saved"]
    c = OrganCase.objects.get(pk=case.pk)
    assert c.version == 2 and CaseStep.objects.filter(organ_case=c).count() == 2  # the referral and one step
