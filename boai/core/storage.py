"""File storage that keeps every file SM4-GCM encrypted at rest (scans, uploaded lists, error
reports all hold personal data). Files are bound to their storage name, so a file copied to
another name does not decrypt. Reading returns the plaintext in memory (files are at most a few
tens of MB)."""

import contextlib
import errno
import os
import secrets
import tempfile
from io import BytesIO

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from boai.lib import crypto

from .errors import StorageFull

FULL = (errno.ENOSPC, errno.EDQUOT)


@deconstructible
class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        """Written whole or not at all: into a temporary file beside it, then linked under its name (a
        name taken meanwhile gets another). A full disk leaves no partial file and raises StorageFull."""
        content.seek(0)
        plain = content.read()
        directory = os.path.dirname(self.path(name))
        os.makedirs(directory, exist_ok=True)
        part = os.path.join(directory, f".part-{secrets.token_hex(8)}")
        try:
            while True:
                blob = crypto.encrypt_bytes(plain, context=f"file:{name}")  # bound to the final name
                with open(part, "xb") as out:
                    out.write(blob)
                    out.flush()
                    os.fsync(out.fileno())
                try:
                    os.link(part, self.path(name))
                except FileExistsError:
                    name = self.get_available_name(name)
                    os.unlink(part)
                    continue
                return name.replace("\\", "/")
        except OSError as exc:
            if exc.errno in FULL:
                raise StorageFull() from exc
            raise
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part)

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
