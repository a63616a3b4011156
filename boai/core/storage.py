"""File storage that keeps every file SM4-GCM encrypted at rest (scans, uploaded lists, error
reports all hold personal data), on whatever backend ``STORAGES["default"]`` names: the local disk
(FileSystemStorage at MEDIA_ROOT) or an S3-compatible object store (``BOAI_STORAGE=s3``). Files are
bound to their storage name, so a file copied to another name does not decrypt. Reading returns the
plaintext in memory (files are at most a few tens of MB).

Nothing here may assume a local path: ``path()`` exists on the local disk only. The raw helpers
(``walk``, ``raw_reader``, ``raw_replace``) serve key rotation and backups, which move stored bytes
without decrypting them into memory."""

import contextlib
import errno
import os
import secrets
import tempfile
import time
from io import BytesIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible

from boai.lib import crypto

from .errors import StorageFull

CHUNK = 1024 * 1024
MAGIC = b"BOAI1"
TEMP_MARK = ".rotating-"  # a re-encrypted copy being written next to its file (local disk only)
PART_MARK = ".part-"  # an upload being written, linked under its name when whole (local disk only)
FULL = (errno.ENOSPC, errno.EDQUOT)


@deconstructible
class EncryptedStorage(Storage):
    """Encrypts on top of the default storage backend, looked up at each call (tests switch it)."""

    @property
    def backend(self) -> Storage:
        return storages["default"]

    def _save(self, name, content):
        """Written whole or not at all: into a temporary file beside it, then linked under its name (a
        name taken meanwhile gets another). A full disk leaves no partial file and raises StorageFull."""
        content.seek(0)
        plain = content.read()
        try:
            if isinstance(self.backend, FileSystemStorage):
                return self._save_local(name, plain)
            # an object store shows an upload only once it is complete
            return self.backend._save(name, ContentFile(crypto.encrypt_bytes(plain, context=f"file:{name}")))
        except OSError as exc:
            if exc.errno in FULL:
                raise StorageFull() from exc
            raise

    def _save_local(self, name, plain):
        directory = os.path.dirname(self.backend.path(name))
        os.makedirs(directory, exist_ok=True)
        part = os.path.join(directory, f"{PART_MARK}{secrets.token_hex(8)}")  # walk() skips it
        try:
            while True:
                blob = crypto.encrypt_bytes(plain, context=f"file:{name}")  # bound to the final name
                with open(part, "xb") as out:
                    out.write(blob)
                    out.flush()
                    os.fsync(out.fileno())
                try:
                    os.link(part, self.backend.path(name))
                except FileExistsError:
                    name = self.get_available_name(name)
                    os.unlink(part)
                    continue
                return name.replace("\\", "/")
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(part)

    def _open(self, name, mode="rb"):
        with self.backend.open(name, "rb") as handle:
            data = crypto.decrypt_bytes(handle.read(), context=f"file:{name}")
        return File(BytesIO(data), name=name)

    # Everything else is the backend's.
    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def url(self, name):
        return self.backend.url(name)

    def path(self, name):
        return self.backend.path(name)  # the local disk only: NotImplementedError on an object store

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)


def encrypted_storage():
    return EncryptedStorage()


def is_local(storage: Storage) -> bool:
    backend = getattr(storage, "backend", storage)
    try:
        backend.path("x")
    except NotImplementedError:
        return False
    return True


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


# --- Raw access: stored bytes as they are, for rotation and backups -----------------------------


def walk(storage: Storage | None = None, top: str = ""):
    """Every stored file name under ``top``, depth first, sorted (any backend). A re-encryption copy
    left by an interrupted rotation is not a stored file: it is left out."""
    storage = storage or encrypted_storage()
    try:
        dirs, files = storage.listdir(top)
    except FileNotFoundError:  # the local media directory does not exist yet
        return
    for filename in sorted(files):
        if TEMP_MARK not in filename and not filename.startswith(PART_MARK):
            yield f"{top}/{filename}" if top else filename
    for folder in sorted(dirs):
        yield from walk(storage, f"{top}/{folder}" if top else folder)


def _s3_object(backend, name):
    from storages.utils import clean_name

    return backend.bucket.Object(backend._normalize_name(clean_name(name)))


def raw_reader(name: str, storage: Storage | None = None):
    """A binary file object reading the stored (encrypted) bytes in chunks; close it after use."""
    backend = getattr(storage or encrypted_storage(), "backend", storage)
    if not is_local(backend) and hasattr(backend, "bucket"):
        return _s3_object(backend, name).get()["Body"]  # streamed (S3File would buffer it whole)
    return backend.open(name, "rb")


