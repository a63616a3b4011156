import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from boai.audit.models import AuditEntry
from boai.audit.selectors import verify_chain
from boai.audit.services import SYSTEM, audit_log

pytestmark = pytest.mark.django_db


def tamper(sql, params=()):
    """Change the log behind the application's back (on PostgreSQL the trigger must be lifted first)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_update")


def verify_output():
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit")
    return str(exc.value)


def test_an_intact_chain_verifies(capsys):
    call_command("verify_audit")
    assert "audit chain intact" in capsys.readouterr().out
    assert verify_chain().checked == AuditEntry.objects.count()


def test_an_edited_row_is_named():
    target = AuditEntry.objects.order_by("id")[4]
    tamper("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["tampered", target.id])
    message = verify_output()
    assert f"#{target.id}" in message and "changed" in message


def test_an_edited_detail_inside_the_json_is_noticed():
    target = AuditEntry.objects.order_by("id")[3]
    tamper("UPDATE audit_auditentry SET success = %s WHERE id = %s", [not target.success, target.id])
    assert f"#{target.id}" in verify_output()


def test_a_deleted_row_is_named():
    target = AuditEntry.objects.order_by("id")[5]
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [target.id])
    message = verify_output()
    assert f"#{target.id} is missing" in message


def test_reordered_rows_are_noticed():
    a, b = AuditEntry.objects.order_by("id")[6:8]
    tamper("UPDATE audit_auditentry SET id = -1 WHERE id = %s", [a.id])
    tamper("UPDATE audit_auditentry SET id = %s WHERE id = %s", [a.id, b.id])
    tamper("UPDATE audit_auditentry SET id = %s WHERE id = -1", [b.id])
    assert f"#{a.id}" in verify_output()


def test_a_deleted_tail_is_noticed():
    last = AuditEntry.objects.order_by("-id").first()
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [last.id])
    assert "entries at the end were deleted" in verify_output()


def test_a_row_inserted_out_of_order_is_noticed():
    last = AuditEntry.objects.order_by("-id").first()
    forged = AuditEntry(
        id=last.id + 1, created_at=last.created_at, action="forged", prev_hash="f" * 64, hash="e" * 64, changes={}
    )
    forged.save(force_insert=True)
    assert f"#{forged.id}" in verify_output()


def test_entries_are_chained_in_id_order():
    first = audit_log(action="test.one", actor=SYSTEM)
    second = audit_log(action="test.two", actor=SYSTEM)
    assert second.id == first.id + 1
    assert second.prev_hash == first.hash


@pytest.mark.postgres
def test_postgresql_refuses_update_and_delete_of_the_log():
    entry = AuditEntry.objects.order_by("id").first()
    for sql in ("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", "DELETE FROM audit_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [entry.id])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(transactional_base_data):
    start = AuditEntry.objects.count()
    errors = []

    def write(n):
        try:
            for i in range(10):
                with transaction.atomic():
                    audit_log(action=f"test.concurrent.{n}.{i}", actor=SYSTEM)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEntry.objects.count() == start + 80
    report = verify_chain()
    assert report.ok, report.reason
