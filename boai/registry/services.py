"""Registry writes. (The public portal, imports and the full staff workflow come with the registry issue.)"""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.roles import role_has_perm
from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidInput, NotAllowed
from boai.core.fields import index_for
from boai.core.models import Region
from boai.core.services import counter_next
from boai.lib.idnumbers import InvalidIdNumber, age_on, parse_resident_id

from .models import Registration

ID_ERRORS = {
    "length": _("The ID number must have 18 characters."),
    "format": _("The ID number may contain only digits and a final X."),
    "checksum": _("The ID number's check digit is wrong: please check the number."),
    "birth_date": _("The birth date inside the ID number is not a valid date."),
    "region": _("The first six digits of the ID number are not a known region code."),
}


def _registration_number(now: datetime) -> str:
    year = timezone.localtime(now).year
    return f"YN{year}{counter_next(f'registration:{year}'):06d}"


@transaction.atomic
def registration_create(
    *,
    actor,
    name: str,
    id_type: str,
    id_number: str,
    phone: str,
    region_code: str,
    sex: str | None = None,
    birth_date: date | None = None,
    address: str = "",
    organs: list | None = None,
    tissues: list | None = None,
    body: bool = False,
    channel: str = Registration.Channel.PAPER,
    now: datetime | None = None,
) -> Registration:
    now = now or timezone.now()
    region = Region.objects.filter(code=region_code, level=Region.Level.COUNTY).first()
    if region is None:
        raise InvalidInput(_("Unknown county code: %(code)s") % {"code": region_code}, field="region")
    if id_type == Registration.IdType.RESIDENT_ID:
        try:
            rid = parse_resident_id(id_number, today=timezone.localdate(now))
        except InvalidIdNumber as exc:
            raise InvalidInput(ID_ERRORS[exc.reason], field="id_number") from exc
        if birth_date and birth_date != rid.birth_date:
            raise InvalidInput(_("The birth date does not match the ID number."), field="birth_date")
        if sex and sex != rid.sex:
            raise InvalidInput(_("The sex does not match the ID number."), field="sex")
        id_number, birth_date, sex = rid.number, rid.birth_date, rid.sex
    if not birth_date or not sex:
        raise InvalidInput(_("Birth date and sex are required."), field="birth_date")
    if age_on(birth_date, timezone.localdate(now)) < 18:
        raise InvalidInput(_("Registrants must be 18 or older."), field="birth_date")
    unknown = set(organs or []) - set(Registration.Organ.values) | set(tissues or []) - set(Registration.Tissue.values)
    if unknown:
        raise InvalidInput(
            _("Unknown organ or tissue: %(names)s") % {"names": ", ".join(sorted(unknown))}, field="organs"
        )
    if not (organs or tissues or body):
        raise InvalidInput(_("Choose at least one thing to donate."), field="organs")
    if Registration.objects.filter(
        id_number_index=index_for("id_number", id_number), status=Registration.Status.ACTIVE
    ).exists():
        raise Conflict(_("This person already has an active registration."), code="duplicate_registration")
    reg = Registration(
        number=_registration_number(now),
        name=name.strip(),
        sex=sex,
        id_type=id_type,
        id_number=id_number,
        birth_date=birth_date,
        phone=phone,
        region=region,
        address=address,
        organs=organs or [],
        tissues=tissues or [],
        body=body,
        channel=channel,
        registered_at=now,
    )
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError as exc:  # the partial unique index: a concurrent registration of the same person
        raise Conflict(_("This person already has an active registration."), code="duplicate_registration") from exc
    audit_log(
        action="registry.registration.created",
        actor=actor,
        obj=reg,
        now=now,
        changes={
            "name": reg.name,
            "id_number": id_number,
            "phone": phone,
            "region": region.code,
            "channel": channel,
            "organs": reg.organs,
            "tissues": reg.tissues,
            "body": body,
        },
    )
    return reg


@transaction.atomic
def registration_unmask(*, registration: Registration, actor, reason: str) -> dict:
    """Reveal the protected fields of one record: needs the permission and a reason; audited."""
    if not role_has_perm(getattr(actor, "role", ""), "records.unmask"):
        raise NotAllowed()
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise InvalidInput(_("State why you need to see the full data (at least 4 characters)."), field="reason")
    audit_log(
        action="registry.registration.unmasked",
        actor=actor,
        obj=registration,
        changes={"fields": ["id_number", "phone", "address"], "reason": reason[:200]},
    )
    return {"id_number": registration.id_number, "phone": registration.phone, "address": registration.address}


@transaction.atomic
def registration_withdraw(
    *, registration: Registration, actor, reason: str, now: datetime | None = None
) -> Registration:
    """A withdrawal (not a refusal): the wish is no longer active; the person may register again later."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the withdrawal."), field="reason")
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if reg.status != Registration.Status.ACTIVE:
        raise Conflict(_("Only an active registration can be withdrawn."), code="not_active")
    reg.status, reg.withdrawn_at, reg.withdrawal_reason = Registration.Status.WITHDRAWN, now, reason[:200]
    reg.version += 1
    reg.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "version", "updated_at"])
    audit_log(
        action="registry.registration.withdrawn",
        actor=actor,
        obj=reg,
        now=now,
        changes={"status": [Registration.Status.ACTIVE, reg.status], "reason": reason[:200]},
    )
    return reg
