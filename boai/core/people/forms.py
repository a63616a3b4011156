"""The person fields of a form, declared once: a registration, a donation case's patient or deceased,
and every later programme's person (a coordinator, a family member, a volunteer) share them."""

import functools

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boai.core.forms import CharField, DateField, NameField
from boai.core.models import Region

from . import nationality
from .validation import DOCUMENTED, Person, identity_problems
from .vocabulary import DOCUMENT_SEXES, IdType, Sex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def county_choices(province: str = "530000", *, within: str = ""):
    """Counties grouped by prefecture, for one <select> with <optgroup>s; ``within``, a region code
    prefix, keeps only the counties of a branch's own area."""
    groups = [("", _("Choose your county"))]
    for prefecture in Region.objects.filter(parent_id=province, code__startswith=within[:4]).order_by("code"):
        counties = prefecture.children.filter(code__startswith=within).order_by("code")
        groups.append((prefecture.name, [(c.code, c.name) for c in counties]))
    return groups


def nationality_field(**kwargs) -> forms.ChoiceField:
    """A passport's nationality (GB/T 2659 alpha-3), for a programme whose model stores one."""
    kwargs.setdefault("label", _("Nationality"))
    kwargs.setdefault("required", False)
    field = forms.ChoiceField(choices=(), **kwargs)
    field.choices = lambda: [("", _("Choose")), *nationality.choices()]  # in the reader's language
    return field


class PersonFormMixin(forms.Form):
    """Name, sex, ID document, birth date and county, with their checks (``core.people.validation``).

    ``person_labels`` renames fields for a form's reader ("Name (as on your ID)" on the portal);
    ``person_checked_in_form`` False leaves the checks to a service that checks more (a registration:
    its service reports every refusal of the person and the wish at once). With the checks, a resident
    ID number fills in sex and birth date, and every refusal lands on its field."""

    person_labels: dict = {}
    person_checked_in_form = True
    person_sexes: frozenset = DOCUMENTED  # a family member described by others may be Sex.values

    name = NameField(label=_("Name (as on the ID)"), max_length=64)
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=DOCUMENT_SEXES,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Filled in from a resident ID number."),
    )
    id_type = forms.ChoiceField(label=_("ID document"), choices=IdType.choices, initial=IdType.RESIDENT_ID)
    id_number = CharField(
        label=_("ID number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    birth_date = DateField(
        label=_("Birth date"),
        required=False,
        widget=DATE,
        help_text=_("Only for documents other than a resident ID card."),
    )
    region = forms.ChoiceField(label=_("County of residence"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # read when first offered or checked (not when the form is made: the schema), then once per form
        self.fields["region"].choices = functools.cache(county_choices)
        if self.person_sexes != DOCUMENTED:
            self.fields["sex"].choices = [(v, label) for v, label in Sex.choices if v in self.person_sexes]
        for name, label in self.person_labels.items():
            self.fields[name].label = label

    def clean(self):
        data = super().clean()
        if self.person_checked_in_form:
            self.clean_person(data)
        return data

    def clean_person(self, data: dict) -> None:
        """Check the ID document; take sex and birth date from a resident ID number; each refusal on its
        field (a field that already failed keeps its own message)."""
        if not (data.get("id_type") and data.get("id_number")):
            return
        person = Person(
            name=data.get("name", ""),
            id_type=data["id_type"],
            id_number=data["id_number"],
            sex=data.get("sex") or "",
            birth_date=data.get("birth_date"),
            nationality=data.get("nationality") or "",
        )
        errors = []
        changes = identity_problems(
            person, today=timezone.localdate(), errors=errors, sexes=self.person_sexes, from_id="fill"
        )
        for name in ("id_number", "sex", "birth_date"):
            if name in changes:
                data[name] = changes[name]
        if "nationality" in self.fields and "nationality" in changes:
            data["nationality"] = changes["nationality"]
        for name, message in errors:
            if name not in self.errors:  # a field that failed its own check keeps that message
                self.add_error(name if name in self.fields else None, message)
