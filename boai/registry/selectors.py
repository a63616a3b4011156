from django.db.models import Count, Q, QuerySet

from boai.accounts.scoping import visible
from boai.core.fields import index_for

from .models import Registration


def registration_list(*, user, search: str = "", status: str = "", region: str = "") -> QuerySet[Registration]:
    """Registrations the user may see. ``search`` matches the registration number, the name, or
    (exactly, through the blind index) an ID number or a phone."""
    qs = visible(user, Registration).select_related("region")
    if search:
        search = search.strip()
        qs = qs.filter(
            Q(number=search)
            | Q(name__icontains=search)
            | Q(id_number_index=index_for("id_number", search))
            | Q(phone_index=index_for("phone", search))
        )
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region__code__startswith=region)
    return qs


def registration_counts(*, user) -> dict:
    rows = visible(user, Registration).values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    return {"total": sum(counts.values()), **counts}
