"""One consent form typed for two consents at the same moment, on PostgreSQL's real row locks: the form
is used once, the other consent is refused and writes nothing."""

import threading
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from boai.cases.forms import ConsentStep
from boai.cases.models import CaseStep, OrganCase
from boai.cases.services import case_step
from boai.cases.tests.helpers import ORGAN_STEPS, PDF, open_organ, walk_organ
from boai.certificates.models import Certificate, Kind, State
from boai.core.errors import Conflict
from boai.core.tests.personas import user
from boai.registry.tests.helpers import resident_id

from .test_consent_forms import consent_stock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_consents_on_one_form_at_once_use_it_once(transactional_base_data):
    consent_stock(1, 5)
    cases = []
    for seq in ("41", "42"):
        case = open_organ(id_number=resident_id("530102", date(1971, 5, 6), seq, "M"), name=f"捐献者{seq}")["id"]
        walk_organ(case, "family_approached")
        cases.append(OrganCase.objects.get(pk=case))
    barrier = threading.Barrier(2)
    outcomes = []

    def cleaned():
        """The consent step's fields as its form cleans them, on form ZQ00000003."""
        fields = {**ORGAN_STEPS["consented"], "consent_form_number": "ZQ00000003"}
        form = ConsentStep(data=fields, files={"scan": SimpleUploadedFile("s.pdf", PDF, "application/pdf")})
        assert form.is_valid(), form.errors
        return form.cleaned_data

    def consent(case, data):
        try:
            barrier.wait()
            case_step(case=case, to="consented", data=data, actor=user("coordinator"), version=case.version)
            outcomes.append("saved")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=consent, args=(c, cleaned())) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["consent_form.used", "saved"]
    form = Certificate.objects.get(kind=Kind.ORGAN_CONSENT, serial=3)
    assert form.state == State.ISSUED and form.events.filter(to_state=State.ISSUED).count() == 1
    consented = [c for c in cases if CaseStep.objects.filter(organ_case=c, to_state="consented").exists()]
    assert [c.pk for c in consented] == [form.organ_case_id]
