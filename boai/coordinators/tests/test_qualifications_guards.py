"""Review findings on qualifications: an already expired qualification is not recorded (it would
count its holder as qualified)."""

from datetime import timedelta

import pytest
from django.utils import translation

from boai.core.errors import InvalidInput
from boai.core.tests.personas import user

from ..models import Coordinator
from .factories import make_coordinator, today
from .test_qualifications_services import counts, record

pytestmark = pytest.mark.django_db


def test_an_already_expired_qualification_is_refused_and_nothing_is_written():
    trainee = make_coordinator(name="过期证", state=Coordinator.State.TRAINEE)
    before = counts()
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        record(trainee, issued_on=today() - timedelta(days=800), valid_until=today() - timedelta(days=1))
    assert counts() == before and refused.value.field == "valid_until"
    assert "expired on" in str(refused.value.message)
    assert Coordinator.objects.get(pk=trainee.pk).state == Coordinator.State.TRAINEE
    # valid until today is still valid
    record(trainee, issued_on=today() - timedelta(days=800), valid_until=today(), actor=user("prov_admin"))
    assert Coordinator.objects.get(pk=trainee.pk).state == Coordinator.State.QUALIFIED
