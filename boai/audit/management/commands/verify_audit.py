from django.core.management.base import BaseCommand, CommandError

from boai.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's SM3 hash chain end to end; exit non-zero naming the first bad entry."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain BROKEN at entry #{report.bad_id}: {report.reason} "
                f"({report.checked} entries verified before it)"
            )
        self.stdout.write(f"audit chain intact: {report.checked} entries verified")
