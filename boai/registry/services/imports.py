"""Import jobs: upload, dry run (every row checked, an error report written), then import all or
the valid rows only, in one transaction. Progress goes through the cache so that a page can show it
while the import's transaction is still open."""

import contextlib
import hashlib
import logging
import secrets
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.scoping import visible
from boai.audit.services import audit_log
from boai.core.bulk import ahead, insert_rows, instances, new_ids, rows_alike, rows_for
from boai.core.errors import Conflict, DomainError, InvalidFields, InvalidInput
from boai.core.fields import index_for
from boai.core.models import Region, region_prefix
from boai.core.services import counter_next_block
from boai.core.storage import plaintext_copy

from .. import extensions, notices, parsing
from ..models import ConsentRecord, HeldEntry, ImportJob, Refusal, Registration
from ..tally import tally_apply, tally_deltas
from .duplicates import duplicates_detect
from .held import entry_hold
from .registrations import (
    DECEASED_MESSAGE,
    refusals_revoke,
    refusals_to_revoke,
    registration_values,
    validate_person,
)

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".xlsx", ".csv")
MAX_UPLOAD = 50 * 1024 * 1024
KEPT_ERRORS = 500


def progress_key(job_id: int) -> str:
    return f"registry:import:{job_id}:progress"


def set_progress(job_id: int, percent: int, phase: str) -> None:
    cache.set(progress_key(job_id), {"percent": max(0, min(100, percent)), "phase": phase}, 3600)


def get_progress(job: ImportJob) -> dict:
    return cache.get(progress_key(job.pk)) or {"percent": job.progress, "phase": job.state}


@dataclass(frozen=True)
class Handler:
    """What an import of one kind does: ``check(job, phase)`` -> (valid rows, {row: [messages]}, total),
    and ``write(job, valid, actor, now, reserved)`` -> rows written, inside the import's transaction."""

    check: Callable
    write: Callable
    reserve: Callable | None = None  # (job, now) -> what write needs, taken before the import's transaction


HANDLERS: dict[str, Handler] = {}  # by ImportJob.kind; other kinds register theirs (services.national)


@transaction.atomic
def import_job_create(
    *,
    actor,
    upload,
    consent_confirmed: bool,
    campaign: str = "",
    kind: str = ImportJob.Kind.REGISTRATIONS,
    mapping: dict | None = None,
    now=None,
) -> ImportJob:
    now = now or timezone.now()
    if kind == ImportJob.Kind.REGISTRATIONS and not consent_confirmed:
        raise InvalidInput(_("Confirm that every person on the list signed the consent form."), field="consent")
    if not extensions.allowed_for(actor, campaign):
        raise InvalidInput(_("Choose a campaign or event of your area, or none."), field="campaign")
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise InvalidInput(_("Upload the list as .xlsx or .csv (use the template)."), field="file")
    if upload.size > MAX_UPLOAD:
        raise InvalidInput(_("The file is larger than 50 MB: split the list."), field="file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = ImportJob(
        region_id=actor.organization.region_id,
        created_by=actor,
        created_at=now,
        filename=Path(upload.name).name[:200],
        sha256=digest.hexdigest(),
        campaign=(campaign or "")[:32],
        kind=kind,
        mapping=mapping or {},
        heartbeat_at=now,
    )
    job.file.save(f"{secrets.token_hex(16)}{suffix}", File(upload), save=False)
    job.save()
    audit_log(
        action="registry.import.uploaded", actor=actor, obj=job, changes={"file": job.filename, "sha256": job.sha256}
    )
    return job


# The rows a dry run validated, kept in this process for the import that follows (the same job, file,
# day, area and counties): the import then checks again only what may have changed since, the registry
# (``_holds``, inside its transaction). At most one list is kept; an import in another process, or of
# another day, parses and validates the file again. Personal data is not left in memory: the import
# takes the list, the next dry run replaces it, and a timer drops it after _CHECKED_FOR unused.
_CHECKED: dict = {}
_CHECKED_FOR = timedelta(minutes=10)


def _forget_checked(entry) -> None:
    if _CHECKED.get("rows") is entry:
        _CHECKED.pop("rows", None)


def _checked_key(job: ImportJob, today, prefix: str, counties: set) -> tuple:
    return (job.pk, job.sha256, today, prefix, hash(frozenset(counties)))


