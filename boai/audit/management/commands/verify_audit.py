from django.core.management.base import BaseCommand, CommandError, no_translations

from boai.audit.checkpoints import checkpoint_dir
from boai.audit.selectors import seal_lag, verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's HMAC-SM3 chain end to end under BOAI_AUDIT_KEY, and every signed checkpoint "
        "in BOAI_AUDIT_CHECKPOINT_DIR; exit non-zero naming the first bad entry, or when entries have waited "
        "longer than BOAI_AUDIT_SEAL_LAG_SECONDS to be sealed into the chain."
    )

    @no_translations  # an operator's console and logs: the messages' English, whatever LANGUAGE_CODE says
    def handle(self, *args, **options):
        report = verify_chain()
        if report.key_mismatch:
            raise CommandError(f"audit chain NOT VERIFIED: {report.reason}")
        if not report.ok:
            where = f"entry #{report.bad_id}" if report.bad_id is not None else "a checkpoint"
            raise CommandError(
                f"audit chain BROKEN at {where}: {report.reason} ({report.checked} entries verified before it)"
            )
        self.stdout.write(f"audit chain intact: {report.checked} entries verified")
        latest = report.latest_checkpoint
        if latest is None:
            self.stderr.write(
                f"warning: no checkpoint in {checkpoint_dir()}: the chain is checked against the key only "
                "(run `manage.py audit_checkpoint`, and Celery beat hourly)"
            )
        else:
            self.stdout.write(
                f"{report.checkpoints} checkpoint(s) in {checkpoint_dir()} match; the latest pins entry "
                f"#{latest.head_id} (signed {latest.written_at})"
            )
            if report.checkpoint_stale:
                exposed = (
                    f": the {report.unpinned} entries after #{latest.head_id} are held by the head alone and could "
                    "be deleted, with the head moved back, without being noticed"
                    if report.unpinned
                    else ""
                )
                self.stderr.write(
                    f"warning: the latest checkpoint was signed {report.age_hours} h ago, longer than "
                    f"BOAI_AUDIT_CHECKPOINT_MAX_AGE allows ({report.max_age_hours} h){exposed}. "
                    "Is Celery beat running `audit.checkpoint`?"
                )
        if report.unsealed_overdue:
            raise CommandError(
                f"audit log NOT SEALED: {report.unsealed_overdue} of {report.unsealed} unsealed entries have waited "
                f"longer than BOAI_AUDIT_SEAL_LAG_SECONDS ({seal_lag().total_seconds():g} s) to be chained, the "
                f"oldest since {report.oldest_unsealed.isoformat()}; until sealed they are not protected by the "
                "chain. Is Celery beat running `audit.seal`?"
            )
        if report.unsealed:
            self.stdout.write(f"{report.unsealed} recent entries are waiting to be sealed into the chain")
