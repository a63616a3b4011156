"""File storage that keeps every file SM4-GCM encrypted at rest (scans, uploaded lists, error
reports all hold personal data). Files are bound to their storage name, so a file copied to
another name does not decrypt. Reading returns the plaintext in memory (files are at most a few
tens of MB)."""

import contextlib
import os
import tempfile
from io import BytesIO

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from boai.lib import crypto


@deconstructible
class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        content.seek(0)
        blob = crypto.encrypt_bytes(content.read(), context=f"file:{name}")
        return super()._save(name, ContentFile(blob))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as handle:
            data = crypto.decrypt_bytes(handle.read(), context=f"file:{name}")
        return File(BytesIO(data), name=name)


def encrypted_storage():
    return EncryptedFileSystemStorage()


@contextlib.contextmanager
def plaintext_copy(field_file, suffix=""):
    """A short-lived decrypted copy on disk for libraries that want a path; removed afterwards."""
    handle, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out, field_file.storage.open(field_file.name) as source:
            out.write(source.read())
        yield path
    finally:
        os.unlink(path)
