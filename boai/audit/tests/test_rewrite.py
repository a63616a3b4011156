"""Issue 12 item 5: the audit chain resists its own database owner.

The rewrite is replayed as the PostgreSQL superuser (the test database's user): the append-only
trigger is bypassed, an entry is edited, every later hash and the head are recomputed. Without the
audit key that recomputation cannot produce valid hashes; with the key (simulated: a stolen key) the
signed checkpoints outside the database still hold the old head."""

import json
import secrets

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from boai.audit.chain import entry_hash, legacy_hash
from boai.audit.checkpoints import checkpoint_dir
from boai.audit.keys import AuditKeys, audit_keys
from boai.audit.models import AuditEntry
from boai.audit.selectors import verify_chain
from boai.audit.services import SYSTEM, CheckpointRefused, audit_log, checkpoint_write

pytestmark = pytest.mark.django_db


def verify_output():
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit")
    return str(exc.value)


def rewrite_as_superuser(target_id, rehash, *, action="tampered", from_id=None, version=None):
    """What the database owner can do: lift the trigger, edit entry ``target_id`` and recompute the
    chain from ``from_id`` (default: the edited entry) to the end, then move the head."""
    with connection.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cur.fetchone()[0], "the replay needs the superuser the tests connect as"
        cur.execute("SET LOCAL session_replication_role = replica")  # no ordinary trigger fires
        from_id = from_id or target_id
        entries = list(AuditEntry.objects.filter(id__gte=from_id).order_by("id"))
        prev = AuditEntry.objects.get(id=from_id - 1).hash if from_id > 1 else "0" * 64
        for entry in entries:
            if entry.id == target_id:
                entry.action = action
            if version is not None:
                entry.chain_version = version
            entry.prev_hash = prev
            entry.hash = rehash(prev, entry)
            cur.execute(
                "UPDATE audit_auditentry SET action = %s, chain_version = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [entry.action, entry.chain_version, entry.prev_hash, entry.hash, entry.id],
            )
            prev = entry.hash
        cur.execute("UPDATE audit_audithead SET last_id = %s, last_hash = %s WHERE id = 1", [entries[-1].id, prev])
        cur.execute("SET LOCAL session_replication_role = DEFAULT")