def raw_replace(name: str, source, storage: Storage | None = None, *, only_if_present: bool = False) -> bool:
    """Store ``source`` (a binary file object, read in chunks) as ``name``, replacing any file there in
    one step: readers see the old bytes or the new, never a mixture, and a crash leaves the old file.
    Local disk: a hidden copy in the same folder, synced, then renamed over. Object store: one PUT
    (multipart for large files), which the store makes visible only when complete.

    ``only_if_present`` (key rotation): a file deleted meanwhile (a sweep, a retention purge) is not
    brought back; returns False then."""
    backend = getattr(storage or encrypted_storage(), "backend", storage)
    if only_if_present and not backend.exists(name):
        return False
    if is_local(backend):
        target = backend.path(name)
        folder, filename = os.path.split(target)
        os.makedirs(folder, exist_ok=True)
        temp = os.path.join(folder, f".{filename}{TEMP_MARK}{secrets.token_hex(4)}")
        try:
            with open(temp, "wb") as out:
                while block := source.read(CHUNK):
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
            if only_if_present and not os.path.exists(target):  # deleted while the copy was written
                return False
            os.replace(temp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        with contextlib.suppress(OSError):  # the rename itself durable
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    elif hasattr(backend, "bucket"):
        _s3_object(backend, name).upload_fileobj(source)
    else:  # another backend: no atomic replace known, the best it offers
        with contextlib.suppress(FileNotFoundError):
            backend.delete(name)
        backend._save(name, File(source, name=name))
    return True


def leftovers_remove(storage: Storage | None = None, *, mark: str = TEMP_MARK, older_than: float = 0) -> int:
    """Remove the files a killed process left on local disk: by default the copies an interrupted
    rotation left beside their files; with ``mark=PART_MARK`` the uploads a killed worker was writing
    (``older_than`` seconds untouched, so none still being written goes). Returns how many."""
    storage = storage or encrypted_storage()
    if not is_local(storage):
        return 0
    root = storage.path("")
    before = time.time() - older_than
    removed = 0
    for folder, _dirs, files in os.walk(root):
        for filename in files:
            path = os.path.join(folder, filename)
            if mark in filename and (not older_than or os.stat(path).st_mtime < before):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                    removed += 1
    return removed


def stored_key_id(name: str, storage: Storage | None = None) -> str | None:
    """The field key id a stored file is encrypted under, None when it is no encrypted Boai file."""
    with raw_reader(name, storage) as handle:
        head = handle.read(64)
    if not head.startswith(MAGIC) or b"$" not in head[5:]:
        return None
    return head[5:].partition(b"$")[0].decode(errors="replace")


class _Head:
    def __init__(self, handle):
        self.handle = handle

    def read_header(self) -> tuple[str, bytes, bytes]:
        """(key id, nonce, the bytes after them already read)."""
        head = self.handle.read(64)
        if not head.startswith(MAGIC) or b"$" not in head[5:]:
            raise crypto.DecryptionError("not an encrypted Boai file")
        key_id, _sep, rest = head[5:].partition(b"$")
        while len(rest) < crypto.NONCE_BYTES:
            more = self.handle.read(CHUNK)
            if not more:
                raise crypto.DecryptionError("file too short")
            rest += more
        return key_id.decode(errors="replace"), rest[: crypto.NONCE_BYTES], rest[crypto.NONCE_BYTES :]


def reencrypt(name: str, storage: Storage | None = None, *, ring: crypto.KeyRing | None = None) -> bool:
    """Re-encrypt one stored file under the current field key, streamed in 1 MB chunks: decrypted
    from the old key and encrypted under the new one into a temporary file, which replaces the stored
    file only once the old tag has verified. False when it was on the current key already.
    Raises ``DecryptionError`` when no configured key opens it (the file is then left as it was)."""
    storage = storage or encrypted_storage()
    ring = ring or crypto._settings_ring()
    context = f"file:{name}".encode()
    with raw_reader(name, storage) as handle:
        key_id, nonce, pending = _Head(handle).read_header()
        if key_id == ring.current_id:
            return False
        if key_id not in ring.keys:
            raise crypto.DecryptionError(f"{name}: key id {key_id!r} is not configured")
        dec = Cipher(algorithms.SM4(ring.keys[key_id]), modes.GCM(nonce)).decryptor()
        dec.authenticate_additional_data(context)
        new_nonce = os.urandom(crypto.NONCE_BYTES)
        enc = Cipher(algorithms.SM4(ring.keys[ring.current_id]), modes.GCM(new_nonce)).encryptor()
        enc.authenticate_additional_data(context)
        with tempfile.TemporaryFile() as spool:
            spool.write(MAGIC + ring.current_id.encode() + b"$" + new_nonce)
            while True:
                block = handle.read(CHUNK)
                if not block:
                    break
                pending += block
                body, pending = pending[: -crypto.TAG_BYTES], pending[-crypto.TAG_BYTES :]
                spool.write(enc.update(dec.update(body)))
            if len(pending) != crypto.TAG_BYTES:
                raise crypto.DecryptionError(f"{name}: file too short")
            try:
                spool.write(enc.update(dec.finalize_with_tag(pending)))
            except InvalidTag as exc:
                raise crypto.DecryptionError(f"{name}: the file does not decrypt under key {key_id!r}") from exc
            spool.write(enc.finalize() + enc.tag)
            spool.seek(0)
            return raw_replace(name, spool, storage, only_if_present=True)
    return True
