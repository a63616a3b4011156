"""The dashboard's one write: its tables downloaded, audited (counts only, nothing personal)."""

from boai.accounts.roles import check_perm
from boai.audit.services import audit_log


def dashboard_exported(*, actor, year: int, region_code: str, figure_name: str) -> None:
    """The dashboard's tables downloaded as Excel (stats.export): one audit entry."""
    check_perm(actor, "stats.export")
    audit_log(
        action="stats.dashboard.exported",
        actor=actor,
        object_type="core.region",
        object_id=region_code,
        object_repr=region_code,
        changes={"year": year, "region": region_code, "figure": figure_name},
    )
