"""Abstract models for the people a programme records. Inheriting one gives the columns the registry
and the cases already have (names, types, lengths, the encrypted ID number and its blind index), so a
new programme's person is stored, protected and looked up like every other."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from boai.core.fields import BlindIndexField, EncryptedDateField, EncryptedTextField, YearOfField

from .vocabulary import IdType, Sex


class IdentifiedRecord(models.Model):
    """A person named by an ID document: name, document type and number (SM4, with its blind index
    ``id_number_index`` for exact look-ups and uniqueness)."""

    name = models.CharField(_("name"), max_length=64)
    id_type = models.CharField(_("ID type"), max_length=32, choices=IdType.choices)
    id_number = EncryptedTextField(_("ID number"))
    id_number_index = BlindIndexField(source="id_number", kind="id_number")

    class Meta:
        abstract = True


class PersonRecord(IdentifiedRecord):
    """A person with sex, birth date and county (``region``, a GB/T 2260 county code). The birth date is
    encrypted (with the first 6 and last character of a masked ID number it would give the number
    back); ``birth_year``, kept in step on save, is what figures and age filters use. Subclasses may
    override a field to change its label or default (``Registration.id_type`` defaults to the resident
    ID card), never its column."""

    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = EncryptedDateField(_("birth date"))
    birth_year = YearOfField(_("birth year"), source="birth_date")
    region = models.ForeignKey("core.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
