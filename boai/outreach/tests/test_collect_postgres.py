"""On PostgreSQL: a retry sent while the first sync of the same entry still runs lands it once (the
second insert of the key waits on the unique index, then reads the first answer)."""

import pytest

from boai.core.tests.concurrency import race
from boai.core.tests.personas import user
from boai.registry.models import Registration

from ..models import CollectedEntry
from ..services import collect as services
from .collect_helpers import entry, event_today, person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_syncs_of_the_same_entry_at_once_land_it_once(transactional_base_data):
    event = event_today(region="530102")
    item = entry(person=person(seq="61"))
    answers = []

    def sync():
        answers.append(services.collected_sync(event=event, actor=user("wuhua_staff"), entries=[item]))

    assert race(sync, sync, sync) == ["saved", "saved", "saved"]
    assert Registration.objects.filter(campaign=event.code).count() == 1
    assert CollectedEntry.objects.filter(key=item["key"]).count() == 1
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0]["state"] == "landed"


def test_two_entries_of_the_same_person_at_once_land_one_and_return_the_other(transactional_base_data):
    event = event_today(region="530102")
    same = person(seq="62")
    first, second = entry(person=same), entry(person=same)
    answers = []

    def sync(item):
        return lambda: answers.extend(services.collected_sync(event=event, actor=user("wuhua_staff"), entries=[item]))

    race(sync(first), sync(second))
    assert sorted(a["state"] for a in answers) == ["landed", "returned"]
    assert Registration.objects.filter(campaign=event.code).count() == 1
