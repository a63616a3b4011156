"""Attachments: scans and photos stored encrypted, typed by content, swept when orphaned."""

import hashlib
from datetime import timedelta

import filetype
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.audit.services import SYSTEM, audit_log

from ..errors import InvalidInput
from ..models import Attachment
from ..storage import walk

PHOTO_TYPES = ("image/jpeg", "image/png")


def attachment_store(
    *, owner, kind: str, upload, actor, now=None, photo: bool = False, field: str = "scan"
) -> Attachment:
    """Keep an uploaded scan: PDF, JPEG or PNG by content (``photo``: JPEG or PNG only), at most 20 MB.
    Call inside the owner's transaction."""
    now = now or timezone.now()
    if upload.size > Attachment.MAX_BYTES:
        raise InvalidInput(_("The file is larger than 20 MB."), field=field)
    data = upload.read()
    guessed = filetype.guess(data[:8192])
    mime = guessed.mime if guessed else ""
    if photo and mime not in PHOTO_TYPES:
        message = _("Photos must be JPEG or PNG pictures (this file is not one, whatever its name).")
        raise InvalidInput(message, field=field)
    if mime not in Attachment.ALLOWED_TYPES:
        raise InvalidInput(_("Upload a PDF, JPEG or PNG file (this file is not one, whatever its name)."), field=field)
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


def photos_store(owner, photos, *, kind: str, actor, now) -> list[Attachment]:
    """Keep uploaded photos (JPEG or PNG by content), each refused with its message on the ``photos``
    field; call inside the owner's transaction, which a refusal rolls back whole."""
    return [
        attachment_store(owner=owner, kind=kind, upload=upload, actor=actor, now=now, photo=True, field="photos")
        for upload in photos
    ]


def attachment_sweep(*, older_than=None, now=None) -> int:
    """Delete stored files that no Attachment row names: left behind when the transaction that stored
    them rolled back (a stale edit, a broken rule after the upload). Only files older than
    ``older_than`` (a day by default) go, so a transaction still running keeps its file. Audited."""
    now = now or timezone.now()
    cutoff = now - (older_than if older_than is not None else timedelta(days=1))
    storage = Attachment._meta.get_field("file").storage
    known = set(Attachment.objects.values_list("file", flat=True))
    removed = 0
    for name in list(walk(storage, "attachments")):  # any backend: the local disk or an object store
        if name not in known and storage.get_modified_time(name) <= cutoff:
            storage.delete(name)
            removed += 1
    if removed:
        with transaction.atomic():
            audit_log(
                action="core.attachment.swept", actor=SYSTEM, object_type="core.attachment", changes={"files": removed}
            )
    return removed
