"""A full disk for attachments: the upload is refused with a clear message, nothing half-written (no
partial file, no Attachment row, no audit entry). The real thing on a 1 MB tmpfs where the tests may
mount one (root), and a disk that says ENOSPC everywhere else."""

import builtins
import errno
import os
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boai.audit.models import AuditEntry
from boai.core.errors import StorageFull
from boai.core.models import Attachment
from boai.core.services import attachment_store
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db

MESSAGE = (
    "There is no space left to store files. Nothing was saved; please try again later or tell the system administrator."
)


def pdf(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", b"%PDF-1.4 " + os.urandom(size), content_type="application/pdf")


def all_files(root) -> list:
    return [os.path.join(d, f) for d, _s, fs in os.walk(root) for f in fs]


def refused_whole(root, english) -> None:
    owner = user("prov_admin")
    rows, entries = Attachment.objects.count(), AuditEntry.objects.count()
    with pytest.raises(StorageFull) as refused:
        attachment_store(owner=owner, kind="signed_form", actor=owner, upload=pdf(1_500_000))
    assert str(refused.value.message) == MESSAGE and refused.value.status == 507
    assert all_files(root) == []  # no partial file, no temporary one
    assert Attachment.objects.count() == rows and AuditEntry.objects.count() == entries
    kept = attachment_store(owner=owner, kind="signed_form", actor=owner, upload=pdf(1000))  # what fits still does
    assert kept.file.storage.open(kept.file.name).read()[:8] == b"%PDF-1.4"


@pytest.fixture
def tiny_disk(tmp_path):
    mount = tmp_path / "media"
    mount.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("cannot mount a tmpfs here (not root): the simulated full disk below covers it")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False, capture_output=True)


def test_a_real_full_disk_refuses_the_upload_and_leaves_nothing(settings, tiny_disk, english):
    settings.MEDIA_ROOT = tiny_disk
    refused_whole(tiny_disk, english)


def test_a_disk_that_says_enospc_refuses_the_upload_and_leaves_nothing(settings, tmp_path, monkeypatch, english):
    settings.MEDIA_ROOT = tmp_path
    real_open = builtins.open

    class FullFile:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            if len(data) > 1_000_000:
                self.handle.write(data[:4096])  # part of it reached the disk
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.handle.write(data)

        def __getattr__(self, name):
            return getattr(self.handle, name)

    def open_on_full_disk(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        return FullFile(handle) if str(file).startswith(str(tmp_path)) and "x" in mode else handle

    monkeypatch.setattr(builtins, "open", open_on_full_disk)
    refused_whole(tmp_path, english)


def test_a_killed_upload_left_half_written_is_swept_by_the_nightly_purge(settings, tmp_path):
    """A worker killed while writing leaves its ``.part-`` file (the ``finally`` never ran): the nightly
    purge removes it once an hour old, never one still being written nor a stored file."""
    from boai.core import tasks
    from boai.core.storage import PART_MARK

    settings.MEDIA_ROOT = tmp_path
    owner = user("prov_admin")
    kept = attachment_store(owner=owner, kind="signed_form", actor=owner, upload=pdf(1000))
    folder = os.path.dirname(kept.file.path)
    old, fresh = os.path.join(folder, f"{PART_MARK}0ld"), os.path.join(folder, f"{PART_MARK}fresh")
    for path in (old, fresh):
        with open(path, "wb") as out:
            out.write(b"half an upload")
    os.utime(old, (os.path.getmtime(old) - 7200,) * 2)
    assert tasks.partial_uploads_purge.apply().get() == 1
    assert not os.path.exists(old) and os.path.exists(fresh)
    assert kept.file.storage.open(kept.file.name).read()[:8] == b"%PDF-1.4"
    entry = AuditEntry.objects.filter(action="core.partial_upload.purged").latest("id")
    assert entry.changes == {"deleted": 1}
