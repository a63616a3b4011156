"""Attachments on an S3-compatible object store (moto on loopback): stored encrypted, read back,
swept, deleted; /readyz checks the store; nothing asks for a local path."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from boai.core.models import Attachment
from boai.core.services import attachment_store, attachment_sweep
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 object store " + bytes(range(256)) * 40


def _store(owner):
    return attachment_store(
        owner=owner, kind="signed_form", actor=user("prov_admin"), upload=SimpleUploadedFile("f.pdf", PDF)
    )


def test_an_attachment_is_stored_encrypted_in_the_bucket_read_back_and_deleted(s3_bucket):
    kept = _store(user("prov_admin"))
    keys = [o.key for o in s3_bucket.objects.all()]
    assert keys == [kept.file.name] and kept.file.name.startswith("attachments/")
    raw = s3_bucket.Object(kept.file.name).get()["Body"].read()
    assert raw.startswith(b"BOAI1") and b"object store" not in raw  # encrypted by the app, not the store
    assert Attachment.objects.get(pk=kept.pk).file.storage.open(kept.file.name).read() == PDF
    kept.file.storage.delete(kept.file.name)
    assert list(s3_bucket.objects.all()) == []


def test_an_orphan_in_the_bucket_is_swept_and_the_kept_file_stays(s3_bucket):
    owner = user("prov_admin")
    kept = _store(owner)
    with pytest.raises(RuntimeError), transaction.atomic():
        _store(owner)
        raise RuntimeError("the save failed after the upload")
    assert len(list(s3_bucket.objects.all())) == 2
    assert attachment_sweep(older_than=timedelta(hours=1)) == 0  # too young
    assert attachment_sweep(older_than=timedelta(0)) == 1
    assert [o.key for o in s3_bucket.objects.all()] == [kept.file.name]


def test_readyz_checks_the_object_store(s3_bucket):
    response = Client().get("/readyz")
    assert response.status_code == 200 and response.json()["storage"] == "ok"
    assert list(s3_bucket.objects.all()) == []  # its probe removed
    s3_bucket.delete()  # the store lost its bucket
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["storage"] == "not writable"
