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
