"""The annual report's content as plain data: the published figures of a year (or the sum over a span
of years, the five-year summary) for a region, the sentences the centre writes them in, a table per
prefecture (per county for a prefecture's report), the months' registrations and, for a span, a row
per year. Every number comes from ``core.figures`` (``figure(code).count(year, prefix)``), so the
report says what the dashboard and the API say. Nothing is written here; the documents are built in
``services.report``."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from boai.accounts.roles import role_has_perm
from boai.accounts.scoping import user_region_prefix
from boai.core.errors import InvalidInput
from boai.core.figures import figure
from boai.core.models import Region, region_prefix
from boai.registry.selectors import registrations_by

from .annual import PUBLISHED
from .params import FIRST_YEAR, check_span, parse_region

CACHE_SECONDS = 60  # a new registration shows in the report within a minute


DASH = "—"  # between the years of a span, in every title and heading


def number(value: int) -> str:
    """A figure as the report prints it: with thousands separators (17,615)."""
    return f"{value:,}"


@dataclass
class Report:
    region: Region
    first: int
    last: int
    totals: dict[str, int]  # API name -> the figure, summed over the years
    labels: dict[str, str]  # API name -> the figure's label
    sentences: list[str]
    area_label: str  # "Prefecture" or "County": the heading of the table's first column
    rows: list[tuple[Region, dict[str, int]]]  # per prefecture (or county)
    own_level: dict[str, int] | None = None  # a province's figures recorded at the province level, if any
    months: list[tuple[str, int]] = field(default_factory=list)  # ("01", n) .. ("12", n), one year only
    years: list[tuple[int, dict[str, int]]] = field(default_factory=list)  # per year, a span only

    @property
    def multi_year(self) -> bool:
        return self.last > self.first

    @property
    def period(self) -> str:
        return str(self.first) if not self.multi_year else f"{self.first}{DASH}{self.last}"

    @property
    def names(self) -> list[str]:
        return [name for name, _code in PUBLISHED]


def report_regions(user) -> list[Region]:
    """The areas a user may report on: their own and every prefecture and county inside it."""
    if not (user and user.is_authenticated and role_has_perm(user.role, "stats.view")):
        return []
    prefix = user_region_prefix(user)
    if not prefix:
        return []
    return list(Region.objects.filter(code__startswith=prefix).order_by("code"))


def region_for(user, code: str) -> Region:
    """The region ``code`` (2, 4 or 6 digits) if the user may report on it; a clear refusal otherwise."""
    if not (user and user.is_authenticated and role_has_perm(user.role, "stats.view")):
        raise PermissionDenied("stats.view")
    return parse_region(user, code)[0]


def check_years(first: int, last: int, *, today_year: int) -> None:
    if not (FIRST_YEAR <= first <= today_year and FIRST_YEAR <= last <= today_year):
        raise InvalidInput(_("Give a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": today_year})
    check_span(first, last)


def _counts(years, prefix: str) -> dict[str, int]:
    return {name: sum(figure(code).count(y, prefix) for y in years) for name, code in PUBLISHED}


def _parts(region: Region) -> list[Region]:
    """The areas of the region's table: its prefectures, its counties, or the county itself."""
    prefix = region.prefix
    if len(prefix) == 6:
        return [region]
    level = Region.Level.PREFECTURE if len(prefix) == 2 else Region.Level.COUNTY
    return list(Region.objects.filter(code__startswith=prefix, level=level).order_by("code"))


def sentences(t: dict[str, int], *, area: str, first: int, last: int) -> list[str]:
    """The figures in the sentences the centre writes them in (numbers with thousands separators)."""
    n = {k: number(v) for k, v in t.items()}
    if last > first:
        return [
            _(
                "From %(first)s to %(last)s, %(area)s recorded %(registrations)s intent registrations,"
                " %(organ)s organ donations and %(body)s body donations."
            )
            % {
                "first": first,
                "last": last,
                "area": area,
                "registrations": n["registrations"],
                "organ": n["organ_donations"],
                "body": n["body_donations"],
            }
        ]
    return [
        _(
            "In %(year)s, %(area)s completed %(organ)s organ donations benefiting %(beneficiaries)s people,"
            " %(body)s body donations and %(registrations)s intent registrations."
        )
        % {
            "year": first,
            "area": area,
            "organ": n["organ_donations"],
            "beneficiaries": n["organ_beneficiaries"],
            "body": n["body_donations"],
            "registrations": n["registrations"],
        },
        _(
            "%(trained)s staff attended national trainings, %(excellent)s provincial excellent coordinators"
            " were named and %(qualified)s people were newly qualified."
        )
        % {
            "trained": n["coordinators_national_training"],
            "excellent": n["coordinators_excellent"],
            "qualified": n["coordinators_newly_qualified"],
        },
        _("%(events)s publicity events were held.") % {"events": n["outreach_events"]},
        _("%(households)s donor households were visited (%(visits)s person-visits).")
        % {"households": n["families_visited_households"], "visits": n["families_visited_person_visits"]},
        _("%(sites)s new memorial sites were opened and %(events)s memorial events held, with %(people)s participants.")
        % {
            "sites": n["memorial_sites_new"],
            "events": n["memorial_events"],
            "people": n["memorial_participants"],
        },
    ]


def annual_report(region: Region, first: int, last: int | None = None) -> Report:
    """The report of ``region`` (see ``_annual_report``), kept in the cache for a minute per region and
    years: a page view and its downloads count once."""
    last = first if last is None else last
    key = f"stats.report:{get_language()}:{region.code}:{first}:{last}"
    report = cache.get(key)
    if report is None:
        report = _annual_report(region, first, last)
        cache.set(key, report, CACHE_SECONDS)
    return report


def _annual_report(region: Region, first: int, last: int) -> Report:
    """The report of ``region`` for the year ``first`` or, with ``last``, the years ``first``..``last``
    (the caller has checked the region against the user's area: ``region_for``, and the years)."""
    years = range(first, last + 1)
    prefix = region_prefix(region.code)
    per_year = [(y, _counts([y], prefix)) for y in years]
    totals = {name: sum(row[name] for _y, row in per_year) for name, _code in PUBLISHED}
    parts = _parts(region)
    rows = [(part, _counts(years, part.prefix)) for part in parts] if parts != [region] else []
    if not rows:  # a county's table is the county itself: its figures are the totals, counted once
        rows = [(region, dict(totals))]
    own_level = None
    if len(prefix) == 2:  # recorded at the province level (events, trainings, ...): in no prefecture
        rest = {name: totals[name] - sum(v[name] for _r, v in rows) for name, _code in PUBLISHED}
        own_level = rest if any(rest.values()) else None
    months = []
    if first == last:
        by_month = registrations_by("month", first, prefix)
        months = [(f"{m:02d}", by_month.get(f"{m:02d}", 0)) for m in range(1, 13)]
    return Report(
        region=region,
        first=first,
        last=last,
        totals=totals,
        labels={name: str(figure(code).label) for name, code in PUBLISHED},
        sentences=sentences(totals, area=region.name, first=first, last=last),
        area_label=_("Prefecture") if len(prefix) == 2 else _("County"),
        rows=rows,
        own_level=own_level,
        months=months,
        years=per_year if last > first else [],
    )
