"""The person fields of an API body, declared once (the service checks them fully, with every other
rule, and answers 400 with each refusal under its field)."""

from rest_framework import serializers

from boai.lib.text import validate_name

from .vocabulary import DOCUMENT_SEXES, IdType


class PersonSerializerMixin(serializers.Serializer):
    """Name, sex, ID document, birth date and county as a client sends them. The shapes are checked
    here; the rules (check digit, birth date, county) in ``core.people.validation``."""

    name = serializers.CharField(max_length=64, validators=[validate_name])
    sex = serializers.ChoiceField(choices=DOCUMENT_SEXES, required=False, allow_blank=True, default="")
    id_type = serializers.ChoiceField(choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = serializers.CharField(max_length=40)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    region = serializers.RegexField(r"^\d{6}$", help_text="6-digit county code")


def nationality_serializer_field(**kwargs) -> serializers.CharField:
    """A passport's nationality, a GB/T 2659 alpha-3 code (checked by ``clean_nationality``)."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("default", "")
    kwargs.setdefault("help_text", "GB/T 2659 (ISO 3166-1) alpha-3 code, e.g. CHN, USA, MMR")
    return serializers.CharField(max_length=3, **kwargs)
