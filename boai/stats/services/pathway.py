"""The donor pathway's one write: the audit entry of its export."""

from django.db import transaction

from boai.audit.services import audit_log
from boai.core.errors import NotAllowed


def pathway_exported(*, actor, year: int, region: str) -> None:
    """``stats.dashboard.exported`` (stats.export), naming the pathway, its year and its area."""
    if not actor.has_perm("stats.export"):
        raise NotAllowed()
    with transaction.atomic():
        audit_log(
            action="stats.dashboard.exported",
            actor=actor,
            object_type="stats.pathway",
            object_id=region,
            changes={"what": "pathway", "year": year, "region": region},
        )
