"""Certificate writes. Organ certificates and organ donation consent forms (the stock kinds) move
through a closed loop of states (``workflow.MOVES``); body donation certificates are numbered at issue
from a gapless counter. A single certificate moves
through the workflow engine (``transition_take``: lock, version, state, CertificateEvent, audit
entry, one transaction); a range of blanks moves in one statement, by the same table."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.roles import check_perm, role_has_perm
from boai.audit.services import audit_log
from boai.cases.models import BodyCase, OrganCase  # certificates -> cases, one way: cases never imports certificates
from boai.core.errors import Conflict, DomainError, InvalidInput, NotAllowed
from boai.core.models import Organisation, Region
from boai.core.people import name_problem
from boai.core.services import PROVINCE_CODE, counter_next
from boai.core.workflow import transition_take
from boai.lib.text import fold_typed

from .models import (
    MAX_SERIAL,
    STOCK_KINDS,
    Certificate,
    CertificateBatch,
    CertificateEvent,
    Kind,
    State,
    StockTransfer,
    new_check_code,
)
from .workflow import MOVES, STOCK_WORKFLOWS, WHAT, workflow_for
from .workflow import event as _event
from .workflow import wrong_state as _refused_move

MAX_RANGE = 100_000


def certificate_number(kind: str, **parts) -> str:
    """The printed number of a certificate, in the format the settings give for its kind."""
    return settings.BOAI_CERT_FORMATS[kind].format(**parts)


def _province() -> Region:
    return Region.objects.get(code=PROVINCE_CODE)


def _check_kind(kind: str) -> None:
    if kind not in STOCK_KINDS:
        raise InvalidInput(_("Choose the kind of blank stock."), field="kind")


def _check_range(serial_from: int, serial_to: int) -> None:
    if serial_from is None or serial_to is None or serial_from < 1 or serial_to < serial_from:
        raise InvalidInput(
            _("Give a range of serials: the first at least 1, the last not below the first."), field="serial_to"
        )
    if serial_to > MAX_SERIAL:
        raise InvalidInput(_("A serial can be at most %(max)d.") % {"max": MAX_SERIAL}, field="serial_to")
    if serial_to - serial_from + 1 > MAX_RANGE:
        raise InvalidInput(_("At most %(n)d certificates at a time.") % {"n": MAX_RANGE}, field="serial_to")


@transaction.atomic
def batch_receive(
    *,
    actor,
    serial_from: int,
    serial_to: int,
    received_on: date,
    supplier: str,
    note: str = "",
    kind: str = Kind.ORGAN,
    now=None,
) -> CertificateBatch:
    """The province records a batch of blank stock of one kind (organ certificates, consent forms):
    every serial becomes a row in stock."""
    check_perm(actor, "certificates.stock")
    now = now or timezone.now()
    _check_kind(kind)
    _check_range(serial_from, serial_to)
    if received_on > timezone.localdate(now):
        raise InvalidInput(_("The date cannot be in the future."), field="received_on")
    if not (supplier or "").strip():
        raise InvalidInput(_("Say whom the certificates came from."), field="supplier")
    counter_next("certificate:batches")  # one batch at a time: two overlapping ranges never race
    clash = Certificate.objects.filter(kind=kind, serial__range=(serial_from, serial_to)).order_by("serial")
    first = clash.values_list("number", flat=True).first()
    if first:
        raise Conflict(
            _("Serial %(number)s is already in stock: a serial is received only once.") % {"number": first},
            code="cert.serial_exists",
        )
    batch = CertificateBatch.objects.create(
        kind=kind,
        serial_from=serial_from,
        serial_to=serial_to,
        received_on=received_on,
        supplier=supplier.strip()[:128],
        note=(note or "").strip()[:200],
        created_by=actor,
        created_at=now,
    )
    province = _province()
    start = STOCK_WORKFLOWS[kind].start
    rows = [
        Certificate(
            kind=kind,
            number=certificate_number(kind, serial=serial),
            serial=serial,
            batch=batch,
            state=start,
            region=province,
            changed_at=now,
        )
        for serial in range(serial_from, serial_to + 1)
    ]
    Certificate.objects.bulk_create(rows, batch_size=2000)
    created = Certificate.objects.filter(batch=batch).only("id", "state")
    CertificateEvent.objects.bulk_create(
        [_event(c, start, actor, now, from_state="") for c in created], batch_size=2000
    )
    audit_log(
        action="certificates.batch.received",
        actor=actor,
        obj=batch,
        now=now,
        changes={"kind": kind, "serials": [serial_from, serial_to], "count": batch.size, "supplier": batch.supplier},
    )
    return batch


def _locked_range(kind: str, serial_from: int, serial_to: int, allowed: set, what: str):
    rows = list(
        Certificate.objects.select_for_update()
        .filter(kind=kind, serial__range=(serial_from, serial_to))
        .order_by("serial")
    )
    if len(rows) != serial_to - serial_from + 1:
        present = {c.serial for c in rows}
        missing = next(s for s in range(serial_from, serial_to + 1) if s not in present)
        raise Conflict(
            _("Serial %(number)s is not in the stock: check the range.")
            % {"number": certificate_number(kind, serial=missing)},
            code="cert.serial_missing",
        )
    bad = next((c for c in rows if c.state not in allowed), None)
    if bad is not None:
        raise Conflict(
            _("Serial %(number)s cannot be %(what)s: it is “%(state)s”.")
            % {"number": bad.number, "what": what, "state": bad.get_state_display()},
            code="cert.wrong_state",
        )
    return rows


@transaction.atomic
def stock_hand_out(
    *, actor, unit: Organisation, serial_from: int, serial_to: int, kind: str = Kind.ORGAN, now=None
) -> StockTransfer:
    """The province hands a range of blanks of one kind to an OPO member unit; the unit then confirms receipt."""
    check_perm(actor, "certificates.stock")
    now = now or timezone.now()
    _check_kind(kind)
    _check_range(serial_from, serial_to)
    if unit.type != Organisation.Type.OPO_UNIT or not unit.is_active:
        raise InvalidInput(_("Choose an active OPO member unit."), field="unit")
    rows = _locked_range(kind, serial_from, serial_to, MOVES[kind][State.HANDED], WHAT[State.HANDED])
    transfer = StockTransfer.objects.create(
        kind=kind,
        unit=unit,
        serial_from=serial_from,
        serial_to=serial_to,
        count=len(rows),
        handed_by=actor,
        handed_at=now,
    )
    events = [_event(c, State.HANDED, actor, now, unit=unit) for c in rows]
    Certificate.objects.filter(pk__in=[c.pk for c in rows]).update(
        state=State.HANDED, unit=unit, region=unit.region, transfer=transfer, changed_at=now
    )
    CertificateEvent.objects.bulk_create(events, batch_size=2000)
    audit_log(
        action="certificates.stock.handed",
        actor=actor,
        obj=transfer,
        now=now,
        changes={"kind": kind, "unit": unit.code, "serials": [serial_from, serial_to], "count": len(rows)},
    )
    return transfer


@transaction.atomic
def transfer_confirm(*, actor, transfer: StockTransfer, now=None) -> StockTransfer:
    """The unit confirms it received the blanks handed to it (who, when)."""
    check_perm(actor, "certificates.unit")
    now = now or timezone.now()
    transfer = StockTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.unit_id != actor.organization_id:
        raise NotAllowed(_("Only the unit the certificates were handed to can confirm receipt."))
    if transfer.received_at:
        raise Conflict(_("This hand-over was already confirmed."), code="cert.already_confirmed")
    allowed = MOVES[transfer.kind][State.RECEIVED]
    rows = list(Certificate.objects.select_for_update().filter(transfer=transfer, state__in=allowed))
    events = [_event(c, State.RECEIVED, actor, now, unit=transfer.unit) for c in rows]
    Certificate.objects.filter(pk__in=[c.pk for c in rows]).update(state=State.RECEIVED, changed_at=now)
    CertificateEvent.objects.bulk_create(events, batch_size=2000)
    transfer.received_by, transfer.received_at = actor, now
    transfer.save(update_fields=["received_by", "received_at"])
    audit_log(
        action="certificates.stock.received",
        actor=actor,
        obj=transfer,
        now=now,
        changes={"unit": transfer.unit.code, "count": len(rows), "missing_on_arrival": transfer.count - len(rows)},
    )
    return transfer


def _lock(cert: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().get(pk=cert.pk)


def _wrong_state(cert: Certificate, to: str, allowed=None) -> Conflict | None:
    if cert.state in (MOVES[cert.kind][to] if allowed is None else allowed):
        return None
    return _refused_move(cert, None, to)


def _raise(refusal: DomainError | None) -> None:
    if refusal is not None:
        raise refusal


def organ_issue_refusal(*, actor, case, check_stock: bool = False) -> DomainError | None:
    """Why ``actor`` cannot issue an organ donation certificate for ``case`` now, or None if they can.
    The one place these rules live: the service raises the refusal, the pages show it before any form
    (``check_stock``: also refuse when the actor's unit holds no blank; the service instead checks the
    blank it is given)."""
    if not role_has_perm(getattr(actor, "role", ""), "certificates.unit"):
        return NotAllowed()
    if case.unit_id != actor.organization_id:
        return NotAllowed(_("Only the unit that referred the donor issues the certificate."))
    if case.state != OrganCase.State.CLOSED or not case.counted_at:
        return Conflict(
            _("A certificate is issued only for a closed case in which an organ was donated."),
            code="cert.case_not_closed",
        )
    if Certificate.objects.filter(organ_case=case, kind=Kind.ORGAN, state=State.ISSUED).exists():
        return Conflict(
            _("This case already has a valid certificate: void it (with the reason) before issuing another."),
            code="cert.case_has_certificate",
        )
    if (
        check_stock
        and not Certificate.objects.filter(kind=Kind.ORGAN, state=State.RECEIVED, unit=actor.organization_id).exists()
    ):
        return Conflict(
            _(
                "Your unit has no blank certificates in stock: confirm the receipt of a hand-over first, "
                "or ask the province."
            ),
            code="cert.no_stock",
        )
    return None


def issue_date_range(case, now=None) -> tuple[date, date]:
    """The days an organ certificate of ``case`` may carry: from the day the case was closed to today."""
    today = timezone.localdate(now or timezone.now())
    closed = timezone.localdate(case.closed_at) if case.closed_at else today
    return min(closed, today), today


@transaction.atomic
def organ_certificate_issue(
    *, actor, case, serial: int, recipient_name: str, recipient_relationship: str, issued_on: date, now=None
) -> Certificate:
    """A unit issues a blank it received to the family of a donor of one of its closed organ cases."""
    now = now or timezone.now()
    check_perm(actor, "certificates.unit")
    case = OrganCase.objects.select_for_update().get(pk=case.pk)  # one certificate per case: issuers queue here
    _raise(organ_issue_refusal(actor=actor, case=case))
    recipient_name = (recipient_name or "").strip()
    if not recipient_name:
        raise InvalidInput(
            _("Enter the name of the family member who receives the certificate."), field="recipient_name"
        )
    if problem := name_problem(recipient_name):  # printed on the certificate as stored
        raise InvalidInput(problem, field="recipient_name")
    earliest, latest = issue_date_range(case, now)
    if not earliest <= issued_on <= latest:
        raise InvalidInput(
            _("The issue date must be between the day the case was closed (%(closed)s) and today (%(today)s).")
            % {"closed": earliest.isoformat(), "today": latest.isoformat()},
            field="issued_on",
        )
    cert = Certificate.objects.select_for_update().filter(kind=Kind.ORGAN, serial=serial).first()
    if (
        cert is None
        or cert.unit_id != actor.organization_id
        or cert.state not in (State.RECEIVED, State.ISSUED, State.VOIDED, State.LOST)
    ):
        raise Conflict(
            _("Serial %(number)s was never received by your unit.")
            % {"number": certificate_number(Kind.ORGAN, serial=serial)},
            code="cert.not_received",
        )
    data = {"case": case, "recipient_name": recipient_name, "recipient_relationship": recipient_relationship}
    data["issued_on"] = issued_on
    return transition_take(cert, to=State.ISSUED, actor=actor, version=None, now=now, data=data)


def body_issue_refusal(*, actor, case, kind: str, check_perm: bool = True) -> DomainError | None:
    """Why a body donation certificate of ``kind`` cannot be issued for ``case`` now, or None: the rules
    of the service, for the pages to ask before they offer the action."""
    if check_perm and not role_has_perm(getattr(actor, "role", ""), "certificates.body"):
        return NotAllowed()
    if kind not in (Kind.BODY_RECEPTION, Kind.BODY_HONOUR):
        return InvalidInput(_("Choose the kind of certificate."), field="kind")
    needed = BodyCase.State.RECEIVED if kind == Kind.BODY_RECEPTION else BodyCase.State.HONOURED
    reached = {
        Kind.BODY_RECEPTION: case.received_at is not None,
        # honoured in place since the donation completes at reception (cases before: the state "honoured")
        Kind.BODY_HONOUR: case.honoured_at is not None
        or case.state in (BodyCase.State.HONOURED, BodyCase.State.CLOSED),
    }[kind]
    if not reached:
        return Conflict(
            _("This certificate is issued once the case has reached “%(state)s”.")
            % {"state": BodyCase.State(needed).label},
            code="cert.case_not_ready",
        )
    if Certificate.objects.filter(body_case=case, kind=kind, state=State.ISSUED).exists():
        return Conflict(
            _("This case already has a valid certificate of this kind: void it before issuing another."),
            code="cert.case_has_certificate",
        )
    return None


@transaction.atomic
def body_certificate_issue(*, actor, case, kind: str, now=None, check_perm: bool = True) -> Certificate:
    """A reception or honour certificate, numbered now: per kind and year, gapless (the counter row is
    locked until this transaction commits, so a rollback leaves no gap and two issuers never share a number).
    Its issue date is the day it is numbered: no date is taken from the user."""
    now = now or timezone.now()
    case = BodyCase.objects.select_for_update().get(pk=case.pk)
    _raise(body_issue_refusal(actor=actor, case=case, kind=kind, check_perm=check_perm))
    year = timezone.localtime(now).year
    sequence = counter_next(f"certificate:{kind}:{year}")
    cert = Certificate.objects.create(
        kind=kind,
        number=certificate_number(kind, year=year, sequence=sequence),
        year=year,
        sequence=sequence,
        state=State.ISSUED,
        unit=case.station,
        region=case.region,
        body_case=case,
        donor_name=case.name,
        recipient_name=case.notifier_name,
        recipient_relationship=case.notifier_relationship,
        issued_on=timezone.localdate(now),
        issued_by=actor,
        check_code=new_check_code(),
        changed_at=now,
    )
    _event(cert, State.ISSUED, actor, now, unit=case.station, from_state="").save()
    audit_log(
        action="certificates.certificate.issued",
        actor=actor,
        obj=cert,
        now=now,
        changes={"case": case.number, "kind": kind},
    )
    return cert


def void_refusal(*, actor, certificate: Certificate) -> DomainError | None:
    """Why ``actor`` cannot void this certificate in its present state, or None if they can (a reason,
    and for a spoiled blank a photo, are still needed)."""
    cert = certificate
    if cert.kind in STOCK_KINDS:
        return (
            _perm_refusal(actor, "certificates.unit") or _own_refusal(cert, actor) or _wrong_state(cert, State.VOIDED)
        )
    if not role_has_perm(getattr(actor, "role", ""), "certificates.body"):
        return NotAllowed()
    if cert.state != State.ISSUED:
        return Conflict(_("Only a valid certificate can be voided."), code="cert.wrong_state")
    return None


def lost_refusal(*, actor, certificate: Certificate) -> DomainError | None:
    """Why ``actor`` cannot report this certificate lost, or None: a unit reports its own blanks, the
    province only those lost on the way to a unit."""
    cert = certificate
    if role_has_perm(getattr(actor, "role", ""), "certificates.unit"):  # what it confirmed it received
        return _own_refusal(cert, actor) or _wrong_state(cert, State.LOST, allowed={State.RECEIVED})
    refusal = _perm_refusal(actor, "certificates.stock")
    if refusal is None and cert.state != State.HANDED:
        refusal = NotAllowed(_("The unit holding this certificate reports it lost."))
    return refusal or _wrong_state(cert, State.LOST)


def return_refusal(*, actor, certificate: Certificate) -> DomainError | None:
    """Why ``actor`` cannot give this blank back to the province, or None."""
    return (
        _perm_refusal(actor, "certificates.unit")
        or _own_refusal(certificate, actor)
        or _wrong_state(certificate, State.RETURNED)
    )


def reissue_refusal(*, actor, certificate: Certificate) -> DomainError | None:
    """Why ``actor`` cannot issue a replacement for this voided body donation certificate, or None."""
    if certificate.kind in STOCK_KINDS or certificate.body_case_id is None:
        return Conflict(code="cert.wrong_kind")  # an organ certificate is replaced by issuing another blank
    if certificate.state != State.VOIDED:
        return Conflict(_("Only a voided certificate is replaced."), code="cert.wrong_state")
    return body_issue_refusal(actor=actor, case=certificate.body_case, kind=certificate.kind)


@transaction.atomic
def certificate_void(*, actor, certificate: Certificate, reason: str, photo=None, version: int | None = None, now=None):
    """Void a certificate, keeping its number: a spoiled blank (with a photo), or an issued one to be
    replaced. Body donation certificates are voided by the province."""
    cert = _lock(certificate)
    _raise(void_refusal(actor=actor, certificate=cert))
    data = {"reason": (reason or "").strip(), "photo": photo}
    return transition_take(
        cert, to=State.VOIDED, actor=actor, version=version, now=now, data=data, flow=workflow_for(cert)
    )


def _perm_refusal(actor, perm: str) -> NotAllowed | None:
    return None if role_has_perm(getattr(actor, "role", ""), perm) else NotAllowed()


def _own_refusal(cert: Certificate, actor) -> NotAllowed | None:
    if cert.unit_id is None or cert.unit_id != actor.organization_id:
        return NotAllowed(_("This certificate is held by another unit."))
    return None


@transaction.atomic
def certificate_report_lost(*, actor, certificate: Certificate, note: str, version: int | None = None, now=None):
    """A blank that went missing, at the unit or on its way there."""
    cert = _lock(certificate)
    _raise(lost_refusal(actor=actor, certificate=cert))
    data = {"note": (note or "").strip()}
    return transition_take(cert, to=State.LOST, actor=actor, version=version, now=now, data=data)


@transaction.atomic
def certificate_return(*, actor, certificate: Certificate, note: str = "", version: int | None = None, now=None):
    """A unit gives a blank back to the province, which may hand it out again."""
    cert = _lock(certificate)
    _raise(return_refusal(actor=actor, certificate=cert))
    data = {"note": note or "", "province": _province()}
    return transition_take(cert, to=State.RETURNED, actor=actor, version=version, now=now, data=data)


@transaction.atomic
def certificates_printed(*, actor, certificates: list[Certificate]) -> None:
    audit_log(
        action="certificates.certificate.printed",
        actor=actor,
        object_type="certificates.certificate",
        object_id=",".join(str(c.pk) for c in certificates[:20]),
        object_repr=", ".join(c.number for c in certificates[:5]),
        changes={"count": len(certificates)},
    )


@transaction.atomic
def certificates_exported(*, actor, filters: dict, fmt: str) -> None:
    if "reconciliation" not in filters:  # a unit may export its own reconciliation, not the register
        check_perm(actor, "certificates.export")
    audit_log(
        action="certificates.certificate.exported",
        actor=actor,
        object_type="certificates.certificate",
        changes={"format": fmt, "filters": filters},
    )


@transaction.atomic
def certificate_photo_viewed(*, certificate: Certificate, attachment, actor) -> None:
    audit_log(
        action="core.attachment.viewed",
        actor=actor,
        obj=certificate,
        changes={"kind": attachment.kind, "sha256": attachment.sha256},
    )


# --- consent forms ----------------------------------------------------------------------------------


def typed_number(typed) -> str:
    """A number someone typed, as printed: without spaces or invisible characters, full-width letters
    and digits folded, upper case (" zq 0000 0012" is "ZQ00000012")."""
    return fold_typed(typed)[:40]


def consent_form_refusal(form: Certificate | None, number: str, case) -> DomainError | None:
    """Why consent form ``number`` (the row, or None when no such form exists) cannot be used for the
    consent of ``case``, or None: it must be a form the case's unit confirmed it received, not yet used,
    voided or lost."""
    field = "consent_form_number"
    if form is None:
        return Conflict(
            _("Consent form %(number)s is not in the stock: check the number printed on the form.")
            % {"number": number},
            code="consent_form.unknown",
            field=field,
        )
    if form.unit_id != case.unit_id:
        return Conflict(
            _("Consent form %(number)s was not handed to %(unit)s, the unit of this case.")
            % {"number": form.number, "unit": case.unit.name},
            code="consent_form.other_unit",
            field=field,
        )
    if form.state == State.HANDED:
        return Conflict(
            _("Consent form %(number)s was handed to the unit, but its receipt is not confirmed yet.")
            % {"number": form.number},
            code="consent_form.not_received",
            field=field,
        )
    if form.state == State.ISSUED:
        return Conflict(
            _("Consent form %(number)s was already used for another consent.") % {"number": form.number},
            code="consent_form.used",
            field=field,
        )
    if form.state != State.RECEIVED:
        return Conflict(
            _("Consent form %(number)s cannot be used: it is “%(state)s”.")
            % {"number": form.number, "state": form.get_state_display()},
            code="consent_form.wrong_state",
            field=field,
        )
    return None


@transaction.atomic
def consent_form_use(*, case, number, actor, now=None, when=None) -> Certificate:
    """Mark the consent form the family signed as used by ``case`` (in the consent step's transaction:
    a refusal here refuses the whole step). The case step already checked who may record a consent."""
    now = now or timezone.now()
    typed = typed_number(number)
    if not typed:
        raise InvalidInput(_("Enter the number of the signed consent form."), field="consent_form_number")
    # two consents typed with one form: the second waits here, then finds it used
    form = Certificate.objects.select_for_update().filter(kind=Kind.ORGAN_CONSENT, number=typed).first()
    _raise(consent_form_refusal(form, typed, case))
    data = {"case": case, "issued_on": timezone.localdate(when or now)}
    return transition_take(form, to="used", actor=actor, version=None, now=now, data=data, as_system=True)
