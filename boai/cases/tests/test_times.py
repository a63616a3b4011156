"""Times a step records besides its own cannot lie before the case's previous step, and a body's
papers cannot be dated before the death: refused with the field named, nothing written."""

import pytest

from boai.cases.models import CaseStep

from .helpers import BODY_STEPS, ago, open_body, open_organ, take, walk_body, walk_organ

pytestmark = pytest.mark.django_db


def refused_on(response, field, case_steps_before):
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"], response.json()
    assert CaseStep.objects.count() == case_steps_before


def test_life_support_cannot_be_withdrawn_before_the_ethics_approval():
    case = open_organ()["id"]
    walk_organ(case, "ethics_approved", category="c2")  # approved 2 hours ago
    before = CaseStep.objects.count()
    early = {
        "physicians": "赵军、孙丽",
        "treatment_withdrawn_at": ago(30),
        "circulatory_arrest_at": ago(hours=1, minutes=40),
        "observation_minutes": 5,
        "occurred_at": ago(hours=1, minutes=30),
    }
    refused_on(take("organ", case, "death_determined", "opo_staff", early), "treatment_withdrawn_at", before)


def test_a_witness_time_cannot_lie_before_the_previous_step():
    from .helpers import ORGAN_STEPS

    case = open_organ()["id"]
    walk_organ(case, "ethics_approved")
    before = CaseStep.objects.count()
    fields = {**ORGAN_STEPS["procured"], "witnessed_at": "2000-01-01T00:00"}
    refused_on(take("organ", case, "procured", "coordinator", fields), "witnessed_at", before)


def test_a_body_handed_over_or_transported_before_the_death_is_refused():
    case = open_body()["id"]
    walk_body(case, "accepted")
    before = CaseStep.objects.count()
    for field, value in (("handover_on", "2000-01-01"), ("transported_at", "2000-01-01T00:00")):
        response = take("body", case, "received", "station_staff", {**BODY_STEPS["received"], field: value})
        refused_on(response, field, before)
