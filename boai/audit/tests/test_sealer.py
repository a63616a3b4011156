"""Deferred sealing (BOAI_AUDIT_SEAL_DEFERRED): audit_log only inserts the entry in the caller's
transaction; audit_seal chains the committed ones in order; verify_audit names entries left unsealed
too long; checkpoints seal first. On PostgreSQL: several writers at once, and an entry committed after
a later-numbered one was sealed is chained by the next pass, never skipped."""

import json
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from boai.audit.checkpoints import checkpoint_dir
from boai.audit.models import AuditEntry, AuditPending
from boai.audit.selectors import verify_chain
from boai.audit.services import SYSTEM, audit_log, audit_seal, checkpoint_write
from boai.audit.tests.test_events import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def deferred(settings):
    settings.BOAI_AUDIT_SEAL_DEFERRED = True


def test_an_entry_is_chained_only_when_sealed_in_the_order_written(deferred, capsys):
    before = AuditEntry.objects.order_by("-id").first()
    first = audit_log(action="test.deferred.one", actor=SYSTEM, changes={"phone": "13812345678"})
    audit_log(action="test.deferred.two", actor=SYSTEM)
    assert first.hash == "" and AuditEntry.objects.order_by("-id").first() == before
    call_command("verify_audit")
    assert "2 recent entries are waiting to be sealed" in capsys.readouterr().out

    sealed = audit_seal()
    one, two = AuditEntry.objects.filter(id__gt=before.id).order_by("id")
    assert [one.action, two.action] == ["test.deferred.one", "test.deferred.two"]
    assert (one.id, one.prev_hash, two.prev_hash) == (before.id + 1, before.hash, one.hash)
    assert one.changes == {"phone": "138****5678"}  # masked when written, not when sealed
    assert len(sealed) == 2 and not AuditPending.objects.exists()
    report = verify_chain()
    assert report.ok and report.unsealed == 0 and report.head[0] == two.id
    assert audit_seal() == {}  # nothing left: a second pass chains nothing twice


def test_a_rolled_back_transaction_leaves_nothing_to_seal(deferred):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_log(action="test.deferred.rolled_back", actor=SYSTEM)
        raise RuntimeError("the business change failed")
    assert audit_seal() == {}
    assert not AuditEntry.objects.filter(action="test.deferred.rolled_back").exists()


def test_entries_left_unsealed_too_long_fail_verification(deferred, settings):
    settings.BOAI_AUDIT_SEAL_LAG_SECONDS = 30
    audit_log(action="test.deferred.recent", actor=SYSTEM)
    call_command("verify_audit")  # waiting a moment is normal
    audit_log(action="test.deferred.stuck", actor=SYSTEM, now=timezone.now() - timedelta(minutes=2))
    with pytest.raises(CommandError, match=r"NOT SEALED: 1 of 2 unsealed entries .* longer than .* \(30 s\)"):
        call_command("verify_audit")
    report = verify_chain()
    assert report.ok and (report.unsealed, report.unsealed_overdue) == (2, 1)
    page = client_as("auditor").get("/workspace/audit/verify/").content.decode()
    assert 'id="chain-unsealed-overdue"' in page and "1 of 2 entries written have waited longer than 30 seconds" in page
    audit_seal()
    call_command("verify_audit")
    page = client_as("auditor").get("/workspace/audit/verify/").content.decode()
    assert "chain is intact" in page and "chain-unsealed-overdue" not in page


def test_a_checkpoint_seals_first_and_signs_the_newest_entry(deferred):
    audit_log(action="test.deferred.before_checkpoint", actor=SYSTEM)
    path = checkpoint_write()
    newest = AuditEntry.objects.order_by("-id").first()
    assert newest.action == "test.deferred.before_checkpoint"
    assert json.loads(path.read_text())["head_id"] == newest.id
    assert list(checkpoint_dir().glob("checkpoint-*.json")) == [path]


