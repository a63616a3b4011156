"""Pages of online fundraising: the scoped list (raised / target with a progress bar), a project's page
(totals, the daily chart with its table, imports with their row error reports, how the money was
used), the forms to add and change a project, type in a day and import the platform's export. Thin:
the rules live in ``services.fundraising``, the reads in ``selectors.fundraising``."""

import secrets
from datetime import date

from django import forms
from django.contrib import messages as flash
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from boai.accounts.scoping import get_for_user, sees
from boai.audit.selectors import entries_for_object
from boai.care.models import PaymentKind
from boai.core.errors import DomainError, InvalidInput
from boai.core.forms import CharField, DateField, IntegerField
from boai.core.interface import form_error, form_saved, parse_version, require_perm
from boai.core.responses import table_download
from boai.lib.pagination import paginate

from ..models import FundraisingImport, FundraisingProject
from ..selectors import fundraising as selectors
from ..services import fundraising as services

VIEW, WRITE = "outreach.view", "outreach.fundraising"


def _crumbs(*more):
    return [(_("Online fundraising"), reverse("outreach:fundraising")), *more]


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if isinstance(value, date) else value


# --- forms ----------------------------------------------------------------------------------------


class FilterForm(forms.Form):
    q = CharField(label=gettext_lazy("Title or platform"), max_length=64, required=False)
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", gettext_lazy("All years"))] + [(y, y) for y in years]

    def query(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: v for k, v in data.items() if v}


