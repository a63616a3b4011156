"""The family records' pages: the list (search, filters, counts, masked), the export (a stated reason,
audited, masked), create and edit, the family's page with every area's panel, revealing the contacts
(a reason, audited), the members, and the outcome letter."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from boai.accounts.scoping import get_for_user, sees
from boai.audit.selectors import entries_for_object
from boai.core.errors import DomainError, InvalidFields
from boai.core.forms import CharField, DateField, ExportForm
from boai.core.interface import (
    export_page,
    form_error,
    form_saved,
    parse_version,
    require_perm,
    reveal_page,
    search_recall,
    searchable_list,
)
from boai.core.people import IdType, Relationship, Sex
from boai.core.responses import table_download
from boai.lib.masking import mask_phone
from boai.lib.pdf import render_pdf

from ..models import Channel, DonationKind, Family, FamilyMember, OutcomeLetter
from ..panels import family_panel, family_panels
from ..selectors import families as selectors
from ..services import families as services

SEARCH_KEY = "care_families_search"


def _crumbs(*more):
    return [(_("Donor families"), reverse("care:families")), *more]


def _family(request, pk, *, write=False):
    return get_for_user(
        request.user,
        Family.objects.select_related("region", "responsible", "organ_case", "body_case", "created_by"),
        pk,
        write=write,
    )


# --- forms ------------------------------------------------------------------------------------------


class FilterForm(forms.Form):
    """The list's filters: none is personal data, so they travel in the URL."""

    region = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    donation_kind = forms.ChoiceField(
        label=gettext_lazy("Donation"), required=False, choices=[("", gettext_lazy("All")), *DonationKind.choices]
    )
    contact = forms.ChoiceField(
        label=gettext_lazy("Contact allowed"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            ("yes", gettext_lazy("May be contacted")),
            ("no", gettext_lazy("Asked not to be contacted")),
        ],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", gettext_lazy("All"))] + [
            (r.code, r.name) for r in selectors.areas_for(user)
        ]

    def query(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: v for k, v in data.items() if v}


def _responsible_choices(user, county: str = ""):
    """Staff of the branches covering the family's county (the county, its prefecture, the province);
    before a county is chosen, of those covering any county the user may choose."""
    counties = [county] if county else list(selectors.counties_for(user).values_list("code", flat=True))
    staff = services.responsible_candidates(*counties).select_related("organization") if counties else []
    return [("", "—")] + [(str(u.pk), f"{u.full_name or u.get_username()}（{u.organization.name}）") for u in staff]