def _check_rows(job: ImportJob, *, phase: str):
    """Every row parsed and validated; duplicates in the file and against the registry found.
    Returns (valid [(row, PersonData)], {row: [messages]}, total)."""
    counties = set(Region.objects.filter(level=Region.Level.COUNTY).values_list("code", flat=True))
    prefix = _job_prefix(job)
    today = timezone.localdate()
    key = _checked_key(job, today, prefix, counties)
    kept = _CHECKED.pop("rows", None)
    if phase == "importing" and kept and kept[0] == key and kept[1] > time.monotonic() - _CHECKED_FOR.total_seconds():
        valid, errors, total = kept[2], dict(kept[3]), kept[4]
    else:
        valid, errors, total = _parse_and_validate(job, phase, today=today, prefix=prefix, counties=counties)
        if phase == "checking":
            _CHECKED["rows"] = entry = (key, time.monotonic(), valid, dict(errors), total)
            timer = threading.Timer(_CHECKED_FOR.total_seconds(), _forget_checked, args=(entry,))
            timer.daemon = True
            timer.start()
    return _registry_checked(job, phase, valid, errors, total)


def _parse_and_validate(job: ImportJob, phase: str, *, today, prefix: str, counties: set):
    """Every row parsed and validated, and duplicates within the file found: what depends on the file
    alone (and the day, the uploader's area, the counties). Returns (valid [(row, PersonData, ID
    index)], {row: [messages]}, total)."""
    valid, errors, seen, total = [], {}, {}, 0
    with plaintext_copy(job.file, suffix=Path(job.filename).suffix.lower()) as path:
        rows = list(parsing.read_rows(Path(path), job.filename))
    step = max(len(rows) // 50, 1)
    for i in range(len(rows)):
        (number, raw), rows[i] = rows[i], None  # each raw row let go once read: less memory at the peak
        total += 1
        data, row_errors = parsing.parse_row(number, raw)
        messages = [e.message for e in row_errors]
        if not messages:
            try:
                data = validate_person(data, today=today, known_counties=counties)
            except InvalidFields as exc:  # every refusal of the row, the first one first
                messages.extend(message for _field, message in exc.items)
            except DomainError as exc:
                messages.append(str(exc.message))
        if not messages and not data.region_code.startswith(prefix):
            messages.append(_("This county is outside your area."))
        if not messages:
            key = index_for("id_number", data.id_number)
            if key in seen:
                messages.append(_("The same person is already on row %(row)d of this file.") % {"row": seen[key]})
            else:
                seen[key] = number
                valid.append((number, data, key))
        if messages:
            errors[number] = messages
        if i % step == 0:
            set_progress(job.pk, int(80 * i / max(len(rows), 1)), phase)
    return valid, errors, total


def _registry_checked(job: ImportJob, phase: str, valid, errors: dict, total: int):
    """The rows valid in the file checked against the registry as it is now: a person already
    registered in the uploader's area is an error; one on record elsewhere is held for review."""
    keys = [key for _number, _data, key in valid]
    holds = _holds(job.created_by, keys)
    still_valid, held = [], {}
    for number, data, key in valid:
        reason = holds.get(key)
        if reason == IN_SCOPE:
            errors[number] = [_("This person already has an active registration.")]
            continue
        if reason == IN_SCOPE_DECEASED:
            errors[number] = [str(DECEASED_MESSAGE)]
            continue
        if reason:  # outside the uploader's area: not confirmed, sent for review (services.held)
            held[number] = reason
        still_valid.append((number, data))
    job.held_found = held  # read by _insert, within the same import
    # The check (a dry run) shows held rows as valid rows: telling them apart there would let a clerk
    # upload any ID numbers, read which are on record elsewhere and never import. Only the commit,
    # which creates the held entries the province sees, reports them.
    job.held_rows = sorted(held) if phase == "importing" else []
    return still_valid, errors, total


IN_SCOPE = "in_scope"
IN_SCOPE_DECEASED = "in_scope_deceased"


def _visible_pks(actor, model, records) -> set:
    return set(visible(actor, model).filter(pk__in=[r.pk for r in records]).values_list("pk", flat=True))


def _holds(actor, keys: list) -> dict:
    """For each ID index of the list: ``IN_SCOPE`` when the person has an active registration the
    uploader can see (a plain duplicate), ``IN_SCOPE_DECEASED`` a deceased one, or the hold reason
    (``held.hold_reason``, in bulk) when a record outside their area stands in the way; absent when
    nothing does."""
    found = {}
    for start in range(0, len(keys), 5000):
        part = keys[start : start + 5000]
        active, deceased = {}, {}  # an active registration stands in the way before a deceased one
        for r in Registration.objects.filter(
            status__in=(Registration.Status.ACTIVE, Registration.Status.DECEASED), id_number_index__any_of=part
        ).only("id", "id_number_index", "status"):
            (active if r.status == Registration.Status.ACTIVE else deceased)[r.id_number_index] = r
        deceased = {key: r for key, r in deceased.items() if key not in active}
        seen = _visible_pks(actor, Registration, [*active.values(), *deceased.values()])
        for key, reg in active.items():
            found[key] = IN_SCOPE if reg.pk in seen else (HeldEntry.Reason.POSSIBLE_DUPLICATE, reg, None)
        for key, reg in deceased.items():
            found[key] = IN_SCOPE_DECEASED if reg.pk in seen else (HeldEntry.Reason.DECEASED, reg, None)
        refusals = {
            r.id_number_index: r
            for r in Refusal.objects.filter(revoked_at__isnull=True, id_number_index__any_of=part)
            if r.id_number_index not in found
        }
        seen = _visible_pks(actor, Refusal, refusals.values())
        for key, refusal in refusals.items():
            if refusal.pk not in seen:
                found[key] = (HeldEntry.Reason.REFUSAL_ELSEWHERE, None, refusal)
    return found


def _job_prefix(job: ImportJob) -> str:

    return region_prefix(job.region_id)


def import_job_check(*, job_id: int) -> ImportJob:
    """The dry run: nothing is written to the registry."""
    job = ImportJob.objects.get(pk=job_id)
    if job.state not in (ImportJob.State.UPLOADED, ImportJob.State.CHECKING):
        return job  # cancelled meanwhile (or checked by a job resumed while this one waited)
    claimed = ImportJob.objects.filter(
        pk=job_id, state__in=(ImportJob.State.UPLOADED, ImportJob.State.CHECKING)
    ).update(state=ImportJob.State.CHECKING, heartbeat_at=timezone.now())
    if not claimed:  # cancelled between the read and now: a cancel is never undone
        return ImportJob.objects.get(pk=job_id)
    set_progress(job_id, 0, "checking")
    try:
        valid, errors, total = HANDLERS[job.kind].check(job, phase="checking")
    except parsing.ImportFileError as exc:
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.FAILED, message=str(exc)[:300], finished_at=timezone.now()
        )
        set_progress(job_id, 100, "failed")
        return ImportJob.objects.get(pk=job_id)
    job.total_rows, job.valid_rows, job.error_rows = total, len(valid), len(errors)
    job.errors = [{"row": row, "message": "；".join(msgs)} for row, msgs in sorted(errors.items())[:KEPT_ERRORS]]
    if errors:
        suffix = Path(job.filename).suffix.lower()
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp, plaintext_copy(job.file, suffix=suffix) as source:
            parsing.error_report_xlsx(Path(source), job.filename, errors, tmp.name)
            job.report.save(f"{secrets.token_hex(16)}.xlsx", ContentFile(Path(tmp.name).read_bytes()), save=False)
    job.state, job.progress = ImportJob.State.CHECKED, 100
    with transaction.atomic():  # only if nobody cancelled it while it was being checked
        if not ImportJob.objects.select_for_update().filter(pk=job_id, state=ImportJob.State.CHECKING).exists():
            return ImportJob.objects.get(pk=job_id)
        job.save()
    set_progress(job_id, 100, "checked")
    return job


