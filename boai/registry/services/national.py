"""The national registry exchange: the province imports the national registry's periodic export (an
import job of kind "national", on the registration import's machinery: upload, dry run with row
errors, all or the valid rows in one transaction, progress), and sends back the registrations it
collected on paper and at events, recording the national number each one gets."""

import re
import tempfile
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.roles import check_perm
from boai.accounts.scoping import visible
from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidInput
from boai.core.storage import plaintext_copy

from .. import national, parsing
from ..models import STAFF_ENTERED_CHANNELS, ImportJob, NationalRegistration, Registration
from .imports import HANDLERS, Handler, import_job_create, set_progress

PERM = "registry.national"
EXPORTED_CHANNELS = STAFF_ENTERED_CHANNELS


def job_mapping(job: ImportJob) -> dict[str, str]:
    return {**national.default_mapping(), **(job.mapping or {})}


@transaction.atomic
def national_import_create(*, actor, upload, mapping="", now=None) -> ImportJob:
    """Upload the national export (.xlsx or .csv) with the column mapping for this file (JSON
    {field: header} over the default; empty: the default)."""
    check_perm(actor, PERM)
    mapping = national.clean_mapping(mapping)
    return import_job_create(
        actor=actor, upload=upload, consent_confirmed=True, kind=ImportJob.Kind.NATIONAL, mapping=mapping, now=now
    )


