"""Two branches nominating to the last place of a class at the same moment, on PostgreSQL's real row
locks: one is enrolled, the other is told the class is full and writes nothing."""

import threading

import pytest
from django.db import connection

from boai.audit.models import AuditEntry
from boai.core.errors import Conflict
from boai.core.tests.personas import user

from ..models import Enrolment
from ..services import training as services
from .factories import make_coordinator
from .test_training_services import klass

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_last_place_goes_to_one_nomination_only(transactional_base_data):
    c = klass(capacity=1)
    people = [make_coordinator(state="trainee"), make_coordinator(region="530302", state="trainee")]
    actors = [user("wuhua_staff"), user("qilin_staff")]
    barrier = threading.Barrier(2)
    outcomes = []

    def nominate(actor, person):
        try:
            barrier.wait()
            services.enrol(actor=actor, training_class=c, coordinator=person)
            outcomes.append("enrolled")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=nominate, args=pair) for pair in zip(actors, people, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["enrolled", "training.class_full"]
    assert Enrolment.objects.filter(training_class=c).count() == 1
    assert AuditEntry.objects.filter(action="coordinators.enrolment.created", changes__class=c.pk).count() == 1
