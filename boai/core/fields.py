"""Model fields for protected personal data.

``EncryptedTextField`` keeps a plaintext ``str`` in Python and SM4-GCM ciphertext in the database;
``EncryptedJSONField`` does the same for a JSON value (a record's free-form facts), and
``EncryptedDateField`` for a ``date`` (a birth date: with the region and sequence digits it would
complete a masked ID number, so it is not kept in clear; ``YearOfField`` keeps its year beside it).
``BlindIndexField`` holds the HMAC-SM3 of another field's normalised value, computed on save, for
exact lookups and uniqueness. Lookups on an encrypted column are refused (they could never match).
"""

import datetime
import json

from django import forms
from django.core.exceptions import EmptyResultSet, FieldError, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from boai.lib import crypto


class EncryptedTextField(models.TextField):
    description = "Text encrypted with SM4-GCM"

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.crypto_context = f"{cls._meta.app_label}.{cls._meta.model_name}.{name}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value, context=self.crypto_context)

    def to_python(self, value):
        return value

    def plaintext(self, value):
        """The text that is encrypted for ``value``; None or "" are stored as they are."""
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return str(value)

    def get_prep_value(self, value):
        value = self.plaintext(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value, context=self.crypto_context)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(f"{self.crypto_context} is encrypted: search it through its blind index")
        return super().get_lookup(lookup_name)


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (dict or list) kept as encrypted JSON text; readable only through the model."""

    description = "JSON encrypted with SM4-GCM"

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return json.loads(text) if text else text

    def plaintext(self, value):
        if value is None:
            return None
        return super().plaintext(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder, ensure_ascii=False)


class EncryptedDateField(EncryptedTextField):
    """A ``date`` kept as encrypted ISO text (``1968-03-14``). It cannot be filtered or ordered in
    SQL: filter on a clear derived column (``YearOfField``) or in Python."""

    description = "Date encrypted with SM4-GCM"

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return datetime.date.fromisoformat(text) if text else None

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, datetime.date):
            return value.date() if isinstance(value, datetime.datetime) else (value or None)
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as exc:
            message = models.DateField.default_error_messages["invalid"]  # Django's, translated
            raise ValidationError(message, code="invalid", params={"value": value}) from exc

    def plaintext(self, value):
        value = self.to_python(value)
        return None if value is None else value.isoformat()

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value else ""

    def formfield(self, **kwargs):
        return forms.DateField(**{"label": self.verbose_name, "required": not self.blank, **kwargs})


class YearOfField(models.PositiveSmallIntegerField):
    """The year of the date in ``source``, set on save: what figures and age filters may use in SQL
    while the date itself stays encrypted."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if kwargs.get("editable") is False:
            kwargs.pop("editable")
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        day = getattr(model_instance, self.source)
        value = day.year if day else None
        setattr(model_instance, self.attname, value)
        return value


class BlindIndexField(models.CharField):
    """HMAC-SM3 of ``source`` after ``normaliser``; empty source -> NULL (so NULLs never collide)."""

    def __init__(self, *args, source: str = "", kind: str = "text", **kwargs):
        self.source = source
        self.kind = kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["kind"] = self.kind
        for key, default in (("max_length", 64), ("null", True), ("editable", False), ("db_index", True)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def compute(self, value: str | None) -> str | None:
        return index_for(self.kind, value)

    def pre_save(self, model_instance, add):
        value = self.compute(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


@BlindIndexField.register_lookup
class AnyOf(models.lookups.In):
    """``index__any_of=[...]``: ``index__in``, but on PostgreSQL one array parameter (``= ANY(%s)``)
    instead of one placeholder per value: an import looks 100,000 indexes up, 1,000 at a time."""

    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        values = [v for v in dict.fromkeys(self.rhs) if v is not None]
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, values)


NORMALISERS = {"text": crypto.normalise, "id_number": crypto.normalise, "phone": crypto.normalise_phone}


def index_for(kind: str, value: str | None) -> str | None:
    """The blind index of a value, for lookups: ``Model.objects.filter(id_number_index=index_for(...))``."""
    if not value:
        return None
    normalised = NORMALISERS[kind](value)
    return crypto.blind_index(normalised, purpose=kind) if normalised else None


def encrypted_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def blind_index_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