def middle_entry():
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    assert len(ids) > 10
    return ids[len(ids) // 2]


@pytest.mark.postgres
def test_a_rewrite_recomputed_with_plain_sm3_is_caught():
    target = middle_entry()
    rewrite_as_superuser(target, legacy_hash)
    message = verify_output()
    assert f"entry #{target}" in message and "changed" in message


@pytest.mark.postgres
def test_a_rewrite_downgraded_to_the_unkeyed_chain_is_caught():
    """Marking every entry as an old unkeyed one (chain version 0) and recomputing SM3 needs no key."""
    rewrite_as_superuser(middle_entry(), legacy_hash, from_id=1, version=0)
    message = verify_output()
    assert "entry #1 " in message and "not keyed" in message


@pytest.mark.postgres
def test_a_rewrite_recomputed_with_a_wrong_key_is_caught():
    wrong = AuditKeys(current_id=audit_keys().current_id, keys={audit_keys().current_id: secrets.token_bytes(32)})
    target = middle_entry()
    rewrite_as_superuser(target, lambda prev, entry: entry_hash(prev, entry, wrong))
    assert f"entry #{target} was changed" in verify_output()


@pytest.mark.postgres
def test_a_rewrite_with_the_right_key_is_caught_by_the_checkpoint():
    target = middle_entry()
    call_command("audit_checkpoint")
    pinned = AuditEntry.objects.order_by("-id").first()
    for i in range(3):
        audit_log(action=f"test.after.checkpoint.{i}", actor=SYSTEM)
    call_command("verify_audit")  # intact so far
    rewrite_as_superuser(target, entry_hash)  # the attacker holds the key: the chain itself verifies
    message = verify_output()
    assert f"entry #{pinned.id} differs from checkpoint" in message
    assert "rewritten at or before" in message


@pytest.mark.postgres
def test_a_tail_deleted_and_the_head_moved_back_is_caught_by_the_checkpoint():
    audit_log(action="test.tail", actor=SYSTEM)
    path = checkpoint_write()
    last = AuditEntry.objects.order_by("-id").first()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("DELETE FROM audit_auditentry WHERE id = %s", [last.id])
        cur.execute("UPDATE audit_audithead SET last_id = %s, last_hash = %s", [last.id - 1, last.prev_hash])
        cur.execute("SET LOCAL session_replication_role = DEFAULT")
    message = verify_output()
    assert f"records entry #{last.id}, which is missing" in message and path.name in message


def test_a_checkpoint_file_is_signed_written_once_and_checked(capsys):
    call_command("audit_checkpoint")
    files = sorted(checkpoint_dir().glob("checkpoint-*.json"))
    assert len(files) == 1
    data = json.loads(files[0].read_text())
    head = AuditEntry.objects.order_by("-id").first()
    assert (data["head_id"], data["head_hash"], data["key_id"]) == (head.id, head.hash, audit_keys().current_id)
    assert len(data["mac"]) == 64
    call_command("verify_audit")
    assert "1 checkpoint(s)" in capsys.readouterr().out
    audit_log(action="test.two", actor=SYSTEM)
    call_command("audit_checkpoint")
    assert len(list(checkpoint_dir().glob("checkpoint-*.json"))) == 2
    assert json.loads(files[0].read_text()) == data  # the earlier file is never rewritten


def test_a_forged_or_altered_checkpoint_is_a_failure():
    path = checkpoint_write()
    data = json.loads(path.read_text())
    data["head_hash"] = "0" * 64
    path.write_text(json.dumps(data))
    message = verify_output()
    assert path.name in message and "signature does not match" in message


def test_no_checkpoint_is_signed_over_a_broken_chain():
    target = AuditEntry.objects.order_by("id")[3]
    from boai.audit.tests.test_chain import tamper

    tamper("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["tampered", target.id])
    with pytest.raises(CheckpointRefused, match=f"#{target.id}"):
        checkpoint_write()
    assert not checkpoint_dir().exists()


def test_the_checkpoint_runs_hourly_from_celery_beat():
    import boai.audit.tasks  # noqa: F401 - what the worker's autodiscovery imports
    from config.celery import app

    schedule = [s for s in app.conf.beat_schedule.values() if s["task"] == "audit.checkpoint"]
    assert schedule and schedule[0]["schedule"] == 3600.0
    assert "audit.checkpoint" in app.tasks
    assert app.tasks["audit.checkpoint"].apply().get()["ok"]
    assert len(list(checkpoint_dir().glob("checkpoint-*.json"))) == 1


def test_verify_without_checkpoint_warns(capsys):
    call_command("verify_audit")
    assert "no checkpoint" in capsys.readouterr().err


def test_the_audit_page_says_what_the_checkpoints_show(english):
    from boai.audit.tests.test_events import client_as

    page = client_as("auditor").get("/workspace/audit/verify/")
    assert page.status_code == 200 and b"No signed checkpoint" in page.content
    head = AuditEntry.objects.order_by("-id").first()
    path = checkpoint_write()
    page = client_as("auditor").get("/workspace/audit/verify/")
    assert b"chain is intact" in page.content and f"pins entry #{head.id}".encode() in page.content
    path.write_text(path.read_text().replace(head.hash, "f" * 64))
    page = client_as("auditor").get("/workspace/audit/verify/")
    assert b"checkpoint of the hash chain is not valid" in page.content and path.name.encode() in page.content


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_verifying_and_checkpointing_while_others_write_never_cries_wolf(transactional_base_data):
    """Entries committed during the walk move the head past it: the walk follows the head instead of
    reporting a deleted tail, and the checkpoint signs exactly the head it verified."""
    import threading

    from django.db import transaction

    stop, errors = threading.Event(), []

    def write():
        try:
            while not stop.is_set():
                with transaction.atomic():
                    audit_log(action="test.concurrent.verify", actor=SYSTEM)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for _ in range(8):
            report = verify_chain()
            assert report.ok, report.reason
            checkpoint_write()
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    call_command("verify_audit")
