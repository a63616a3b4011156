"""The case-closed hook: closing an organ or a body case through the cases' services makes exactly one
family record, with the family's main contact (the organ case's hand-over, then taken on; the body
case's notifier), audited; a second call makes nothing."""

import pytest

from boai.audit.models import AuditEntry
from boai.cases.models import BodyCase, FamilyHandover, OrganCase
from boai.cases.tests.helpers import ORGAN_STEPS, open_body, open_organ, take, walk_body, walk_organ
from boai.core.tests.personas import user

from ..models import Family, FamilyMember
from ..services.families import family_for_closed_case

pytestmark = pytest.mark.django_db


def test_closing_an_organ_case_makes_one_family_with_the_handed_over_contact():
    case_id = open_organ()["id"]
    walk_organ(case_id, "allocated")
    assert not Family.objects.exists()
    response = take("organ", case_id, "closed", "coordinator", ORGAN_STEPS["closed"])
    assert response.status_code == 200, response.json()
    case = OrganCase.objects.get(pk=case_id)
    family = Family.objects.get()
    assert family.organ_case == case and family.reference == case.number and family.donation_kind == "organ"
    assert family.donor_name == case.name and family.region_id == case.region_id
    member = FamilyMember.objects.get(family=family)
    assert (member.name, member.relationship, member.phone, member.is_main_contact) == (
        "普丽",
        "spouse",
        "13700003333",
        True,
    )
    assert FamilyHandover.objects.get(case=case).state == FamilyHandover.State.TAKEN
    assert AuditEntry.objects.filter(action="care.family.created", object_id=str(family.pk)).count() == 1
    # a second call (a replayed hook) makes nothing
    before = (Family.objects.count(), FamilyMember.objects.count(), AuditEntry.objects.count())
    assert family_for_closed_case(case=case, actor=user("coordinator")) is None
    assert (Family.objects.count(), FamilyMember.objects.count(), AuditEntry.objects.count()) == before


def test_closing_a_body_case_makes_one_family_with_the_notifier():
    case_id = open_body()["id"]
    walk_body(case_id, "closed")
    case = BodyCase.objects.get(pk=case_id)
    family = Family.objects.get(body_case=case)
    assert family.donation_kind == "body" and family.reference == case.number
    member = family.members.get()
    assert member.name == case.notifier_name and member.phone == case.notifier_phone and member.is_main_contact
    assert Family.objects.count() == 1
    assert family_for_closed_case(case=case, actor=user("wuhua_staff")) is None
    assert Family.objects.count() == 1
