from django.db.models import Q, QuerySet

from .models import User


def user_list(*, search: str = "", role: str = "", active: bool | None = None) -> QuerySet[User]:
    qs = User.objects.select_related("organization").order_by("username")
    if search:
        qs = qs.filter(
            Q(username__icontains=search) | Q(full_name__icontains=search) | Q(organization__name__icontains=search)
        )
    if role:
        qs = qs.filter(role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def account_counts() -> dict:
    """Staff accounts, active and switched off, for the administrators' home page."""
    return {
        "active": User.objects.filter(is_active=True).count(),
        "inactive": User.objects.filter(is_active=False).count(),
    }