class FamilyForm(forms.Form):
    reference = CharField(
        label=gettext_lazy("Case number or reference"),
        max_length=40,
        help_text=gettext_lazy("A case number of your area links the record to the case; any other text is kept."),
    )
    donation_kind = forms.ChoiceField(label=gettext_lazy("Donation"), choices=DonationKind.choices)
    donor_name = CharField(label=gettext_lazy("Donor's name"), max_length=64)
    donated_on = DateField(label=gettext_lazy("Date of donation"))
    region = forms.ChoiceField(label=gettext_lazy("County"))
    address = CharField(label=gettext_lazy("Address"), max_length=500, required=False)
    living_situation = CharField(
        label=gettext_lazy("Living situation"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    special_needs = CharField(
        label=gettext_lazy("Special needs"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.ChoiceField(label=gettext_lazy("Staff member responsible"), required=False)
    preferred_channel = forms.ChoiceField(label=gettext_lazy("Preferred channel"), choices=Channel.choices)
    wants_outcome = forms.BooleanField(
        label=gettext_lazy("Wants the anonymous outcome of the donation"), required=False
    )
    contact_allowed = forms.BooleanField(
        label=gettext_lazy("The family may be contacted"), required=False, initial=True
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", gettext_lazy("Choose"))] + [
            (r.code, f"{r.name}（{r.code}）") for r in selectors.counties_for(user)
        ]
        county = str((self.data.get("region") if self.is_bound else self.initial.get("region")) or "")
        if county not in {code for code, _name in self.fields["region"].choices if code}:
            county = ""
        self.fields["responsible"].choices = _responsible_choices(user, county)
        if editing:
            for name in ("reference", "donation_kind", "contact_allowed"):
                del self.fields[name]

    def data_for_service(self) -> services.FamilyData:
        d = self.cleaned_data
        return services.FamilyData(
            donor_name=d["donor_name"],
            donated_on=d["donated_on"],
            region=d["region"],
            donation_kind=d.get("donation_kind", ""),
            reference=d.get("reference", ""),
            address=d.get("address") or "",
            living_situation=d.get("living_situation") or "",
            special_needs=d.get("special_needs") or "",
            responsible=int(d["responsible"]) if (d.get("responsible") or "").isdecimal() else None,
            contact_allowed=d.get("contact_allowed", True),
            preferred_channel=d["preferred_channel"],
            wants_outcome=d.get("wants_outcome", False),
        )


class MemberForm(forms.Form):
    name = CharField(label=gettext_lazy("Name"), max_length=64)
    relationship = forms.ChoiceField(
        label=gettext_lazy("Relationship to the donor"), choices=[("", gettext_lazy("Choose")), *Relationship.choices]
    )
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), required=False, choices=[("", "—"), *Sex.choices])
    phone = CharField(
        label=gettext_lazy("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    id_type = forms.ChoiceField(label=gettext_lazy("ID type"), required=False, choices=[("", "—"), *IdType.choices])
    id_number = CharField(label=gettext_lazy("ID number"), max_length=30, required=False)
    note = CharField(label=gettext_lazy("Note"), max_length=500, required=False)
    is_main_contact = forms.BooleanField(label=gettext_lazy("Main contact"), required=False)

    def data_for_service(self) -> services.MemberData:
        d = self.cleaned_data
        return services.MemberData(
            **{name: d.get(name) or "" for name in services.MemberData.FIELDS if name != "is_main_contact"},
            is_main_contact=bool(d.get("is_main_contact")),
        )


class FirstMemberForm(MemberForm):
    prefix = "member"


# --- the list and the export ------------------------------------------------------------------------


def family_list(request):
    """The list: the search term (a name part, a reference, or an exact phone) travels in a POST body and
    is kept in the session (encrypted), never in the URL; the filters stay in the URL."""
    require_perm(request, "care.view")
    return searchable_list(
        request,
        key=SEARCH_KEY,
        max_length=64,
        filter_form=FilterForm,
        url=reverse("care:families"),
        rows=lambda search, query: selectors.family_list(user=request.user, search=search, **query),
        template="care/families_list.html",
        table_template="care/families_table.html",
        context={
            "counts": selectors.counts(user=request.user),
            "can_manage": request.user.has_perm("care.manage"),
            "can_export": request.user.has_perm("care.export"),
            "breadcrumbs": [(_("Donor families"), None)],
        },
    )


def export_header() -> list[str]:
    return [
        str(h)
        for h in (
            _("Reference"),
            _("Donation"),
            _("Donor's name"),
            _("Date of donation"),
            _("County code"),
            _("County"),
            _("Main contact"),
            _("Relationship to the donor"),
            _("Phone"),
            _("The family may be contacted"),
            _("Preferred channel"),
            _("Wants the outcome"),
            _("Staff member responsible"),
        )
    ]


def export_row(f: Family) -> list:
    main = next((m for m in f.members.all() if m.active and m.is_main_contact), None)
    return [
        f.reference,
        f.get_donation_kind_display(),
        f.donor_name,
        f.donated_on.isoformat(),
        f.region_id,
        f.region.name,
        main.name if main else "",
        main.get_relationship_display() if main else "",
        mask_phone(main.phone) if main else "",
        _("yes") if f.contact_allowed else _("no"),
        f.get_preferred_channel_display(),
        _("yes") if f.wants_outcome else _("no"),
        f.responsible.get_username() if f.responsible_id else "",
    ]


def export_response(queryset, fmt: str):
    rows = (export_row(f) for f in queryset.prefetch_related("members").iterator(chunk_size=2000))
    return table_download(stem="families", title=_("Donor families"), header=export_header(), rows=rows, fmt=fmt)


def family_export(request):
    """The filtered list, masked, as Excel or CSV, once the user has said why (audited)."""
    require_perm(request, "care.export")
    filters = FilterForm(request.GET, user=request.user)

    def export(reason, fmt):
        query = filters.query() | {"search": search_recall(request, SEARCH_KEY)}
        qs = selectors.family_list(user=request.user, **query)
        services.family_export_logged(actor=request.user, filters=query, fmt=fmt, reason=reason, count=qs.count())
        return export_response(qs, fmt)

    return export_page(
        request,
        form=ExportForm(request.POST or None),
        export=export,
        title=_("Export donor families"),
        intro=_(
            "The list is exported with phones masked and without addresses. Your reason, the filters and the time "
            "are recorded in the audit log."
        ),
        breadcrumbs=_crumbs((_("Export"), None)),
    )


# --- create, edit -----------------------------------------------------------------------------------


@sensitive_post_parameters("address", "living_situation", "special_needs", "member-phone", "member-id_number")
def family_create(request):
    require_perm(request, "care.manage")
    form = FamilyForm(request.POST or None, user=request.user)
    member = FirstMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid() & member.is_valid():
        try:
            family = services.family_create(
                actor=request.user, data=form.data_for_service(), member=member.data_for_service()
            )
        except InvalidFields as exc:  # the first member's refusals under its own fields
            for name in [n for n in exc.errors if n and n.startswith("member_")]:
                for message in exc.errors.pop(name):
                    member.add_error(name.removeprefix("member_"), message)
            if exc.errors:
                form_error(form, exc)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The family record of %(name)s was saved.") % {"name": family.donor_name})
            return redirect("care:family", pk=family.pk)
    return render(
        request,
        "care/families_form.html",
        {"form": form, "member": member, "breadcrumbs": _crumbs((_("New family record"), None))},
    )


@sensitive_post_parameters("address", "living_situation", "special_needs")
def family_edit(request, pk):
    require_perm(request, "care.manage")
    family = _family(request, pk, write=True)
    data = services.FamilyData.of(family)
    initial = {name: getattr(data, name) for name in services.FamilyData.EDITABLE} | {"version": family.version}
    initial["responsible"] = str(data.responsible or "")
    form = FamilyForm(request.POST or None, initial=initial, user=request.user, editing=True)
    saved, _family_ = form_saved(
        request,
        form,
        lambda: services.family_update(
            family=family,
            actor=request.user,
            data=form.data_for_service(),
            version=parse_version(request.POST.get("version", "")),
        ),
        success=_("The changes were saved."),
    )
    if saved:
        return redirect("care:family", pk=pk)
    if request.method == "GET":
        services.family_edit_opened(family=family, actor=request.user)
    return render(
        request,
        "care/families_form.html",
        {
            "form": form,
            "f": family,
            "breadcrumbs": _crumbs((family.donor_name, reverse("care:family", args=[pk])), (_("Change"), None)),
        },
    )


# --- the family's page ------------------------------------------------------------------------------


@family_panel(10)
def members_panel(*, family, user, request=None):
    """The members and the family's wishes, first on the family's page."""
    return (
        "care/families_members_panel.html",
        {
            "members": selectors.members(family),
            "can_manage": user.has_perm("care.manage") and sees(user, family, perm="care.manage"),
            "can_reveal": user.has_perm("care.contact"),
        },
    )


def family_detail(request, pk):
    require_perm(request, "care.view")
    family = _family(request, pk)
    can_manage = request.user.has_perm("care.manage") and sees(request.user, family, perm="care.manage")
    case_url = None
    if family.organ_case_id:
        case_url = _case_url("organ", family.organ_case_id)
    elif family.body_case_id:
        case_url = _case_url("body", family.body_case_id)
    return render(
        request,
        "care/families_detail.html",
        {
            "f": family,
            "panels": family_panels(family=family, user=request.user, request=request),
            "can_manage": can_manage,
            "can_reveal": request.user.has_perm("care.contact"),
            "case_url": case_url,
            "letter_refusal": services.outcome_letter_refusal(family) if family.wants_outcome else None,
            "letters": family.outcome_letters.select_related("issued_by"),
            "history": entries_for_object(family),
            "breadcrumbs": _crumbs((family.donor_name, None)),
        },
    )


def _case_url(kind: str, pk: int) -> str | None:
    from django.urls import NoReverseMatch

    try:
        return reverse("cases:detail", kwargs={"kind": kind, "pk": pk})
    except NoReverseMatch:
        return None


@require_POST
def family_reveal(request, pk):
    require_perm(request, "care.contact")
    family = _family(request, pk)
    return reveal_page(
        request,
        reveal=lambda reason: services.family_reveal(family=family, actor=request.user, reason=reason),
        name="f",
        obj=family,
        form_template="care/families_reveal_form.html",
        template="care/families_revealed.html" if request.htmx else "care/families_revealed_page.html",
        back=reverse("care:family", args=[pk]),
        context={"breadcrumbs": _crumbs((family.donor_name, None))},
    )


# --- members ----------------------------------------------------------------------------------------


@sensitive_post_parameters("phone", "id_number", "note")
def member_add(request, pk):
    require_perm(request, "care.manage")
    family = _family(request, pk, write=True)
    form = MemberForm(request.POST or None)
    saved, _member = form_saved(
        request,
        form,
        lambda: services.member_add(family=family, actor=request.user, data=form.data_for_service()),
        success=_("The family member was added."),
    )
    if saved:
        return redirect("care:family", pk=pk)
    return render(
        request,
        "care/families_member_form.html",
        {
            "form": form,
            "f": family,
            "breadcrumbs": _crumbs((family.donor_name, reverse("care:family", args=[pk])), (_("Add a member"), None)),
        },
    )


@sensitive_post_parameters("phone", "id_number", "note")
def member_edit(request, pk, member_pk):
    require_perm(request, "care.manage")
    family = _family(request, pk, write=True)
    member = get_object_or_404(FamilyMember, pk=member_pk, family=family, active=True)
    initial = {name: getattr(member, name) for name in services.MemberData.FIELDS}
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("action") == "remove":
        try:
            services.member_remove(member=member, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The member was removed from the family's list."))
        return redirect("care:family", pk=pk)
    saved, _member = form_saved(
        request,
        form,
        lambda: services.member_update(member=member, actor=request.user, data=form.data_for_service()),
        success=_("The changes were saved."),
    )
    if saved:
        return redirect("care:family", pk=pk)
    if request.method == "GET":
        services.family_edit_opened(family=family, actor=request.user, fields=("phone", "id_number", "note"))
    return render(
        request,
        "care/families_member_form.html",
        {
            "form": form,
            "f": family,
            "member": member,
            "breadcrumbs": _crumbs((family.donor_name, reverse("care:family", args=[pk])), (member.name, None)),
        },
    )


# --- the outcome letter -----------------------------------------------------------------------------


@require_POST
def outcome_letter_issue(request, pk):
    require_perm(request, "care.manage")
    family = _family(request, pk, write=True)
    try:
        letter = services.outcome_letter_issue(family=family, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("care:family", pk=pk)
    messages.success(request, _("The outcome letter was recorded. Print it and send it to the family."))
    return redirect("care:outcome_letter", pk=pk, letter_pk=letter.pk)


def render_letter(letter: OutcomeLetter) -> bytes:
    from boai.core.people import Organ

    labels = dict(Organ.choices)
    with translation.override("zh-hans"):  # a letter to a Chinese family: always in Chinese
        organs = []
        for code in letter.organs:
            organ, n = str(labels.get(code, code)), letter.recipients.get(code)
            organs.append(
                ngettext("%(organ)s (%(n)d recipient)", "%(organ)s (%(n)d recipients)", n) % {"organ": organ, "n": n}
                if n
                else organ
            )
        return render_pdf("care/families_letter_pdf.html", {"letter": letter, "f": letter.family, "organs": organs})


def outcome_letter_pdf(request, pk, letter_pk):
    require_perm(request, "care.manage")
    family = _family(request, pk, write=True)
    letter = get_object_or_404(OutcomeLetter, pk=letter_pk, family=family)
    response = HttpResponse(render_letter(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="outcome-letter-{letter.pk}.pdf"'
    return response


urlpatterns = [
    path("families/", family_list, name="families"),
    path("families/export/", family_export, name="families_export"),
    path("families/new/", family_create, name="family_create"),
    path("families/<int:pk>/", family_detail, name="family"),
    path("families/<int:pk>/edit/", family_edit, name="family_edit"),
    path("families/<int:pk>/reveal/", family_reveal, name="family_reveal"),
    path("families/<int:pk>/members/new/", member_add, name="family_member_add"),
    path("families/<int:pk>/members/<int:member_pk>/", member_edit, name="family_member"),
    path("families/<int:pk>/letter/", outcome_letter_issue, name="outcome_letter_issue"),
    path("families/<int:pk>/letter/<int:letter_pk>/", outcome_letter_pdf, name="outcome_letter"),
]
public_urlpatterns: list = []
