"""Case pages: the lists, opening a case, the case page with its timeline and next steps, one page
per step, and the documents. Thin: every rule lives in the workflow and the services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from boai.accounts.roles import REGION_SCOPED, Role
from boai.accounts.scoping import get_for_user, user_region_prefix
from boai.core.errors import DomainError
from boai.core.interface import form_error, parse_version, require_perm
from boai.core.people.forms import county_choices
from boai.core.responses import attachment_response, table_download
from boai.lib.pagination import paginate

from . import selectors, services
from .extensions import case_page_context, case_panels
from .forms import UnitStaffForm
from .models import TransplantStaff
from .workflow import WORKFLOWS, workflow_for


def _kind_label(kind):
    return _("Organ donation cases") if kind == "organ" else _("Body donation cases")


def _case(request, kind, pk):
    require_perm(request, "cases.view")
    return get_for_user(request.user, WORKFLOWS[kind].model, pk)


def case_list(request, kind):
    require_perm(request, "cases.view")
    flow = WORKFLOWS[kind]
    state = request.GET.get("state", "")
    state = state if state in flow.model.State.values else ""
    search = request.POST.get("q", "").strip()[:40] if request.method == "POST" else ""
    qs = selectors.case_list(user=request.user, kind=kind, state=state, search=search)
    if request.GET.get("format") == "xlsx":
        return _export(request, kind, qs, state)
    context = {
        "kind": kind,
        "flow": flow,
        "page": paginate(request, qs),
        "q": search,
        "state": state,
        "states": flow.model.State.choices,
        "can_open": request.user.has_perm(flow.start_perm),
        "can_export": request.user.has_perm("cases.export"),
        "breadcrumbs": [(_kind_label(kind), None)],
    }
    return render(request, "cases/case_list.html", context)


def _export(request, kind, qs, state):
    """The list as Excel: no ID numbers or phones, names as staff see them on the list."""
    require_perm(request, "cases.export")
    services.cases_exported(actor=request.user, kind=kind, filters={"state": state})
    unit_label = _("OPO member unit") if kind == "organ" else _("Body reception station")
    header = [_("Case"), _("State"), _("Name"), _("County"), unit_label, _("Opened"), _("Time of death")]
    header += [_("Donation counted"), _("Beneficiaries")] if kind == "organ" else [_("Donation counted")]
    if kind == "organ":
        header.insert(2, _("Category"))

    def when(value, fmt="%Y-%m-%d %H:%M"):
        return timezone.localtime(value).strftime(fmt) if value else ""

    def rows():
        for c in qs.iterator(chunk_size=2000):
            holder = c.unit.name if kind == "organ" else c.station.name
            row = [c.number, c.get_state_display(), c.name, c.region.name, holder, when(c.opened_at), when(c.died_at)]
            row.append(when(c.counted_at, "%Y-%m-%d"))
            if kind == "organ":
                row.insert(2, c.get_donation_category_display() if c.donation_category else "")
                row.append(c.beneficiaries)
            yield row

    return table_download(stem=f"{kind}-cases", title=str(_kind_label(kind)), header=header, rows=rows())


@sensitive_post_parameters()
def case_open(request, kind):
    flow = WORKFLOWS[kind]
    require_perm(request, flow.start_perm)
    initial = {"referred_at": timezone.localtime().replace(second=0, microsecond=0)}
    if request.user.organization:
        initial["hospital"] = request.user.organization.name
    area = (user_region_prefix(request.user) or "") if request.user.role in REGION_SCOPED else None
    if area and len(area) == 6:  # a county branch: its own county, already chosen
        initial["region"] = area
    form = flow.start_form(request.POST or None, request.FILES or None, initial=initial)
    if area is not None:  # a branch opens cases of its own area only: offer just that
        form.fields["region"].choices = county_choices(within=area)
    if kind == "body" and request.user.role == Role.STATION_STAFF and request.user.organization:
        form.fix_station(request.user.organization)
    if request.method == "POST" and form.is_valid():
        try:
            if kind == "organ":
                case = services.organ_case_refer(actor=request.user, data=form.cleaned_data)
            else:
                case = services.body_case_notify(actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            if case.state in flow.finals:
                messages.warning(request, case.exit_reason)
            return redirect("cases:detail", kind=kind, pk=case.pk)
    title = _("Refer a potential donor") if kind == "organ" else _("Record a body donation notice")
    return render(
        request,
        "cases/case_open.html",
        {
            "kind": kind,
            "form": form,
            "title": title,
            "rules": [(r.code, r.text) for r in flow.start_rules],
            "breadcrumbs": [(_kind_label(kind), reverse("cases:list", args=[kind])), (title, None)],
        },
    )


def case_detail(request, kind, pk):
    case = _case(request, kind, pk)
    flow = workflow_for(case)
    choices = selectors.steps_for(case=case, user=request.user)
    return render(
        request,
        "cases/case_detail.html",
        {
            "kind": kind,
            "case": case,
            "flow": flow,
            "is_final": case.state in flow.finals,
            "next_steps": [c for c in choices if not c.step.exit],
            "exits": [c for c in choices if c.step.exit],
            "timeline": selectors.timeline(case),
            "outcomes": list(case.outcomes.all()) if kind == "organ" else [],
            "witnesses": list(case.witnesses.select_related("coordinator")) if kind == "organ" else [],
            "certificates": list(case.certificates.all()),
            "breadcrumbs": [(_kind_label(kind), reverse("cases:list", args=[kind])), (case.number, None)],
            "panels": case_panels(case=case, user=request.user),  # e.g. coordinators: who is on call
            **case_page_context(case=case, user=request.user),  # e.g. certificates: "can_issue"
        },
    )


@sensitive_post_parameters()
def case_step(request, kind, pk, to):
    case = _case(request, kind, pk)
    flow = workflow_for(case)
    step = flow.step(to)
    if step is None:
        raise Http404
    choice = next((c for c in selectors.steps_for(case=case, user=request.user) if c.step.key == to), None)
    if choice is None or not choice.allowed:
        messages.error(request, _("This step cannot be taken now."))
        return redirect("cases:detail", kind=kind, pk=case.pk)
    initial = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
    if kind == "organ" and to == "procured":
        initial["outcomes"] = [{"organ": o} for o in case.consented_organs]
        if request.user.role == "coordinator":
            initial["witnesses"] = [request.user.username]
    if kind == "organ" and to == "allocated":
        initial["allocations"] = [{"organ": o.organ} for o in case.outcomes.filter(recovered=True)]
    if kind == "organ" and to == "ethics_approved":
        initial["committee_hospital"] = case.hospital
    form = step.form(request.POST or None, request.FILES or None, initial=initial)
    if "witnesses" in form.fields:
        form.fields["witnesses"].widget.choices = form.fields["witnesses"].offer(request.user, case)
    if request.method == "POST":
        version = request.POST.get("version")
        if form.is_valid():
            try:
                services.case_step(
                    case=case,
                    to=to,
                    data=form.cleaned_data,
                    actor=request.user,
                    version=parse_version(version),
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Recorded: %(step)s.") % {"step": flow.label(step.to)})
                return redirect("cases:detail", kind=kind, pk=case.pk)
    return render(
        request,
        "cases/case_step.html",
        {
            "kind": kind,
            "case": case,
            "flow": flow,
            "choice": choice,
            "form": form,
            "version": request.POST.get("version") or case.version,
            "breadcrumbs": [
                (_kind_label(kind), reverse("cases:list", args=[kind])),
                (case.number, reverse("cases:detail", args=[kind, case.pk])),
                (choice.label, None),
            ],
        },
    )


def case_attachment(request, kind, pk, attachment_id):
    """A document of the case, for those who may see the case; never shown inline."""
    case = _case(request, kind, pk)
    attachment = selectors.case_attachment(case, attachment_id)
    if attachment is None:
        raise Http404
    response = attachment_response(
        attachment, f"{case.number}-{attachment.kind}"
    )  # opens the file first: a missing one is no "viewed"
    services.case_attachment_viewed(case=case, attachment=attachment, actor=request.user)
    return response


def unit_staff(request):
    """The unit's procurement and transplant staff: none of them may determine a donor's death."""
    require_perm(request, "cases.view")
    can_edit = request.user.has_perm("cases.medical")
    form = UnitStaffForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        require_perm(request, "cases.medical")
        try:
            if "remove" in request.POST:
                staff = get_for_user(request.user, TransplantStaff, request.POST["remove"])
                services.unit_staff_remove(actor=request.user, staff=staff)
                messages.success(request, _("%(name)s was taken off the list.") % {"name": staff.name})
                return redirect("cases:unit_staff")
            if form.is_valid():
                staff = services.unit_staff_add(actor=request.user, **form.cleaned_data)
                messages.success(request, _("%(name)s was added.") % {"name": staff.name})
                return redirect("cases:unit_staff")
        except DomainError as exc:
            form_error(form, exc)
    title = _("Procurement and transplant staff")
    return render(
        request,
        "cases/unit_staff.html",
        {
            "title": title,
            "staff": selectors.unit_staff_list(user=request.user),
            "form": form,
            "breadcrumbs": [(title, None)],
        },
    )
