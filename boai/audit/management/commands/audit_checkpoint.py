from django.core.management.base import BaseCommand, CommandError, no_translations

from boai.audit.services import CheckpointRefused, checkpoint_write


class Command(BaseCommand):
    help = (
        "Verify the audit chain, then sign its head (id, hash, time) with the audit key into a new file "
        "in BOAI_AUDIT_CHECKPOINT_DIR (outside the database). Celery beat runs it hourly."
    )

    @no_translations  # an operator's console and logs: the messages' English, whatever LANGUAGE_CODE says
    def handle(self, *args, **options):
        try:
            path = checkpoint_write()
        except CheckpointRefused as exc:
            raise CommandError(f"no checkpoint written: {exc}") from exc
        self.stdout.write(f"audit checkpoint written: {path}")
