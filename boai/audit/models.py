from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    """One line of the append-only, hash-chained audit log.

    ``id`` is assigned from ``AuditHead`` (gapless, in commit order of the chain lock), and
    ``hash = HMAC-SM3(audit key, chain version || prev_hash || canonical content)`` (see chain.py).
    On PostgreSQL a trigger refuses UPDATE and DELETE; signed checkpoints outside the database
    (checkpoints.py) pin the head against whoever holds the key and the table.
    """

    id = models.BigIntegerField(primary_key=True)
    created_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=32, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    success = models.BooleanField(_("success"), default=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The id of the BOAI_AUDIT_KEY key that chained this entry (0: the unkeyed SM3 of old releases).
    chain_version = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx")]

    def __str__(self):
        return f"#{self.id} {self.action}"


class AuditHead(models.Model):
    """The chain head: a single row locked by every writer, so ids and hashes follow one order."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"audit head #{self.last_id}"


class AuditPending(models.Model):
    """An entry written but not yet sealed into the chain (``BOAI_AUDIT_SEAL_DEFERRED``).

    ``audit_log`` inserts it in the caller's transaction without the head's lock; the sealer
    (``services.audit_seal``: Celery beat every few seconds, and before every checkpoint) moves the
    committed ones into ``AuditEntry`` under the lock, in this table's id order, giving each the next
    chain id and its hash, and deletes them here in the same transaction. A row committed late (a lower
    id than one already sealed) is simply sealed by the next pass: the chain order is the seal order,
    so nothing is ever skipped. ``verify_audit`` reports rows older than ``BOAI_AUDIT_SEAL_LAG_SECONDS``.
    """

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    success = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("unsealed audit entry")

    def __str__(self):
        return f"unsealed {self.id} {self.action}"
