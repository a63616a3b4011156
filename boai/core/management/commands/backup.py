from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from boai.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one encrypted archive (BOAI_BACKUP_KEY) holding the database, every stored file and the audit "
        "checkpoints, with a manifest of their SHA-256 hashes. Streamed: a temporary copy of the database "
        "dump is kept in --workdir (default: the system's temporary directory) while it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="the archive to create (an existing file is refused)")
        parser.add_argument("--workdir", help="where the temporary database dump goes")

    @no_translations  # an operator's console and logs
    def handle(self, *args, **o):
        try:
            report = backup_create(
                Path(o["output"]), workdir=o["workdir"], progress=lambda message: self.stdout.write(message)
            )
        except BackupError as exc:
            raise CommandError(f"no backup written: {exc}") from exc
        self.stdout.write(
            f"backup written: {o['output']} ({report.bytes_written} bytes, backup key {report.key_id}): "
            f"the database ({sum(report.counts.values())} rows in {len(report.counts)} tables), "
            f"{report.files} stored file(s), {report.checkpoints} audit checkpoint(s)"
        )
