from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import checkpoints
from .chain import CONTENT_FIELDS, UnknownAuditKey, entry_hash
from .checkpoints import Checkpoint
from .keys import audit_keys
from .models import GENESIS_HASH, AuditEntry, AuditHead, AuditPending


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


def entry_exists(**filters) -> bool:
    """Whether an entry matches, sealed or still waiting for the sealer (BOAI_AUDIT_SEAL_DEFERRED): for
    decisions taken on what was logged, which must see an entry the moment its transaction commits."""
    return AuditEntry.objects.filter(**filters).exists() or AuditPending.objects.filter(**filters).exists()


# Entries that are about someone's attempt, not about the record: kept for the auditors' audit log,
# never shown in a record's history (a county must not see who elsewhere tried to open its records).
NOT_HISTORY = ("security.access.denied",)


def entries_for_object(obj) -> list[AuditEntry]:
    """A record's history, as shown on its page: what was done to it (refused access attempts excluded),
    the sealed entries in chain order, then those still waiting for the sealer
    (``BOAI_AUDIT_SEAL_DEFERRED``) as unsaved entries without id nor hash, so a change shows at once.
    The unsealed ones are read first: one sealed in between is then read with the sealed ones too, and
    shown once (never missed, as it would be if sealed between reading the sealed and the unsealed)."""
    object_type, object_id = f"{obj._meta.app_label}.{obj._meta.model_name}", str(obj.pk)
    pending = list(
        AuditPending.objects.filter(object_type=object_type, object_id=object_id)
        .exclude(action__in=NOT_HISTORY)
        .order_by("id")
        .values(*CONTENT_FIELDS)
    )
    sealed = list(
        AuditEntry.objects.filter(object_type=object_type, object_id=object_id)
        .exclude(action__in=NOT_HISTORY)
        .order_by("id")
    )
    if not pending:
        return sealed

    def key(fields: dict):
        return tuple(repr(fields[name]) for name in CONTENT_FIELDS)

    seen = {key({name: getattr(e, name) for name in CONTENT_FIELDS}) for e in sealed}
    return sealed + [AuditEntry(id=None, hash="", prev_hash="", **f) for f in pending if key(f) not in seen]


@dataclass
class ChainReport:
    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""
    checkpoints: int = 0  # checkpoints matched
    latest_checkpoint: Checkpoint | None = None
    head: tuple | None = None  # (id, hash, chain version) of the last entry verified, when ok
    key_mismatch: bool = False  # not a tampering found: the configured key signed none of the checkpoints
    # When ok: the latest checkpoint is older than BOAI_AUDIT_CHECKPOINT_MAX_AGE allows (the job stopped?);
    # ``unpinned`` entries were written after it and are held by the head alone.
    checkpoint_stale: bool = False
    checkpoint_age: timedelta | None = None
    unpinned: int = 0
    # Entries written but not sealed into the chain yet (BOAI_AUDIT_SEAL_DEFERRED), and how many of them
    # have waited longer than BOAI_AUDIT_SEAL_LAG_SECONDS (the sealer stopped?): a problem to report.
    unsealed: int = 0
    unsealed_overdue: int = 0
    oldest_unsealed: datetime | None = None

    @property
    def max_seal_lag_seconds(self) -> int:
        return int(seal_lag().total_seconds())

    @property
    def max_age(self) -> timedelta:
        return checkpoint_max_age()

    @property
    def max_age_hours(self) -> str:
        return f"{checkpoint_max_age().total_seconds() / 3600:g}"

    @property
    def age_hours(self) -> str:
        return f"{self.checkpoint_age.total_seconds() / 3600:.1f}" if self.checkpoint_age is not None else ""


def checkpoint_max_age() -> timedelta:
    return timedelta(seconds=settings.BOAI_AUDIT_CHECKPOINT_MAX_AGE)


