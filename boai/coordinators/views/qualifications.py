"""Qualification pages: the work list (expired and expiring first) and every qualification with
filters, one qualification with its history and actions (suspend, reinstate, renew, revoke), recording
a coordinator's national qualification, and the scans (permission-checked downloads, audited)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from boai.accounts.scoping import visible
from boai.audit.services import audit_log
from boai.core.errors import DomainError
from boai.core.forms import CharField, DateField
from boai.core.interface import form_error, require_perm
from boai.core.responses import attachment_response, table_download
from boai.lib.pagination import paginate

from ..models import Coordinator, Qualification
from ..selectors import qualifications as selectors
from ..services import qualifications as services

SCAN_HELP = gettext_lazy("PDF, JPEG or PNG, at most 20 MB")


class QualifyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number = CharField(label=gettext_lazy("Qualification number"), max_length=32)
    issued_on = DateField(label=gettext_lazy("Qualified on"))
    issuing_body = CharField(
        label=gettext_lazy("Issuing body"), max_length=128, required=False, initial=services.CENTRE
    )
    valid_until = DateField(label=gettext_lazy("Valid until (if it applies)"), required=False)
    provincial_number = CharField(label=gettext_lazy("Provincial registration number"), max_length=32, required=False)
    registered_on = DateField(label=gettext_lazy("Registered in the province on"), required=False)
    scan = forms.FileField(label=gettext_lazy("Scan of the qualification certificate"), help_text=SCAN_HELP)


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = CharField(label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    document_number = CharField(label=gettext_lazy("Document number"), max_length=64)
    scan = forms.FileField(label=gettext_lazy("Scan of the document"), help_text=SCAN_HELP)


class RenewForm(StepForm):
    valid_until = DateField(label=gettext_lazy("New valid-until date"))
    field_order = ["version", "valid_until", "reason", "document_number", "scan"]


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        choices=[("", gettext_lazy("All states")), *Qualification.State.choices],
        required=False,
    )
    expiring = forms.IntegerField(
        label=gettext_lazy("Expiring within (days)"), min_value=0, max_value=3650, required=False
    )
    q = CharField(label=gettext_lazy("Name or qualification number"), max_length=40, required=False)


# action key -> (form, service, the states it is offered in, button label, confirmation)
ACTIONS = {
    "suspend": (StepForm, ("active",), gettext_lazy("Suspend"), gettext_lazy("Suspend this qualification?")),
    "reinstate": (StepForm, ("suspended",), gettext_lazy("Reinstate"), gettext_lazy("Reinstate this qualification?")),
    "renew": (RenewForm, ("active",), gettext_lazy("Renew"), gettext_lazy("Record the renewal?")),
    "revoke": (
        StepForm,
        ("active", "suspended"),
        gettext_lazy("Revoke"),
        gettext_lazy("Revoke this qualification? This cannot be undone."),
    ),
}


def _crumbs(*more):
    return [(_("Qualifications"), reverse("coordinators:qualifications")), *more]


def _qualification(request, pk) -> Qualification:
    require_perm(request, "coordinators.view")
    q = visible(request.user, Qualification, perm="coordinators.view").select_related("coordinator").filter(pk=pk)
    found = q.first()
    if found is None:
        raise Http404
    return found


def qualification_list(request):
    require_perm(request, "coordinators.view")
    filters = FilterForm(request.GET or None)
    query = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    due = [{"q": q, "expiry": selectors.expiry_label(q, today)} for q in selectors.work_list(request.user, today=today)]
    qs = selectors.qualification_list(
        request.user,
        state=query.get("state") or "",
        expiring_within=query.get("expiring"),
        search=(query.get("q") or "").strip(),
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(request, qs, request.GET["format"])
    page = paginate(request, qs)
    rows = [{"q": q, "expiry": selectors.expiry_label(q, today)} for q in page]
    return render(
        request,
        "coordinators/qualifications_list.html",
        {
            "due": due,
            "days": selectors.warning_days(),
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": request.GET.urlencode(),
            "can_export": request.user.has_perm("coordinators.export"),
            "breadcrumbs": _crumbs(),
        },
    )


def _export(request, qs, fmt):
    """The filtered list as Excel or CSV (``coordinators.export``; audited)."""
    require_perm(request, "coordinators.export")
    header = [
        _("Coordinator"),
        _("Area"),
        _("Qualification number"),
        _("State"),
        _("Qualified on"),
        _("Issuing body"),
        _("Valid until"),
        _("Provincial registration number"),
        _("Registered in the province on"),
    ]
    rows = (
        [
            q.coordinator.name,
            q.coordinator.region.name,
            q.number,
            q.get_state_display(),
            q.issued_on.isoformat(),
            q.issuing_body,
            q.valid_until.isoformat() if q.valid_until else "",
            q.provincial_number,
            q.registered_on.isoformat() if q.registered_on else "",
        ]
        for q in qs.iterator(chunk_size=2000)
    )
    services.qualifications_exported(actor=request.user, filters=request.GET.dict(), fmt=fmt)
    return table_download(stem="qualifications", title=_("Qualifications"), header=header, rows=rows, fmt=fmt)


def qualification_detail(request, pk, *, forms_: dict | None = None, status: int = 200):
    q = _qualification(request, pk)
    user = request.user
    forms_ = forms_ or {}
    actions = []
    if user.has_perm("coordinators.qualify"):
        for key, (form_class, states, label, confirm) in ACTIONS.items():
            if q.state in states:
                form = forms_.get(key) or form_class(initial={"version": q.version}, prefix=key)
                actions.append({"key": key, "form": form, "label": label, "confirm": confirm})
    return render(
        request,
        "coordinators/qualifications_detail.html",
        {
            "q": q,
            "c": q.coordinator,
            "expiry": selectors.expiry_label(q),
            "history": selectors.history(q),
            "scans": selectors.certificate_scans(q),
            "actions": actions,
            "breadcrumbs": _crumbs((f"{q.coordinator.name} {q.number}", None)),
        },
        status=status,
    )


@require_POST
def qualification_step(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    require_perm(request, "coordinators.qualify")
    q = _qualification(request, pk)
    form_class = ACTIONS[action][0]
    form = form_class(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.STEPS[action](actor=request.user, qualification=q, version=version, **data)
        except DomainError as exc:
            if exc.field in form.fields:
                form_error(form, exc)
            else:
                messages.error(request, str(exc.message))
                return redirect("coordinators:qualification", pk=q.pk)
        else:
            messages.success(request, _("Recorded."))
            return redirect("coordinators:qualification", pk=q.pk)
    return qualification_detail(request, pk, forms_={action: form}, status=400)


def qualify(request, pk):
    """Record the national qualification of coordinator ``pk`` (province)."""
    require_perm(request, "coordinators.qualify")
    coordinator = visible(request.user, Coordinator, perm="coordinators.qualify").filter(pk=pk).first()
    if coordinator is None:
        raise Http404
    if request.method == "POST":
        form = QualifyForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                q = services.qualification_record(actor=request.user, coordinator=coordinator, **data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request, _("The qualification is recorded: %(name)s is qualified.") % {"name": coordinator.name}
                )
                return redirect("coordinators:qualification", pk=q.pk)
        status = 400
    else:
        form = QualifyForm(initial={"version": coordinator.version, "issuing_body": services.CENTRE})
        status = 200
    return render(
        request,
        "coordinators/qualifications_record.html",
        {
            "form": form,
            "c": coordinator,
            "may": coordinator.state in services.MAY_QUALIFY,
            "breadcrumbs": _crumbs((_("Record a qualification"), None)),
        },
        status=status,
    )


def qualification_document(request, pk, attachment_id):
    q = _qualification(request, pk)
    attachment = selectors.document_for(q, attachment_id)
    if attachment is None:
        raise Http404
    response = attachment_response(attachment, f"qualification-{q.pk}-{attachment.kind}")
    audit_log(
        action="core.attachment.viewed",
        actor=request.user,
        obj=q,
        changes={"kind": attachment.kind, "sha256": attachment.sha256},
    )
    return response


urlpatterns = [
    path("qualifications/", qualification_list, name="qualifications"),
    path("qualifications/<int:pk>/", qualification_detail, name="qualification"),
    path("qualifications/<int:pk>/<str:action>/", qualification_step, name="qualification_step"),
    path(
        "qualifications/<int:pk>/documents/<int:attachment_id>/",
        qualification_document,
        name="qualification_document",
    ),
    path("<int:pk>/qualify/", qualify, name="qualify"),
]
