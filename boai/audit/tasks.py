from celery import shared_task

from .selectors import verify_chain


@shared_task(name="audit.verify_chain")
def verify_chain_task() -> dict:
    report = verify_chain()
    return {"ok": report.ok, "checked": report.checked, "bad_id": report.bad_id, "reason": report.reason}
