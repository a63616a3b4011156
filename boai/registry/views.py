from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from boai.accounts.scoping import get_for_user, visible
from boai.audit.selectors import entries_for_object
from boai.core.errors import DomainError
from boai.core.interface import form_error, reveal_page, searchable_list
from boai.core.models import Attachment
from boai.core.responses import attachment_response
from boai.lib.context import current_context
from boai.lib.pagination import paginate

from . import notices, selectors, services
from .forms import AmendForm, DeceasedForm, PaperFormEntry, RefusalForm, RegistrationFilterForm, StaffWithdrawForm
from .labels import CHANGE_FORM_OPENED
from .models import DuplicateCandidate, HeldEntry, Refusal, Registration

SEARCH_KEY = "registry_search"


def registration_list(request):
    """The list. The search term may be a name, an ID number or a phone: it travels in a POST body
    and is kept in the session (encrypted), never in the URL (URLs end up in proxy logs and browser history).
    The other filters are not personal and stay in the URL, so a filtered list can be bookmarked."""
    if not request.user.has_perm("records.view"):
        raise PermissionDenied
    return searchable_list(
        request,
        key=SEARCH_KEY,
        max_length=100,
        filter_form=RegistrationFilterForm,
        url=reverse("registry:list"),
        rows=lambda search, query: selectors.registration_rows(user=request.user, search=search, **query),
        count=lambda search, query: selectors.registration_count(user=request.user, search=search, **query),
        template="registry/registration_list.html",
        table_template="registry/_registration_table.html",
        context={
            "can_change": request.user.has_perm("records.change"),
            "breadcrumbs": [(_("Registrations"), None)],
        },
    )


def held_message(entry: HeldEntry) -> str:
    return _("%(message)s Reference: %(reference)s.") % {"message": services.HELD_MESSAGE, "reference": entry.reference}


def warn_revoked_refusals(request, registration) -> None:
    """Staff are told when the registration they entered revoked the person's earlier refusal."""
    for refusal in registration.revoked_refusals.all():
        messages.warning(
            request,
            _("This person had recorded a refusal on %(day)s; this registration revoked it.")
            % {"day": refusal.stated_on.isoformat()},
        )


def _detail_context(request, registration, **forms_):

    can_change = request.user.has_perm("records.change") and registration.status == Registration.Status.ACTIVE
    initial = {"version": registration.version}
    return {
        "r": registration,
        "revoked_refusals": registration.revoked_refusals.all(),
        "national": selectors.national_for(registration.id_number_index),
        "can_national": request.user.has_perm("registry.national"),
        "history": entries_for_object(registration),
        "attachments": Attachment.objects.filter(owner_type="registry.registration", owner_id=str(registration.pk)),
        "can_unmask": request.user.has_perm("records.unmask"),
        "can_change": can_change,
        "withdraw_form": forms_.get("withdraw_form") or StaffWithdrawForm(initial=initial),
        "deceased_form": forms_.get("deceased_form") or DeceasedForm(initial=initial),
        "breadcrumbs": [(_("Registrations"), reverse("registry:list")), (registration.number, None)],
    }


def registration_detail(request, pk):
    if not request.user.has_perm("records.view"):
        raise PermissionDenied
    registration = get_for_user(request.user, Registration, pk)
    return render(request, "registry/registration_detail.html", _detail_context(request, registration))