def test_the_sealer_runs_every_few_seconds_from_celery_beat(settings):
    from boai.audit.tasks import seal_task

    assert settings.CELERY_BEAT_SCHEDULE["audit-seal"] == {"task": "audit.seal", "schedule": 5.0}
    settings.BOAI_AUDIT_SEAL_DEFERRED = True
    audit_log(action="test.deferred.beat", actor=SYSTEM)
    assert seal_task() == {"sealed": 1}
    assert AuditEntry.objects.filter(action="test.deferred.beat").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writers_at_once_and_a_sealer_keep_one_chain_in_each_writers_order(transactional_base_data, settings):
    settings.BOAI_AUDIT_SEAL_DEFERRED = True
    start = AuditEntry.objects.count()
    stop, errors = threading.Event(), []

    def write(n):
        try:
            for i in range(15):
                with transaction.atomic():
                    audit_log(action=f"test.sealer.{n}.{i:02d}", actor=SYSTEM)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    def seal():
        try:
            while not stop.is_set():
                audit_seal()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    writers = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    sealers = [threading.Thread(target=seal) for _ in range(2)]  # two at once must not chain anything twice
    for t in writers + sealers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    for t in sealers:
        t.join()
    audit_seal()
    assert errors == []
    assert AuditEntry.objects.count() == start + 90 and not AuditPending.objects.exists()
    for n in range(6):
        actions = list(AuditEntry.objects.filter(action__startswith=f"test.sealer.{n}.").order_by("id"))
        assert [e.action for e in actions] == [f"test.sealer.{n}.{i:02d}" for i in range(15)]
    report = verify_chain()
    assert report.ok, report.reason
    assert report.checked == AuditEntry.objects.count()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_entry_committed_late_is_sealed_by_the_next_pass_not_skipped(transactional_base_data, settings):
    settings.BOAI_AUDIT_SEAL_DEFERRED = True
    written, release, errors = threading.Event(), threading.Event(), []

    def slow_transaction():
        try:
            with transaction.atomic():
                audit_log(action="test.sealer.late", actor=SYSTEM)  # the lower unsealed id
                written.set()
                release.wait(30)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    slow = threading.Thread(target=slow_transaction)
    slow.start()
    assert written.wait(30)
    with transaction.atomic():
        audit_log(action="test.sealer.early", actor=SYSTEM)  # a higher id, committed first
    sealed = audit_seal()
    assert [e.action for e in sealed.values()] == ["test.sealer.early"]
    release.set()
    slow.join()
    assert errors == []
    late = list(audit_seal().values())
    assert [e.action for e in late] == ["test.sealer.late"]
    early = AuditEntry.objects.get(action="test.sealer.early")
    assert late[0].id == early.id + 1 and late[0].prev_hash == early.hash
    report = verify_chain()
    assert report.ok and report.unsealed == 0, report.reason


def test_decisions_on_what_was_logged_see_an_entry_not_sealed_yet(deferred):
    from boai.audit.selectors import entry_exists

    audit_log(action="test.deferred.told", actor=SYSTEM, object_id="42", changes={"notified": True})
    assert entry_exists(action="test.deferred.told", object_id="42", changes__notified=True)
    audit_seal()
    assert entry_exists(action="test.deferred.told", object_id="42", changes__notified=True)
    assert not entry_exists(action="test.deferred.told", object_id="43")


def test_a_records_history_shows_its_unsealed_entries_once_before_and_after_sealing(deferred):
    from boai.audit.selectors import entries_for_object
    from boai.outreach.tests.factories import make_project

    project = make_project(region="530102", created_by="wuhua_staff")
    audit_log(action="test.deferred.sealed", actor=SYSTEM, obj=project)
    audit_seal()
    audit_log(action="test.deferred.waiting", actor=SYSTEM, obj=project, changes={"reason": "x"})
    audit_log(action="security.access.denied", actor=SYSTEM, obj=project)  # never history
    history = entries_for_object(project)
    assert [e.action for e in history][-2:] == ["test.deferred.sealed", "test.deferred.waiting"]
    assert history[-1].id is None and history[-1].changes == {"reason": "x"}
    audit_seal()
    after = entries_for_object(project)
    assert [e.action for e in after][-2:] == ["test.deferred.sealed", "test.deferred.waiting"]
    assert all(e.id for e in after)


def test_an_entry_sealed_between_the_two_reads_is_shown_once(deferred, monkeypatch):
    """The unsealed rows are read first: the sealer running before the sealed ones are read leaves the
    entry in both reads, shown once."""
    from boai.audit import selectors
    from boai.outreach.tests.factories import make_project

    project = make_project(region="530102", created_by="wuhua_staff")
    audit_log(action="test.deferred.raced", actor=SYSTEM, obj=project)
    real = AuditEntry.objects.filter

    def seal_then_filter(*args, **kwargs):
        audit_seal()
        return real(*args, **kwargs)

    monkeypatch.setattr(AuditEntry.objects, "filter", seal_then_filter)
    history = selectors.entries_for_object(project)
    assert [e.action for e in history].count("test.deferred.raced") == 1


@pytest.mark.postgres
def test_postgresql_refuses_to_change_an_unsealed_entry_but_the_sealer_still_moves_it(deferred):
    from django.db import DatabaseError

    audit_log(action="test.deferred.kept", actor=SYSTEM)
    pending = AuditPending.objects.get(action="test.deferred.kept")
    with pytest.raises(DatabaseError, match="insert-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditpending SET action = 'test.deferred.forged' WHERE id = %s", [pending.id])
    assert [e.action for e in audit_seal().values()] == ["test.deferred.kept"]
    assert not AuditPending.objects.exists()
