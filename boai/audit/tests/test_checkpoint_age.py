"""Issue 12 item 5, follow-up: a checkpoint job that stopped is noticed, and a wrong audit key is not
mistaken for forged checkpoints.

Entries written after the latest checkpoint are held by the head alone: whoever owns the database can
delete them and move the head back without ``verify_audit`` noticing. So ``verify_audit`` warns, and
the auditor's page says so, when the latest checkpoint is older than BOAI_AUDIT_CHECKPOINT_MAX_AGE
(default 2 hours; Celery beat signs one hourly)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.audit.selectors import verify_chain
from boai.audit.services import SYSTEM, audit_log, checkpoint_write
from boai.audit.tests.test_events import client_as

pytestmark = pytest.mark.django_db

OTHER_KEY = "1:" + "5e" * 32


def test_the_default_allows_two_hours(settings):
    from django.conf import settings as django_settings

    assert django_settings.BOAI_AUDIT_CHECKPOINT_MAX_AGE == 2 * 3600


def test_an_old_checkpoint_is_a_warning_naming_the_entries_after_it(capsys):
    checkpoint_write(now=timezone.now() - timedelta(hours=3))
    pinned = AuditEntry.objects.order_by("-id").first().id
    for i in range(3):
        audit_log(action=f"test.after.{i}", actor=SYSTEM)
    call_command("verify_audit")  # still intact: a warning, not a failure
    out = capsys.readouterr()
    assert "audit chain intact" in out.out
    assert "warning: the latest checkpoint was signed 3.0 h ago" in out.err
    assert "BOAI_AUDIT_CHECKPOINT_MAX_AGE allows (2 h)" in out.err
    assert f"the 3 entries after #{pinned} are held by the head alone" in out.err
    report = verify_chain()
    assert report.ok and report.checkpoint_stale and report.unpinned == 3


def test_a_recent_checkpoint_or_a_longer_allowance_is_no_warning(capsys, settings):
    checkpoint_write(now=timezone.now() - timedelta(minutes=50))
    call_command("verify_audit")
    assert "warning" not in capsys.readouterr().err
    checkpoint_write(now=timezone.now() - timedelta(hours=3))  # older, but the newest counts
    call_command("verify_audit")
    assert "warning" not in capsys.readouterr().err
    settings.BOAI_AUDIT_CHECKPOINT_MAX_AGE = 30 * 60
    call_command("verify_audit")
    assert "warning: the latest checkpoint was signed 0.8 h ago" in capsys.readouterr().err


def test_the_auditors_page_warns_of_an_old_checkpoint(english):
    checkpoint_write(now=timezone.now() - timedelta(hours=5))
    audit_log(action="test.after", actor=SYSTEM)
    page = client_as("auditor").get("/workspace/audit/verify/").content.decode()
    assert 'id="chain-checkpoint-stale"' in page and "signed 5.0 hours ago" in page
    assert "at least every 2 hours" in page and "could be deleted without this check noticing" in page
    checkpoint_write()
    page = client_as("auditor").get("/workspace/audit/verify/").content.decode()
    assert "chain is intact" in page and "chain-checkpoint-stale" not in page


@pytest.mark.parametrize("count", [1, 2])
def test_a_wrong_audit_key_is_named_as_such_not_as_forged_checkpoints(settings, english, count):
    for _i in range(count):
        audit_log(action="test.between", actor=SYSTEM)
        checkpoint_write()
    settings.BOAI_AUDIT_KEY = OTHER_KEY  # the same key id, another key: a mistyped or mixed-up secret
    with pytest.raises(CommandError) as refused:
        call_command("verify_audit")
    message = str(refused.value)
    assert "the audit key does not match the key that signed the checkpoints" in message
    assert "forged" not in message and "BROKEN" not in message
    page = client_as("auditor").get("/workspace/audit/verify/").content.decode()
    assert "cannot be verified with the configured audit key" in page
    assert "does not match the key that signed the checkpoints" in page


def test_one_forged_checkpoint_among_good_ones_is_still_forged(english):
    checkpoint_write()
    audit_log(action="test.between", actor=SYSTEM)
    path = checkpoint_write()
    path.write_text(path.read_text().replace('"head_id": ', '"head_id": 1', 1))
    report = verify_chain()
    assert not report.ok and not report.key_mismatch and "altered or forged" in report.reason