class ProjectForm(forms.Form):
    title = CharField(label=gettext_lazy("Title"), max_length=128)
    purpose = forms.ChoiceField(
        label=gettext_lazy("What the money is for"), choices=[("", "—"), *FundraisingProject.Purpose.choices]
    )
    care_kind = forms.ChoiceField(
        label=gettext_lazy("Family care payments funded"),
        required=False,
        choices=[("", "—"), *PaymentKind.choices],
        help_text=gettext_lazy("Only for family care: the project's page then shows how the money was used."),
    )
    target = CharField(
        label=gettext_lazy("Target (yuan)"),
        max_length=30,
        help_text=gettext_lazy("For example 200000 or 200,000.00."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    platform = CharField(
        label=gettext_lazy("Platform"),
        max_length=64,
        help_text=gettext_lazy("Choose a suggestion or type another."),
        widget=forms.TextInput(attrs={"list": "platforms", "autocomplete": "off"}),
    )
    starts_on = DateField(label=gettext_lazy("First day of fundraising"), widget=DateInput)
    ends_on = DateField(label=gettext_lazy("Last day of fundraising"), widget=DateInput)
    region = forms.ChoiceField(
        label=gettext_lazy("Region of the project"), help_text=gettext_lazy("The money raised is counted in this area.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", gettext_lazy("Choose"))] + [
            (r.code, f"{r.code} {r.name}") for r in selectors.regions_for(user)
        ]

    def data_for_service(self) -> services.ProjectData:
        return services.ProjectData(**{name: self.cleaned_data.get(name) for name in services.ProjectData.FIELDS})


class DayForm(forms.Form):
    day = DateField(label=gettext_lazy("Day"), widget=DateInput)
    amount = CharField(
        label=gettext_lazy("Amount raised (yuan)"),
        max_length=30,
        help_text=gettext_lazy("For example 12,345.60."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    donors = IntegerField(label=gettext_lazy("Donors (person-times)"), min_value=0, max_value=services.MAX_DONORS)
    replace = forms.BooleanField(
        label=gettext_lazy("Replace the results already recorded for this day"),
        required=False,
        help_text=gettext_lazy("Only needed when the day has results already; the old values stay in the history."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The platform's export (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=gettext_lazy(
            "Columns 日期, 金额 (yuan) and 捐款人次, one row per day. The file is checked first: nothing is"
            " saved before you confirm, and the days already recorded that it would replace are listed."
        ),
    )


# --- pages ----------------------------------------------------------------------------------------


def project_list(request):
    require_perm(request, VIEW)
    filters = FilterForm(request.GET, years=selectors.project_years(user=request.user))
    query = filters.query()
    qs = selectors.project_list(user=request.user, search=query.get("q", ""), year=query.get("year"))
    page = paginate(request, qs)
    for p in page.object_list:
        p.percent = selectors.percent(p.raised_fen, p.target_fen)
        p.bar = min(p.percent, 100)
    return render(
        request,
        "outreach/fundraising_list.html",
        {
            "page": page,
            "filters": filters,
            "can_write": request.user.has_perm(WRITE),
            "breadcrumbs": [(_("Online fundraising"), None)],
        },
    )


def _project_form_page(request, form, *, title, crumbs):
    return render(
        request,
        "outreach/fundraising_form.html",
        {"form": form, "title": title, "breadcrumbs": crumbs, "platforms": services.PLATFORMS},
    )


def project_create(request):
    require_perm(request, WRITE)
    form = ProjectForm(request.POST or None, user=request.user)
    saved, project = form_saved(
        request,
        form,
        lambda: services.project_create(actor=request.user, data=form.data_for_service()),
        success=lambda p: _("The fundraising project %(title)s was saved.") % {"title": p.title},
    )
    if saved:
        return redirect("outreach:fundraising_detail", pk=project.pk)
    return _project_form_page(
        request, form, title=_("Add a fundraising project"), crumbs=_crumbs((_("Add a project"), None))
    )


def _writable(request, pk) -> FundraisingProject:
    require_perm(request, WRITE)
    return get_for_user(request.user, FundraisingProject, pk, write=True)  # out of scope: 404, audited


def project_edit(request, pk):
    project = _writable(request, pk)
    data = services.ProjectData.of(project)
    initial = {name: getattr(data, name) for name in services.ProjectData.FIELDS} | {"version": project.version}
    form = ProjectForm(request.POST or None, initial=initial, user=request.user)
    saved, _p = form_saved(
        request,
        form,
        lambda: services.project_update(
            project=project,
            actor=request.user,
            data=form.data_for_service(),
            version=parse_version(request.POST.get("version", "")),
        ),
        success=_("The changes were saved."),
    )
    if saved:
        return redirect("outreach:fundraising_detail", pk=pk)
    return _project_form_page(
        request,
        form,
        title=_("Change %(name)s") % {"name": project.title},
        crumbs=_crumbs((project.title, reverse("outreach:fundraising_detail", args=[pk])), (_("Change"), None)),
    )


def project_detail(request, pk):
    require_perm(request, VIEW)
    project = get_for_user(request.user, FundraisingProject.objects.select_related("region"), pk)
    days = list(selectors.project_days(project))
    imports = list(selectors.project_imports(project)[:20])
    return render(
        request,
        "outreach/fundraising_detail.html",
        {
            "p": project,
            "totals": selectors.project_totals(project),
            "days": days,
            "chart": selectors.day_chart(days, project=project),
            "imports": imports,
            "used": selectors.money_used(project),
            "can_write": request.user.has_perm(WRITE) and sees(request.user, project, perm=WRITE),
            "history": entries_for_object(project),
            "breadcrumbs": _crumbs((project.title, None)),
        },
    )


def _day_saved(result) -> str:
    row, replaced = result
    if replaced:
        return _("The results of %(day)s were replaced.") % {"day": row.day.isoformat()}
    return _("The results of %(day)s were saved.") % {"day": row.day.isoformat()}


def day_record(request, pk):
    project = _writable(request, pk)
    initial = {}
    try:
        initial["day"] = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        initial["day"] = project.starts_on
    form = DayForm(request.POST or None, initial=initial)
    saved, result = form_saved(
        request,
        form,
        lambda: services.day_record(
            project=project,
            actor=request.user,
            day=form.cleaned_data["day"],
            amount=form.cleaned_data["amount"],
            donors=form.cleaned_data["donors"],
            replace=form.cleaned_data["replace"],
        ),
        success=lambda r: (
            (_("The results of %(day)s were replaced.") if r[1] else _("The results of %(day)s were saved."))
            % {"day": r[0].day.isoformat()}
        ),
    )
    if saved:
        return redirect("outreach:fundraising_detail", pk=pk)
    return render(
        request,
        "outreach/fundraising_day.html",
        {
            "form": form,
            "p": project,
            "title": _("Record a day's results"),
            "breadcrumbs": _crumbs(
                (project.title, reverse("outreach:fundraising_detail", args=[pk])), (_("Record a day"), None)
            ),
        },
    )


# --- the import: upload, check (nothing saved), confirm ----------------------------------------------
# The checked file waits, encrypted, in the private file storage under a random name kept in the
# session; the confirmation imports exactly that file (its SHA-256 is checked again) and the days the
# user saw listed, nothing else.


def _pending_key(project) -> str:
    return f"outreach.fundraising.check.{project.pk}"


def _drop_pending(request, project) -> None:
    pending = request.session.pop(_pending_key(project), None)
    if pending:
        services.checked_file_drop(pending["name"])


def _keep_pending(request, project, check, content: bytes) -> str:
    _drop_pending(request, project)  # one checked file per project and session
    token, name = services.checked_file_keep(content)
    request.session[_pending_key(project)] = {
        "token": token,
        "name": name,
        "filename": check.filename,
        "sha256": check.sha256,
        "days": [r.day.isoformat() for r in check.replacing],
    }
    return token


def _pending_content(request, project, token: str):
    """The checked file of ``token`` and its record, or ``(None, None)`` when it is gone or changed."""
    pending = request.session.get(_pending_key(project))
    if not pending or not token or not secrets.compare_digest(pending["token"], token):
        return None, None
    content = services.checked_file_read(pending["name"], sha256=pending["sha256"])
    return (content, pending) if content is not None else (None, None)


def _import_crumbs(project):
    detail = reverse("outreach:fundraising_detail", args=[project.pk])
    return _crumbs((project.title, detail), (_("Import results"), None))


def _preview_page(request, project, check, token):
    problems = check.problems
    return render(
        request,
        "outreach/fundraising_import_check.html",
        {
            "p": project,
            "check": check,
            "token": token,
            "errors": problems[:500],
            "more_errors": max(len(problems) - 500, 0),
            "breadcrumbs": _import_crumbs(project),
        },
    )


def results_import(request, pk):
    """Step 1, the upload: the file is checked and nothing is saved; the page lists the rows' errors and
    the recorded days the file would replace (old → new), with a button to save it."""
    project = _writable(request, pk)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > services.MAX_UPLOAD:
                raise InvalidInput(_("The file is too large (at most 5 MB)."), field="file")
            content = upload.read()
            check = services.results_check(project=project, actor=request.user, filename=upload.name, content=content)
        except DomainError as exc:
            form_error(form, exc)
        else:
            token = _keep_pending(request, project, check, content) if check.good else ""
            return _preview_page(request, project, check, token)
    return render(
        request,
        "outreach/fundraising_import_form.html",
        {"form": form, "p": project, "max_rows": services.MAX_ROWS, "breadcrumbs": _import_crumbs(project)},
    )


def results_import_confirm(request, pk):
    """Step 2, the confirmation (POST): the checked file is imported, replacing the days listed."""
    project = _writable(request, pk)
    if request.method != "POST":
        return redirect("outreach:fundraising_import_new", pk=pk)
    content, pending = _pending_content(request, project, request.POST.get("token", ""))
    if content is None:
        flash.error(request, _("The checked file is no longer waiting. Upload it again."))
        return redirect("outreach:fundraising_import_new", pk=pk)
    try:
        imp = services.results_import(
            project=project,
            actor=request.user,
            filename=pending["filename"],
            content=content,
            replace=True,
            replacing=[date.fromisoformat(d) for d in pending["days"]],
        )
    except DomainError as exc:
        # the recorded days changed in the meantime: check the same file again and show what it does now
        flash.error(request, str(exc.message))
        check = services.results_check(
            project=project, actor=request.user, filename=pending["filename"], content=content
        )
        return _preview_page(request, project, check, _keep_pending(request, project, check, content))
    _drop_pending(request, project)
    flash.success(
        request,
        ngettext("%(n)d day was saved.", "%(n)d days were saved.", imp.rows_saved) % {"n": imp.rows_saved},
    )
    return redirect("outreach:fundraising_import", pk=pk, import_pk=imp.pk)


def _import_for(request, pk, import_pk) -> tuple[FundraisingProject, FundraisingImport]:
    require_perm(request, VIEW)
    project = get_for_user(request.user, FundraisingProject, pk)
    imp = FundraisingImport.objects.filter(project=project, pk=import_pk).select_related("uploaded_by").first()
    if imp is None:
        raise Http404
    return project, imp


def import_detail(request, pk, import_pk):
    project, imp = _import_for(request, pk, import_pk)
    refused = len({e.get("row") for e in imp.errors})
    return render(
        request,
        "outreach/fundraising_import.html",
        {
            "p": project,
            "imp": imp,
            "replaced": selectors.import_replaced(imp),
            "refused": refused,
            "errors": imp.errors[:500],
            "more_errors": max(len(imp.errors) - 500, 0),
            "breadcrumbs": _crumbs(
                (project.title, reverse("outreach:fundraising_detail", args=[pk])), (_("Import"), None)
            ),
        },
    )


def _fmt(request) -> str:
    return "csv" if request.GET.get("format") == "csv" else "xlsx"


def import_errors(request, pk, import_pk):
    """The row error report, as .xlsx or .csv (nothing personal in it: rows, columns, messages)."""
    _project, imp = _import_for(request, pk, import_pk)
    return table_download(
        stem=f"fundraising-import-{imp.pk}-errors",
        title=_("Row errors"),
        header=[_("Row"), _("Column"), _("Problem")],
        rows=([e.get("row"), e.get("column"), e.get("message")] for e in imp.errors),
        fmt=_fmt(request),
    )


def import_template(request):
    """An empty export in the shape the import reads: 日期, 金额, 捐款人次."""
    require_perm(request, WRITE)
    return table_download(
        stem="fundraising-results-template",
        title=_("Results"),
        header=["日期", "金额", "捐款人次"],
        rows=[],
        fmt=_fmt(request),
    )


urlpatterns = [
    path("fundraising/", project_list, name="fundraising"),
    path("fundraising/new/", project_create, name="fundraising_create"),
    path("fundraising/template/", import_template, name="fundraising_template"),
    path("fundraising/<int:pk>/", project_detail, name="fundraising_detail"),
    path("fundraising/<int:pk>/edit/", project_edit, name="fundraising_edit"),
    path("fundraising/<int:pk>/results/", day_record, name="fundraising_day"),
    path("fundraising/<int:pk>/import/", results_import, name="fundraising_import_new"),
    path("fundraising/<int:pk>/import/confirm/", results_import_confirm, name="fundraising_import_confirm"),
    path("fundraising/<int:pk>/imports/<int:import_pk>/", import_detail, name="fundraising_import"),
    path("fundraising/<int:pk>/imports/<int:import_pk>/errors/", import_errors, name="fundraising_import_errors"),
]
public_urlpatterns: list = []
