"""The audit entry of a list exported through the API (``api/exports.Exportable``): one write for
every area, so that who took which list, with which filters, is answered the same way everywhere."""

from django.db import transaction

from boai.audit.services import audit_log
from boai.core.errors import NotAllowed


def list_exported(*, actor, what: str, filters: dict) -> None:
    """``coordinators.<what>.exported``, with the filters as sent (coordinators.export)."""
    if not actor.has_perm("coordinators.export"):
        raise NotAllowed()
    with transaction.atomic():
        audit_log(
            action=f"coordinators.{what}.exported", actor=actor, object_type=f"coordinators.{what}", changes=filters
        )
