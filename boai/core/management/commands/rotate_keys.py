from django.core.management.base import BaseCommand, CommandError

from boai.core.services import keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt protected fields with the current BOAI_FIELD_KEY (list the old keys after it, e.g. "
        "BOAI_FIELD_KEY='2:new,1:old'), and with --reindex recompute blind indexes with the current "
        "BOAI_INDEX_KEY. Then re-encrypt every stored file (attachments, import files, reports) under the current "
        "field key, one at a time, each replaced only once its new version is complete. Resumable: run it "
        "again after an interruption; remove an old key from BOAI_FIELD_KEY only after a run that reports "
        "no failure."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reindex", action="store_true", help="recompute every blind index")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-files", action="store_true", help="leave the stored files for a later run")

    def handle(self, *args, **o):
        def progress(model, report):
            self.stdout.write(f"  {model._meta.label}: {report.rows_seen} rows seen so far")

        def file_progress(report):
            self.stdout.write(f"  files: {report.files_seen} seen, {report.files_reencrypted} re-encrypted so far")

        report = keys_rotate(
            reindex=o["reindex"],
            batch_size=o["batch_size"],
            progress=progress,
            files=not o["no_files"],
            file_progress=file_progress,
        )
        files = ""
        if not o["no_files"]:
            files = f"; files: {report.files_seen} seen, {report.files_reencrypted} re-encrypted" + (
                f", {report.leftovers_removed} copies left by an interrupted run removed"
                if report.leftovers_removed
                else ""
            )
        self.stdout.write(
            f"done: {report.rows_seen} rows, {report.values_reencrypted} values re-encrypted, "
            f"{report.indexes_recomputed} blind indexes recomputed{files}"
        )
        if report.files_failed:
            shown = ", ".join(report.files_failed[:20]) + (" ..." if len(report.files_failed) > 20 else "")
            raise CommandError(
                f"{len(report.files_failed)} file(s) open under no configured field key and were left as they "
                f"were: {shown}. Keep the old keys in BOAI_FIELD_KEY until this is resolved."
            )
