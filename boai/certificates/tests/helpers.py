"""Helpers for certificate tests: a stock handed to and received by the demo OPO unit, closed cases."""

from datetime import date

from django.utils import timezone

from boai.cases.models import OrganCase
from boai.cases.tests.helpers import open_organ, walk_organ
from boai.certificates import services
from boai.certificates.models import Certificate, CertificateEvent, Kind
from boai.core.models import Organisation
from boai.core.tests.personas import user
from boai.registry.tests.helpers import resident_id

KMU1 = "OPO-KMU1"


def unit(code=KMU1) -> Organisation:
    return Organisation.objects.get(code=code)


def stock(first=1001, last=1010, hand=(1001, 1005), confirm=True):
    """A batch at the province, a range handed to OPO-KMU1 and (by default) confirmed by it."""
    services.batch_receive(
        actor=user("prov_admin"),
        serial_from=first,
        serial_to=last,
        received_on=date(2026, 1, 5),
        supplier="中国红十字会总会",
    )
    transfer = services.stock_hand_out(actor=user("prov_admin"), unit=unit(), serial_from=hand[0], serial_to=hand[1])
    if confirm:
        services.transfer_confirm(actor=user("opo_staff"), transfer=transfer)
    return transfer


def closed_case(seq="31", born=date(1971, 5, 6)) -> OrganCase:
    case = open_organ(id_number=resident_id("530102", born, seq, "M"), name=f"捐献者{seq}")
    walk_organ(case["id"], "closed")
    return OrganCase.objects.get(pk=case["id"])


def serial(n: int) -> Certificate:
    return Certificate.objects.get(kind=Kind.ORGAN, serial=n)


def issue(case, n, **kw):
    return services.organ_certificate_issue(
        actor=kw.pop("actor", user("opo_staff")),
        case=case,
        serial=n,
        recipient_name=kw.pop("recipient_name", "家属甲"),
        recipient_relationship="spouse",
        issued_on=kw.pop("issued_on", timezone.localdate()),
    )


def snapshot():
    from boai.audit.models import AuditEntry

    return (
        list(Certificate.objects.order_by("id").values_list("state", "unit_id", "organ_case_id", "version")),
        CertificateEvent.objects.count(),
        AuditEntry.objects.count(),
    )
