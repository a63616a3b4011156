import dataclasses

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from boai.accounts.scoping import user_region_prefix
from boai.core.models import Region
from boai.core.people.forms import PersonFormMixin, county_choices
from boai.lib import changes, ethnic

from . import extensions
from .models import Registration
from .services import PersonData

__all__ = ["county_choices"]  # core.people.forms' county list, which the registry's forms offer

FAMILY_ROWS = 3


def short_label(label) -> str:
    """A field's label without its explanation in brackets ("Name (as on your ID)" → "Name"), for a
    message that names the field."""
    text = str(label or "")
    for bracket in ("（", " ("):
        text = text.split(bracket)[0]
    return text.strip().replace("%", "％")


class PlainMessagesMixin:
    """Plain messages that name the field ("Name can have at most 64 characters.") instead of Django's
    own ("Ensure this value has at most 64 characters (it has 70).", in Chinese
    "确保该变量包含不超过 64 字符"), for the forms citizens fill in on the portal."""

    plain_overrides = {"code": {"max_length": _("The code has 6 digits.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = short_label(field.label)
            if isinstance(field, forms.ChoiceField):
                required = _("Please choose %(label)s.") % {"label": label}
            else:
                required = _("Please fill in %(label)s.") % {"label": label}
            choose = _("Please choose %(label)s from the list.") % {"label": label}
            plain = {"required": required, "invalid_choice": choose, "invalid_list": choose}
            if getattr(field, "max_length", None):
                plain["max_length"] = _("%(label)s can have at most %(max)d characters.") % {
                    "label": label,
                    "max": field.max_length,
                }
            if isinstance(field, forms.DateField):
                plain["invalid"] = _("Enter %(label)s as year-month-day, for example 1970-01-31.") % {"label": label}
            field.error_messages.update(plain, **self.plain_overrides.get(name, {}))

    summary_labels: dict = {}

    def error_items(self):
        """(element id, short field name, first message) of each field in error, in the form's order,
        for the summary at the top of the form (``includes/error_summary.html``)."""
        return [
            (bf.auto_id, self.summary_labels.get(bf.name) or short_label(bf.label), bf.errors[0])
            for bf in self
            if bf.errors
        ]


class RegistrationForm(PersonFormMixin):
    """The person and their wish: the public portal's form and the branch's paper-form entry."""

    person_labels = {"name": _("Name (as on your ID)"), "region": _("County where you live")}
    person_checked_in_form = False  # the service checks the person and the wish together, every field at once

    ethnic_group = forms.ChoiceField(label=_("Ethnic group"), required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    organs = forms.MultipleChoiceField(
        label=_("Organs"), choices=Registration.Organ.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    tissues = forms.MultipleChoiceField(
        label=_("Tissues"), choices=Registration.Tissue.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    body = forms.BooleanField(label=_("My body, for medical teaching and research"), required=False)
    executor_name = forms.CharField(
        label=_("Executor's name"),
        max_length=64,
        required=False,
        help_text=_("Needed for a body donation: the person who will tell us."),
    )
    executor_relationship = forms.CharField(label=_("Relationship to you"), max_length=32, required=False)
    executor_phone = forms.CharField(
        label=_("Executor's mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ethnic_group"].choices = [("", _("Choose")), *ethnic.choices()]
        for i in range(1, FAMILY_ROWS + 1):
            self.fields[f"family_{i}_name"] = forms.CharField(
                label=_("Family member's name"), max_length=64, required=False
            )
            self.fields[f"family_{i}_relationship"] = forms.CharField(
                label=_("Relationship"), max_length=32, required=False
            )

    def family_rows(self):
        return [(self[f"family_{i}_name"], self[f"family_{i}_relationship"]) for i in range(1, FAMILY_ROWS + 1)]

    def person_data(self) -> PersonData:
        d = self.cleaned_data  # a field that failed its own check is missing: the service is asked anyway
        return PersonData(
            name=d.get("name", ""),
            sex=d.get("sex") or "",
            ethnic_group=d.get("ethnic_group") or "",
            id_type=d.get("id_type", ""),
            id_number=d.get("id_number", ""),
            birth_date=d.get("birth_date"),
            phone=d.get("phone", ""),
            region_code=d.get("region", ""),
            address=d.get("address", ""),
            organs=d.get("organs") or [],
            tissues=d.get("tissues") or [],
            body=bool(d.get("body")),
            executor_name=d.get("executor_name", ""),
            executor_relationship=d.get("executor_relationship", ""),
            executor_phone=d.get("executor_phone", ""),
            family_informed=[
                {"name": d.get(f"family_{i}_name", ""), "relationship": d.get(f"family_{i}_relationship", "")}
                for i in range(1, FAMILY_ROWS + 1)
            ],
        )


def sms_code_field(enter: str = ""):
    """The 6-digit code from the SMS, with the keyboard and autofill hints phones understand. ``enter``:
    the button that Enter in this field presses (``boai.js``), rather than the form's first one, "send code"."""
    attrs = {"inputmode": "numeric", "autocomplete": "one-time-code"}
    if enter:
        attrs["data-enter"] = f"button[value={enter}]"
    return forms.CharField(
        label=_("Code from the SMS"), max_length=6, required=False, widget=forms.TextInput(attrs=attrs)
    )


class OnlineRegistrationForm(PlainMessagesMixin, RegistrationForm):
    consent = forms.BooleanField(
        label=_(
            "I have read the notice above and agree that my sensitive personal "
            "information is processed for this purpose."
        ),
        required=False,
    )
    code = sms_code_field(enter="register")
    # the campaign or event whose link or QR code brought the person here (``extensions``)
    campaign = forms.CharField(max_length=32, required=False, widget=forms.HiddenInput)

    summary_labels = {"consent": _("Consent to the notice")}

    def person_data(self):
        code = self.cleaned_data.get("campaign", "")
        return dataclasses.replace(super().person_data(), campaign=code if extensions.title_for(code) else "")


class LookupForm(PlainMessagesMixin, forms.Form):
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = sms_code_field(enter="verify")


class WithdrawForm(PlainMessagesMixin, forms.Form):
    plain_overrides = {"reason": {"required": _("Please give a reason: a few words are enough.")}}

    reason = forms.CharField(
        label=_("Why do you withdraw? (it helps us; a withdrawal is not a refusal)"), max_length=200
    )


def region_filter_choices(user):
    """The prefectures and counties inside the user's own scope, for the list filter. Two queries, so
    kept in the shared cache per area and language like the staff menu (``lib.changes.kept``,
    ``BOAI_MENU_BADGE_SECONDS``): regions change only when the region data is loaded again."""
    prefix = user_region_prefix(user) or "__none__"
    return changes.kept(
        f"region-filter:{prefix}:{get_language()}",
        lambda: _region_filter_choices(prefix),
        settings.BOAI_MENU_BADGE_SECONDS,
    )


def _region_filter_choices(prefix: str) -> list:
    counties = {}
    for county in Region.objects.filter(level=Region.Level.COUNTY, code__startswith=prefix).order_by("code"):
        counties.setdefault(county.parent_id, []).append((county.code, county.name))
    choices = [("", str(_("All of my area")))]
    for prefecture in Region.objects.filter(code__in=list(counties)).order_by("code"):
        options = list(counties[prefecture.code])
        if len(prefix) <= 4:
            options.insert(0, (prefecture.code, _("%(name)s (whole prefecture)") % {"name": prefecture.name}))
        choices.append((prefecture.name, options))
    return choices


class RegistrationFilterForm(forms.Form):
    """List filters. None of them is personal data, so they may travel in the URL."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Registration.Status.choices]
    )
    region = forms.ChoiceField(label=_("Area"), required=False)
    date_from = forms.DateField(
        label=_("Registered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Registered until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    donates = forms.ChoiceField(
        label=_("Donates"),
        required=False,
        choices=[("", _("Anything")), ("organs", _("Organs")), ("tissues", _("Tissues")), ("body", _("Body"))],
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Registration.Channel.choices]
    )
    campaign = forms.CharField(label=_("Campaign"), required=False, max_length=32)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("name", _("By name (pinyin)")),
            ("number", _("By number")),
        ],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_filter_choices(user)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def query(self) -> dict:
        """The filters for the selector (invalid ones dropped) and for the URL."""
        data = self.cleaned_data if self.is_valid() else {}
        return {k: v for k, v in data.items() if v not in (None, "")}


def attribution_field(form, user) -> None:
    """The campaign field of a staff form: a list of the campaigns and events ``user`` may choose when
    an app gives them (``extensions.attribution_sources``), else a code typed in."""
    sources = extensions.sources_for(user) if user is not None else None
    if sources is not None:
        form.fields["campaign"] = forms.ChoiceField(
            label=_("Campaign or event where the form was collected"),
            choices=[("", _("None")), *sources],
            required=False,
        )


class PaperFormEntry(RegistrationForm):
    """A branch clerk enters a registrant's paper form: its own labels speak about the registrant (the
    portal's form, which it shares fields with, speaks as the registrant: "my body")."""

    person_labels = {"name": _("Registrant's name (as on the ID)"), "region": _("County where the registrant lives")}
    staff_labels = {
        "phone": _("Registrant's mobile phone"),
        "address": _("Registrant's address"),
        "body": _("The registrant's body, for medical teaching and research"),
        "executor_relationship": _("Relationship between the registrant and the executor"),
        "executor_name": _("Executor's name"),
    }
    staff_help = {
        "executor_name": _("Needed for a body donation: the person who will tell the Red Cross of the death.")
    }

    channel = forms.ChoiceField(
        label=_("Where was the form filled in?"),
        choices=[
            (Registration.Channel.PAPER, Registration.Channel.PAPER.label),
            (Registration.Channel.EVENT, Registration.Channel.EVENT.label),
        ],
    )
    campaign = forms.CharField(label=_("Campaign code (if any)"), max_length=32, required=False)
    consent_signed = forms.BooleanField(
        label=_("The person signed the consent to the processing of sensitive personal information on the form."),
        required=False,
    )
    scan = forms.FileField(label=_("Scan of the signed form (PDF, JPEG or PNG, at most 20 MB)"), required=False)
    signed_on = forms.DateField(
        label=_("Day the person signed the form"),
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("The registration counts on this day, in the figures; the day you enter it is kept beside it."),
        error_messages={
            "required": _("Enter the day the person signed the form."),
            "invalid": _("Enter the day the person signed as a date, for example 2026-01-31."),
        },
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        attribution_field(self, user)
        for name, label in self.staff_labels.items():
            self.fields[name].label = label
        for name, text in self.staff_help.items():
            self.fields[name].help_text = text
        for i in range(1, FAMILY_ROWS + 1):
            self.fields[f"family_{i}_relationship"].label = _("Relationship to the registrant")

    def person_data(self):
        return dataclasses.replace(
            super().person_data(),
            campaign=self.cleaned_data.get("campaign", ""),
            signed_on=self.cleaned_data.get("signed_on"),
        )


class WishChangeForm(forms.Form):
    """What may change on a registration without proving identity again: county, address, wish, executor."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    region = forms.ChoiceField(label=_("County"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    organs = forms.MultipleChoiceField(
        label=_("Organs"), choices=Registration.Organ.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    tissues = forms.MultipleChoiceField(
        label=_("Tissues"), choices=Registration.Tissue.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    body = forms.BooleanField(label=_("Body donation"), required=False)
    executor_name = forms.CharField(label=_("Executor's name"), max_length=64, required=False)
    executor_relationship = forms.CharField(label=_("Relationship"), max_length=32, required=False)
    executor_phone = forms.CharField(label=_("Executor's mobile phone"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = county_choices()

    def changes(self):
        d = dict(self.cleaned_data)
        d.pop("version")
        d["region_code"] = d.pop("region")
        return d


class AmendForm(WishChangeForm):
    """Staff: also the phone (the person proved who they are at the branch)."""

    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    field_order = ["version", "phone"]


class PortalAmendForm(PlainMessagesMixin, WishChangeForm):
    """The registrant, online (the phone is changed at a branch), in the first person."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].label = _("County where you live")
        self.fields["body"].label = _("My body, for medical teaching and research")
        self.fields["executor_relationship"].label = _("Relationship to you")


class DeceasedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    died_on = forms.DateField(label=_("Date of death"), widget=forms.DateInput(attrs={"type": "date"}))


class StaffWithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason given by the person"), max_length=200)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("List of registrations (.xlsx or .csv, made from the template)"))
    campaign = forms.CharField(label=_("Campaign code (if any)"), max_length=32, required=False)
    consent = forms.BooleanField(
        label=_("Every person on this list signed the consent form; the signed forms are kept at the branch."),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        attribution_field(self, user)


class UnmaskedExportForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the full ID numbers and phones?"), max_length=200, min_length=4)
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")])


class RefusalForm(forms.Form):
    """A refusal to donate made in life, entered by a branch from the person's signed statement."""

    name = forms.CharField(label=_("Name (as on the ID)"), max_length=64)
    id_type = forms.ChoiceField(
        label=_("ID document"), choices=Registration.IdType.choices, initial=Registration.IdType.RESIDENT_ID
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    region = forms.ChoiceField(label=_("County where the person lives"))
    stated_on = forms.DateField(label=_("Date of the signed statement"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = county_choices()


class NationalImportForm(forms.Form):
    """The national registry's export, with the column mapping of this file."""

    file = forms.FileField(label=_("The national registry's export (.xlsx or .csv)"))
    mapping = forms.CharField(
        label=_("Column mapping (JSON: field → column header; only what differs from the default)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "mono"}),
    )


class NationalExportForm(forms.Form):
    reason = forms.CharField(label=_("Why do you export these registrations?"), max_length=200, min_length=4)


class NationalNumbersForm(forms.Form):
    file = forms.FileField(label=_("The file returned by the national system (local number → national number)"))
