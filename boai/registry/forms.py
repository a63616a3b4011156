from django import forms
from django.utils.translation import gettext_lazy as _

from boai.core.models import Region
from boai.lib import ethnic

from .models import Registration
from .services import PersonData

FAMILY_ROWS = 3


def county_choices(province: str = "530000"):
    """Counties grouped by prefecture, for one <select> with <optgroup>s."""
    groups = [("", _("Choose your county"))]
    for prefecture in Region.objects.filter(parent_id=province).order_by("code"):
        groups.append((prefecture.name, [(c.code, c.name) for c in prefecture.children.order_by("code")]))
    return groups


class RegistrationForm(forms.Form):
    """The person and their wish: the public portal's form and the branch's paper-form entry."""

    name = forms.CharField(label=_("Name (as on your ID)"), max_length=64)
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=Registration.Sex.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Filled in from a resident ID number."),
    )
    ethnic_group = forms.ChoiceField(label=_("Ethnic group"), required=False)
    id_type = forms.ChoiceField(
        label=_("ID document"), choices=Registration.IdType.choices, initial=Registration.IdType.RESIDENT_ID
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for documents other than a resident ID card."),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    region = forms.ChoiceField(label=_("County where you live"))
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
        self.fields["region"].choices = county_choices()
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
        d = self.cleaned_data
        return PersonData(
            name=d["name"],
            sex=d.get("sex") or "",
            ethnic_group=d.get("ethnic_group") or "",
            id_type=d["id_type"],
            id_number=d["id_number"],
            birth_date=d.get("birth_date"),
            phone=d["phone"],
            region_code=d["region"],
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


class OnlineRegistrationForm(RegistrationForm):
    consent = forms.BooleanField(
        label=_(
            "I have read the notice above and agree that my sensitive personal "
            "information is processed for this purpose."
        ),
        required=False,
    )
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class LookupForm(forms.Form):
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw? (it helps us; a withdrawal is not a refusal)"), max_length=200
    )
