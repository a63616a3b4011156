"""Application pages: submit an application for a coordinator, the list (what awaits my decision
first), one application with its levels and the review form, a document's download, and the
province's review settings."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from boai.accounts.scoping import get_for_user
from boai.core.errors import DomainError
from boai.core.forms import MultipleFileField
from boai.core.interface import form_error, require_perm
from boai.core.responses import attachment_response
from boai.lib.pagination import paginate

from ..models import Application, ApplicationReview, Coordinator, ReviewLevel
from ..selectors import applications as selectors
from ..services import applications as services

# --- forms ------------------------------------------------------------------------------------------


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label=gettext_lazy("Why they apply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )
    documents = MultipleFileField(
        label=gettext_lazy("Documents"),
        required=False,
        help_text=gettext_lazy(
            "Scans of the application form, ID card and diplomas: PDF, JPEG or PNG, several at once."
        ),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (ApplicationReview.Decision.APPROVED, pgettext_lazy("review decision", "Approve")),
            (ApplicationReview.Decision.REJECTED, pgettext_lazy("review decision", "Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (required for a rejection)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


LEVEL_CHOICES = [("", "—"), *ReviewLevel.choices]


class SettingsForm(forms.Form):
    level_1 = forms.ChoiceField(label=gettext_lazy("First review level"), choices=ReviewLevel.choices)
    level_2 = forms.ChoiceField(label=gettext_lazy("Second review level"), choices=LEVEL_CHOICES, required=False)
    level_3 = forms.ChoiceField(label=gettext_lazy("Third review level"), choices=LEVEL_CHOICES, required=False)
    expiry_warning_days = forms.IntegerField(
        label=gettext_lazy("Warn of a qualification's expiry (days ahead)"), min_value=1, max_value=365
    )

    def levels(self) -> list[str]:
        return [self.cleaned_data[f"level_{n}"] for n in (1, 2, 3) if self.cleaned_data.get(f"level_{n}")]


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"), choices=[("", gettext_lazy("All")), *Application.State.choices], required=False
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Awaiting level"), choices=[("", gettext_lazy("All")), *ReviewLevel.choices], required=False
    )
    mine = forms.BooleanField(label=gettext_lazy("Only those awaiting my decision"), required=False)


# --- helpers ----------------------------------------------------------------------------------------


def _crumbs(*more):
    return [(_("Applications"), reverse("coordinators:applications")), *more]


def coordinator_url(coordinator) -> str | None:
    """The coordinator's own page (the people area's), if it is there."""
    try:
        return reverse("coordinators:detail", args=[coordinator.pk])
    except NoReverseMatch:
        return None


def _application(request, pk) -> Application:
    require_perm(request, "coordinators.view")
    return get_for_user(request.user, Application.objects.select_related("coordinator", "coordinator__region"), pk)


# --- pages ------------------------------------------------------------------------------------------


def apply(request, pk):
    """Submit an application for a coordinator (an applicant, or someone rejected before)."""
    require_perm(request, "coordinators.manage")
    coordinator = get_for_user(request.user, Coordinator.objects.select_related("region", "organisation"), pk)
    refusal = services.submit_refusal(actor=request.user, coordinator=coordinator)
    form = ApplyForm()
    if request.method == "POST" and refusal is None:
        form = ApplyForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = services.application_submit(
                    actor=request.user,
                    coordinator=coordinator,
                    motivation=data["motivation"],
                    documents=data["documents"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The application is submitted: %(where)s.") % {"where": selectors.decorate(application).where},
                )
                return redirect("coordinators:application", pk=application.pk)
    levels = services.levels_for(coordinator.region, services.review_settings().level_list())
    return render(
        request,
        "coordinators/applications_apply.html",
        {
            "coordinator": coordinator,
            "coordinator_url": coordinator_url(coordinator),
            "form": form,
            "refusal": refusal,
            "levels": [ReviewLevel(level).label for level in levels],
            "breadcrumbs": _crumbs((coordinator.name, coordinator_url(coordinator)), (_("Apply"), None)),
        },
    )


def application_list(request):
    require_perm(request, "coordinators.view")
    filters = FilterForm(request.GET or None)
    query = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.application_list(
        user=request.user, state=query.get("state", ""), level=query.get("level", ""), mine=query.get("mine", False)
    )
    page = paginate(request, qs)
    page.object_list = selectors.marked(page.object_list)
    return render(
        request,
        "coordinators/applications_list.html",
        {
            "page": page,
            "filters": filters,
            "awaiting": selectors.awaiting_count(request.user),
            "can_settings": request.user.has_perm("coordinators.settings"),
            "breadcrumbs": [(_("Applications"), None)],
        },
    )


def application_detail(request, pk, review_form=None, withdraw_form=None):
    application = _application(request, pk)
    user = request.user
    if request.method == "POST":
        require_perm(request, "coordinators.review")
        review_form = ReviewForm(request.POST)
        if review_form.is_valid():
            data = review_form.cleaned_data
            try:
                application = services.application_review(
                    actor=user,
                    application=application,
                    decision=data["decision"],
                    reason=data["reason"],
                    version=data["version"],
                )
            except DomainError as exc:
                if exc.field in review_form.fields:
                    form_error(review_form, exc)
                else:
                    messages.error(request, str(exc.message))
                    review_form = None
                    application = _application(request, pk)
            else:
                messages.success(
                    request,
                    _("Your decision is recorded: %(where)s.") % {"where": selectors.decorate(application).where},
                )
                return redirect("coordinators:application", pk=pk)
    selectors.decorate(application)
    can_review = services.review_refusal(actor=user, application=application) is None
    can_withdraw = services.withdraw_refusal(actor=user, application=application) is None
    initial = {"version": application.version}
    return render(
        request,
        "coordinators/applications_detail.html",
        {
            "a": application,
            "coordinator": application.coordinator,
            "coordinator_url": coordinator_url(application.coordinator),
            "stages": selectors.stages(application),
            "documents": selectors.documents(application),
            "review_form": (review_form or ReviewForm(initial=initial)) if can_review else None,
            "withdraw_form": (withdraw_form or VersionForm(initial=initial)) if can_withdraw else None,
            "breadcrumbs": _crumbs((application.coordinator.name, None)),
        },
    )


@require_POST
def application_withdraw(request, pk):
    application = _application(request, pk)
    require_perm(request, "coordinators.manage")
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.application_withdraw(
                actor=request.user, application=application, version=form.cleaned_data["version"]
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The application is withdrawn."))
    else:
        messages.error(request, _("Reload the page and try again."))
    return redirect("coordinators:application", pk=pk)


def application_document(request, pk, attachment_id):
    """A document of the application, for those who may see it; never shown inline."""
    application = _application(request, pk)
    attachment = selectors.document(application, attachment_id)
    if attachment is None:
        raise Http404
    response = attachment_response(attachment, f"application-{application.pk}-{attachment.pk}")
    services.application_document_viewed(application=application, attachment=attachment, actor=request.user)
    return response


def review_settings(request):
    require_perm(request, "coordinators.settings")
    row = services.review_settings()
    levels = row.level_list()
    initial = {f"level_{n + 1}": level for n, level in enumerate(levels[:3])}
    form = SettingsForm(initial={**initial, "expiry_warning_days": row.expiry_warning_days})
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                services.settings_update(
                    actor=request.user,
                    levels=form.levels(),
                    expiry_warning_days=form.cleaned_data["expiry_warning_days"],
                )
            except DomainError as exc:
                form_error(form, exc, fields={"levels": "level_1"})
            else:
                messages.success(
                    request, _("The settings are saved. Applications already under way keep their levels.")
                )
                return redirect("coordinators:settings")
    return render(
        request,
        "coordinators/applications_settings.html",
        {"form": form, "row": row, "breadcrumbs": _crumbs((_("Coordinator settings"), None))},
    )


urlpatterns = [
    path("<int:pk>/apply/", apply, name="apply"),
    path("applications/", application_list, name="applications"),
    path("applications/<int:pk>/", application_detail, name="application"),
    path("applications/<int:pk>/withdraw/", application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/documents/<int:attachment_id>/", application_document, name="application_document"),
    path("settings/", review_settings, name="settings"),
]
