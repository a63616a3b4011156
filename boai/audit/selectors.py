from dataclasses import dataclass

from django.db.models import QuerySet

from .chain import entry_hash
from .models import GENESIS_HASH, AuditEntry, AuditHead


def entry_list(
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from=None,
    date_to=None,
    success: bool | None = None,
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_username=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if success is not None:
        qs = qs.filter(success=success)
    return qs.order_by("-id")


def entries_for_object(obj) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type=f"{obj._meta.app_label}.{obj._meta.model_name}", object_id=str(obj.pk)
    ).order_by("id")


@dataclass
class ChainReport:
    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the chain in id order: ids consecutive from 1, each prev_hash the previous hash, each hash
    recomputed from the content; the head names the last entry (so a deleted tail is noticed)."""
    expected_id, prev_hash, checked = 1, GENESIS_HASH, 0
    last_seen = 0
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_seen).order_by("id")[:batch_size])
        if not rows:
            break
        for entry in rows:
            if entry.id != expected_id:
                return ChainReport(
                    False, checked, expected_id, f"entry #{expected_id} is missing (next present is #{entry.id})"
                )
            if entry.prev_hash != prev_hash:
                return ChainReport(
                    False,
                    checked,
                    entry.id,
                    f"entry #{entry.id} does not follow #{entry.id - 1} (chain broken: "
                    "a row was deleted, inserted or reordered)",
                )
            if entry_hash(prev_hash, entry) != entry.hash:
                return ChainReport(False, checked, entry.id, f"entry #{entry.id} was changed after it was written")
            prev_hash, expected_id, checked = entry.hash, entry.id + 1, checked + 1
            last_seen = entry.id
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.last_id != expected_id - 1 or head.last_hash != prev_hash):
        return ChainReport(
            False,
            checked,
            expected_id,
            f"the chain ends at #{expected_id - 1} but its head records #{head.last_id}: "
            "entries at the end were deleted",
        )
    return ChainReport(True, checked)


def entry_counts_since(day) -> dict:
    """How many entries were written since ``day`` (a date), and how many of them were refusals."""
    qs = AuditEntry.objects.filter(created_at__date__gte=day)
    return {"all": qs.count(), "refused": qs.filter(success=False).count()}
