"""Coordinator records through their services: each step, and each wrong step refused with nothing
written (no record, no change, no audit entry)."""

from datetime import date

import pytest

from boai.accounts.models import User
from boai.audit.models import AuditEntry
from boai.core.demo import resident_id
from boai.core.errors import Conflict, InvalidFields, InvalidInput, NotAllowed
from boai.core.models import Organisation
from boai.core.tests.personas import user

from ..models import Coordinator
from ..services import people as services
from .factories import make_coordinator

pytestmark = pytest.mark.django_db

ID = resident_id("530102", date(1986, 7, 14), "F", 31)


def data(**changes) -> services.CoordinatorData:
    values = {
        "name": "周琳",
        "id_type": "resident_id",
        "id_number": ID,
        "phone": "13988776655",
        "region": "530102",
        "organisation": "RC530102",
        "profession": "护士",
        "department": "重症医学科",
        "education": "bachelor",
        "title": "主管护师",
        "email": "zhoulin@example.cn",
    }
    return services.CoordinatorData(**(values | changes))


def account(username="xie_coord", *, role="coordinator", org="RC530102", active=True) -> User:
    return User.objects.create(
        username=username,
        full_name="谢婷",
        role=role,
        organization=Organisation.objects.get(code=org),
        is_active=active,
    )


class Unchanged:
    """Counts records and audit entries before a refused step; ``check()`` asserts none was added."""

    def __init__(self):
        self.before = (Coordinator.objects.count(), AuditEntry.objects.count())

    def check(self):
        assert (Coordinator.objects.count(), AuditEntry.objects.count()) == self.before


def test_a_branch_clerk_creates_a_record_with_sex_and_birth_date_from_the_resident_id():
    c = services.coordinator_create(actor=user("wuhua_staff"), data=data())
    c.refresh_from_db()
    assert (c.name, c.sex, c.birth_date, c.state) == ("周琳", "F", date(1986, 7, 14), "applicant")
    assert (c.region_id, c.organisation.code, c.phone, c.email) == ("530102", "RC530102", "13988776655", data().email)
    entry = AuditEntry.objects.filter(action="coordinators.coordinator.created", object_id=str(c.pk)).get()
    assert entry.changes["protected"] == ["id_number", "birth_date", "phone", "email"]
    assert "13988776655" not in str(entry.changes) and ID not in str(entry.changes)  # protected values never in the log


def test_a_hospital_coordinator_works_for_an_opo_unit():
    c = services.coordinator_create(actor=user("kunming_staff"), data=data(organisation="OPO-KMU1"))
    assert c.organisation.type == Organisation.Type.OPO_UNIT


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"id_number": ID[:-1] + ("0" if ID[-1] != "0" else "1")}, "id_number"),  # a wrong check digit
        ({"phone": "0871-1234567"}, "phone"),  # not a mobile
        ({"name": ""}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"region": "110101"}, "region"),  # not in Yunnan
        ({"organisation": "RS-KMU"}, "organisation"),  # a reception station is not a coordinator's organisation
        ({"organisation": "NOPE"}, "organisation"),
        ({"education": "phd"}, "education"),
    ],
)
def test_invalid_input_is_refused_on_its_field_with_nothing_written(changes, field):
    unchanged = Unchanged()
    with pytest.raises(InvalidFields) as exc:
        services.coordinator_create(actor=user("wuhua_staff"), data=data(**changes))
    assert field in exc.value.errors
    unchanged.check()


def test_an_area_outside_the_clerks_own_is_refused(english):
    unchanged = Unchanged()
    with pytest.raises(InvalidFields) as exc:
        services.coordinator_create(actor=user("wuhua_staff"), data=data(region="530302", organisation="RC530302"))
    assert "area in scope" in exc.value.errors["region"][0]
    assert "organisation in scope" in exc.value.errors["organisation"][0]
    unchanged.check()


def test_an_organisation_outside_the_clerks_area_is_refused_even_for_an_area_inside():
    unchanged = Unchanged()
    with pytest.raises(InvalidFields) as exc:
        services.coordinator_create(actor=user("wuhua_staff"), data=data(organisation="RC530100"))
    assert list(exc.value.errors) == ["organisation"]
    unchanged.check()


def test_one_record_per_person_links_the_existing_record_for_who_may_see_it():
    first = services.coordinator_create(actor=user("wuhua_staff"), data=data())
    unchanged = Unchanged()
    with pytest.raises(services.DuplicateCoordinator) as exc:
        services.coordinator_create(actor=user("kunming_staff"), data=data(name="周琳", phone="13900001111"))
    assert exc.value.existing == first and "周琳" in str(exc.value.message)
    unchanged.check()


def test_one_record_per_person_answers_neutrally_outside_the_area(english):
    services.coordinator_create(actor=user("wuhua_staff"), data=data())
    unchanged = Unchanged()
    with pytest.raises(services.DuplicateCoordinator) as exc:
        services.coordinator_create(
            actor=user("qilin_staff"), data=data(region="530302", organisation="RC530302", name="别名")
        )
    assert exc.value.existing is None
    assert "周琳" not in str(exc.value.message) and "already on record" in str(exc.value.message)
    unchanged.check()


def test_a_coordinator_account_may_not_create_records():
    unchanged = Unchanged()
    with pytest.raises(NotAllowed):
        services.coordinator_create(actor=user("coordinator"), data=data(region="530000", organisation="RC530000"))
    unchanged.check()


