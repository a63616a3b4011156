"""On PostgreSQL: a registration made while a long import runs in the same county and month does not
make the import fail. The import revokes a refusal (an audited change) in its first batch and adds the
tally at its end; a registration made meanwhile takes the tally rows and then the audit chain's head
(registration_create). Were the import to hold the head while it waits for the tally, PostgreSQL
would break the deadlock by undoing the whole import."""

from datetime import date

import pytest

from boai.core.fields import index_for
from boai.core.tests.concurrency import Meanwhile, attempt
from boai.core.tests.personas import user
from boai.registry.data import PersonData
from boai.registry.models import HeldEntry, Refusal, Registration
from boai.registry.notices import CURRENT
from boai.registry.services import import_job_check, import_job_commit, import_job_create, registration_create
from boai.registry.services import imports as importing
from boai.registry.services.refusals import refusal_record
from boai.registry.tests.helpers import resident_id, sheet
from boai.registry.tests.test_import_export import HEADER, row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REFUSED = resident_id("530102", date(1969, 9, 9), "77", "M")
ONLINE = resident_id("530102", date(1980, 3, 3), "21", "M")


def import_with(meanwhile, monkeypatch) -> dict:
    """Import 赵一 (whose refusal is on record: the import revokes it) and, while the import waits after
    its batch, run ``meanwhile`` in another transaction until it finishes or waits for a lock; then
    finish the import. Returns what each gave (the number imported, "saved", or the error)."""
    clerk = user("wuhua_staff")
    refusal_record(
        actor=clerk,
        name="赵一",
        id_type="resident_id",
        id_number=REFUSED,
        region_code="530102",
        stated_on=date(2021, 3, 1),
    )
    job = import_job_create(actor=clerk, consent_confirmed=True, upload=sheet([row("赵一", REFUSED)], HEADER))
    assert import_job_check(job_id=job.pk).state == "checked"

    other, insert_rows = Meanwhile(meanwhile), importing.insert_rows

    def pausing(model, rows, **kwargs):
        if model.__name__ == "ConsentRecord":  # the batch's refusal is locked
            other.pause()  # the other writer goes as far as it can meanwhile (once)
        return insert_rows(model, rows, **kwargs)

    monkeypatch.setattr(importing, "insert_rows", pausing)
    imported = attempt(lambda: import_job_commit(job_id=job.pk, actor=clerk, valid_only=False).imported_rows)
    return {"import": imported, "meanwhile": other.outcome()}


def register(actor, id_number: str, region: str):
    data = PersonData(
        name="王五", id_type="resident_id", id_number=id_number, phone="13900001111", region_code=region, organs=["all"]
    )
    return registration_create(actor=actor, channel="paper", consent_version=CURRENT, data=data)


def test_a_registration_made_during_an_import_leaves_the_import_whole(transactional_base_data, monkeypatch):
    """The registration takes the tally rows, then the audit chain's head; the import revokes its
    refusal only after its own tally, so it never holds the head while waiting for those rows."""
    outcome = import_with(lambda: register(user("wuhua_staff"), ONLINE, "530102"), monkeypatch)
    assert outcome == {"import": 1, "meanwhile": "saved"}
    registered = dict(
        Registration.objects.filter(
            id_number_index__in=[index_for("id_number", REFUSED), index_for("id_number", ONLINE)]
        ).values_list("name", "channel")
    )
    assert registered == {"赵一": "import", "王五": "paper"}
    refusal = Refusal.objects.get(id_number_index=index_for("id_number", REFUSED))
    assert refusal.revoked_at and refusal.revoked_by_registration.name == "赵一"


def test_an_entry_held_for_the_refusal_the_import_revokes_is_not_held_up(transactional_base_data, monkeypatch):
    """Qilin's clerk enters the same person meanwhile: the refusal (outside their area) holds the
    entry for review, and the held entry refers to the refusal. The import has locked that refusal
    to revoke it; the held entry's commit checks that the refusal exists (a key-share lock), which
    FOR UPDATE would block until the import ends, with the audit chain's head held all that time."""
    outcome = import_with(lambda: register(user("qilin_staff"), REFUSED, "530302"), monkeypatch)
    assert outcome == {"import": 1, "meanwhile": "saved"}
    held = HeldEntry.objects.get(refusal__id_number_index=index_for("id_number", REFUSED))
    assert held.reason == HeldEntry.Reason.REFUSAL_ELSEWHERE
    assert Refusal.objects.get(pk=held.refusal_id).revoked_at is not None  # revoked by the import all the same
