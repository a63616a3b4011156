import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from boai.audit.models import AuditEntry
from boai.core.models import Attachment
from boai.core.services import attachment_store, attachment_sweep
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 sweep"


def _files(root):
    return sorted(os.path.join(d, f) for d, _s, fs in os.walk(root / "attachments") for f in fs)


def _store(owner):
    return attachment_store(
        owner=owner, kind="signed_form", actor=user("prov_admin"), upload=SimpleUploadedFile("f.pdf", PDF)
    )


def test_a_file_left_by_a_rolled_back_save_is_swept_and_a_kept_one_stays(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = user("prov_admin")
    before = Attachment.objects.count()  # the demo data's scans (kept elsewhere than tmp_path)
    kept = _store(owner)
    with pytest.raises(RuntimeError), transaction.atomic():
        _store(owner)
        raise RuntimeError("the save failed after the upload")
    assert Attachment.objects.count() == before + 1 and len(_files(tmp_path)) == 2  # the orphan is on disk

    assert attachment_sweep(older_than=timedelta(hours=1)) == 0  # too young: a save may still be running
    assert len(_files(tmp_path)) == 2

    assert attachment_sweep(older_than=timedelta(0)) == 1
    assert _files(tmp_path) == [kept.file.path]
    assert kept.file.storage.open(kept.file.name).read() == PDF  # the referenced scan still opens
    assert AuditEntry.objects.filter(action="core.attachment.swept", changes__files=1).exists()


def test_the_command_reports_what_it_removed(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(RuntimeError), transaction.atomic():
        _store(user("prov_admin"))
        raise RuntimeError
    call_command("sweep_attachments", "--hours", "0")
    assert "1 unreferenced file(s) removed" in capsys.readouterr().out
    assert _files(tmp_path) == []