def _key_does_not_match(found, keys) -> bool:
    """Every checkpoint fails its signature under a key id that is configured, and the first entry
    chained under that key does not verify either (or no entry does and there are several
    checkpoints): the configured key is not the one that signed them, rather than each file forged."""
    if not found or not all(isinstance(cp, checkpoints.BadCheckpoint) and cp.key_id for cp in found):
        return False
    key_ids = {cp.key_id for cp in found}
    first = AuditEntry.objects.filter(chain_version__in=key_ids).order_by("id").first()
    if first is None:
        return len(found) > 1
    try:
        return entry_hash(first.prev_hash, first, keys) != first.hash
    except UnknownAuditKey:
        return False


def _checkpoint_mismatch(cp: Checkpoint, entry) -> str:
    if cp.head_hash == entry.hash and cp.chain_version == entry.chain_version:
        return ""
    return _(
        "entry #%(id)s differs from checkpoint %(name)s (signed %(time)s): hash %(hash)s… (key %(version)s) "
        "in the database, %(signed_hash)s… (key %(signed_version)s) in the checkpoint: the chain was "
        "rewritten at or before #%(id)s"
    ) % {
        "id": entry.id,
        "name": cp.name,
        "time": cp.written_at,
        "hash": entry.hash[:16],
        "version": entry.chain_version,
        "signed_hash": cp.head_hash[:16],
        "signed_version": cp.chain_version,
    }


def seal_lag() -> timedelta:
    return timedelta(seconds=settings.BOAI_AUDIT_SEAL_LAG_SECONDS)


def unsealed_entries(now: datetime | None = None) -> tuple[int, int, datetime | None]:
    """(unsealed entries, those older than BOAI_AUDIT_SEAL_LAG_SECONDS, the oldest one's time)."""
    limit = (now or timezone.now()) - seal_lag()
    qs = AuditPending.objects.all()
    oldest = qs.order_by("created_at").values_list("created_at", flat=True).first()
    if oldest is None:
        return 0, 0, None
    return qs.count(), qs.filter(created_at__lt=limit).count(), oldest


