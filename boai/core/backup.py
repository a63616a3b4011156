"""Backup archives: the database, every stored file and the audit checkpoints in one encrypted file.

Format (version 1)::

    b"BOAI-BACKUP\\x00" | u16 header length | header (JSON: format, cipher, key_id, salt, check, chunk)
    then frames: u8 last | u32 length | AES-256-GCM(chunk) with its 16-byte tag

The archive key is HKDF-SHA256(``BOAI_BACKUP_KEY`` entry ``key_id``, salt): one key per archive. The
nonce of frame n is n (11 bytes) followed by the ``last`` flag; the header is the additional data of
every frame. So each chunk is authenticated, and a frame removed, reordered, added after the last or
cut off at the end is noticed. ``check`` tells a wrong key from a damaged archive.

The plaintext is a tar stream: ``database/…`` (pg_dump's custom format, or an SQLite copy), ``files/…``
(each stored file's bytes as stored, still under the field key), ``checkpoints/…`` and, last,
``manifest.json`` with the SHA-256 and size of every other member, the app version, the time and the
row counts of every table. Nothing is held in memory whole: the dump goes through a temporary file,
files stream from the storage.

Restore decrypts and unpacks into a temporary directory, checks every hash against the manifest, and
only then touches the database, the storage and the checkpoint directory."""

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from boai.audit.checkpoints import PATTERN, checkpoint_dir
from boai.audit.models import AuditPending
from boai.audit.services import SYSTEM, audit_log
from boai.lib import crypto

from . import storage as store

