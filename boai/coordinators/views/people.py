"""The coordinator records' pages: the list (search, filters, counts per state, masked), the export
(a stated reason, audited, masked), create and edit, the record's page with every area's section,
revealing the contacts (a reason, audited) and linking a staff account."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from boai.accounts.models import User
from boai.accounts.scoping import get_for_user, sees
from boai.audit.selectors import entries_for_object
from boai.core.errors import DomainError
from boai.core.forms import CharField, ExportForm
from boai.core.interface import (
    export_page,
    form_error,
    parse_version,
    require_perm,
    reveal_page,
    search_recall,
    searchable_list,
)
from boai.core.people.forms import PersonFormMixin
from boai.core.responses import table_download
from boai.lib.masking import mask_id_number, mask_phone, mask_text
from boai.lib.numbers import plain_number

from ..models import Coordinator, Education
from ..selectors import people as selectors
from ..services import people as services

SEARCH_KEY = "coordinators_search"


def _crumbs(*more):
    return [(_("Coordinators"), reverse("coordinators:list")), *more]


# --- forms ------------------------------------------------------------------------------------------


class FilterForm(forms.Form):
    """The list's filters: none is personal data, so they travel in the URL."""

    state = forms.ChoiceField(
        label=pgettext_lazy("coordinator", "State"),
        required=False,
        choices=[("", gettext_lazy("All")), *Coordinator.State.choices],
    )
    organisation_type = forms.ChoiceField(
        label=gettext_lazy("Organisation"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            ("branch", gettext_lazy("Red Cross branches")),
            ("hospital", gettext_lazy("OPO units and hospitals")),
        ],
    )
    prefecture = forms.ChoiceField(label=gettext_lazy("Prefecture"), required=False)
    expiring = forms.BooleanField(label=gettext_lazy("Qualification expiring soon"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", gettext_lazy("All"))] + [
            (r.code, r.name) for r in selectors.prefectures_for(user)
        ]

    def query(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: v for k, v in data.items() if v}


class CoordinatorForm(PersonFormMixin):
    """The person (the shared people fields and checks), the organisation and area, the background and
    the contacts. The service checks everything again, with the rules a form cannot know."""

    person_labels = {"region": gettext_lazy("Area of work")}

    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"))
    profession = CharField(label=gettext_lazy("Profession"), max_length=64, required=False)
    department = CharField(label=gettext_lazy("Department"), max_length=64, required=False)
    education = forms.ChoiceField(
        label=gettext_lazy("Education"), required=False, choices=[("", "—"), *Education.choices]
    )
    title = CharField(label=gettext_lazy("Professional title"), max_length=64, required=False)
    phone = CharField(
        label=gettext_lazy("Mobile phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    email = CharField(label=gettext_lazy("Email"), max_length=254, required=False, widget=forms.EmailInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", gettext_lazy("Choose"))] + [
            (r.code, f"{r.code} {r.name}") for r in selectors.regions_for(user)
        ]
        self.fields["region"].help_text = gettext_lazy("The county, prefecture or province the coordinator serves.")
        self.fields["organisation"].choices = [("", gettext_lazy("Choose"))] + [
            (o.code, f"{o.name}（{o.get_type_display()}）") for o in selectors.organisations_for(user)
        ]

    def data_for_service(self) -> services.CoordinatorData:
        d = self.cleaned_data
        return services.CoordinatorData(
            **{name: d.get(name) or "" for name in services.CoordinatorData.FIELDS}
            | {"birth_date": d.get("birth_date")}
        )


# --- pages ------------------------------------------------------------------------------------------


def coordinator_list(request):
    """The list: the search term (a name, or an exact ID number or phone) travels in a POST body and is
    kept in the session (encrypted), never in the URL; the filters stay in the URL."""
    require_perm(request, "coordinators.view")
    return searchable_list(
        request,
        key=SEARCH_KEY,
        max_length=64,
        filter_form=FilterForm,
        url=reverse("coordinators:list"),
        rows=lambda search, query: selectors.coordinator_list(user=request.user, search=search, **query),
        template="coordinators/people_list.html",
        table_template="coordinators/people_table.html",
        context={
            "counts": selectors.state_counts(user=request.user),
            "can_manage": request.user.has_perm("coordinators.manage"),
            "can_export": request.user.has_perm("coordinators.export"),
            "breadcrumbs": [(_("Coordinators"), None)],
        },
    )


def export_header() -> list[str]:
    return [
        _("Name"),
        _("Sex"),
        _("Birth year"),
        _("ID type"),
        _("ID number"),
        _("Phone"),
        _("Email"),
        _("Area code"),
        _("Area"),
        _("Organisation"),
        _("Profession"),
        _("Department"),
        _("Education"),
        _("Professional title"),
        pgettext_lazy("coordinator", "State"),
        _("Staff account"),
    ]


def export_row(c: Coordinator) -> list:
    """One masked row: the birth year only (beside a masked ID number a date would complete it)."""
    return [
        c.name,
        c.get_sex_display(),
        c.birth_year,
        c.get_id_type_display(),
        mask_id_number(c.id_number),
        mask_phone(c.phone),
        mask_text(c.email),
        c.region_id,
        c.region.name,
        c.organisation.name,
        c.profession,
        c.department,
        c.get_education_display(),
        c.title,
        c.get_state_display(),
        c.user.get_username() if c.user_id else "",
    ]


def export_response(queryset, fmt: str):
    rows = (export_row(c) for c in queryset.iterator(chunk_size=2000))
    header = [str(h) for h in export_header()]
    return table_download(stem="coordinators", title=_("Coordinators"), header=header, rows=rows, fmt=fmt)


def coordinator_export(request):
    """The filtered list, masked, as Excel or CSV, once the user has said why (audited)."""
    require_perm(request, "coordinators.export")
    filters = FilterForm(request.GET, user=request.user)

    def export(reason, fmt):
        query = filters.query() | {"search": search_recall(request, SEARCH_KEY)}
        qs = selectors.coordinator_list(user=request.user, **query)
        services.coordinator_export_logged(actor=request.user, filters=query, fmt=fmt, reason=reason, count=qs.count())
        return export_response(qs, fmt)

    return export_page(
        request,
        form=ExportForm(request.POST or None),
        export=export,
        title=_("Export coordinators"),
        intro=_(
            "The list is exported with ID numbers, phones and emails masked. Your reason, the filters and the time "
            "are recorded in the audit log."
        ),
        breadcrumbs=_crumbs((_("Export"), None)),
    )


def _duplicate_message(request, form, exc: services.DuplicateCoordinator) -> None:
    form.add_error("id_number", str(exc.message))
    if exc.existing is not None:
        form.existing = exc.existing  # the page links it


@sensitive_post_parameters("id_number", "phone", "email")
def coordinator_create(request):
    require_perm(request, "coordinators.manage")
    form = CoordinatorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            coordinator = services.coordinator_create(actor=request.user, data=form.data_for_service())
        except services.DuplicateCoordinator as exc:
            _duplicate_message(request, form, exc)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The coordinator record of %(name)s was saved.") % {"name": coordinator.name})
            return redirect("coordinators:detail", pk=coordinator.pk)
    return render(
        request,
        "coordinators/people_form.html",
        {"form": form, "breadcrumbs": _crumbs((_("New coordinator"), None))},
    )


@sensitive_post_parameters("id_number", "phone", "email")
def coordinator_edit(request, pk):
    require_perm(request, "coordinators.manage")
    coordinator = get_for_user(request.user, Coordinator.objects.select_related("organisation"), pk, write=True)
    data = services.CoordinatorData.of(coordinator)
    initial = {name: getattr(data, name) for name in services.CoordinatorData.FIELDS} | {"version": coordinator.version}
    form = CoordinatorForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.coordinator_update(
                coordinator=coordinator,
                actor=request.user,
                data=form.data_for_service(),
                version=parse_version(request.POST.get("version", "")),
            )
        except services.DuplicateCoordinator as exc:
            _duplicate_message(request, form, exc)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("coordinators:detail", pk=pk)
    elif request.method == "GET":
        # the form shows the full ID number, phone and email to edit them: an unmasked view, audited
        services.coordinator_edit_opened(coordinator=coordinator, actor=request.user)
    return render(
        request,
        "coordinators/people_form.html",
        {
            "form": form,
            "c": coordinator,
            "breadcrumbs": _crumbs((coordinator.name, reverse("coordinators:detail", args=[pk])), (_("Change"), None)),
        },
    )


def _sections(request, coordinator) -> tuple[list[str], list]:
    """Each area's part of the page, rendered with the context its selector gives, and the buttons the
    areas put at the top of the page (a section's context may hold ``actions``: (label, url) pairs)."""
    rendered, actions = [], []
    for area, context in selectors.sections(coordinator=coordinator, user=request.user):
        actions.extend(context.get("actions") or [])
        html = render_to_string(
            f"coordinators/sections/{area}.html",
            {"coordinator": coordinator, "c": coordinator, **context},
            request=request,
        )
        if html.strip():
            rendered.append(mark_safe(html))  # noqa: S308 - a template's output, escaped by the template
    return rendered, actions


def coordinator_detail(request, pk):
    require_perm(request, "coordinators.view")
    coordinator = get_for_user(
        request.user, Coordinator.objects.select_related("region", "organisation", "user", "created_by"), pk
    )
    sections, actions = _sections(request, coordinator)
    can_manage = request.user.has_perm("coordinators.manage") and sees(
        request.user, coordinator, perm="coordinators.manage"
    )
    return render(
        request,
        "coordinators/people_detail.html",
        {
            "c": coordinator,
            "sections": sections,
            "area_actions": actions,
            "can_manage": can_manage,
            "can_reveal": request.user.has_perm("coordinators.contact"),
            "accounts": selectors.linkable_accounts(user=request.user) if can_manage else [],
            "history": entries_for_object(coordinator),
            "breadcrumbs": _crumbs((coordinator.name, None)),
        },
    )


@require_POST
def coordinator_reveal(request, pk):
    require_perm(request, "coordinators.contact")
    coordinator = get_for_user(request.user, Coordinator, pk)
    return reveal_page(
        request,
        reveal=lambda reason: services.coordinator_reveal(coordinator=coordinator, actor=request.user, reason=reason),
        name="c",
        obj=coordinator,
        form_template="coordinators/people_reveal_form.html",
        template="coordinators/people_revealed.html" if request.htmx else "coordinators/people_revealed_page.html",
        back=reverse("coordinators:detail", args=[pk]),
        context={"breadcrumbs": _crumbs((coordinator.name, None))},
    )


@require_POST
def coordinator_link_account(request, pk):
    """Link (``action=link``, ``account``: the account's id) or unlink (``action=unlink``) a staff account."""
    require_perm(request, "coordinators.manage")
    coordinator = get_for_user(request.user, Coordinator, pk, write=True)
    version = parse_version(request.POST.get("version", ""))
    try:
        if request.POST.get("action") == "unlink":
            services.coordinator_unlink_account(coordinator=coordinator, actor=request.user, version=version)
            messages.success(request, _("The staff account was unlinked."))
        else:
            raw = request.POST.get("account", "")
            account = (
                User.objects.select_related("organization").filter(pk=plain_number(raw)).first()
                if plain_number(raw) is not None
                else None
            )
            services.coordinator_link_account(
                coordinator=coordinator, actor=request.user, account=account, version=version
            )
            messages.success(request, _("The staff account was linked."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("coordinators:detail", pk=pk)


urlpatterns = [
    path("", coordinator_list, name="list"),
    path("export/", coordinator_export, name="export"),
    path("new/", coordinator_create, name="create"),
    path("<int:pk>/", coordinator_detail, name="detail"),
    path("<int:pk>/edit/", coordinator_edit, name="edit"),
    path("<int:pk>/reveal/", coordinator_reveal, name="reveal"),
    path("<int:pk>/account/", coordinator_link_account, name="link_account"),
]
