"""The open data (public, no login): the yearly published figures by prefecture, small numbers
suppressed, as a page and as CSV. Thin: the counting and the suppression live in
``selectors.open_data``."""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from boai.core.errors import InvalidInput
from boai.lib.sheets import cell

from ..selectors import open_data as selectors
from ..selectors import params


def index(request):
    years = selectors.years_with_data()
    asked = request.GET.get("year")
    status, problem, table = 200, "", None
    if asked is not None and asked != "":
        try:
            year = params.parse_year(asked, field="year")
        except InvalidInput as exc:
            year, problem = None, exc.message
        else:
            if year not in years:
                year, problem = (
                    None,
                    _("There are no published figures for the year asked for. Choose one of the years listed."),
                )
        status = 404 if problem else 200
    else:
        last = selectors.last_full_year()
        year = last if last in years else (years[0] if years else None)
    if year is not None:
        table = selectors.table(year)
    return render(
        request,
        "stats/open_data.html",
        {"years": years, "year": year, "table": table, "problem": problem},
        status=status,
    )


def csv_download(request, year: int):
    if year not in selectors.years_with_data():
        raise Http404(_("There are no published figures for that year."))
    table = selectors.table(year)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Region code"), _("Region"), *(label for _name, label in table.columns)])
    for row in [*table.rows, table.total]:
        writer.writerow([row.code, row.name, *(cell(c.shown) for c in row.cells)])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="open-data-{year}.csv"'
    return response


urlpatterns: list = []
public_urlpatterns = [
    path("", index, name="index"),
    path("<int:year>.csv", csv_download, name="csv"),
]
