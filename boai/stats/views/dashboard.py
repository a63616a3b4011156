"""The statistics dashboard (staff): the page, rendered whole on the server (every chart has its table,
so it works without JavaScript and reads aloud), its JSON for the charts (``stats/dashboard.js``) and
the Excel download of all its tables. Thin: reads in ``selectors.dashboard``, the audit in
``services.dashboard``."""

from datetime import datetime

from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from boai.core.errors import InvalidInput
from boai.core.figures import SHANGHAI
from boai.core.interface import require_perm
from boai.core.responses import XLSX
from boai.lib import sheets

from ..selectors import dashboard as selectors
from ..services import dashboard as services


def _choices(request):
    """(year, region, figure name) from the query string; ``InvalidInput`` when one is wrong."""
    params = request.GET
    year = selectors.parse_year(params.get("year"))
    region = selectors.parse_region(request.user, params.get("region"))
    figure_name = selectors.parse_figure(params.get("figure"))
    return year, region, figure_name


def _refused(request, exc: InvalidInput):
    """The dashboard's place in the workspace with the message of what was wrong (400)."""
    return render(
        request,
        "stats/dashboard_refused.html",
        {"message": exc.message, "breadcrumbs": [(_("Statistics dashboard"), None)]},
        status=400,
    )


def dashboard(request):
    require_perm(request, "stats.view")
    try:
        year, region, figure_name = _choices(request)
    except InvalidInput as exc:
        return _refused(request, exc)
    data = selectors.dashboard(year=year, region=region, figure_name=figure_name)
    return render(
        request,
        "stats/dashboard.html",
        {
            "data": data,
            "year": year,
            "region": region,
            "figure_name": figure_name,
            "years": selectors.years(),
            "regions": selectors.regions_for(request.user),
            "figures": selectors.figure_choices(),
            "can_export": request.user.has_perm("stats.export"),
            "partial_note": _partial_note(year),
            "breadcrumbs": [(_("Statistics dashboard"), None)],
        },
    )


def _partial_note(year: int) -> str:
    """For the year under way, the day its figures reach (Beijing time); empty for a finished year."""
    today = datetime.now(SHANGHAI).date()
    if year != today.year:
        return ""
    return _("%(year)s: up to %(day)s (Beijing time)") % {
        "year": year,
        "day": formats.date_format(today, "MONTH_DAY_FORMAT"),
    }


def dashboard_data(request):
    """The page's numbers as JSON (the charts draw from it; the map's drill-down asks it for a prefecture)."""
    require_perm(request, "stats.view")
    try:
        year, region, figure_name = _choices(request)
    except InvalidInput as exc:
        return JsonResponse({exc.field: [str(exc.message)]}, status=400)
    return JsonResponse(selectors.dashboard(year=year, region=region, figure_name=figure_name))


def _sheet_rows(data) -> list[tuple[str, list, list]]:
    """(sheet title, header, rows) of every table on the page."""
    sheets = [
        (
            _("Key figures"),
            [_("Figure"), str(data["year"]), str(data["year"] - 1), _("Difference"), _("Change (%)")],
            [[k["label"], k["value"], k["previous"], k["difference"], k["change"]] for k in data["key_figures"]],
        ),
        (
            _("Per month"),
            [_("Month"), *[s["label"] for s in data["monthly"]["series"]]],
            [[m, *values] for m, values in data["monthly"]["rows"]],
        ),
    ]
    if data["prefectures"]:
        sheets.append(
            (
                _("Per prefecture"),
                [_("Code"), _("Prefecture"), data["figure"]["label"]],
                [[p["code"], p["name"], p["value"]] for p in data["prefectures"]],
            )
        )
    if data["counties"]:
        sheets.append(
            (
                _("Per county"),
                [_("Code"), _("County"), data["figure"]["label"]],
                [[c["code"], c["name"], c["value"]] for c in data["counties"]],
            )
        )
    for table in data["breakdowns"]:
        rows = [[r["label"], r["value"]] for r in table["rows"]]
        sheets.append((table["title"], [table["column"], table["value_label"]], rows))
    return sheets


def dashboard_export(request):
    """Every table of the dashboard, one sheet each, as one Excel file (counts only; audited)."""
    require_perm(request, "stats.export")
    try:
        year, region, figure_name = _choices(request)
    except InvalidInput as exc:
        return _refused(request, exc)
    data = selectors.dashboard(year=year, region=region, figure_name=figure_name)
    services.dashboard_exported(actor=request.user, year=year, region_code=region.code, figure_name=figure_name)
    target = sheets.xlsx_workbook(_sheet_rows(data))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        target, as_attachment=True, content_type=XLSX, filename=f"statistics-{region.code}-{year}-{stamp}.xlsx"
    )


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("data/", dashboard_data, name="dashboard_data"),
    path("export/", dashboard_export, name="dashboard_export"),
]
