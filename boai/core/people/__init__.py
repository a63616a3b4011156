"""The people vocabulary every programme shares: who a person is (sex, ID documents, nationality,
family relationships), what they may donate (organs, tissues), how their data is checked, and the
abstract model, form and serializer fields that record them. See docs/architecture.md, "People".

Models, forms and serializers are imported from their modules (``core.people.models`` …), not here,
so that importing the vocabulary never loads Django's model or form machinery too early."""

from .ids import ID_ERRORS, ID_TYPES, clean_id_number, clean_nationality, normalise_mobile, parse_id
from .validation import (
    DOCUMENTED,
    MAX_FAMILY,
    Person,
    clean_family,
    contact_problems,
    family_problems,
    identity_problems,
    name_problem,
    validate_person,
)
from .vocabulary import (
    DOCUMENT_SEXES,
    GBT_2261,
    GBT_4761,
    IdType,
    Organ,
    OrganWish,
    Relationship,
    Sex,
    Tissue,
    gbt4761,
    sex_from_gbt2261,
)

__all__ = [
    "DOCUMENTED",
    "DOCUMENT_SEXES",
    "GBT_2261",
    "GBT_4761",
    "ID_ERRORS",
    "ID_TYPES",
    "MAX_FAMILY",
    "IdType",
    "Organ",
    "OrganWish",
    "Person",
    "Relationship",
    "Sex",
    "Tissue",
    "clean_family",
    "clean_id_number",
    "clean_nationality",
    "contact_problems",
    "family_problems",
    "gbt4761",
    "identity_problems",
    "name_problem",
    "normalise_mobile",
    "parse_id",
    "sex_from_gbt2261",
    "validate_person",
]
