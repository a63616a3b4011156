"""Reads of online fundraising: the scoped list with what each project raised, one project's totals,
its daily chart (SVG geometry drawn by the template, no script), its imports, and how the money was
used (the care ledger's published totals of the payment kind it funds)."""

from dataclasses import dataclass

from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce

from boai.accounts.scoping import user_region_prefix, visible
from boai.audit.selectors import entries_for_object
from boai.care.models import PaymentKind
from boai.care.selectors import ledger
from boai.core.models import Region
from boai.lib import charts
from boai.lib.money import format_fen

from ..models import FundraisingDay, FundraisingImport, FundraisingProject

VIEW = "outreach.view"


def _with_totals(qs):
    return qs.annotate(
        raised_fen=Coalesce(Sum("days__amount_fen"), Value(0)),
        donor_count=Coalesce(Sum("days__donors"), Value(0)),
    )


def project_list(*, user, search: str = "", year: int | None = None):
    qs = visible(user, FundraisingProject, perm=VIEW).select_related("region")
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(platform__icontains=search))
    if year:
        qs = qs.filter(starts_on__year=year)
    return _with_totals(qs).order_by("-starts_on", "-id")


def project_years(*, user) -> list[int]:
    return sorted(
        {d.year for d in visible(user, FundraisingProject, perm=VIEW).dates("starts_on", "year")}, reverse=True
    )


def regions_for(user) -> list[Region]:
    """The areas a project may belong to: the user's own and every one inside it (Yunnan only)."""
    prefix = user_region_prefix(user)
    if not prefix:
        return []
    return list(Region.objects.filter(code__startswith=prefix).filter(code__startswith="53").order_by("code"))


def percent(raised_fen: int, target_fen: int) -> int:
    """Whole per cent of the target raised (floor), 0 for a zero target."""
    return raised_fen * 100 // target_fen if target_fen else 0


@dataclass
class Totals:
    raised_fen: int
    donors: int
    target_fen: int
    days: int

    @property
    def percent(self) -> int:
        return percent(self.raised_fen, self.target_fen)

    @property
    def bar(self) -> int:  # the progress bar's value, capped at the target
        return min(self.percent, 100)


def project_days(project: FundraisingProject):
    return FundraisingDay.objects.filter(project=project).order_by("day")


def project_totals(project: FundraisingProject) -> Totals:
    agg = project_days(project).aggregate(a=Sum("amount_fen"), d=Sum("donors"))
    return Totals(agg["a"] or 0, agg["d"] or 0, project.target_fen, project_days(project).count())


def day_chart(days, *, project: FundraisingProject | None = None) -> dict:
    """The amounts raised (fen) as a column chart (``lib.charts.column_chart``, shared with the
    campaigns' per-day chart) over the recorded days, within the project's dates."""
    days = list(days)
    points = [(d.day, d.amount_fen) for d in days]
    first = last = None
    if project is not None and days:
        # from the first day of fundraising to the last day with results
        first, last = min(project.starts_on, days[0].day), days[-1].day
    return charts.column_chart(points, first=first, last=last, describe=lambda f: f"¥{format_fen(f)}", left=80)


def project_imports(project: FundraisingProject):
    return (
        FundraisingImport.objects.filter(project=project).select_related("uploaded_by").order_by("-uploaded_at", "-id")
    )


def import_replaced(imp: FundraisingImport) -> int:
    """How many recorded days an import replaced (kept in its audit entry)."""
    entry = next((e for e in entries_for_object(imp) if e.action == "outreach.results.imported"), None)
    return int((entry.changes or {}).get("replaced") or 0) if entry else 0


@dataclass
class MoneyUsed:
    year: int
    kind_label: str
    published: bool  # False: too few payments that year to publish the kind on its own
    count: int
    amount_fen: int


def money_used(project: FundraisingProject) -> list[MoneyUsed]:
    """For a family care project: the care ledger's published total of the kind it funds, for each
    year of the project's dates (the public ledger's own numbers, so nothing here points at a family)."""
    if project.purpose != FundraisingProject.Purpose.FAMILY_CARE or not project.care_kind:
        return []
    label = str(dict(PaymentKind.choices).get(project.care_kind, project.care_kind))
    used = []
    for year in range(project.starts_on.year, project.ends_on.year + 1):
        if not ledger.year_in_range(year):
            continue
        total = ledger.public_rows(year).totals.get(project.care_kind)
        if total is None or not total.shown:
            used.append(MoneyUsed(year, label, total is None, 0, 0))
        else:
            used.append(MoneyUsed(year, label, True, total.count, total.amount_fen))
    return used
