"""Two staff members at the same moment, on PostgreSQL's real row locks: recording the same family's
consent (one entry, one code, one audit entry) and deciding the same message (one decision)."""

import pytest

from boai.audit.models import AuditEntry
from boai.care.tests.factories import make_family
from boai.core.tests.concurrency import race
from boai.core.tests.personas import user

from ..models import WallEntry, WallMessage
from ..services import wall as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _consent(family, username):
    return lambda: services.wall_consent_record(
        family=family,
        actor=user(username),
        member=family.members.first(),
        consented_on=family.donated_on,
        show_name=True,
        show_year=True,
        show_prefecture=True,
    )


def test_one_consent_when_two_staff_record_it_at_once(transactional_base_data):
    family = make_family()
    assert race(_consent(family, "wuhua_staff"), _consent(family, "kunming_staff")) == [
        "memorials.wall.exists",
        "saved",
    ]
    assert WallEntry.objects.filter(family=family).count() == 1
    assert AuditEntry.objects.filter(action="memorials.wall.consented").count() == 1


def test_one_decision_when_two_staff_decide_a_message_at_once(transactional_base_data):
    family = make_family()
    _entry, code = _consent(family, "wuhua_staff")()
    message = services.wall_message_submit(code=code, text="想您", signed="", ip="10.0.0.1")

    def decide(username, approve):
        return lambda: services.wall_message_decide(message=message, actor=user(username), approve=approve)

    assert race(decide("wuhua_staff", True), decide("kunming_staff", False)) == ["memorials.wall.decided", "saved"]
    assert WallMessage.objects.get(pk=message.pk).state != WallMessage.State.PENDING
    decided = AuditEntry.objects.filter(action__startswith="memorials.wall.message_", object_id=str(message.pk))
    assert decided.exclude(action="memorials.wall.message_sent").count() == 1