@sensitive_post_parameters("id_number", "phone", "executor_phone")
def registration_create(request):
    """A branch enters a signed paper form, with the scan of the form."""
    if not request.user.has_perm("records.change"):
        raise PermissionDenied
    form = PaperFormEntry(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            reg = services.registration_enter_paper_form(
                actor=request.user,
                data=form.person_data(),
                channel=form.cleaned_data["channel"],
                scan=form.cleaned_data.get("scan"),
                consent_signed=form.cleaned_data.get("consent_signed", False),
                ip=current_context().ip,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            if isinstance(reg, HeldEntry):  # the same answer whatever the reason (services.held)
                messages.info(request, held_message(reg))
                return redirect("registry:create")
            messages.success(request, _("Registration %(number)s saved.") % {"number": reg.number})
            warn_revoked_refusals(request, reg)
            return redirect("registry:detail", pk=reg.pk)
    return render(
        request,
        "registry/registration_form.html",
        {
            "form": form,
            "notice_version": notices.CURRENT,
            "breadcrumbs": [(_("Registrations"), reverse("registry:list")), (_("Enter a paper form"), None)],
        },
    )


@sensitive_post_parameters("phone", "executor_phone")
def registration_amend(request, pk):
    registration = get_for_user(request.user, Registration, pk, write=True)
    initial = {
        "version": registration.version,
        "phone": registration.phone,
        "region": registration.region_id,
        "address": registration.address,
        "organs": registration.organs,
        "tissues": registration.tissues,
        "body": registration.body,
        "executor_name": registration.executor_name,
        "executor_relationship": registration.executor_relationship,
        "executor_phone": registration.executor_phone,
    }
    form = AmendForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_amend(
                registration=registration,
                actor=request.user,
                changes=form.changes(),
                version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("registry:detail", pk=pk)
    elif request.method == "GET":
        # The form shows the full phone and address to edit them: that is an unmasked view, audited.
        services.registration_unmask(registration=registration, actor=request.user, reason=CHANGE_FORM_OPENED)
    return render(
        request,
        "registry/registration_amend.html",
        {
            "r": registration,
            "form": form,
            "breadcrumbs": [
                (_("Registrations"), reverse("registry:list")),
                (registration.number, reverse("registry:detail", args=[pk])),
                (_("Change"), None),
            ],
        },
    )


@require_POST
def registration_withdraw(request, pk):
    registration = get_for_user(request.user, Registration, pk, write=True)
    form = StaffWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.registration_withdraw(
                registration=registration,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                ip=current_context().ip,
            )
            messages.success(request, _("The registration was withdrawn."))
            return redirect("registry:detail", pk=pk)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
    return render(
        request,
        "registry/registration_detail.html",
        _detail_context(request, registration, withdraw_form=form),
        status=200,
    )


@require_POST
def registration_deceased(request, pk):
    registration = get_for_user(request.user, Registration, pk, write=True)
    form = DeceasedForm(request.POST)
    if form.is_valid():
        try:
            services.registration_mark_deceased(
                registration=registration,
                actor=request.user,
                died_on=form.cleaned_data["died_on"],
                version=form.cleaned_data["version"],
            )
            messages.success(request, _("The registration was marked deceased."))
            return redirect("registry:detail", pk=pk)
        except DomainError as exc:
            form.add_error("died_on" if exc.field == "died_on" else None, str(exc.message))
    return render(
        request,
        "registry/registration_detail.html",
        _detail_context(request, registration, deceased_form=form),
        status=200,
    )


def registration_attachment(request, pk, attachment_id):
    """A scan, only for those who may see the registration; never shown inline (nosniff, attachment)."""

    if not request.user.has_perm("records.unmask"):  # a signed form shows the ID number and phone in full
        raise PermissionDenied
    registration = get_for_user(request.user, Registration, pk)
    attachment = get_object_or_404(
        Attachment, pk=attachment_id, owner_type="registry.registration", owner_id=str(registration.pk)
    )
    response = attachment_response(
        attachment, f"{registration.number}-{attachment.kind}"
    )  # opens the file first: a missing one is no "viewed"
    services.registration_attachment_viewed(registration=registration, attachment=attachment, actor=request.user)
    return response


@require_POST
def registration_unmask(request, pk):
    if not request.user.has_perm("records.unmask"):
        raise PermissionDenied
    registration = get_for_user(request.user, Registration, pk)
    return reveal_page(
        request,
        reveal=lambda reason: services.registration_unmask(
            registration=registration, actor=request.user, reason=reason
        ),
        name="r",
        obj=registration,
        form_template="registry/_unmask_form.html",
        template="registry/_unmasked.html",
        back=reverse("registry:detail", args=[pk]),
    )


def duplicate_list(request):

    if not request.user.has_perm("records.change"):
        raise PermissionDenied
    candidates = selectors.duplicate_pairs(request.user).select_related("kept__region", "other__region")
    held = selectors.held_queue(request.user).select_related(
        "region", "existing__region", "refusal__region", "entered_by__organization"
    )
    return render(
        request,
        "registry/duplicate_list.html",
        {
            "page": paginate(request, candidates),
            "held": held[:50],
            "held_count": held.count(),
            "breadcrumbs": [(_("Registrations"), reverse("registry:list")), (_("Possible duplicates"), None)],
        },
    )


@require_POST
def duplicate_decide(request, pk):

    candidate = get_for_user(request.user, DuplicateCandidate, pk, write=True)
    if not visible(request.user, Registration, perm="records.change").filter(pk=candidate.other_id).exists():
        raise Http404  # the later registration is outside this user's area
    merge = request.POST.get("decision") == "merge"
    try:
        services.duplicate_decide(
            candidate=candidate, actor=request.user, merge=merge, note=request.POST.get("note", "")
        )
        messages.success(
            request,
            _("Merged: the later registration was withdrawn as a duplicate.")
            if merge
            else _("Dismissed: these are two different people."),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("registry:duplicates")


@require_POST
def held_decide(request, pk):
    """Decide an entry held for review: only staff who can see every record it concerns (404 otherwise,
    as for a record out of scope)."""
    entry = get_for_user(request.user, HeldEntry, pk, write=True)
    if not selectors.held_reviewable(request.user).filter(pk=entry.pk).exists():
        raise Http404  # the other record is outside this user's area
    decision = request.POST.get("decision", "")
    try:
        services.held_decide(entry=entry, actor=request.user, outcome=decision, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = {
            services.Outcome.MERGE: _("Same person: the entry was not entered again."),
            services.Outcome.REJECT: _("Not entered: the branch will check the ID number with the person."),
            services.Outcome.REGISTER: _("Registered."),
            services.Outcome.RECORD: _("The refusal is on record."),
        }
        messages.success(request, done[decision])
    return redirect("registry:duplicates")


@sensitive_post_parameters("id_number")
def refusal_create(request):
    """A branch records a refusal made in life: any later donation case of the person stops."""
    if not request.user.has_perm("records.refusal"):
        raise PermissionDenied
    form = RefusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            refusal = services.refusal_record(
                actor=request.user, region_code=form.cleaned_data.pop("region"), **form.cleaned_data
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            if isinstance(refusal, HeldEntry):  # the same answer as a held registration (services.held)
                messages.info(request, held_message(refusal))
                return redirect("registry:refusal_create")
            messages.success(request, _("The refusal is on record. Any donation case of this person will stop."))
            return redirect("registry:list")
    return render(
        request,
        "registry/refusal_form.html",
        {
            "form": form,
            "breadcrumbs": [(_("Registrations"), reverse("registry:list")), (_("Record a refusal"), None)],
        },
    )


def refusal_list(request):
    """Refusals made in life in the user's area, each with its revocation (by a later registration of
    the person, or on their written statement): both statements stay in the person's history."""
    if not request.user.has_perm("records.refusal"):
        raise PermissionDenied
    refusals = visible(request.user, Refusal).select_related("region", "revoked_by_registration")
    return render(
        request,
        "registry/refusal_list.html",
        {
            "page": paginate(request, refusals),
            "breadcrumbs": [(_("Registrations"), reverse("registry:list")), (_("Refusals made in life"), None)],
        },
    )
