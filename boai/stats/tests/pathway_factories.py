"""Organ cases built by hand for the donor pathway's tests, with the timeline the case workflow
records: the opening, then one step into each state the case went through."""

import itertools
from datetime import date, datetime, timedelta

from boai.cases.models import CaseStep, OrganCase, OrganOutcome
from boai.core.figures import SHANGHAI
from boai.core.tests.personas import user
from boai.registry.tests.helpers import resident_id

H1, H2, H3 = "昆明医科大学第一附属医院", "云南省第一人民医院", "曲靖市第一人民医院"
EVALUATED = ["evaluating", "first_determination", "death_determined"]
APPROACHED = [*EVALUATED, "family_approached"]
CONSENTED = [*APPROACHED, "consented", "ethics_approved"]
PROCURED = [*CONSENTED, "procured"]
ORGANS = ("kidney", "liver", "heart", "lung", "pancreas")
_serial = itertools.count(1)


def beijing(y, m, d, h=10, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=SHANGHAI)


def organ_case(
    states,
    *,
    region="530102",
    hospital=H1,
    referred=None,
    counted=None,
    recipients=0,
    not_recovered=(),
    ended="",
):
    """An organ case with the timeline the workflow records: the opening, then a step into each of
    ``states`` (``ended``: the last step's name where it differs from its state, as a revoked consent)."""
    opo = user("opo_staff")
    referred = referred or beijing(2025, 3, 1)
    n = next(_serial)
    case = OrganCase.objects.create(
        number=f"PW{n:05d}",
        name=f"测试{n}",
        sex="M",
        birth_date=date(1970, 1, 1),
        id_type="resident_id",
        id_number=resident_id("530102", date(1970, 1, 1), f"{n % 90 + 10}", "M"),
        region_id=region,
        opened_at=referred,
        opened_by=opo,
        unit=opo.organization,
        hospital=hospital,
        diagnosis="重型颅脑损伤",
        referred_at=referred,
        state=states[-1] if states else "referred",
        counted_at=counted,
        beneficiaries=recipients,
    )
    before = ""
    for i, to in enumerate(["referred", *states]):
        at = referred + timedelta(hours=i)
        step = ended if (ended and i == len(states)) else ""
        CaseStep.objects.create(
            organ_case=case, from_state=before, to_state=to, step=step, actor=opo, recorded_at=at, occurred_at=at
        )
        before = to
    for organ, reason in zip(ORGANS, not_recovered, strict=False):
        OrganOutcome.objects.create(case=case, organ=organ, recovered=False, reason=reason)
    return case


def day_after(case):
    return case.referred_at + timedelta(days=1)
