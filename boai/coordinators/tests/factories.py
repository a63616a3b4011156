"""Records for the coordinators' tests, made straight in the database (the services under test make
them the checked way; these only set the scene)."""

from datetime import date
from itertools import count

from django.utils import timezone

from boai.core.demo import resident_id
from boai.core.models import Organisation, Region
from boai.core.tests.personas import user

from ..models import Coordinator, Qualification

_seq = count(1)


def make_coordinator(
    *,
    name: str = "测试协调员",
    region: str = "530102",
    organisation: str | None = None,
    state: str = Coordinator.State.APPLICANT,
    account=None,
    sex: str = "F",
    born: date = date(1988, 3, 1),
) -> Coordinator:
    """A coordinator in ``region`` (a county, prefecture or the province code), of the Red Cross branch
    of that region unless ``organisation`` (a code) says otherwise, in ``state``."""
    n = next(_seq)
    return Coordinator.objects.create(
        name=name,
        id_type="resident_id",
        id_number=resident_id("530102", born, sex, n % 90 + 5),
        sex=sex,
        birth_date=born,
        region=Region.objects.get(code=region),
        organisation=Organisation.objects.get(code=organisation or f"RC{region}"),
        user=account,
        state=state,
        profession="护士",
        department="重症医学科",
        education="bachelor",
        phone=f"139{n % 10**8:08d}",  # eleven digits however many the session made
        created_by=user("prov_admin"),
    )


def make_qualified(
    *,
    issued_on: date = date(2020, 6, 1),
    valid_until: date | None = None,
    qualification_state: str = Qualification.State.ACTIVE,
    **kwargs,
) -> Coordinator:
    """A qualified coordinator (``make_coordinator``'s arguments) with a live national qualification."""
    coordinator = make_coordinator(state=Coordinator.State.QUALIFIED, **kwargs)
    Qualification.objects.create(
        coordinator=coordinator,
        state=qualification_state,
        number=f"QX{coordinator.pk:06d}",
        issued_on=issued_on,
        issuing_body="中国人体器官捐献管理中心",
        valid_until=valid_until,
        created_by=user("prov_admin"),
    )
    return coordinator


def today():
    return timezone.localdate()