def import_job_commit(*, job_id: int, actor, valid_only: bool, now=None) -> ImportJob:
    """Import the checked list: all rows (only when none has an error) or the valid rows only. One
    transaction: an error anywhere leaves the registry as it was. Rows already registered (e.g. the
    same file imported twice) are skipped, never duplicated."""
    now = now or timezone.now()
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.state != ImportJob.State.CHECKED:
            raise Conflict(
                _("This list is not ready to import (it must be checked first, and imported once)."),
                code="import_state",
            )
        if not valid_only and job.error_rows:
            raise Conflict(
                _("Some rows have errors: correct them, or import the valid rows only."), code="import_has_errors"
            )
        ImportJob.objects.filter(pk=job_id).update(state=ImportJob.State.IMPORTING, heartbeat_at=now)
    set_progress(job_id, 0, "importing")
    handler = HANDLERS[job.kind]
    reserved = handler.reserve(job, now) if handler.reserve else None
    try:
        with transaction.atomic():
            valid, errors, total = handler.check(job, phase="importing")  # the registry may have changed since
            if errors and not valid_only:
                raise Conflict(
                    _("Since the check, some rows have become invalid: check the list again."), code="import_has_errors"
                )
            if len(valid) > max(job.valid_rows, 1):
                raise Conflict(
                    _("Since the check, some rows have become invalid: check the list again."), code="import_has_errors"
                )
            created = handler.write(job, valid, actor=actor, now=now, reserved=reserved)
            job.imported_rows, job.skipped_rows = created, total - created - len(job.held_rows)
            job.state, job.finished_at, job.progress = ImportJob.State.DONE, timezone.now(), 100
            job.save()
            audit_log(
                action="registry.import.committed",
                actor=actor,
                obj=job,
                now=now,
                changes={
                    "file": job.filename,
                    "imported": created,
                    "skipped": total - created - len(job.held_rows),
                    "sent_for_review": len(job.held_rows),
                    "valid_only": valid_only,
                    "kind": job.kind,
                },
            )
    except Exception:
        ImportJob.objects.filter(pk=job_id).update(state=ImportJob.State.CHECKED)  # try again later
        set_progress(job_id, 100, "failed")
        raise
    set_progress(job_id, 100, "done")
    return job


