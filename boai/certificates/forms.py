from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boai.core.forms import DateField, IntegerField
from boai.core.models import Organisation
from boai.core.people import Relationship

from .models import MAX_SERIAL, Certificate, Kind, State

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BatchForm(forms.Form):
    serial_from = IntegerField(label=_("First serial"), min_value=1, max_value=MAX_SERIAL)
    serial_to = IntegerField(label=_("Last serial"), min_value=1, max_value=MAX_SERIAL)
    received_on = DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)
    supplier = forms.CharField(label=_("Received from"), max_length=128)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class HandOutForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("OPO member unit"), queryset=Organisation.objects.none())
    serial_from = IntegerField(label=_("First serial"), min_value=1, max_value=MAX_SERIAL)
    serial_to = IntegerField(label=_("Last serial"), min_value=1, max_value=MAX_SERIAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organisation.objects.filter(type=Organisation.Type.OPO_UNIT, is_active=True)


class IssueForm(forms.Form):
    serial = forms.TypedChoiceField(label=_("Certificate (serial)"), coerce=int)
    recipient_name = forms.CharField(label=_("Issued to (family member)"), max_length=64)
    recipient_relationship = forms.ChoiceField(label=_("Relation to the donor"), choices=Relationship.choices)
    issued_on = DateField(label=_("Issued on"), widget=DATE, initial=timezone.localdate)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, unit=None, dates=None, **kwargs):
        super().__init__(*args, **kwargs)
        stock = Certificate.objects.filter(kind=Kind.ORGAN, state=State.RECEIVED, unit=unit).order_by("serial")
        self.fields["serial"].choices = [(c.serial, c.number) for c in stock[:2000]]
        if dates:  # the days the service accepts, for the date picker; the service decides
            widget = self.fields["issued_on"].widget
            widget.attrs.update(min=dates[0].isoformat(), max=dates[1].isoformat())


class _VersionedForm(forms.Form):
    """An action on one certificate as the user saw it (``version``). The hidden field is not shown, so
    its error would be invisible: a missing or malformed version becomes an error of the whole form."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def clean(self):
        data = super().clean()
        if "version" in self.errors:
            del self.errors["version"]
            raise forms.ValidationError(
                _("This page is out of date or was altered: reload the certificate and try again."), code="version"
            )
        return data


class VoidForm(_VersionedForm):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    photo = forms.FileField(label=_("Photo of the spoiled certificate (PDF, JPEG or PNG)"), required=False)


class LostForm(_VersionedForm):
    note = forms.CharField(label=_("When and how it was lost"), max_length=200)


class ReturnForm(_VersionedForm):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All states")), *State.choices], required=False)


class PeriodForm(forms.Form):
    since = DateField(label=_("From"), widget=DATE, required=False)
    until = DateField(label=_("Until (as of the end of this day)"), widget=DATE, required=False)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("since", _("The period must start before it ends."))
        return data