def test_a_change_with_the_version_read_is_saved_and_audited():
    c = make_coordinator(region="530102")
    changed = services.coordinator_update(
        coordinator=c,
        actor=user("wuhua_staff"),
        data=_with(c, phone="13711112222", title="副主任护师"),
        version=c.version,
    )
    assert (changed.phone, changed.title, changed.version) == ("13711112222", "副主任护师", c.version + 1)
    entry = AuditEntry.objects.get(action="coordinators.coordinator.changed", object_id=str(c.pk))
    assert entry.changes == {"title": ["", "副主任护师"], "protected": ["phone"]}


def _with(c, **changes):
    current = services.CoordinatorData.of(c)
    for key, value in changes.items():
        setattr(current, key, value)
    return current


def test_a_stale_version_is_refused_with_nothing_written():
    c = make_coordinator(region="530102")
    unchanged = Unchanged()
    with pytest.raises(Conflict) as exc:
        services.coordinator_update(
            coordinator=c, actor=user("wuhua_staff"), data=_with(c, title="主任"), version=c.version - 1
        )
    assert exc.value.code == "stale"
    c.refresh_from_db()
    assert c.title == "" and c.version == 1
    unchanged.check()


def test_changing_to_another_persons_id_number_is_refused():
    a = make_coordinator(region="530102")
    b = make_coordinator(region="530102", born=date(1990, 1, 1))
    with pytest.raises(services.DuplicateCoordinator):
        services.coordinator_update(
            coordinator=b,
            actor=user("wuhua_staff"),
            data=_with(b, id_number=a.id_number, birth_date=None, sex=""),
            version=b.version,
        )
    b.refresh_from_db()
    assert b.id_number != a.id_number


def test_linking_and_unlinking_a_coordinator_account_is_audited():
    c = make_coordinator(region="530102")
    acct = account()
    services.coordinator_link_account(coordinator=c, actor=user("wuhua_staff"), account=acct)
    c.refresh_from_db()
    assert c.user == acct
    services.coordinator_unlink_account(coordinator=c, actor=user("wuhua_staff"))
    c.refresh_from_db()
    assert c.user is None
    actions = list(
        AuditEntry.objects.filter(object_type="coordinators.coordinator", object_id=str(c.pk))
        .order_by("id")
        .values_list("action", "changes__account")
    )
    assert actions[-2:] == [
        ("coordinators.coordinator.account_linked", "xie_coord"),
        ("coordinators.coordinator.account_unlinked", "xie_coord"),
    ]


@pytest.mark.parametrize(
    "kwargs, rule",
    [
        ({"role": "branch_staff"}, "coordinator role"),
        ({"active": False}, "active account"),
        ({"org": "RC530302"}, "account in scope"),
    ],
)
def test_a_wrong_account_is_refused(kwargs, rule, english):
    c = make_coordinator(region="530102")
    acct = account(**kwargs)
    unchanged = Unchanged()
    with pytest.raises(InvalidInput) as exc:
        services.coordinator_link_account(coordinator=c, actor=user("wuhua_staff"), account=acct)
    assert rule in str(exc.value.message)
    c.refresh_from_db()
    assert c.user is None
    unchanged.check()


def test_an_account_linked_to_another_record_is_refused():
    acct = account()
    make_coordinator(region="530102", account=acct)
    c = make_coordinator(region="530102", born=date(1991, 2, 2))
    unchanged = Unchanged()
    with pytest.raises(Conflict) as exc:
        services.coordinator_link_account(coordinator=c, actor=user("wuhua_staff"), account=acct)
    assert exc.value.code == "account_taken"
    unchanged.check()


def test_reveal_needs_a_reason_and_is_audited():
    c = make_coordinator(region="530102")
    unchanged = Unchanged()
    with pytest.raises(InvalidInput):
        services.coordinator_reveal(coordinator=c, actor=user("wuhua_staff"), reason=" ab ")
    unchanged.check()
    values = services.coordinator_reveal(coordinator=c, actor=user("wuhua_staff"), reason="联系培训事宜")
    assert values["phone"] == c.phone
    entry = AuditEntry.objects.get(action="coordinators.coordinator.revealed", object_id=str(c.pk))
    assert entry.changes == {"fields": ["phone", "email"], "reason": "联系培训事宜"}


def test_an_auditor_may_not_reveal_contacts():
    c = make_coordinator(region="530102")
    unchanged = Unchanged()
    with pytest.raises(NotAllowed):
        services.coordinator_reveal(coordinator=c, actor=user("auditor"), reason="看看电话")
    unchanged.check()


def test_two_clerks_entering_the_same_person_at_once_end_with_one_record(monkeypatch):
    """The race the first look-up cannot see: the unique index refuses the second record, and the clerk
    gets the same answer as a duplicate found up front (nothing written)."""
    services.coordinator_create(actor=user("wuhua_staff"), data=data())
    real, calls = services._duplicate, []

    def missed_once(actor, id_number, *, exclude=None):
        calls.append(id_number)
        if len(calls) > 1:  # the second look-up, after the index refused the row
            real(actor, id_number, exclude=exclude)

    monkeypatch.setattr(services, "_duplicate", missed_once)
    unchanged = Unchanged()
    with pytest.raises(services.DuplicateCoordinator) as exc:
        services.coordinator_create(actor=user("kunming_staff"), data=data(phone="13900001111"))
    assert exc.value.existing is not None and len(calls) == 2
    unchanged.check()
