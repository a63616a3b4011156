"""rotate_keys re-encrypts the stored files too: after a rotation the old field key can go, and a
rotation cut off half-way leaves every file readable and finishes when run again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from boai.audit.models import AuditEntry
from boai.core import storage as store
from boai.core.models import Attachment
from boai.core.services import attachment_store
from boai.core.services.keys import RotationReport, _files_rotate
from boai.core.tests.personas import user
from boai.lib import crypto

pytestmark = pytest.mark.django_db

OLD = "1:00112233445566778899aabbccddeeff"  # the development key, id 1
NEW = "2:" + "5a" * 16


def _scans(n=4):
    owner = user("prov_admin")
    contents = [b"%PDF-1.4 scan " + bytes([i]) * (3000 + 2_500_000 * (i == 0)) for i in range(n)]  # one over 1 MB
    return {
        attachment_store(
            owner=owner, kind="signed_form", actor=owner, upload=SimpleUploadedFile(f"s{i}.pdf", data)
        ).file.name: data
        for i, data in enumerate(contents)
    }


def _read_all(files):
    storage = Attachment._meta.get_field("file").storage
    return {name: storage.open(name).read() for name in files}


def _rotate():
    report = RotationReport()
    _files_rotate(crypto.KeyRing.parse(NEW + "," + OLD), report, None)
    return report


def test_files_written_under_key_1_read_the_same_after_rotating_to_key_2_and_dropping_key_1(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    files = _scans()
    assert {store.stored_key_id(n) for n in files} == {"1"}
    settings.BOAI_FIELD_KEY = f"{NEW},{OLD}"
    call_command("rotate_keys")
    assert {store.stored_key_id(n) for n in files} == {"2"}
    entry = AuditEntry.objects.filter(action="security.keys.rotated").latest("id")
    assert entry.changes["files_reencrypted"] == len(files) and entry.changes["files_failed"] == 0
    settings.BOAI_FIELD_KEY = NEW  # key 1 removed
    assert _read_all(files) == files
    assert not [p for p in tmp_path.rglob("*") if store.TEMP_MARK in p.name]


def test_a_rotation_cut_off_half_way_leaves_every_file_readable_and_a_second_run_finishes(
    settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    files = _scans()
    settings.BOAI_FIELD_KEY = f"{NEW},{OLD}"
    real_replace, calls = store.os.replace, []

    def crash_on_the_third(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt("the power went")  # nothing catches this: the run stops here
        real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", crash_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        _rotate()
    monkeypatch.setattr(store.os, "replace", real_replace)
    assert sorted(store.stored_key_id(n) for n in files) == ["1", "1", "2", "2"]  # half done
    assert _read_all(files) == files  # every file reads, under one key or the other
    (tmp_path / "attachments" / ".left-by-a-kill.rotating-0000").write_bytes(b"half")  # a copy a kill -9 left

    report = _rotate()
    assert (report.files_reencrypted, report.leftovers_removed) == (2, 1)
    assert _rotate().files_reencrypted == 0  # idempotent
    settings.BOAI_FIELD_KEY = NEW
    assert _read_all(files) == files


def test_a_file_no_key_opens_is_reported_and_left_as_it_was(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    files = _scans(2)
    broken = next(iter(files))
    path = tmp_path / broken
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 1  # its tag altered
    path.write_bytes(bytes(blob))
    settings.BOAI_FIELD_KEY = f"{NEW},{OLD}"
    with pytest.raises(Exception, match="1 file.s. open under no configured field key") as failure:
        call_command("rotate_keys")
    assert broken in str(failure.value)
    assert path.read_bytes() == bytes(blob)  # untouched
    assert "files: 2 seen, 1 re-encrypted" in capsys.readouterr().out


def test_files_on_the_object_store_are_rotated_too(settings, s3_bucket):
    files = _scans(2)
    settings.BOAI_FIELD_KEY = f"{NEW},{OLD}"
    assert _rotate().files_reencrypted == 2
    assert {o.get()["Body"].read()[5:6] for o in s3_bucket.objects.all()} == {b"2"}
    settings.BOAI_FIELD_KEY = NEW
    assert _read_all(files) == files


def test_a_file_deleted_while_it_is_being_re_encrypted_is_not_brought_back(settings, tmp_path, monkeypatch):
    """A sweep or a retention purge may delete a file between the rotation's read and its replace
    (found by review): personal data already removed must not reappear."""
    settings.MEDIA_ROOT = tmp_path
    files = _scans(2)
    doomed = sorted(files)[0]
    real_replace = store.raw_replace

    def purge_first(name, source, storage=None, **kwargs):
        if name == doomed:
            (tmp_path / name).unlink()  # the purge runs while the copy is being written
        return real_replace(name, source, storage, **kwargs)

    monkeypatch.setattr(store, "raw_replace", purge_first)
    _rotate()
    assert not (tmp_path / doomed).exists()
    assert not [p for p in tmp_path.rglob("*") if store.TEMP_MARK in p.name]
    settings.BOAI_FIELD_KEY = NEW + "," + OLD
    survivor = sorted(files)[1]
    assert store.stored_key_id(survivor) == "2" and _read_all([survivor]) == {survivor: files[survivor]}
