"""A refusal made in life and a registration: the later statement wins, in both orders, and both
stay in the person's history (defect 2 of issue 11)."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.tests.personas import user
from boai.registry.models import Refusal, Registration
from boai.registry.selectors import registry_check
from boai.registry.services import refusal_record
from boai.registry.tests.helpers import resident_id
from boai.registry.tests.test_import_export import clerk, row, upload, xlsx  # noqa: F401 - the fixture
from boai.registry.tests.test_staff import paper

pytestmark = pytest.mark.django_db

PERSON = resident_id("530102", date(1969, 9, 9), "77", "M")


def refused(id_number=PERSON, name="和志刚", stated_on=date(2021, 3, 1)) -> Refusal:
    return refusal_record(
        actor=user("wuhua_staff"),
        name=name,
        id_type="resident_id",
        id_number=id_number,
        region_code="530102",
        stated_on=stated_on,
    )


def staff(username="wuhua_staff"):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user(username))
    return client


def test_a_later_paper_registration_revokes_the_refusal_and_warns_the_staff():
    refusal = refused()
    client = staff()
    response = client.post("/workspace/registrations/new/", paper(id_number=PERSON), follow=True)
    reg = Registration.objects.get(name="和志刚")
    page = response.content.decode()
    assert "This person had recorded a refusal on 2021-03-01; this registration revoked it." in page
    assert "This person had recorded a refusal on 2021-03-01, revoked by this registration." in page
    refusal.refresh_from_db()
    assert refusal.revoked_at and refusal.revoked_by_registration == reg and refusal.revoked_by == user("wuhua_staff")
    assert AuditEntry.objects.filter(action="registry.refusal.revoked", object_id=str(refusal.pk)).count() == 1
    found = registry_check(id_number=PERSON)
    assert found.refusal is None and found.active == reg
    # both statements stay in the person's history
    assert Refusal.objects.filter(id_number_index=reg.id_number_index).count() == 1
    listed = client.get("/workspace/registrations/refusals/").content.decode()
    assert f'by the later registration <a href="/workspace/registrations/{reg.pk}/">{reg.number}</a>' in listed
    assert AuditEntry.objects.filter(action="registry.refusal.recorded", object_id=str(refusal.pk)).exists()


def test_after_the_revocation_an_organ_case_opens_normally_on_the_registration():
    from boai.cases.tests.helpers import open_organ

    refused()
    staff().post("/workspace/registrations/new/", paper(id_number=PERSON))
    case = open_organ(name="和志刚", id_number=PERSON)
    assert case["state"] == "referred" and case["registry_finding"] == "active"


def test_a_later_refusal_still_withdraws_the_registration():
    staff().post("/workspace/registrations/new/", paper(id_number=PERSON))
    reg = Registration.objects.get(name="和志刚")
    refusal = refused(stated_on=timezone.localdate())
    reg.refresh_from_db()
    assert reg.status == "withdrawn" and registry_check(id_number=PERSON).refusal == refusal


def test_refusal_then_registration_then_refusal_the_last_statement_wins():
    first = refused()
    staff().post("/workspace/registrations/new/", paper(id_number=PERSON))
    second = refused(stated_on=timezone.localdate())
    assert registry_check(id_number=PERSON).refusal == second and first.pk != second.pk
    assert Registration.objects.get(name="和志刚").status == "withdrawn"


def test_a_refusal_stated_before_the_registration_does_not_undo_it():
    """Recorded today, but signed in 2020, before the person registered: the registration is the
    later statement and stands; the refusal is kept in the history, revoked by it."""
    staff().post("/workspace/registrations/new/", paper(id_number=PERSON))
    reg = Registration.objects.get(name="和志刚")
    refusal = refused(stated_on=date(2020, 1, 1))
    reg.refresh_from_db()
    assert reg.status == "active" and refusal.revoked_at and refusal.revoked_by_registration == reg
    assert registry_check(id_number=PERSON).refusal is None


def test_a_refusal_before_the_person_was_born_is_refused_and_nothing_written():
    from boai.core.errors import InvalidInput

    before = Refusal.objects.count()
    with pytest.raises(InvalidInput) as refused_:
        refused(stated_on=date(1960, 1, 1))  # born 1969
    assert refused_.value.field == "stated_on" and Refusal.objects.count() == before


def test_marking_deceased_before_the_registration_is_refused():
    staff().post("/workspace/registrations/new/", paper(id_number=PERSON))
    reg = Registration.objects.get(name="和志刚")
    api = APIClient()
    api.force_authenticate(user("wuhua_staff"))
    response = api.post(
        f"/api/v1/registrations/{reg.pk}/deceased/", {"died_on": "2020-01-01", "version": reg.version}, format="json"
    )
    assert response.status_code == 400 and "died_on" in response.json()["errors"]
    reg.refresh_from_db()
    assert reg.status == "active" and reg.wish_in_force


def test_an_imported_registration_revokes_the_refusal(clerk):  # noqa: F811 - the fixture
    refusal = refused(name="赵一")
    job = upload(clerk, xlsx([row("赵一", PERSON)]))
    clerk.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "all"})
    refusal.refresh_from_db()
    reg = Registration.objects.get(name="赵一")
    assert refusal.revoked_by_registration == reg and registry_check(id_number=PERSON).refusal is None
    assert AuditEntry.objects.filter(action="registry.refusal.revoked", object_id=str(refusal.pk)).exists()


def test_the_demo_data_shows_a_revoked_refusal_a_deceased_registrant_and_a_national_only_registrant():
    from boai.registry.demo import DECEASED_REGISTRANT_ID, NATIONAL_ONLY_ID, REVOKED_REFUSAL_ID

    changed = registry_check(id_number=REVOKED_REFUSAL_ID)
    refusal = Refusal.objects.get(id_number_index=changed.registration.id_number_index)
    assert changed.refusal is None and refusal.revoked_by_registration == changed.active
    assert refusal.stated_on < changed.active.registered_at.date()
    deceased = registry_check(id_number=DECEASED_REGISTRANT_ID).registration
    assert deceased.status == "deceased" and deceased.wish_in_force
    national = registry_check(id_number=NATIONAL_ONLY_ID)
    assert national.source == "national" and national.national.wish_in_force and national.national.body
