"""Form fields every programme's forms share. They take text from a page and JSON from an API alike:
anything else (a list, an object, a number where text belongs) is a clear 400, not a crash or its
Python spelling saved."""

import re
from datetime import date, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from boai.lib.text import validate_name

INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff\u00ad]+")
EARLIEST_YEAR = 1900  # no date of a donation case lies before it; year 1 would not even fit a timestamp


class _TypedInput:
    """Dates and times arrive as text from a page and as JSON strings from the API; anything else
    (a number, a list) is a clear 400, not a crash inside Django's parser. Nothing before 1900."""

    def to_python(self, value):
        if value not in (None, "") and not isinstance(value, str | date | datetime):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        value = super().to_python(value)
        if value is not None and value.year < EARLIEST_YEAR:
            raise forms.ValidationError(_("Enter a date from %(year)d on.") % {"year": EARLIEST_YEAR}, code="too_early")
        return value


class DateField(_TypedInput, forms.DateField):
    pass


class DateTimeField(_TypedInput, forms.DateTimeField):
    pass


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO (2025-05-08), whatever the page's language."""

    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if isinstance(value, date) else value


class CharField(forms.CharField):
    """Text from a page or a JSON string from the API; a list, an object or a number is a 400, not its
    Python spelling saved as a name. Text of only spaces and invisible characters counts as empty.
    Too long or too short is said plainly (Django's own Chinese reads "确保该变量包含不超过 24 字符")."""

    default_error_messages = {
        "max_length": _("At most %(limit_value)d characters (this has %(show_value)d)."),
        "min_length": _("At least %(limit_value)d characters (this has %(show_value)d)."),
    }

    def to_python(self, value):
        if value not in (None, "") and not isinstance(value, str):
            raise forms.ValidationError(_("Enter text."), code="invalid")
        value = super().to_python(value)
        return "" if not INVISIBLE.sub("", value) else value


class NameField(CharField):
    """A person's name: text (``CharField``) without invisible or text-direction characters
    (``lib.text``: a bidi override or a zero-width space would make it show other than it is stored)."""

    default_validators = [validate_name]


class IntegerField(forms.IntegerField):
    def to_python(self, value):
        if isinstance(value, list | dict | bool):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several scans in one field (PDF, JPEG or PNG offered by the picker; the content is checked by
    ``attachment_store``). Cleans to a list, empty entries left out."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ExportForm(forms.Form):
    """Why a list is exported, and in which format: every export page asks this before the download
    (``core.interface.export_page``)."""

    reason = CharField(label=_("Why do you need this list?"), max_length=200, min_length=4)
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")])
