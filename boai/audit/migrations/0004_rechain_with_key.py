"""Re-chain the entries written with the unkeyed SM3 under the audit key (HMAC-SM3, BOAI_AUDIT_KEY).

Why re-chain rather than keep an unkeyed prefix: a prefix verified "the old way" invites a downgrade:
whoever owns the table marks every entry as old and recomputes plain SM3, which needs no key. After
this migration every entry is keyed and nothing accepts an unkeyed one.

Honestly done: the old chain is verified first, as it stood. If it is broken the migration stops and
names the entry (investigate before the evidence is re-chained; to go on anyway, set
BOAI_AUDIT_RECHAIN_BROKEN=1 and the break is recorded). Then one entry ``audit.chain.keyed`` is
appended, recording the old head (id and SM3 hash, to compare with the heads noted at backups) and the
outcome of that check. Runs as the tables' owner (like every migration); on PostgreSQL the append-only
trigger is lifted inside this transaction only. A fresh database has nothing to re-chain."""

import os

from django.db import migrations
from django.utils import timezone

from boai.audit.chain import entry_hash, legacy_hash
from boai.audit.keys import audit_keys

GENESIS_HASH = "0" * 64


def verify_legacy(entries):
    expected_id, prev = 1, GENESIS_HASH
    for entry in entries:
        if entry.id != expected_id:
            return f"entry #{expected_id} is missing (next present is #{entry.id})"
        if entry.prev_hash != prev or legacy_hash(prev, entry) != entry.hash:
            return f"entry #{entry.id} does not match its SM3 hash"
        prev, expected_id = entry.hash, entry.id + 1
    return ""


def rechain(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditHead = apps.get_model("audit", "AuditHead")
    entries = list(AuditEntry.objects.order_by("id"))
    if not entries:
        return
    head = AuditHead.objects.select_for_update().get(pk=1)
    old_head_id, old_head_hash = head.last_id, head.last_hash
    problem = verify_legacy(entries)
    if not problem and (old_head_id, old_head_hash) != (entries[-1].id, entries[-1].hash):
        problem = f"the chain ends at #{entries[-1].id} but its head records #{old_head_id}"
    if problem and os.environ.get("BOAI_AUDIT_RECHAIN_BROKEN") != "1":
        raise RuntimeError(
            f"audit chain BROKEN before re-chaining it under the key: {problem}. Investigate first "
            "(docs/deployment.md); set BOAI_AUDIT_RECHAIN_BROKEN=1 to re-chain anyway and record the break."
        )
    keys = audit_keys()
    pg = schema_editor.connection.vendor == "postgresql"
    if pg:
        schema_editor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update")
    prev = GENESIS_HASH
    for entry in entries:
        entry.chain_version, entry.prev_hash = keys.current_id, prev
        entry.hash = entry_hash(prev, entry, keys)
        AuditEntry.objects.filter(pk=entry.pk).update(
            chain_version=entry.chain_version, prev_hash=entry.prev_hash, hash=entry.hash
        )
        prev = entry.hash
    if pg:
        schema_editor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_update")
    marker = AuditEntry(
        id=entries[-1].id + 1,
        created_at=timezone.now(),
        actor_username="system",
        actor_role="system",
        action="audit.chain.keyed",
        object_type="audit.auditentry",
        object_repr="audit chain",
        changes={
            "legacy_head_id": old_head_id,
            "legacy_head_sm3": old_head_hash,
            "legacy_chain_verified": not problem,
            "legacy_chain_problem": problem,
            "entries_rechained": len(entries),
        },
        success=not problem,
        prev_hash=prev,
        chain_version=keys.current_id,
    )
    marker.hash = entry_hash(prev, marker, keys)
    marker.save(force_insert=True)
    head.last_id, head.last_hash = marker.id, marker.hash
    head.save(update_fields=["last_id", "last_hash"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_auditentry_chain_version")]
    operations = [migrations.RunPython(rechain, migrations.RunPython.noop)]