def verify_chain(batch_size: int = 2000, directory=None, now: datetime | None = None) -> ChainReport:
    """Walk the chain in id order: ids consecutive from 1, each prev_hash the previous hash, each hash
    recomputed under the audit key from the content; the head names the last entry (so a deleted tail
    is noticed); and every signed checkpoint outside the database matches the entry it names. An intact
    chain whose latest checkpoint is older than ``BOAI_AUDIT_CHECKPOINT_MAX_AGE`` is reported stale, and
    entries still waiting to be sealed (``unsealed``, ``unsealed_overdue``: see ``AuditPending``) counted."""
    found = checkpoints.read_all(directory)
    keys = audit_keys()
    if _key_does_not_match(found, keys):
        reason = _(
            "the audit key does not match the key that signed the checkpoints: none of the %(n)s checkpoint(s) "
            "nor the first entry verifies under audit key %(key)s. Check BOAI_AUDIT_KEY."
        ) % {"n": len(found), "key": ", ".join(str(k) for k in sorted({cp.key_id for cp in found}))}
        return ChainReport(False, 0, None, reason, key_mismatch=True)
    for cp in found:
        if isinstance(cp, checkpoints.BadCheckpoint):
            reason = _("checkpoint %(name)s is not valid: %(reason)s") % {"name": cp.name, "reason": cp.reason}
            return ChainReport(False, 0, None, reason)
    pinned: dict[int, list[Checkpoint]] = {}
    for cp in found:
        pinned.setdefault(cp.head_id, []).append(cp)
    for cp in pinned.get(0, []):
        if cp.head_hash != GENESIS_HASH:
            reason = _("checkpoint %(name)s records an empty chain with a wrong hash") % {"name": cp.name}
            return ChainReport(False, 0, None, reason)
    # The head as committed before the walk: every entry up to it was committed with it (one transaction
    # under the head's lock), so the walk must reach it and pass through its hash; entries committed
    # during the walk are checked as far as it reads them, and never taken for a deleted tail.
    head = AuditHead.objects.filter(pk=1).first()
    expected_id, prev_hash, checked, version, hash_at_head = 1, GENESIS_HASH, 0, 0, None
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=expected_id - 1).order_by("id")[:batch_size])
        if not rows:
            break
        for entry in rows:
            if entry.id != expected_id:
                reason = _("entry #%(id)s is missing (next present is #%(next)s)") % {
                    "id": expected_id,
                    "next": entry.id,
                }
                return ChainReport(False, checked, expected_id, reason)
            if entry.prev_hash != prev_hash:
                return ChainReport(
                    False,
                    checked,
                    entry.id,
                    _(
                        "entry #%(id)s does not follow #%(previous)s (chain broken: "
                        "a row was deleted, inserted or reordered)"
                    )
                    % {"id": entry.id, "previous": entry.id - 1},
                )
            try:
                recomputed = entry_hash(prev_hash, entry, keys)
            except UnknownAuditKey:
                reason = (
                    _("it is not keyed (chain version 0, plain SM3): no entry may be")
                    if not entry.chain_version
                    else _("it names audit key %(key)s, which BOAI_AUDIT_KEY does not list")
                    % {"key": entry.chain_version}
                )
                changed = _("entry #%(id)s was changed after it was written: %(reason)s")
                return ChainReport(False, checked, entry.id, changed % {"id": entry.id, "reason": reason})
            if recomputed != entry.hash:
                changed = _("entry #%(id)s was changed after it was written") % {"id": entry.id}
                return ChainReport(False, checked, entry.id, changed)
            for cp in pinned.get(entry.id, []):
                if mismatch := _checkpoint_mismatch(cp, entry):
                    return ChainReport(False, checked, entry.id, mismatch)
            prev_hash, expected_id, checked, version = entry.hash, entry.id + 1, checked + 1, entry.chain_version
            if head is not None and entry.id == head.last_id:
                hash_at_head = entry.hash
        if head is not None and expected_id - 1 >= head.last_id:
            break  # past the head read before the walk: later writers do not keep it going
    last_id = expected_id - 1
    beyond = [cp for cp in found if cp.head_id > last_id]
    if beyond:
        cp = min(beyond, key=lambda c: c.head_id)
        return ChainReport(
            False,
            checked,
            last_id + 1,
            _(
                "checkpoint %(name)s (signed %(time)s) records entry #%(id)s, which is missing: "
                "the chain ends at #%(last)s, entries at the end were deleted"
            )
            % {"name": cp.name, "time": cp.written_at, "id": cp.head_id, "last": last_id},
        )
    if head and (head.last_id > last_id or (head.last_id and head.last_hash != hash_at_head)):
        return ChainReport(
            False,
            checked,
            expected_id,
            _("the chain ends at #%(last)s but its head records #%(head)s: entries at the end were deleted")
            % {"last": last_id, "head": head.last_id},
        )
    latest = max(found, key=lambda c: (c.head_id, c.written_at), default=None)
    report = ChainReport(
        True, checked, checkpoints=len(found), latest_checkpoint=latest, head=(last_id, prev_hash, version)
    )
    report.unsealed, report.unsealed_overdue, report.oldest_unsealed = unsealed_entries(now)
    newest = max((cp.written for cp in found if cp.written), default=None)
    if newest is not None:
        if timezone.is_naive(newest):
            newest = newest.replace(tzinfo=UTC)
        report.checkpoint_age = (now or timezone.now()) - newest
        report.checkpoint_stale = report.checkpoint_age > checkpoint_max_age()
        report.unpinned = last_id - latest.head_id
    return report


def entry_counts_since(day) -> dict:
    """How many entries were written since ``day`` (a date), and how many of them were refusals."""
    qs = AuditEntry.objects.filter(created_at__date__gte=day)
    return {"all": qs.count(), "refused": qs.filter(success=False).count()}