MAGIC = b"BOAI-BACKUP\x00"
FORMAT = 1
CHUNK = 1024 * 1024
TAG = 16
COPY = 1024 * 1024


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why, in plain words."""


# --- Keys ---------------------------------------------------------------------------------------


def backup_keys(spec: str | None = None) -> tuple[str, dict[str, bytes]]:
    """(current key id, {key id: 32-byte key}) from BOAI_BACKUP_KEY."""
    spec = settings.BOAI_BACKUP_KEY if spec is None else spec
    try:
        keys = crypto.parse_key_list(spec, what="BOAI_BACKUP_KEY: key", lengths=(32, 32), unit=" for AES-256")
    except crypto.KeyConfigError as exc:
        raise BackupError(str(exc)) from exc
    current = next(iter(keys), None)
    if not keys:
        raise BackupError(
            "BOAI_BACKUP_KEY is not set: backups are encrypted with it and cannot be made or restored without "
            "it (set BOAI_BACKUP_KEY='1:<64 hex digits>', e.g. from `openssl rand -hex 32`)"
        )
    return current, keys


def _archive_key(master: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"boai-backup-1").derive(master)


def _check(key: bytes) -> str:
    return hmac.new(key, b"boai-backup-key-check", hashlib.sha256).hexdigest()[:32]


def _nonce(n: int, last: bool) -> bytes:
    return n.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter(io.RawIOBase):
    """A write-only file: what is written comes out as authenticated chunks in ``out``."""

    def __init__(self, out, key_id: str, master: bytes):
        salt = os.urandom(16)
        key = _archive_key(master, salt)
        header = json.dumps(
            {"format": FORMAT, "cipher": "AES-256-GCM", "key_id": key_id, "salt": salt.hex(), "check": _check(key)},
            sort_keys=True,
        ).encode()
        self.aad = MAGIC + struct.pack(">H", len(header)) + header
        out.write(self.aad)
        self.out, self.aead, self.n, self.buffer = out, AESGCM(key), 0, bytearray()

    def writable(self):
        return True

    def write(self, data):
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._frame(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _frame(self, chunk: bytes, *, last: bool):
        sealed = self.aead.encrypt(_nonce(self.n, last), chunk, self.aad)
        self.out.write(struct.pack(">BI", 1 if last else 0, len(sealed)) + sealed)
        self.n += 1

    def finish(self):
        self._frame(bytes(self.buffer), last=True)
        self.buffer.clear()


class DecryptingReader(io.RawIOBase):
    """A read-only file over an archive: every chunk is checked before a byte of it is returned."""

    def __init__(self, src, keys: dict[str, bytes]):
        self.src = src
        magic = src.read(len(MAGIC))
        if magic != MAGIC:
            raise BackupError("this is not a Boai backup archive")
        (length,) = struct.unpack(">H", _exactly(src, 2))
        raw = _exactly(src, length)
        try:
            header = json.loads(raw)
            key_id, salt, check = header["key_id"], bytes.fromhex(header["salt"]), header["check"]
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError("the archive's header is damaged") from exc
        if header.get("format") != FORMAT:
            raise BackupError(f"the archive's format {header.get('format')!r} is not one this version reads")
        self.key_id = key_id
        if key_id not in keys:
            raise BackupError(
                f"the archive is encrypted under backup key {key_id!r}, which BOAI_BACKUP_KEY does not list"
            )
        key = _archive_key(keys[key_id], salt)
        if not hmac.compare_digest(_check(key), str(check)):
            raise BackupError(f"backup key {key_id!r} in BOAI_BACKUP_KEY is not the key this archive was made with")
        self.aad = MAGIC + struct.pack(">H", length) + raw
        self.aead, self.n, self.buffer, self.done = AESGCM(key), 0, b"", False

    def readable(self):
        return True

    def _next(self):
        head = self.src.read(5)
        if len(head) < 5:
            raise BackupError("the archive is cut short (its last part is missing)")
        last, size = struct.unpack(">BI", head)
        if last not in (0, 1) or size > CHUNK + TAG:
            raise BackupError(f"the archive is damaged (part {self.n})")
        sealed = _exactly(self.src, size)
        try:
            self.buffer = self.aead.decrypt(_nonce(self.n, bool(last)), sealed, self.aad)
        except InvalidTag as exc:
            raise BackupError(f"the archive is damaged or was altered (part {self.n} fails its check)") from exc
        self.n += 1
        if last:
            self.done = True
            if self.src.read(1):
                raise BackupError("the archive has data after its end (altered)")

    def readinto(self, b):
        while not self.buffer and not self.done:
            self._next()
        count = min(len(b), len(self.buffer))
        b[:count] = self.buffer[:count]
        self.buffer = self.buffer[count:]
        return count


def _exactly(src, size: int) -> bytes:
    data = src.read(size)
    if len(data) != size:
        raise BackupError("the archive is cut short (its last part is missing)")
    return data


# --- What goes in -------------------------------------------------------------------------------


def _vendor() -> str:
    return connection.vendor  # "postgresql" or "sqlite"


def _pg_env_args(settings_dict: dict) -> tuple[dict, list[str]]:
    if settings.BOAI_DB_POOLER == "pgbouncer":
        # pg_dump and pg_restore set session settings (search_path='') that a transaction pooler would
        # hand on to the app's next request: they must reach PostgreSQL itself
        raise BackupError(
            "backups and restores need PostgreSQL directly, not PgBouncer: run with DATABASE_URL at "
            "PostgreSQL's own port (5432) and BOAI_DB_POOLER unset"
        )
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    return env, args


def _program(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client, the server's version)")
    return path


def tables() -> list[tuple[str, str]]:
    """(model label, table) of every concrete model the database holds."""
    seen, out = set(), []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and table not in seen:
            seen.add(table)
            out.append((model._meta.label, table))
    return sorted(out)


def counts(cursor, quote) -> dict[str, int]:
    result = {}
    for label, table in tables():
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - a model's table name, quoted
        result[label] = cursor.fetchone()[0]
    return result


def app_version() -> dict:
    version = {}
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],  # noqa: S607 - git from PATH, fixed arguments
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if described.returncode == 0:
            version["git"] = described.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app ORDER BY app")
        version["migrations"] = dict(cursor.fetchall())
    return version


def _dump_database(work: Path) -> tuple[str, Path, dict[str, int]]:
    """The database into a file in ``work``: (member name, path, row counts in the same snapshot)."""
    quote = connection.ops.quote_name
    if _vendor() == "postgresql":
        path = work / "database.dump"
        settings_dict = connection.settings_dict
        env, args = _pg_env_args(settings_dict)
        connection.ensure_connection()
        with connection.cursor() as cursor:  # one snapshot for the counts and the dump
            was_autocommit = connection.get_autocommit()
            connection.set_autocommit(False)
            try:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                row_counts = counts(cursor, quote)
                with path.open("wb") as out:
                    done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                        [
                            _program("pg_dump"),
                            "--format=custom",
                            f"--snapshot={snapshot}",
                            *args,
                            "--dbname",
                            str(settings_dict["NAME"]),
                        ],
                        stdout=out,
                        stderr=subprocess.PIPE,
                        env=env,
                        check=False,
                    )
            finally:
                connection.rollback()
                connection.set_autocommit(was_autocommit)
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed: {done.stderr.decode(errors='replace').strip()}")
        return "database/postgresql.dump", path, row_counts
    if _vendor() == "sqlite":
        path = work / "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)  # a consistent copy, page by page
            row_counts = counts(target.cursor(), quote)
        finally:
            target.close()
        return "database/sqlite3.db", path, row_counts
    raise BackupError(f"backups of a {_vendor()} database are not supported")


class _Hashing(io.RawIOBase):
    def __init__(self, src):
        self.src, self.sha, self.size = src, hashlib.sha256(), 0

    def readable(self):
        return True

    def readinto(self, b):
        data = self.src.read(len(b))
        self.sha.update(data)
        self.size += len(data)
        b[: len(data)] = data
        return len(data)


@dataclass
class BackupReport:
    members: list = field(default_factory=list)  # {"name", "size", "sha256"}
    counts: dict = field(default_factory=dict)
    files: int = 0
    checkpoints: int = 0
    bytes_written: int = 0
    key_id: str = ""


def backup_create(output: Path, *, workdir: Path | None = None, progress=None) -> BackupReport:
    """Write the archive to ``output`` (created; an existing file is refused), via ``output.partial``."""
    key_id, keys = backup_keys()
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} exists already: name a new file")
    partial = output.with_name(output.name + ".partial")
    report = BackupReport(key_id=key_id)
    say = progress or (lambda message: None)
    with tempfile.TemporaryDirectory(dir=workdir, prefix="boai-backup-") as work:
        say("dumping the database")
        db_member, db_path, report.counts = _dump_database(Path(work))
        try:
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
                writer = EncryptingWriter(raw, key_id, keys[key_id])
                with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:

                    def add(name: str, src, size: int):
                        info = tarfile.TarInfo(name)
                        info.size, info.mtime, info.mode = size, int(datetime.now(UTC).timestamp()), 0o600
                        hashing = _Hashing(src)
                        tar.addfile(info, io.BufferedReader(hashing, COPY))
                        report.members.append({"name": name, "size": hashing.size, "sha256": hashing.sha.hexdigest()})

                    with db_path.open("rb") as src:
                        add(db_member, src, db_path.stat().st_size)
                    say("copying the stored files")
                    storage = store.encrypted_storage()
                    for name in store.walk(storage):
                        size = storage.size(name)
                        with store.raw_reader(name, storage) as src:
                            add(f"files/{name}", src, size)
                        report.files += 1
                        if report.files % 100 == 0:
                            say(f"  {report.files} files")
                    folder = checkpoint_dir()
                    for path in sorted(folder.glob(PATTERN)) if folder.is_dir() else []:
                        with path.open("rb") as src:
                            add(f"checkpoints/{path.name}", src, path.stat().st_size)
                        report.checkpoints += 1
                    manifest = json.dumps(
                        {
                            "format": FORMAT,
                            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                            "version": app_version(),
                            "database": _vendor(),
                            "counts": report.counts,
                            "members": report.members,
                        },
                        indent=1,
                        sort_keys=True,
                    ).encode()
                    info = tarfile.TarInfo("manifest.json")
                    info.size, info.mode = len(manifest), 0o600
                    tar.addfile(info, io.BytesIO(manifest))
                writer.finish()
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    report.bytes_written = output.stat().st_size
    _audited(
        "security.backup.created",
        key_id=report.key_id,
        members=len(report.members),
        files=report.files,
        checkpoints=report.checkpoints,
        bytes=report.bytes_written,
    )
    return report


def _audited(action: str, **changes) -> None:
    """The audit entry of a backup written or restored: by the system, after the work is done (a restore's
    entry goes into the database it has just put back)."""
    with transaction.atomic():
        audit_log(action=action, actor=SYSTEM, object_type="core.backup", changes=changes)


# --- Restore ------------------------------------------------------------------------------------


@dataclass
class Unpacked:
    """A verified archive unpacked in ``root``."""

    root: Path
    manifest: dict
    key_id: str

    @property
    def database(self) -> tuple[str, Path]:
        for member in self.manifest["members"]:
            if member["name"].startswith("database/"):
                return member["name"], self.root / member["name"]
        raise BackupError("the archive holds no database")

    def members(self, prefix: str) -> list[tuple[str, Path]]:
        return [
            (m["name"][len(prefix) :], self.root / m["name"])
            for m in self.manifest["members"]
            if m["name"].startswith(prefix)
        ]


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and (name == "manifest.json" or path.parts[0] in ("database", "files", "checkpoints"))
        and len(path.parts) >= (1 if name == "manifest.json" else 2)
    )


def archive_unpack(archive: Path, work: Path) -> Unpacked:
    """Decrypt ``archive`` into ``work`` and check every member against the manifest. Raises
    ``BackupError`` (wrong key, damaged, altered, incomplete) having touched nothing but ``work``."""
    _current, keys = backup_keys()
    seen = {}
    try:
        with Path(archive).open("rb") as src:
            reader = DecryptingReader(src, keys)
            buffered = io.BufferedReader(reader, COPY)
            with tarfile.open(fileobj=buffered, mode="r|") as tar:
                for info in tar:
                    if not info.isfile() or not _safe(info.name) or info.name in seen:
                        raise BackupError(f"the archive holds an unexpected entry {info.name!r}")
                    target = work / info.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    sha, size = hashlib.sha256(), 0
                    with tar.extractfile(info) as member, target.open("wb") as out:
                        while block := member.read(COPY):
                            sha.update(block)
                            size += len(block)
                            out.write(block)
                    seen[info.name] = {"size": size, "sha256": sha.hexdigest()}
            # tar stops at its end-of-archive block; read on to the last frame so that its tag is
            # checked too (a record's padding can hold a whole frame: about one archive in 2,000)
            while block := buffered.read(COPY):
                if block.strip(b"\0"):
                    raise BackupError("the archive has data after its end (altered)")
            if not reader.done:
                raise BackupError("the archive is cut short (its last part is missing)")
    except tarfile.TarError as exc:
        raise BackupError(f"the archive's contents are damaged ({exc})") from exc
    except FileNotFoundError as exc:
        raise BackupError(f"{archive} does not exist") from exc
    if "manifest.json" not in seen:
        raise BackupError("the archive holds no manifest")
    manifest = json.loads((work / "manifest.json").read_text())
    listed = {m["name"]: m for m in manifest["members"]}
    if set(listed) != set(seen) - {"manifest.json"}:
        raise BackupError("the archive's members differ from its manifest")
    for name, member in listed.items():
        if seen[name] != {"size": member["size"], "sha256": member["sha256"]}:
            raise BackupError(f"{name} does not match the hash in the manifest")
    return Unpacked(root=work, manifest=manifest, key_id=reader.key_id)


@dataclass
class RestoreReport:
    database: str = ""
    files: int = 0
    checkpoints: int = 0
    checkpoints_newer: int = 0
    counts: dict = field(default_factory=dict)
    mismatched: dict = field(default_factory=dict)  # label -> (in the manifest, after restore)


def _drop_unsealed_not_in(manifest: dict) -> None:
    """``pg_restore --clean`` replaces only the tables the archive holds: an archive made before the
    unsealed entries' table existed leaves the replaced database's unsealed entries in place, and the
    sealer would chain them into the restored log. Empty the table then (the archive held none)."""
    label, table = AuditPending._meta.label, AuditPending._meta.db_table
    if label in manifest.get("counts", {}) or table not in connection.introspection.table_names():
        return  # restored from the archive, as it was when the archive was made
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a model's table


def _restore_database(unpacked: Unpacked) -> str:
    name, path = unpacked.database
    vendor = unpacked.manifest["database"]
    if vendor != _vendor():
        raise BackupError(f"the archive holds a {vendor} database; this server runs {_vendor()}")
    if vendor == "postgresql":
        settings_dict = connection.settings_dict
        env, args = _pg_env_args(settings_dict)
        connection.close()  # pg_restore drops and recreates the tables this connection may hold open
        done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                _program("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",  # all or nothing
                "--exit-on-error",
                *args,
                "--dbname",
                str(settings_dict["NAME"]),
                str(path),
            ],
            capture_output=True,
            env=env,
            check=False,
        )
        if done.returncode != 0:
            raise BackupError(
                "pg_restore failed; the database was left as it was: "
                + done.stderr.decode(errors="replace").strip()[:2000]
            )
        _drop_unsealed_not_in(unpacked.manifest)
        return f"PostgreSQL database {settings_dict['NAME']}"
    source = sqlite3.connect(path)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)  # replaces every page of the live database in one step
    finally:
        source.close()
    connection.close()
    return f"SQLite database {connection.settings_dict['NAME']}"


def archive_restore(unpacked: Unpacked, *, progress=None) -> RestoreReport:
    """Put a verified archive back: the database, then the files, then the checkpoints."""
    say = progress or (lambda message: None)
    report = RestoreReport()
    say("restoring the database")
    report.database = _restore_database(unpacked)
    say("restoring the stored files")
    storage = store.encrypted_storage()
    for name, path in unpacked.members("files/"):
        with path.open("rb") as src:
            store.raw_replace(name, src, storage)
        report.files += 1
        if report.files % 100 == 0:
            say(f"  {report.files} files")
    folder = checkpoint_dir()
    restored = unpacked.members("checkpoints/")
    if restored:
        folder.mkdir(parents=True, exist_ok=True)
    for name, path in restored:
        target = folder / name
        if not target.exists() or target.read_bytes() != path.read_bytes():
            shutil.copyfile(path, target)
        report.checkpoints += 1
    latest = max((name for name, _p in restored), default="")
    report.checkpoints_newer = sum(1 for p in folder.glob(PATTERN) if p.name > latest) if folder.is_dir() else 0
    with connection.cursor() as cursor:
        report.counts = counts(cursor, connection.ops.quote_name)
    for label, expected in unpacked.manifest["counts"].items():
        if report.counts.get(label) != expected:
            report.mismatched[label] = (expected, report.counts.get(label))
    try:
        _audited(
            "security.backup.restored",
            created_at=unpacked.manifest["created_at"],
            files=report.files,
            checkpoints=report.checkpoints,
        )
    except DatabaseError as exc:  # an archive of another schema: say so, not a traceback
        raise BackupError(f"restored, but the restore's audit entry could not be written: {exc}") from exc
    return report


def migrations_behind(manifest: dict) -> dict[str, tuple[str, str]]:
    """{app: (the archive's latest migration, this code's)} where they differ: restoring then needs
    ``migrate`` (the code is newer) or the version that made the archive (the archive is newer)."""
    from django.db.migrations.loader import MigrationLoader

    code = {}
    for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes():
        code[app] = max(code.get(app, ""), name)
    archived = manifest.get("version", {}).get("migrations", {})
    return {
        app: (archived.get(app, "-"), code.get(app, "-"))
        for app in sorted(set(archived) | set(code))
        if archived.get(app) != code.get(app)
    }
