"""The donor pathway page (the WHO critical pathway) and its Excel export. Thin: what is counted and
how a case is placed is ``stats.selectors.pathway``."""

from django.http import FileResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.core.errors import InvalidInput
from boai.core.interface import require_perm
from boai.core.responses import XLSX
from boai.lib import sheets

from ..selectors import params
from ..selectors import pathway as selectors
from ..services import pathway as services

NOTE = gettext_lazy(
    "Cases are counted in the year they were referred (Beijing time), in the area of the case's county. Eligible:"
    " the medical evaluation found the person suitable and the case went on. Actual: at least one organ recovered,"
    " as the published figure of organ donations counts it; that figure counts a donation in the year of the"
    " recovery, so a case referred late in one year and recovered early in the next is in this year's pathway"
    " but in the next year's figure. Utilised: at least one organ transplanted. Loss reasons come from the way the"
    " case ended (a cancelled case counts under logistics). In progress: cases not yet ended. Per million"
    " population: actual donors divided by the population entered for the region and year; blank when none is"
    " entered."
)


def _percent(value) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _pmp(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _asked(request):
    """The year and area asked for, or ``InvalidInput``."""
    year = selectors.parse_year(request.GET.get("year"))
    region = selectors.area_for(request.user, request.GET.get("region"))
    return year, region


def _refused(request, exc: InvalidInput):
    """The pathway page in the workspace, its filters kept and the message beside the wrong field (400)."""
    this_year = timezone.localdate().year
    field = getattr(exc, "field", None)
    return render(
        request,
        "stats/pathway.html",
        {
            "refused": True,
            "error": str(exc.message),
            "error_field": field if field in ("year", "region") else None,
            "asked_year": (request.GET.get("year") or "").strip(),
            "asked_region": (request.GET.get("region") or "").strip(),
            "years": list(range(this_year, params.FIRST_YEAR - 1, -1)),
            "regions": selectors.region_choices(request.user),
            "breadcrumbs": [(_("Donor pathway"), None)],
        },
        status=400,
    )


def _stage_rows(tally) -> list:
    return [(name, selectors.STAGE_LABELS[name], tally.stages[name]) for name in selectors.STAGES]


def _loss_rows(tally) -> list:
    """(stage label, [count per reason], total lost after that stage), for each stage but the last."""
    rows = []
    for i, name in enumerate(selectors.STAGES[:-1]):
        counts = [tally.losses[name][r] for r in selectors.REASONS]
        label = _("%(from)s → %(to)s") % {
            "from": selectors.STAGE_LABELS[name],
            "to": selectors.STAGE_LABELS[selectors.STAGES[i + 1]],
        }
        rows.append((label, counts, sum(counts)))
    return rows


FUNNEL_WIDTH = 360  # SVG units; on a 390 px phone one unit is about one pixel, so 14-unit text stays readable


def _funnel(tally) -> dict:
    """The funnel's bars, each stage's label on its own line above its bar and the count just after the
    bar's end, so that neither is cut or overlaps on a phone."""
    rows = _stage_rows(tally)
    peak = max([count for _name, _label, count in rows] + [1])
    room = FUNNEL_WIDTH - 56
    bars, y = [], 0
    for _name, label, count in rows:
        w = max(round(count * room / peak, 1), 0.5)
        bars.append({"label": label, "value": count, "w": w, "ty": y + 15, "y": y + 21, "vy": y + 37, "vx": w + 6})
        y += 50
    return {"width": FUNNEL_WIDTH, "height": y, "bars": bars}


def pathway_page(request):
    require_perm(request, "stats.view")
    try:
        year, region = _asked(request)
    except InvalidInput as exc:
        return _refused(request, exc)
    data = selectors.pathway(region=region, year=year)
    total = data.total
    this_year = timezone.localdate().year
    return render(
        request,
        "stats/pathway.html",
        {
            "year": year,
            "region": region,
            "years": list(range(this_year, params.FIRST_YEAR - 1, -1)),
            "regions": selectors.region_choices(request.user),
            "data": data,
            "stages": _stage_rows(total),
            "losses": _loss_rows(total),
            "lost_total": [sum(row[1][i] for row in _loss_rows(total)) for i in range(len(selectors.REASONS))],
            "lost_all": sum(row[2] for row in _loss_rows(total)),
            "reasons": [selectors.REASON_LABELS[r] for r in selectors.REASONS],
            "rates": [(selectors.RATE_LABELS[k], _percent(v)) for k, v in total.rates.items()],
            "rate_labels": [selectors.RATE_LABELS[k] for k, _top, _bottom in selectors.RATES],
            "prefectures": [(r, t, [_percent(v) for v in t.rates.values()], _pmp(t.pmp)) for r, t in data.prefectures],
            "hospitals": [(r, h, t, [_percent(v) for v in t.rates.values()]) for r, h, t in data.hospitals],
            "total_rates": [_percent(v) for v in total.rates.values()],
            "total_pmp": _pmp(total.pmp),
            "stage_labels": [selectors.STAGE_LABELS[s] for s in selectors.STAGES],
            "chart": _funnel(total),
            "can_export": request.user.has_perm("stats.export"),
            "note": NOTE,
            "breadcrumbs": [(_("Donor pathway"), None)],
        },
    )


def pathway_export(request):
    require_perm(request, "stats.export")
    try:
        year, region = _asked(request)
    except InvalidInput as exc:
        return _refused(request, exc)
    data = selectors.pathway(region=region, year=year)
    services.pathway_exported(actor=request.user, year=year, region=region.code)
    stage_labels = [str(selectors.STAGE_LABELS[s]) for s in selectors.STAGES]
    rate_labels = [str(selectors.RATE_LABELS[k]) for k, _top, _bottom in selectors.RATES]
    reason_labels = [str(selectors.REASON_LABELS[r]) for r in selectors.REASONS]

    def values(tally):
        rates = [_percent(v) for v in tally.rates.values()]
        return [tally.stages[s] for s in selectors.STAGES] + [tally.open] + rates

    head = [_("Area"), *stage_labels, _("In progress"), *rate_labels, _("Population"), _("Actual donors per million")]
    total_label = _("Total · %(area)s") % {"area": region.name}
    area_rows = [[str(r.name), *values(t), t.population or "", _pmp(t.pmp)] for r, t in [*data.prefectures]] + [
        [total_label, *values(data.total), data.total.population or "", _pmp(data.total.pmp)]
    ]
    loss_rows = [[label, *counts, lost] for label, counts, lost in _loss_rows(data.total)]
    hospital_rows = [[str(r.name), h, *values(t)] for r, h, t in data.hospitals]
    target = sheets.xlsx_workbook(
        [
            (_("Pathway %(year)s") % {"year": year}, head, area_rows + [[], [str(NOTE)]]),
            (_("Losses"), [_("Between stages"), *reason_labels, _("Total")], loss_rows),
            (
                _("Hospitals"),
                [_("Prefecture"), _("Hospital"), *stage_labels, _("In progress"), *rate_labels],
                hospital_rows,
            ),
        ]
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        target, as_attachment=True, content_type=XLSX, filename=f"donor-pathway-{year}-{region.code}-{stamp}.xlsx"
    )


urlpatterns = [
    path("pathway/", pathway_page, name="pathway"),
    path("pathway/export/", pathway_export, name="pathway_export"),
]