def _check(job: ImportJob, *, phase: str):
    """Every row of the national export parsed and checked; a national number twice in the file is an
    error on its second row. Returns (valid [(row, NationalRow)], {row: [messages]}, total)."""
    today = timezone.localdate()
    reader = national.header_map(job_mapping(job))
    with plaintext_copy(job.file, suffix=Path(job.filename).suffix.lower()) as path:
        rows = list(parsing.read_rows(Path(path), job.filename, header_map=reader))
    valid, errors, seen = [], {}, {}
    step = max(len(rows) // 50, 1)
    for i, (number, raw) in enumerate(rows):
        data, row_errors = national.parse_row(number, raw, today=today)
        messages = [e.message for e in row_errors]
        if not messages and data.national_number in seen:
            messages.append(
                _("The same national number is already on row %(row)d of this file.")
                % {"row": seen[data.national_number]}
            )
        if messages:
            errors[number] = messages
        else:
            seen[data.national_number] = number
            valid.append((number, data))
        if i % step == 0:
            set_progress(job.pk, int(80 * i / max(len(rows), 1)), phase)
    return valid, errors, len(rows)


def _write(job: ImportJob, valid, *, actor, now, reserved=None) -> int:
    """Upsert by national number: a row already imported from an earlier export is updated."""
    existing = {
        n.national_number: n
        for n in NationalRegistration.objects.select_for_update().filter(
            national_number__in=[d.national_number for _row, d in valid]
        )
    }
    written = 0
    for _row, data in valid:
        record = existing.get(data.national_number) or NationalRegistration(national_number=data.national_number)
        record.name, record.id_type, record.id_number = data.name, data.id_type, data.id_number
        record.organs, record.tissues, record.body = data.organs, data.tissues, data.body
        record.registered_on, record.status = data.registered_on, data.status
        record.region_id, record.job, record.source_file, record.imported_at = job.region_id, job, job.filename, now
        record.save()
        written += 1
        if written % 200 == 0:
            set_progress(job.pk, 80 + int(20 * written / len(valid)), "importing")
    return written


HANDLERS[ImportJob.Kind.NATIONAL] = Handler(check=_check, write=_write)


def national_to_export(*, actor):
    """Registrations collected on paper or at events, active, not yet sent to the national registry,
    in the actor's area."""
    return (
        visible(actor, Registration, perm=PERM)
        .filter(
            channel__in=EXPORTED_CHANNELS,
            status=Registration.Status.ACTIVE,
            national_exported_at__isnull=True,
            national_number="",
            erased_at__isnull=True,
        )
        .order_by("registered_at", "id")
    )


@transaction.atomic
def national_export(*, actor, reason: str, now: datetime | None = None) -> tuple[bytes, int]:
    """The upload file for the national system (.xlsx, the national layout): every registration not
    yet sent, each then marked sent. Needs the permission and a reason; audited."""
    now = now or timezone.now()
    check_perm(actor, PERM)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise InvalidInput(_("State why you export the data (at least 4 characters)."), field="reason")
    regs = list(national_to_export(actor=actor).select_for_update())  # a second export waits, then finds none
    if not regs:
        raise Conflict(_("There is nothing to send: every paper and event registration was sent."), code="nothing")
    content = national.export_xlsx(national.default_mapping(), (national.export_row(r) for r in regs))
    Registration.objects.filter(pk__in=[r.pk for r in regs]).update(national_exported_at=now)
    audit_log(
        action="registry.national.exported",
        actor=actor,
        object_type="registry.registration",
        now=now,
        changes={"rows": len(regs), "reason": reason[:200], "numbers": [r.number for r in regs][:1000]},
    )
    return content, len(regs)


def _clean_national_number(value: str) -> str:
    number = (value or "").strip().upper()
    if not re.fullmatch(r"[A-Z0-9-]{4,32}", number):
        raise InvalidInput(_("The national registration number is missing or malformed."), field="national_number")
    return number


@transaction.atomic
def registration_national_number_set(
    *, registration: Registration, actor, national_number: str, now=None
) -> Registration:
    """Record the number the national registry gave one registration (or correct it)."""
    check_perm(actor, PERM)
    number = _clean_national_number(national_number)
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if reg.national_number == number:
        return reg
    holder = Registration.objects.filter(national_number=number).exclude(pk=reg.pk).values_list("number", flat=True)
    if holder:
        raise InvalidInput(
            _("The national number %(number)s already belongs to registration %(holder)s.")
            % {"number": number, "holder": holder[0]},
            field="national_number",
        )
    before = reg.national_number
    reg.national_number = number
    reg.save(update_fields=["national_number", "updated_at"])
    audit_log(
        action="registry.national.numbers_recorded",
        actor=actor,
        obj=reg,
        now=now,
        changes={"national_number": [before, number]},
    )
    return reg


@transaction.atomic
def national_numbers_record(*, actor, upload, now=None) -> int:
    """The file the national system returns (local number → national number): every row checked,
    then all recorded, or nothing when any row is wrong (the error names the rows)."""
    check_perm(actor, PERM)
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InvalidInput(_("Upload the list as .xlsx or .csv (use the template)."), field="file")
    mapping = {
        national.LOCAL_NUMBER[0]: national.LOCAL_NUMBER[1],
        "national_number": national.default_mapping()["national_number"],
    }
    reader = national.header_map(mapping, required=(national.LOCAL_NUMBER[0], "national_number"))
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        try:
            rows = list(parsing.read_rows(Path(tmp.name), upload.name, header_map=reader))
        except parsing.ImportFileError as exc:
            raise InvalidInput(str(exc), field="file") from exc
    mine = visible(actor, Registration, perm=PERM)
    pairs, problems, given = {}, [], {}
    for row, raw in rows:
        local = parsing._text(raw.get("local_number")).upper()
        try:
            number = _clean_national_number(parsing._text(raw.get("national_number")))
        except InvalidInput as exc:
            problems.append(_("row %(row)d: %(message)s") % {"row": row, "message": exc.message})
            continue
        if not local:
            problems.append(_("row %(row)d: the local registration number is missing") % {"row": row})
        elif local in pairs:
            problems.append(_("row %(row)d: %(number)s appears twice in the file") % {"row": row, "number": local})
        elif number in given:
            problems.append(
                _("row %(row)d: the national number %(number)s is given to two registrations")
                % {"row": row, "number": number}
            )
        else:
            pairs[local], given[number] = (row, number), local
    taken = dict(
        Registration.objects.filter(national_number__in=list(given))
        .exclude(number__in=list(pairs))
        .values_list("national_number", "number")
    )
    for number, holder in taken.items():
        problems.append(
            _("row %(row)d: the national number %(number)s already belongs to registration %(holder)s")
            % {"row": pairs[given[number]][0], "number": number, "holder": holder}
        )
    found = {r.number: r for r in mine.filter(number__in=list(pairs)).select_for_update()}
    for local, (row, _number) in pairs.items():
        if local not in found:
            problems.append(_("row %(row)d: no registration %(number)s in your area") % {"row": row, "number": local})
    if problems:
        raise InvalidInput("; ".join(problems[:20]), field="file")
    now = now or timezone.now()
    for local, (_row, number) in pairs.items():
        reg = found[local]
        if reg.national_number != number:
            reg.national_number = number
            reg.save(update_fields=["national_number", "updated_at"])
    audit_log(
        action="registry.national.numbers_recorded",
        actor=actor,
        object_type="registry.registration",
        now=now,
        changes={"file": Path(upload.name).name[:200], "rows": len(pairs)},
    )
    return len(pairs)