def _reserve_numbers(job: ImportJob, now) -> tuple[int, int]:
    year = timezone.localtime(now).year
    with transaction.atomic():  # numbers reserved in a short transaction of their own, so that the
        # import's long transaction does not hold the counter and block online registrations meanwhile
        return counter_next_block(f"registration:{year}", max(job.valid_rows, 1)), year


def _insert(job: ImportJob, valid, *, actor, now, reserved) -> int:
    """Write the registrations; the rows held (``_check_rows``) are kept for review instead."""
    held = getattr(job, "held_found", {})
    for number, data in valid:
        if number in held:
            entry_hold(
                actor=actor,
                data=data,
                reason=held[number],
                channel=job.channel,
                consent_version=notices.CURRENT,
                now=now,
                job=job,
                audit=False,  # the import's own entry counts them
            )
    valid = [(number, data) for number, data in valid if number not in held]
    if not valid:
        return 0
    first, year = reserved
    size, created = settings.BOAI_IMPORT_BATCH, 0
    consent = {
        "kind": ConsentRecord.Kind.SENSITIVE_DATA,
        "notice_version": notices.CURRENT,
        "notice_sha256": notices.sha256(),
        "channel": job.channel,
        "given_at": now,
    }

    ids = new_ids(Registration, len(valid))  # PostgreSQL: each row's id known before it is written

    def consents_of(regs):
        return rows_alike(ConsentRecord, consent, "registration_id", [r.pk for r in regs])

    def prepare(start):  # in a thread (bulk.ahead) while the batch before is written: no database here
        values = []
        for i, (_row, d) in enumerate(valid[start : start + size]):
            number = f"YN{year}{first + start + i:06d}"
            values.append(registration_values(d, number=number, channel=job.channel, now=now, campaign=job.campaign))
            if ids:
                values[-1]["id"] = ids[start + i]
        regs = instances(Registration, values)
        del values
        rows = rows_for(Registration, regs, with_ids=bool(ids))
        return regs, rows, tally_deltas(regs), consents_of(regs) if ids else None

    counted, revoking = Counter(), []
    for regs, rows, deltas, consents in ahead(prepare, range(0, len(valid), size)):
        insert_rows(Registration, rows, with_ids=bool(ids))
        del rows  # the encrypted values, no longer needed while the rest of the batch is written
        counted.update(deltas)
        if not ids:  # numbered by the database as they went in (SQLite)
            found = dict(Registration.objects.filter(number__in=[r.number for r in regs]).values_list("number", "id"))
            for reg in regs:
                reg.pk = found[reg.number]
            consents = consents_of(regs)
        duplicates_detect(regs, now=now)
        revoking += refusals_to_revoke(regs, actor=actor)  # locked now, revoked (and audited) below
        insert_rows(ConsentRecord, consents)
        created += len(regs)
        set_progress(job.pk, 80 + int(20 * created / len(valid)), "importing")
    # Counted in the import's transaction (registry.tally), all at once: added batch after batch, each
    # tally row would be updated once per batch in one transaction, and each update of a row the
    # transaction has already updated is slower than the one before (it walks past the earlier versions).
    # Nothing before takes the audit chain's head: a registration made meanwhile takes the tally, then
    # the head (registration_create), and the import must not hold the head while it waits for the tally.
    tally_apply(counted)
    refusals_revoke(revoking, actor=actor, now=now)
    return created


