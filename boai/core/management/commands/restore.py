import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from boai.core.backup import BackupError, archive_restore, archive_unpack, migrations_behind


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup`: decrypt it (BOAI_BACKUP_KEY) and check every member's hash "
        "first (a damaged, altered or wrong-key archive is refused and nothing is changed), then replace the "
        "database (PostgreSQL: pg_restore --clean in one transaction), put back the stored files and the "
        "audit checkpoints. Asks before it changes anything, unless --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--workdir", help="where the archive is unpacked while it is checked")

    @no_translations  # an operator's console and logs
    def handle(self, *args, **o):
        with tempfile.TemporaryDirectory(dir=o["workdir"], prefix="boai-restore-") as work:
            try:
                unpacked = archive_unpack(Path(o["archive"]), Path(work))
            except BackupError as exc:
                raise CommandError(f"nothing restored: {exc}") from exc
            manifest = unpacked.manifest
            files = len(unpacked.members("files/"))
            checkpoints = len(unpacked.members("checkpoints/"))
            self.stdout.write(
                f"archive verified: made {manifest['created_at']} by version "
                f"{manifest['version'].get('git', '(unknown)')}, backup key {unpacked.key_id}; "
                f"{len(manifest['members'])} members match their hashes: a {manifest['database']} database "
                f"({sum(manifest['counts'].values())} rows), {files} stored file(s), {checkpoints} checkpoint(s)"
            )
            differ = migrations_behind(manifest)
            if differ:
                shown = ", ".join(f"{app} {a} (archive) / {b} (code)" for app, (a, b) in differ.items())
                self.stderr.write(
                    f"warning: the archive's migrations differ from this code's: {shown}. After restoring run "
                    "`manage.py migrate`, or restore with the version that made the archive "
                    f"({manifest['version'].get('git', 'see its manifest')})."
                )
            if not o["yes"]:
                if not sys.stdin.isatty():
                    raise CommandError("nothing restored: confirm with --yes (no terminal to ask on)")
                answer = input("This REPLACES the whole database and overwrites stored files. Type 'restore': ")
                if answer.strip() != "restore":
                    raise CommandError("nothing restored: not confirmed")
            try:
                report = archive_restore(unpacked, progress=lambda message: self.stdout.write(message))
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored: {report.database} ({sum(report.counts.values())} rows), {report.files} stored file(s), "
            f"{report.checkpoints} audit checkpoint(s)"
        )
        if report.checkpoints_newer:
            self.stderr.write(
                f"warning: {report.checkpoints_newer} checkpoint(s) newer than the archive remain in the checkpoint "
                "directory: verify_audit will report the audit entries written after the backup as missing"
            )
        if report.mismatched:
            shown = ", ".join(f"{label}: {a} expected, {b} found" for label, (a, b) in report.mismatched.items())
            raise CommandError(f"restored, but row counts differ from the manifest: {shown}")
        self.stdout.write("row counts match the manifest; run `manage.py verify_audit` to check the audit chain")
