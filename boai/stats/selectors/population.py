"""Reads of the population table: one region's population in a year (for the donor pathway's donors
per million population), and the list staff see, inside their own area."""

from boai.accounts.roles import role_has_perm
from boai.accounts.scoping import user_region_prefix
from boai.core.models import Region

from ..models import RegionPopulation


def population(region_code: str, year: int) -> int | None:
    """The resident population of a region (a code: 530000, 530100, 530102) in a year, or None when
    nobody has entered it."""
    row = RegionPopulation.objects.filter(region_id=region_code, year=year).values_list("population", flat=True)
    return next(iter(row), None)


def _prefix(user) -> str | None:
    if not (user and user.is_authenticated and user.role and role_has_perm(user.role, "stats.population")):
        return None
    return user_region_prefix(user)


def entries_for(user, *, year: int | None = None, q: str = ""):
    """The entered populations inside the user's area, newest year first, optionally one year's and
    those whose region's name or code contains ``q``."""
    prefix = _prefix(user)
    if not prefix:
        return RegionPopulation.objects.none()
    qs = RegionPopulation.objects.filter(region__code__startswith=prefix).select_related("region")
    if year:
        qs = qs.filter(year=year)
    if q:
        qs = qs.filter(region__name__contains=q) | qs.filter(region__code__startswith=q)
    return qs.order_by("-year", "region_id")


def years_for(user) -> list[int]:
    prefix = _prefix(user)
    if not prefix:
        return []
    qs = RegionPopulation.objects.filter(region__code__startswith=prefix)
    return sorted(set(qs.values_list("year", flat=True)), reverse=True)


def regions_for(user) -> list[Region]:
    """The areas the user may enter a population for: their own and every one inside it."""
    prefix = _prefix(user)
    if not prefix:
        return []
    return list(Region.objects.filter(code__startswith=prefix).order_by("code"))