@transaction.atomic
def import_report_downloaded(*, job, actor) -> None:
    audit_log(action="registry.import.report_downloaded", actor=actor, obj=job, changes={"file": job.filename})


# --- Stalled jobs: a worker that died (or a queue that was down) leaves its job waiting for ever -----

ACTIVE_STATES = (ImportJob.State.UPLOADED, ImportJob.State.CHECKING, ImportJob.State.IMPORTING)
# lazy: module constants, translated when shown or written (in the language of that moment)
NOT_QUEUED_MESSAGE = gettext_lazy(
    "The background service is unavailable right now: the list is kept but its check has not started. "
    "Resume it from this page in a few minutes."
)
INTERRUPTED_MESSAGE = gettext_lazy(
    "The import was interrupted before it finished and nothing was written: import the list again."
)


def import_job_stalled(job: ImportJob, now=None) -> bool:
    """Waiting, checking or importing with no sign of life for BOAI_IMPORT_STALL_MINUTES (a worker
    beats every BOAI_IMPORT_HEARTBEAT_SECONDS while it works), or never queued at all."""
    if job.state not in ACTIVE_STATES:
        return False
    if job.heartbeat_at is None:
        return True
    now = now or timezone.now()
    return job.heartbeat_at < now - timedelta(minutes=settings.BOAI_IMPORT_STALL_MINUTES)


def import_job_not_queued(*, job_id: int) -> None:
    """Its job could not be queued (the broker is down): stalled at once, with the reason."""
    ImportJob.objects.filter(pk=job_id).update(heartbeat_at=None, message=str(NOT_QUEUED_MESSAGE)[:300])


@contextlib.contextmanager
def import_heartbeat(job_id: int, seconds: float | None = None):
    """While the body runs (in a worker), a thread of its own (its own database connection, outside
    the import's long transaction) writes the job's heartbeat; a killed worker stops beating."""
    seconds = settings.BOAI_IMPORT_HEARTBEAT_SECONDS if seconds is None else seconds
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(seconds):
                try:
                    ImportJob.objects.filter(pk=job_id, state__in=ACTIVE_STATES).update(heartbeat_at=timezone.now())
                except DatabaseError:  # a database restart: miss this beat, not every one after it
                    logger.warning("import %s: heartbeat missed", job_id)
                    connection.close()
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"import-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(seconds + 5)


@transaction.atomic
def import_job_resume(*, job: ImportJob, actor, now=None) -> ImportJob:
    """Take a stalled job up again without a new upload: a stalled check is queued again (the caller
    queues it: ``import_check_task``); a stalled import, whose transaction died with its worker and
    wrote nothing, goes back to "checked", to be imported again."""
    now = now or timezone.now()
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not import_job_stalled(job, now):
        raise Conflict(_("This import is not stalled: it is still running or already finished."), code="import_state")
    before = job.state
    if job.state == ImportJob.State.IMPORTING:
        job.state, job.progress, job.message = ImportJob.State.CHECKED, 100, str(INTERRUPTED_MESSAGE)[:300]
    else:
        job.state, job.progress, job.message = ImportJob.State.UPLOADED, 0, ""
    job.heartbeat_at = now
    job.save(update_fields=["state", "progress", "message", "heartbeat_at"])
    set_progress(job.pk, job.progress, job.state)
    audit_log(
        action="registry.import.resumed", actor=actor, obj=job, now=now, changes={"from": before, "to": job.state}
    )
    return job


@transaction.atomic
def import_job_cancel(*, job: ImportJob, actor, now=None) -> ImportJob:
    """Give up a job that is waiting to be checked or imported, or stalled; one at work cannot be cancelled."""
    now = now or timezone.now()
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.state not in (ImportJob.State.UPLOADED, ImportJob.State.CHECKED) and not import_job_stalled(job, now):
        raise Conflict(
            _("This import cannot be cancelled now: it is running or already finished."), code="import_state"
        )
    before = job.state
    job.state, job.finished_at, job.message = ImportJob.State.FAILED, now, str(_("Cancelled."))
    job.save(update_fields=["state", "finished_at", "message"])
    set_progress(job.pk, 100, "failed")
    audit_log(action="registry.import.cancelled", actor=actor, obj=job, now=now, changes={"from": before})
    return job


HANDLERS[ImportJob.Kind.REGISTRATIONS] = Handler(check=_check_rows, write=_insert, reserve=_reserve_numbers)
