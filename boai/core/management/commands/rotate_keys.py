from django.core.management.base import BaseCommand

from boai.core.services import keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt protected fields with the current BOAI_FIELD_KEY (list the old keys after it, e.g. "
        "BOAI_FIELD_KEY='2:new,1:old'), and with --reindex recompute blind indexes with the current "
        "BOAI_INDEX_KEY. Resumable: run it again after an interruption."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reindex", action="store_true", help="recompute every blind index")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **o):
        def progress(model, report):
            self.stdout.write(f"  {model._meta.label}: {report.rows_seen} rows seen so far")

        report = keys_rotate(reindex=o["reindex"], batch_size=o["batch_size"], progress=progress)
        self.stdout.write(
            f"done: {report.rows_seen} rows, {report.values_reencrypted} values re-encrypted, "
            f"{report.indexes_recomputed} blind indexes recomputed"
        )
