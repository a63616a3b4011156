"""The demo data follows its own rules: every date in it comes after the dates it depends on
(relatives sign on the day the consent is recorded, in Beijing time, and not before the case was
opened; a body is cremated after its use; a certificate is issued after the donation), so that a
reader of `make run` learns the rules from the data. The demo is loaded at 01:00 in Beijing, when
the UTC date is still the day before: a date taken in UTC shows up as a day too early."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from boai.cases.demo import load_demo_cases
from boai.cases.models import BodyCase, OrganCase, Signer
from boai.certificates.demo import load_demo_certificates
from boai.certificates.models import Certificate, Kind
from boai.registry.models import ConsentRecord, Registration

pytestmark = pytest.mark.django_db


LOADED_AT = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)  # 01:00 on 5 December in Beijing
# The registry's part of the demo is the tests' baseline, loaded at the real time before any test patches
# the clock: its dates are bounded by the real day, not by LOADED_AT.
real_now = timezone.now


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: LOADED_AT)
    load_demo_cases()
    load_demo_certificates()
    return timezone.localdate()


def local(moment):
    return timezone.localdate(moment)


def test_every_case_step_follows_the_previous_one_and_none_is_in_the_future(demo):
    now = timezone.now()
    for case in [*OrganCase.objects.all(), *BodyCase.objects.all()]:
        times = [step.occurred_at for step in case.steps.order_by("recorded_at", "id")]
        assert times == sorted(times), case.number
        assert times[-1] <= now, case.number


def test_relatives_sign_on_or_before_the_day_the_consent_is_recorded_and_not_before_the_case(demo):
    signers = Signer.objects.select_related("step__organ_case", "step__body_case").exclude(signed_on=None)
    assert signers.exists()
    for signer in signers:
        step = signer.step
        case = step.case
        opened = local(case.opened_at)
        if case.died_at:  # a body donation's relatives sign after the death, at the earliest that day
            opened = min(opened, local(case.died_at))
        assert opened <= signer.signed_on <= local(step.occurred_at), (case.number, signer.signed_on)
        if step.to_state == "consented":  # the demo's relatives sign the day the consent is recorded
            assert signer.signed_on == local(step.occurred_at), (case.number, signer.signed_on)


def test_a_body_is_cremated_after_its_use_and_honoured_after_its_reception(demo):
    checked = 0
    for case in BodyCase.objects.all():
        steps = {step.to_state: step for step in case.steps.all()}
        if case.died_at:
            for day in (case.death_certificate_date, case.handover_on):
                assert day is None or day >= local(case.died_at), case.number
            for moment in (case.received_at, case.transported_at):
                assert moment is None or moment >= case.died_at, case.number
        if case.honoured_at and case.received_at:
            assert case.honoured_at >= case.received_at, case.number
        if "remains_handled" in steps:
            cremated = date.fromisoformat(steps["remains_handled"].data["cremated_on"])
            assert "in_use" in steps and cremated >= local(steps["in_use"].occurred_at), case.number
            assert cremated <= local(steps["remains_handled"].occurred_at), case.number
            checked += 1
    assert checked


def test_certificates_are_issued_after_the_donation_they_certify(demo):
    issued = Certificate.objects.exclude(issued_on=None)
    assert issued.exists()
    for certificate in issued:
        case = certificate.organ_case or certificate.body_case
        assert certificate.issued_on <= demo
        if certificate.kind == Kind.ORGAN_CONSENT:  # the family's form, used at the consent
            consent = case.steps.get(to_state="consented")
            assert certificate.issued_on == local(consent.occurred_at), case.number
        elif case is not None:
            assert case.counted_at is not None and certificate.issued_on >= local(case.counted_at), case.number


def test_registrations_are_withdrawn_or_marked_deceased_after_they_were_made(demo):
    for registration in Registration.objects.all():
        assert local(registration.registered_at) <= demo
        if registration.withdrawn_at:
            assert registration.registered_at <= registration.withdrawn_at <= timezone.now()
        if registration.deceased_on:
            assert local(registration.registered_at) <= registration.deceased_on <= local(real_now())


def test_blank_stock_is_received_then_handed_then_confirmed_before_it_is_used(demo):
    from boai.certificates.models import CertificateBatch, StockTransfer

    for transfer in StockTransfer.objects.all():
        batches = CertificateBatch.objects.filter(
            kind=transfer.kind, serial_from__lte=transfer.serial_from, serial_to__gte=transfer.serial_to
        )
        assert batches.exists()
        assert all(batch.received_on <= local(transfer.handed_at) for batch in batches), transfer.pk
        assert transfer.received_at is None or transfer.handed_at <= transfer.received_at, transfer.pk
    for certificate in Certificate.objects.exclude(issued_on=None).exclude(transfer=None).select_related("transfer"):
        received = certificate.transfer.received_at
        assert received is not None and local(received) <= certificate.issued_on, certificate.number


def test_the_deceased_registrant_died_on_the_day_their_case_records_the_death(monkeypatch):
    """The registry marks the registrant deceased on the day the case demo determines the death: at
    01:00 Beijing time, a death two hours earlier was on the day before."""
    from boai.core.fields import index_for
    from boai.registry import demo as registry_demo

    monkeypatch.setattr(timezone, "now", lambda: LOADED_AT)
    index = index_for("id_number", registry_demo.DECEASED_REGISTRANT_ID)
    old = Registration.objects.filter(id_number_index=index)  # the baseline's, loaded at another time
    ConsentRecord.objects.filter(registration__in=old).delete()
    old.delete()
    registry_demo._deceased_registrant()
    load_demo_cases()
    reg = Registration.objects.get(id_number_index=index)
    case = OrganCase.objects.get(id_number_index=index)
    assert case.died_at is not None
    assert reg.deceased_on == local(case.died_at), case.number
