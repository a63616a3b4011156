"""Follow-up pages: the province's settings (plan and payment review levels), the work list per branch
(due this week and overdue), recording a contact or visit (opened from the work list with its
follow-up chosen), a contact's page and its photos (permission-checked, audited), the family's wishes
form, and the family page's panels (wishes at 20; follow-ups and contacts at 30)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from boai.accounts.scoping import get_for_user, sees, visible
from boai.audit.services import audit_log
from boai.core.errors import DomainError
from boai.core.forms import CharField, DateField, IntegerField, MultipleFileField
from boai.core.interface import form_error, require_perm
from boai.core.models import Region
from boai.core.responses import attachment_response

from ..models import Channel, Contact, Family, FamilyMember, FollowUp
from ..panels import family_panel
from ..selectors import followups as selectors
from ..services import followups as services

LEVEL_CHOICES = [
    ("county", gettext_lazy("County branch")),
    ("prefecture", gettext_lazy("Prefecture branch")),
    ("province", gettext_lazy("Province")),
]


class SettingsForm(forms.Form):
    months_after = CharField(
        label=gettext_lazy("Follow-ups after the donation (months)"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("Months after the donation, separated by commas, for example 1,6,12."),
    )
    yearly_for = IntegerField(label=gettext_lazy("Then on each anniversary, for (years)"), min_value=0, max_value=30)
    traditional_days = forms.BooleanField(
        label=gettext_lazy("Follow up on Qingming and the Winter Solstice"), required=False
    )
    payment_levels = forms.MultipleChoiceField(
        label=gettext_lazy("Payment review levels"),
        choices=LEVEL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Reviewed in order from the bottom up: county, then prefecture, then province."),
    )


class WishesForm(forms.Form):
    contact_allowed = forms.BooleanField(label=gettext_lazy("The family may be contacted"), required=False)
    preferred_channel = forms.ChoiceField(label=gettext_lazy("Preferred channel"), choices=Channel.choices)
    wants_outcome = forms.BooleanField(
        label=gettext_lazy("Wants the anonymous outcome of the donation (letter)"), required=False
    )


class ContactForm(forms.Form):
    follow_up = forms.ModelChoiceField(
        label=gettext_lazy("Follow-up it fulfils"), queryset=FollowUp.objects.none(), required=False
    )
    channel = forms.ChoiceField(label=gettext_lazy("How"), choices=Channel.choices)
    occurred_on = DateField(label=gettext_lazy("Date"))
    staff = CharField(label=gettext_lazy("Who went or called"), max_length=services.MAX_STAFF)
    members_met = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Family members met or spoken to"),
        queryset=FamilyMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    others_met = IntegerField(label=gettext_lazy("Other people met"), min_value=0, max_value=50, initial=0)
    findings = CharField(
        label=gettext_lazy("What was found"),
        max_length=services.MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    needs = CharField(
        label=gettext_lazy("The family's needs"),
        max_length=services.MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    photos = MultipleFileField(
        label=gettext_lazy("Photos"),
        required=False,
        help_text=gettext_lazy("JPEG or PNG, at most 10, each at most 20 MB"),
    )

    def __init__(self, *args, family: Family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs["accept"] = ".jpg,.jpeg,.png"
        self.fields["members_met"].queryset = family.members.filter(active=True)
        self.fields["follow_up"].queryset = selectors.open_follow_ups(family)
        self.fields["follow_up"].label_from_instance = lambda fu: f"{selectors.label(fu)} ({fu.due_on:%Y-%m-%d})"


class FilterForm(forms.Form):
    county = forms.ChoiceField(label=gettext_lazy("County"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=[("", gettext_lazy("All kinds")), *FollowUp.Kind.choices], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        counties = Region.objects.filter(code__in=visible(user, Family, perm="care.view").values("region_id")).order_by(
            "code"
        )
        self.fields["county"].choices = [("", _("All counties")), *((r.code, r.name) for r in counties)]


def _crumbs(*more):
    return [(_("Follow-ups"), reverse("care:follow_ups")), *more]


def _family_url(family) -> str:
    try:
        return reverse("care:family", args=[family.pk])
    except NoReverseMatch:  # the families area's page
        return reverse("care:follow_ups")


# --- settings ---------------------------------------------------------------------------------------


def care_settings(request):
    require_perm(request, "care.settings")
    row = services.care_settings()
    form = SettingsForm(
        initial={
            "months_after": row.months_after,
            "yearly_for": row.yearly_for,
            "traditional_days": row.traditional_days,
            "payment_levels": [level for level in row.payment_levels.split(",") if level],
        }
    )
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.settings_update(actor=request.user, **data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "The settings are saved. They apply to families planned from now on; payments already"
                        " applied for keep their levels."
                    ),
                )
                return redirect("care:settings")
        status = 400
    return render(
        request,
        "care/followups_settings.html",
        {"form": form, "row": row, "breadcrumbs": [(_("Family care settings"), None)]},
        status=status,
    )


# --- the work list ----------------------------------------------------------------------------------


def follow_up_list(request):
    require_perm(request, "care.view")
    filters = FilterForm(request.GET or None, user=request.user)
    query = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    monday, sunday = selectors.week_of(today)
    rows = [
        {"fu": fu, "label": selectors.label(fu), "overdue": fu.due_on < today}
        for fu in selectors.work_list(
            request.user, today=today, county=query.get("county") or "", kind=query.get("kind") or ""
        )
    ]
    return render(
        request,
        "care/followups_list.html",
        {
            "overdue": [r for r in rows if r["overdue"]],
            "this_week": [r for r in rows if not r["overdue"]],
            "monday": monday,
            "sunday": sunday,
            "filters": filters,
            "can_record": request.user.has_perm("care.manage"),
            "breadcrumbs": _crumbs(),
        },
    )


# --- contacts ---------------------------------------------------------------------------------------


def _family(request, pk, perm="care.view") -> Family:
    """The family, or 404 — an out-of-scope one audited as a refused access (like the families pages)."""
    family = get_for_user(request.user, Family, pk, write=perm == "care.manage")
    if not sees(request.user, family, perm=perm):
        raise Http404
    return family


def contact_new(request, pk):
    require_perm(request, "care.manage")
    family = _family(request, pk, perm="care.manage")
    if not family.contact_allowed:
        messages.error(request, _("This family asked not to be contacted: no contact or visit can be recorded."))
        return redirect(_family_url(family))
    if request.method == "POST":
        form = ContactForm(request.POST, request.FILES, family=family)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.contact_record(actor=request.user, family=family, **data)
            except DomainError as exc:
                if exc.field in form.fields:
                    form_error(form, exc)
                else:
                    messages.error(request, str(exc.message))
                    return redirect(_family_url(family))
            else:
                messages.success(request, _("The contact with %(family)s is recorded.") % {"family": family.reference})
                return redirect("care:follow_ups")
        status = 400
    else:
        initial = {"occurred_on": timezone.localdate(), "channel": family.preferred_channel, "others_met": 0}
        chosen = request.GET.get("follow_up", "")
        if chosen.isdigit() and selectors.open_follow_ups(family).filter(pk=chosen).exists():
            initial["follow_up"] = int(chosen)
        form = ContactForm(initial=initial, family=family)
        status = 200
    return render(
        request,
        "care/followups_contact_form.html",
        {"form": form, "family": family, "breadcrumbs": _crumbs((family.reference, None), (_("Record contact"), None))},
        status=status,
    )


def _contact(request, pk) -> Contact:
    require_perm(request, "care.view")
    contact = get_for_user(request.user, Contact.objects.select_related("family", "follow_up", "recorded_by"), pk)
    if not sees(request.user, contact, perm="care.view"):
        raise Http404
    return contact


def contact_detail(request, pk):
    contact = _contact(request, pk)
    return render(
        request,
        "care/followups_contact.html",
        {
            "c": contact,
            "family": contact.family,
            "follow_up_label": selectors.label(contact.follow_up) if contact.follow_up else "",
            "members": contact.members_met.all(),
            "people_met": selectors.people_met(contact),
            "photos": selectors.photos(contact),
            "may_read_notes": request.user.has_perm("care.manage"),
            "breadcrumbs": _crumbs((contact.family.reference, _family_url(contact.family)), (_("Contact"), None)),
        },
    )


def contact_photo(request, pk, attachment_id):
    contact = _contact(request, pk)
    photo = selectors.photo_for(contact, attachment_id)
    if photo is None:
        raise Http404
    response = attachment_response(photo, f"contact-{contact.pk}-{photo.pk}")
    audit_log(
        action="core.attachment.viewed",
        actor=request.user,
        obj=contact,
        changes={"kind": photo.kind, "sha256": photo.sha256},
    )
    return response


# --- the family's wishes ----------------------------------------------------------------------------


@require_POST
def family_wishes(request, pk):
    require_perm(request, "care.manage")
    family = _family(request, pk, perm="care.manage")
    form = WishesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a channel from the list."))
        return redirect(_family_url(family))
    try:
        family = services.family_wishes_update(actor=request.user, family=family, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        if family.contact_allowed:
            messages.success(request, _("The family's wishes are saved."))
        else:
            messages.success(
                request,
                _("Saved: the family will not be contacted, and their planned follow-ups are cancelled."),
            )
    return redirect(_family_url(family))


@family_panel(20)
def wishes_panel(*, family, user, request=None):
    if not user.has_perm("care.view"):
        return None
    form = None
    if user.has_perm("care.manage"):
        form = WishesForm(
            initial={
                "contact_allowed": family.contact_allowed,
                "preferred_channel": family.preferred_channel,
                "wants_outcome": family.wants_outcome,
            }
        )
    return "care/followups_wishes_panel.html", {"family": family, "form": form}


@family_panel(30)
def follow_ups_panel(*, family, user, request=None):
    if not user.has_perm("care.view"):
        return None
    today = timezone.localdate()
    plan = [
        {"fu": fu, "label": selectors.label(fu), "overdue": fu.state == "planned" and fu.due_on < today}
        for fu in selectors.family_follow_ups(family)
    ]
    contacts = [{"c": c, "people": selectors.people_met(c)} for c in selectors.family_contacts(family)]
    return "care/followups_family_panel.html", {
        "family": family,
        "plan": plan,
        "contacts": contacts,
        "can_record": user.has_perm("care.manage") and family.contact_allowed,
    }


urlpatterns = [
    path("settings/", care_settings, name="settings"),
    path("follow-ups/", follow_up_list, name="follow_ups"),
    path("families/<int:pk>/contacts/new/", contact_new, name="contact_new"),
    path("families/<int:pk>/wishes/", family_wishes, name="family_wishes"),
    path("contacts/<int:pk>/", contact_detail, name="contact"),
    path("contacts/<int:pk>/photos/<int:attachment_id>/", contact_photo, name="contact_photo"),
]
public_urlpatterns: list = []
