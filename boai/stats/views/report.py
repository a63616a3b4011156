"""The annual report's page: choose a year (or a span of years for the five-year summary) and an area
of one's own, read the sentences, download the report as PDF or Word. Thin: the content comes from
``selectors.report``, the documents and their audit from ``services.report``."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.scoping import user_region_prefix
from boai.core.errors import DomainError
from boai.core.interface import require_perm

from ..selectors import params
from ..selectors import report as selectors
from ..services import report as services


class ReportForm(forms.Form):
    """The year (or first and last year) and the area: parsed as every statistics page parses them
    (``selectors.params``), the area by its code of 2, 4 or 6 digits."""

    year = forms.CharField(label=gettext_lazy("Year (or first year)"), required=False)
    year_to = forms.CharField(
        label=gettext_lazy("Last year"),
        required=False,
        help_text=gettext_lazy("For a summary of several years, such as the five-year summary; else leave empty."),
    )
    region = forms.CharField(label=gettext_lazy("Area"), widget=forms.Select)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].widget.choices = [(r.code, f"{r.name}") for r in selectors.report_regions(user)]
        self.user = user

    def clean(self):
        data = super().clean()
        for name in ("year", "year_to"):
            if name in data and (data[name] or name == "year"):
                try:
                    data[name] = params.parse_year(data[name])
                except DomainError as exc:
                    self.add_error(name, str(exc.message))
        if not self.errors:
            try:
                params.check_span(data["year"], data.get("year_to") or data["year"])
            except DomainError as exc:
                self.add_error("year_to", str(exc.message))
        if not self.errors:
            try:
                data["area"] = selectors.region_for(self.user, data["region"])
            except DomainError as exc:
                self.add_error("region", str(exc.message))
        return data


def _initial(user) -> dict:
    prefix = user_region_prefix(user) or ""
    return {"year": timezone.localdate().year - 1, "region": prefix.ljust(6, "0")}


def _form(request) -> ReportForm:
    """The form as asked (the year, the last year, the area), the user's own area and last year by default."""
    data = {**_initial(request.user), **{k: request.GET[k] for k in ("year", "year_to", "region") if k in request.GET}}
    return ReportForm(data, user=request.user)


def _report(form: ReportForm):
    d = form.cleaned_data
    return selectors.annual_report(d["area"], d["year"], d.get("year_to") or d["year"])


def report_page(request):
    require_perm(request, "stats.view")
    form = _form(request)
    report = _report(form) if form.is_valid() else None
    query = ""
    if report:
        query = urlencode({"year": report.first, "year_to": report.last, "region": report.region.code})
    return render(
        request,
        "stats/report.html",
        {
            "form": form,
            "report": report,
            "title": services.title(report) if report else "",
            "labels": [report.labels[n] for n in report.names] if report else [],
            "area_rows": [(name, [v[n] for n in report.names]) for name, v in services.area_rows(report)]
            if report
            else [],
            "area_note": services.area_note(report) if report else "",
            "query": query,
            "can_export": request.user.has_perm("stats.export"),
            "breadcrumbs": [(_("Annual report"), None)],
        },
        status=200 if report else 400,
    )


def report_download(request):
    require_perm(request, "stats.export")
    form = _form(request)
    fmt = request.GET.get("format", "pdf")
    if fmt not in services.FORMATS:
        form.is_valid()
        form.add_error(None, _("Choose PDF or Word."))
    if not form.is_valid():
        return render(
            request,
            "stats/report.html",
            {"form": form, "report": None, "breadcrumbs": [(_("Annual report"), None)]},
            status=400,
        )
    report = _report(form)
    content = services.report_exported(actor=request.user, report=report, fmt=fmt)
    response = HttpResponse(content, content_type=services.FORMATS[fmt])
    stem = f"annual-report-{report.region.code}-{report.first}" + (f"-{report.last}" if report.multi_year else "")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("report/", report_page, name="report"),
    path("report/download/", report_download, name="report_download"),
]
