"""Key rotation: re-encrypt protected fields and stored files, recompute blind indexes, resumably."""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from boai.audit.services import SYSTEM, audit_log
from boai.lib import crypto

from .. import storage as storage_module
from ..fields import blind_index_fields, encrypted_fields, index_for


@dataclass
class RotationReport:
    rows_seen: int = 0
    values_reencrypted: int = 0
    indexes_recomputed: int = 0
    files_seen: int = 0
    files_reencrypted: int = 0
    files_failed: list = field(default_factory=list)  # names no configured key opens (left as they were)
    leftovers_removed: int = 0


def _protected_models():
    for model in apps.get_models():
        enc, idx = encrypted_fields(model), blind_index_fields(model)
        if enc or idx:
            yield model, enc, idx


def keys_rotate(
    *, reindex: bool = False, batch_size: int = 500, progress=None, files: bool = True, file_progress=None
) -> RotationReport:
    """Re-encrypt every protected value still under an older field key with the current key, and
    (``reindex``) recompute every blind index with the current index key. Works in id order, one
    batch per transaction: stopping half-way loses nothing, and running it again resumes (rows
    already on the current key are skipped).

    ``files``: then every stored file (attachments, import files and reports, on the local disk or the
    object store) still under an older field key is re-encrypted, one at a time and streamed, each
    replaced in one step once its new version is complete (``storage.reencrypt``): a crash leaves every
    file readable under the old key or the new one, and running it again resumes. A file no configured
    key opens is reported and left as it was. ``file_progress(report)`` is called every 100 files."""
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
    if files:
        _files_rotate(ring, report, file_progress)
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
                **(
                    {
                        "files_seen": report.files_seen,
                        "files_reencrypted": report.files_reencrypted,
                        "files_failed": len(report.files_failed),
                    }
                    if files
                    else {}
                ),
            },
        )
    return report


def _raw_batch(table, pk, columns, after, limit):
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in [pk, *columns])
    where = f"WHERE {qn(pk)} > %s " if after is not None else ""
    params = [after] if after is not None else []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols} FROM {qn(table)} {where}ORDER BY {qn(pk)} LIMIT %s", [*params, limit])  # noqa: S608 - identifiers quoted, values bound
        return cursor.fetchall()


def _files_rotate(ring, report: RotationReport, progress) -> None:
    storage = storage_module.encrypted_storage()
    report.leftovers_removed = storage_module.leftovers_remove(storage)
    for name in storage_module.walk(storage):
        report.files_seen += 1
        try:
            if storage_module.stored_key_id(name, storage) is not None and storage_module.reencrypt(
                name, storage, ring=ring
            ):
                report.files_reencrypted += 1
        except crypto.DecryptionError:
            report.files_failed.append(name)
        except FileNotFoundError:  # deleted since it was listed
            pass
        if progress and report.files_seen % 100 == 0:
            progress(report)
    if progress:
        progress(report)
