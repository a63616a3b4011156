"""The population table: staff enter the resident population of a region (the province, a prefecture
or a county) for a year, inside their own area. Every rule is checked first; the row and its audit entry
are saved in one transaction; a refusal writes nothing."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.roles import check_perm
from boai.audit.services import audit_log
from boai.core.errors import InvalidFields, InvalidInput
from boai.core.models import Region

from ..models import RegionPopulation
from ..selectors import params

MAX_POPULATION = 200_000_000  # more than any province: a typo, not a population


def _whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().lstrip("-").isdecimal():
        return int(value.strip())
    return None


def _check_against_neighbours(errors, region: Region, year: int, count: int) -> None:
    """A region holds no more people than the region around it (a county than its prefecture, a prefecture
    than the province) and no fewer than the regions inside it, as entered for the same year."""
    entered = RegionPopulation.objects.filter(year=year).select_related("region")
    if region.parent_id:
        above = entered.filter(region_id=region.parent_id).first()
        if above and count > above.population:
            errors.append(
                (
                    "population",
                    _(
                        "%(region)s cannot have more people than %(above)s, whose population in %(year)s is"
                        " entered as %(count)s."
                    )
                    % {
                        "region": region.name,
                        "above": above.region.name,
                        "year": year,
                        "count": f"{above.population:,}",
                    },
                )
            )
    below = entered.filter(region__parent_id=region.code).exclude(region_id=region.code)
    inside = sum(below.values_list("population", flat=True))
    if inside and count < inside:
        errors.append(
            (
                "population",
                _(
                    "%(region)s cannot have fewer people than the %(n)s areas inside it entered for %(year)s,"
                    " %(count)s together."
                )
                % {"region": region.name, "n": below.count(), "year": year, "count": f"{inside:,}"},
            )
        )


def population_set(*, actor, region, year, population, source: str = "", now=None) -> RegionPopulation:
    """Enter (or correct) a region's population for a year (stats.population, own area only)."""
    check_perm(actor, "stats.population")
    now = now or timezone.now()
    errors: list = []
    found = year_n = None
    if not str(region or "").strip():  # the page's own rule: an area must be chosen (not "one's own")
        errors.append(("region", _("Choose the area: the province, a prefecture or a county.")))
    else:
        try:
            found = params.parse_region(actor, region, field="region")[0]
        except InvalidInput as exc:
            errors.append(("region", exc.message))
    try:
        year_n = params.parse_year(year, field="year")
    except InvalidInput as exc:
        errors.append(("year", exc.message))
    count = _whole(population)
    if count is None:
        errors.append(("population", _("Enter the population as a whole number of people.")))
    elif not 1 <= count <= MAX_POPULATION:
        errors.append(("population", _("The population must be more than 0 and at most 200,000,000.")))
    source = (source or "").strip()[:200]
    if not errors:
        _check_against_neighbours(errors, found, year_n, count)
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        rows = RegionPopulation.objects.select_for_update().filter(region=found, year=year_n)
        row = rows.first()
        before = row.population if row else None
        created = False
        if row is None:
            try:
                # a savepoint: when another first entry of the same region and year commits meanwhile (the lock
                # above had no row to hold), the unique constraint refuses this one and it becomes an update
                with transaction.atomic():
                    row = RegionPopulation.objects.create(
                        region=found, year=year_n, population=count, source=source, updated_by=actor
                    )
                created = True
            except IntegrityError:
                row = rows.get()
                before = row.population
        if not created:
            row.population, row.source, row.updated_by = count, source, actor
            row.save()
        audit_log(
            action="stats.population.changed",
            actor=actor,
            obj=row,
            changes={"population": [before, count], "source": source},
            now=now,
        )
    return row
