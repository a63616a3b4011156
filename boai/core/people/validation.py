"""Checking what a form, an import row or an API body says about a person. Every rule is checked and
every refusal kept (one ``InvalidFields`` names them all, in the order below); the input is never
changed: the cleaned value is a new object (``dataclasses.replace``)."""

import dataclasses
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from boai.core.errors import InvalidFields, InvalidInput
from boai.core.models import Region
from boai.lib import ethnic
from boai.lib.idnumbers import age_on
from boai.lib.text import free_text_problem, name_problem

from .ids import ID_TYPES, clean_id_number, clean_nationality, normalise_mobile, parse_id
from .vocabulary import DOCUMENT_SEXES, IdType

MAX_FAMILY = 10
DOCUMENTED = frozenset(value for value, _label in DOCUMENT_SEXES)


@dataclass
class Person:
    """Who a person is and how to reach them, as a programme records them: the fields of the abstract
    ``PersonRecord`` model plus phone, ethnic group, nationality (GB/T 2659 alpha-3) and address."""

    name: str
    id_type: str
    id_number: str
    phone: str = ""
    region_code: str = ""
    sex: str = ""
    birth_date: date | None = None
    ethnic_group: str = ""
    nationality: str = ""
    address: str = ""


Errors = list[tuple[str | None, str]]  # (field, message), in the order the rules were checked


def identity_problems(
    person,
    *,
    today: date,
    errors: Errors,
    sexes: frozenset = DOCUMENTED,
    from_id: str = "check",
    min_age: tuple[int, str] | None = None,
) -> dict:
    """Check name, ID document, sex, birth date, ethnic group and nationality; append each refusal to
    ``errors`` and return the cleaned values. A resident ID number gives sex and birth date: ``from_id``
    "check" refuses a sex or birth date that contradicts it, "fill" takes the number's. ``min_age`` is
    (years, message); without it a birth date in the future is refused."""
    changes: dict = {}
    name = (person.name or "").strip()
    changes["name"] = name
    if not name or len(name) > 64:
        errors.append(("name", _("Enter the name as on the ID document (at most 64 characters).")))
    elif problem := name_problem(name):  # a bidi override or a zero-width space: shown other than stored
        errors.append(("name", problem))
    sex, birth_date = person.sex, person.birth_date
    if person.id_type not in ID_TYPES:
        errors.append(("id_type", _("Choose the type of ID document.")))
        return changes  # sex and birth date cannot be judged without knowing the document
    try:
        if person.id_type == IdType.RESIDENT_ID:
            rid = parse_id(person.id_number, today=today)
            if from_id == "check" and birth_date and birth_date != rid.birth_date:
                errors.append(("birth_date", _("The birth date does not match the ID number.")))
            if from_id == "check" and sex and sex != rid.sex:
                errors.append(("sex", _("The sex does not match the ID number.")))
            changes["id_number"], birth_date, sex = rid.number, rid.birth_date, rid.sex
            changes["birth_date"], changes["sex"] = birth_date, sex
        else:
            changes["id_number"] = clean_id_number(person.id_type, person.id_number, today=today)
    except InvalidInput as exc:
        errors.append((exc.field, str(exc.message)))
        if person.id_type == IdType.RESIDENT_ID:
            return changes  # the sex and birth date were to come from the number: asking for them misleads
    if sex not in sexes:
        errors.append(("sex", _("Choose the sex.")))
    if not birth_date:
        errors.append(("birth_date", _("Enter the birth date.")))
    elif min_age is not None:
        if age_on(birth_date, today) < min_age[0]:
            errors.append(("birth_date", str(min_age[1])))
    elif birth_date > today:
        errors.append(("birth_date", _("The birth date cannot be in the future.")))
    ethnic_group = getattr(person, "ethnic_group", "")
    if ethnic_group and ethnic_group not in ethnic.CODES:
        errors.append(("ethnic_group", _("Choose an ethnic group from the list.")))
    try:
        changes["nationality"] = clean_nationality(getattr(person, "nationality", ""))
    except InvalidInput as exc:
        errors.append((exc.field, str(exc.message)))
    return changes


def contact_problems(person, *, errors: Errors, known_counties: set | None = None) -> dict:
    """Check the mobile phone and the county; append each refusal to ``errors``; the cleaned values."""
    changes: dict = {}
    try:
        changes["phone"] = normalise_mobile(person.phone)
    except InvalidInput as exc:
        errors.append((exc.field, str(exc.message)))
    if known_counties is not None:
        known = person.region_code in known_counties
    else:
        known = Region.objects.filter(code=person.region_code, level=Region.Level.COUNTY).exists()
    if not known:
        errors.append(("region", _("Unknown county code: %(code)s") % {"code": person.region_code}))
    changes["address"] = (person.address or "").strip()[:200]
    if problem := free_text_problem(changes["address"]):  # a bidi override shows the address other than stored
        errors.append(("address", problem))
    return changes


def validate_person(
    person,
    *,
    today: date,
    known_counties: set | None = None,
    sexes: frozenset = DOCUMENTED,
    min_age: tuple[int, str] | None = None,
):
    """``person`` (a ``Person`` or a dataclass with its fields) checked and cleaned, as a new object;
    ``InvalidFields`` with every refusal otherwise. ``person`` itself is left as it was."""
    errors: Errors = []
    changes = identity_problems(person, today=today, errors=errors, sexes=sexes, min_age=min_age)
    changes |= contact_problems(person, errors=errors, known_counties=known_counties)
    if errors:
        raise InvalidFields(errors)
    return dataclasses.replace(person, **changes)


def family_problems(items, *, errors: Errors, field: str = "family_informed") -> None:
    """A refusal for family members whose name holds characters a name cannot hold, or whose
    relationship holds a text-direction control."""
    for item in clean_family(items):
        if problem := name_problem(item["name"]) or free_text_problem(item["relationship"]):
            errors.append((field, problem))
            return


def clean_family(items) -> list:
    """Family members named on a form: name and relationship as typed, blank rows dropped, at most ten."""
    cleaned = []
    for item in (items or [])[:MAX_FAMILY]:
        name = str((item or {}).get("name", "")).strip()[:64]
        relationship = str((item or {}).get("relationship", "")).strip()[:32]
        if name:
            cleaned.append({"name": name, "relationship": relationship})
    return cleaned
