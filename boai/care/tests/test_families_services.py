"""Family records made by hand, changed and their members kept: every wrong input refused with a clear
message under its field and nothing written; the case link only for a case of the clerk's area."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.core.demo import resident_id
from boai.core.errors import Conflict, InvalidFields, InvalidInput
from boai.core.tests.personas import user

from ..models import Family, FamilyMember
from ..services import families as services
from .factories import make_family

pytestmark = pytest.mark.django_db


def data(**changes) -> services.FamilyData:
    values = {
        "reference": "YN-OD-2020-001",
        "donation_kind": "organ",
        "donor_name": "何玉林",
        "donated_on": date(2020, 5, 4),
        "region": "530102",
        "address": "五华区某街道 12 号",
        "living_situation": "老人独居",
        "special_needs": "",
        "responsible": None,
        "preferred_channel": "visit",
        "wants_outcome": True,
    } | changes
    return services.FamilyData(**values)


def member(**changes) -> services.MemberData:
    return services.MemberData(**({"name": "何明", "relationship": "child", "phone": "138 0013 8111"} | changes))


def written():
    return Family.objects.count(), FamilyMember.objects.count(), AuditEntry.objects.count()


def test_a_clerk_makes_a_family_for_an_older_case_with_its_first_member():
    family = services.family_create(
        actor=user("wuhua_staff"), data=data(responsible=user("wuhua_clerk").pk), member=member()
    )
    assert family.reference == "YN-OD-2020-001" and family.organ_case is None and family.region_id == "530102"
    assert family.responsible == user("wuhua_clerk")
    first = family.members.get()
    assert first.phone == "13800138111" and first.is_main_contact  # normalised
    entry = AuditEntry.objects.get(action="care.family.created", object_id=str(family.pk))
    assert "五华区" not in str(entry.changes)  # the address is named, never its value


@pytest.mark.parametrize(
    ("family", "first", "field"),
    [
        ({"donor_name": ""}, {}, "donor_name"),
        ({"donor_name": "何\u202e玉林"}, {}, "donor_name"),
        ({"donated_on": timezone.localdate() + timedelta(days=2)}, {}, "donated_on"),  # 2: a run may cross midnight
        ({"region": "530302"}, {}, "region"),  # Qilin: outside Wuhua
        ({"region": "530100"}, {}, "region"),  # a prefecture, not a county
        ({"reference": ""}, {}, "reference"),
        ({"responsible": None}, {"phone": "12345"}, "member_phone"),
        ({}, {"name": ""}, "member_name"),
        ({}, {"relationship": "cousin"}, "member_relationship"),
        ({}, {"id_type": "resident_id", "id_number": "530102198001011234"}, "member_id_number"),
    ],
)
def test_bad_input_is_refused_under_its_field_and_nothing_is_written(family, first, field):
    before = written()
    with pytest.raises(InvalidFields) as refused:
        services.family_create(actor=user("wuhua_staff"), data=data(**family), member=member(**first))
    assert field in refused.value.errors and all(refused.value.errors[field])
    assert written() == before


def test_a_staff_member_of_a_branch_not_covering_the_county_cannot_be_responsible():
    before = written()
    with pytest.raises(InvalidFields) as refused:
        services.family_create(actor=user("prov_admin"), data=data(responsible=user("qilin_staff").pk), member=member())
    assert "responsible" in refused.value.errors and written() == before


def test_a_member_with_a_valid_id_number_is_kept_and_duplicates_of_a_reference_refused():
    number = resident_id("530102", date(1975, 3, 2), "M", 17)
    family = services.family_create(
        actor=user("wuhua_staff"), data=data(), member=member(id_type="resident_id", id_number=number)
    )
    assert family.members.get().id_number == number
    before = written()
    with pytest.raises(InvalidFields) as refused:
        services.family_create(actor=user("wuhua_staff"), data=data(), member=member())
    assert "reference" in refused.value.errors and written() == before


def test_a_change_with_a_stale_version_is_refused_and_a_good_one_saved():
    family = make_family()
    wrong = data(donor_name="新名字", region=family.region_id)
    with pytest.raises(Conflict):
        services.family_update(family=family, actor=user("wuhua_staff"), data=wrong, version=family.version + 1)
    family.refresh_from_db()
    assert family.donor_name == "测试捐献者"
    with pytest.raises(InvalidFields):
        services.family_update(
            family=family, actor=user("wuhua_staff"), data=data(donor_name=""), version=family.version
        )
    changed = services.family_update(family=family, actor=user("wuhua_staff"), data=wrong, version=family.version)
    assert changed.donor_name == "新名字" and changed.version == family.version + 1
    assert AuditEntry.objects.filter(action="care.family.changed", object_id=str(family.pk)).exists()


def test_members_are_added_changed_and_removed_but_kept():
    family = make_family()
    before = written()
    with pytest.raises(InvalidFields):
        services.member_add(family=family, actor=user("wuhua_staff"), data=member(phone="not a phone"))
    assert written() == before
    added = services.member_add(
        family=family, actor=user("wuhua_staff"), data=member(name="何芳", is_main_contact=True)
    )
    assert added.is_main_contact and family.members.filter(is_main_contact=True).count() == 1
    changed = services.member_update(member=added, actor=user("wuhua_staff"), data=member(name="何芳芳", phone=""))
    assert changed.name == "何芳芳" and changed.phone == ""
    removed = services.member_remove(member=changed, actor=user("wuhua_staff"))
    assert removed.active is False and FamilyMember.objects.filter(pk=added.pk, name="何芳芳").exists()
    with pytest.raises(Conflict):
        services.member_update(member=removed, actor=user("wuhua_staff"), data=member())


def test_reveal_needs_a_reason_and_is_audited():
    family = make_family()
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput):
        services.family_reveal(family=family, actor=user("wuhua_staff"), reason=" ")
    assert AuditEntry.objects.count() == before
    values = services.family_reveal(family=family, actor=user("wuhua_staff"), reason="安排清明家访")
    assert values["members"][0]["phone"] == "13800138000"
    entry = AuditEntry.objects.get(action="care.family.revealed")
    assert entry.changes["reason"] == "安排清明家访"
