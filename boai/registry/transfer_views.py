"""Bulk import (upload, dry run, error report, import) and export (streamed, masked by default)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boai.accounts.scoping import get_for_user, visible
from boai.core.errors import DomainError, QueueUnavailable
from boai.core.interface import form_error, search_recall
from boai.core.queue import enqueue
from boai.core.responses import table_download

from . import exports, parsing, selectors, services, tasks
from .forms import ImportUploadForm, RegistrationFilterForm, UnmaskedExportForm
from .models import ImportJob
from .views import SEARCH_KEY

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _crumbs(*more):
    return [(_("Registrations"), reverse("registry:list")), *more]


def start_check(request, job) -> None:
    """Queue the job's check; with the queue down the job is kept, marked stalled, and the user told."""
    if not enqueue(tasks.import_check_task, job.pk):
        services.import_job_not_queued(job_id=job.pk)
        messages.warning(request, services.NOT_QUEUED_MESSAGE)


def import_start(request):
    if not request.user.has_perm("records.change"):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                actor=request.user,
                upload=form.cleaned_data["file"],
                consent_confirmed=form.cleaned_data["consent"],
                campaign=form.cleaned_data["campaign"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            start_check(request, job)
            return redirect("registry:import_job", pk=job.pk)
    jobs = visible(request.user, ImportJob).filter(kind=ImportJob.Kind.REGISTRATIONS).select_related("created_by")[:20]
    return render(
        request,
        "registry/import_start.html",
        {
            "form": form,
            "jobs": jobs,
            "breadcrumbs": _crumbs((_("Import a list"), None)),
        },
    )


def import_template(request):
    if not request.user.has_perm("records.change"):
        raise PermissionDenied
    response = HttpResponse(parsing.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="boai-registrations-template.xlsx"'
    return response


def import_job(request, pk):
    job = get_for_user(request.user, ImportJob, pk, write=True)
    context = {
        "job": job,
        "progress": services.get_progress(job),
        "stalled": services.import_job_stalled(job),
        "breadcrumbs": _crumbs(
            (_("National registry"), reverse("registry:national"))
            if job.kind == ImportJob.Kind.NATIONAL
            else (_("Import a list"), reverse("registry:import")),
            (job.filename, None),
        ),
    }
    template = "registry/_import_status.html" if request.htmx else "registry/import_job.html"
    return render(request, template, context)


def import_report(request, pk):
    job = get_for_user(request.user, ImportJob, pk, write=True)
    if not job.report:
        return redirect("registry:import_job", pk=pk)
    services.import_report_downloaded(job=job, actor=request.user)  # the report holds the whole list
    return FileResponse(
        job.report.storage.open(job.report.name),
        as_attachment=True,
        content_type=XLSX,
        filename=f"errors-{job.filename.rsplit('.', 1)[0]}.xlsx",
    )


@require_POST
def import_commit(request, pk):
    job = get_for_user(request.user, ImportJob, pk, write=True)
    valid_only = request.POST.get("mode") == "valid"
    if job.state != ImportJob.State.CHECKED or (job.error_rows and not valid_only):
        messages.error(request, _("This list cannot be imported that way: see the check below."))
        return redirect("registry:import_job", pk=pk)
    if not enqueue(tasks.import_commit_task, job.pk, request.user.pk, valid_only):
        messages.error(request, QueueUnavailable.default_message)
    return redirect("registry:import_job", pk=pk)


@require_POST
def import_resume(request, pk):
    """A stalled job taken up again, without a new upload (services.import_job_resume)."""
    job = get_for_user(request.user, ImportJob, pk, write=True)
    try:
        job = services.import_job_resume(job=job, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if job.state == ImportJob.State.UPLOADED:
            start_check(request, job)
    return redirect("registry:import_job", pk=pk)


@require_POST
def import_cancel(request, pk):
    job = get_for_user(request.user, ImportJob, pk, write=True)
    try:
        services.import_job_cancel(job=job, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("registry:import_job", pk=pk)


def _export_queryset(request):
    filters = RegistrationFilterForm(request.GET, user=request.user)
    return selectors.registration_list(
        user=request.user, search=search_recall(request, SEARCH_KEY), **filters.query()
    ), filters.query()


def _export_response(queryset, fmt, *, unmasked):
    rows = (exports.row_values(r, unmasked=unmasked) for r in queryset.iterator(chunk_size=2000))
    header = exports.header(unmasked=unmasked)
    return table_download(stem="registrations", title=_("Registrations"), header=header, rows=rows, fmt=fmt)


def export(request, fmt):
    """The filtered list, masked. (The full data needs the permission and a reason: export_unmasked.)"""
    if not request.user.has_perm("records.export") or fmt not in ("csv", "xlsx"):
        raise PermissionDenied
    queryset, query = _export_queryset(request)
    services.registration_export_logged(actor=request.user, filters=query, fmt=fmt, unmasked=False, reason="")
    return _export_response(queryset, fmt, unmasked=False)


def export_unmasked(request):
    if not request.user.has_perm("records.export_unmasked"):
        raise PermissionDenied
    form = UnmaskedExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        queryset, query = _export_queryset(request)
        services.registration_export_logged(
            actor=request.user,
            filters=query,
            fmt=form.cleaned_data["format"],
            unmasked=True,
            reason=form.cleaned_data["reason"],
        )
        return _export_response(queryset, form.cleaned_data["format"], unmasked=True)
    return render(
        request,
        "registry/export_unmasked.html",
        {
            "form": form,
            "query": request.GET.urlencode(),
            "breadcrumbs": _crumbs((_("Export with full data"), None)),
        },
    )
