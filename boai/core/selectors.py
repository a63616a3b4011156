from django.db.models import Q, QuerySet

from .models import Organisation, Region


def region_list(*, parent: str | None = None, level: str | None = None) -> QuerySet[Region]:
    qs = Region.objects.all()
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("code")


def organisation_list(*, search: str = "", type: str = "", region_prefix: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("region", "parent")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if type:
        qs = qs.filter(type=type)
    if region_prefix:
        qs = qs.filter(region__code__startswith=region_prefix)
    return qs.order_by("code")
