import logging

from celery import shared_task

from .selectors import verify_chain
from .services import CheckpointRefused, audit_seal, checkpoint_write

logger = logging.getLogger("boai.audit")


@shared_task(name="audit.verify_chain")
def verify_chain_task() -> dict:
    report = verify_chain()
    return {"ok": report.ok, "checked": report.checked, "bad_id": report.bad_id, "reason": report.reason}


@shared_task(name="audit.checkpoint")
def checkpoint_task() -> dict:
    """Hourly (CELERY_BEAT_SCHEDULE): sign the chain's head into a file outside the database."""
    try:
        path = checkpoint_write()
    except CheckpointRefused as exc:
        logger.error("audit checkpoint refused: %s", exc)
        return {"ok": False, "reason": str(exc)}
    logger.info("audit checkpoint written: %s", path.name)
    return {"ok": True, "file": path.name}


@shared_task(name="audit.seal")
def seal_task() -> dict:
    """Every few seconds (CELERY_BEAT_SCHEDULE): chain the entries written with BOAI_AUDIT_SEAL_DEFERRED."""
    return {"sealed": len(audit_seal())}
