"""Central numbering of body donation certificates on PostgreSQL: 32 issuers at once, real connections."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from boai.cases.models import BodyCase
from boai.certificates.models import Certificate, Kind
from boai.certificates.services import body_certificate_issue
from boai.core.models import Organisation
from boai.core.tests.personas import user
from boai.registry.tests.helpers import resident_id

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ISSUERS = 32


def received_cases(n):
    from datetime import date

    station, clerk, now = Organisation.objects.get(code="RS-KMU"), user("wuhua_staff"), timezone.now()
    return [
        BodyCase.objects.create(
            number=f"BDTEST{i:04d}",
            name=f"逝者{i}",
            sex="F",
            birth_date=date(1940, 1, 1),
            id_type="resident_id",
            id_number=resident_id("530102", date(1940, 1, 1), f"{i % 100:02d}", "F"),
            region_id="530102",
            opened_at=now,
            opened_by=clerk,
            station=station,
            basis="joint",
            place_of_death="家中",
            notifier_name="家属",
            notifier_relationship="child",
            notifier_phone="13900001111",
            state="received",
            died_at=now - timedelta(days=1),
            received_at=now,
        )
        for i in range(n)
    ]


def test_32_issuers_at_once_get_32_different_numbers_without_a_gap(transactional_base_data):
    cases = received_cases(ISSUERS + 1)
    barrier = threading.Barrier(ISSUERS)
    errors = []

    def issue(case):
        try:
            barrier.wait()
            body_certificate_issue(actor=user("prov_admin"), case=case, kind=Kind.BODY_RECEPTION)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(case,)) for case in cases[:ISSUERS]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sequences = sorted(Certificate.objects.filter(kind=Kind.BODY_RECEPTION).values_list("sequence", flat=True))
    assert sequences == list(range(1, ISSUERS + 1))
    # an issue that rolls back leaves no gap: the next number is still the next one
    with pytest.raises(RuntimeError), transaction.atomic():
        body_certificate_issue(actor=user("prov_admin"), case=cases[-1], kind=Kind.BODY_RECEPTION)
        raise RuntimeError("the surrounding step failed")
    last = body_certificate_issue(actor=user("prov_admin"), case=cases[-1], kind=Kind.BODY_RECEPTION)
    assert last.sequence == ISSUERS + 1
