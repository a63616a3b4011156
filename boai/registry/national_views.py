"""The national registry exchange's staff page: import the national export (upload with its column
mapping; the check, progress, errors and import are the import job's pages), send the paper and event
registrations to the national system, and record the national numbers it returns."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boai.accounts.scoping import get_for_user, visible
from boai.core.errors import DomainError
from boai.core.interface import form_error, require_perm

from . import national, services
from .forms import NationalExportForm, NationalImportForm, NationalNumbersForm
from .models import ImportJob, NationalRegistration, Registration
from .transfer_views import XLSX, start_check

PERM = "registry.national"


def _page(request, **forms_):
    return render(
        request,
        "registry/national.html",
        {
            "form": forms_.get("form") or NationalImportForm(),
            "export_form": forms_.get("export_form") or NationalExportForm(),
            "numbers_form": forms_.get("numbers_form") or NationalNumbersForm(),
            "default_mapping": json.dumps(national.default_mapping(), ensure_ascii=False),
            "fields": [(key, zh, national.MEANINGS[key]) for key, (zh, _en) in national.COLUMNS.items()],
            "jobs": visible(request.user, ImportJob)
            .filter(kind=ImportJob.Kind.NATIONAL)
            .select_related("created_by")[:10],
            "to_send": services.national_to_export(actor=request.user).count(),
            "held": visible(request.user, NationalRegistration, perm=PERM).count(),
            "breadcrumbs": [(_("Registrations"), reverse("registry:list")), (_("National registry"), None)],
        },
        status=200,
    )


def national_page(request):
    """Upload the national export (POST), or show the page."""
    require_perm(request, PERM)
    if request.method != "POST":
        return _page(request)
    form = NationalImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = services.national_import_create(
                actor=request.user, upload=form.cleaned_data["file"], mapping=form.cleaned_data["mapping"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            start_check(request, job)
            return redirect("registry:import_job", pk=job.pk)
    return _page(request, form=form)


@require_POST
def national_export(request):
    """The upload file for the national system; the registrations in it are marked sent."""
    require_perm(request, PERM)
    form = NationalExportForm(request.POST)
    if form.is_valid():
        try:
            content, _count = services.national_export(actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            response = HttpResponse(content, content_type=XLSX)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            response["Content-Disposition"] = f'attachment; filename="national-upload-{stamp}.xlsx"'
            return response
    return _page(request, export_form=form)


@require_POST
def national_numbers(request):
    """The file returned by the national system: each row's national number recorded."""
    require_perm(request, PERM)
    form = NationalNumbersForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = services.national_numbers_record(actor=request.user, upload=form.cleaned_data["file"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("%(n)d national registration numbers recorded.") % {"n": count})
            return redirect("registry:national")
    return _page(request, numbers_form=form)


@require_POST
def registration_national_number(request, pk):
    """Record (or correct) one registration's national number from its page."""
    require_perm(request, PERM)
    registration = get_for_user(request.user, Registration, pk, write=True)
    try:
        services.registration_national_number_set(
            registration=registration, actor=request.user, national_number=request.POST.get("national_number", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The national registration number was saved."))
    return redirect("registry:detail", pk=pk)
