"""A registration's checks: the person (core.people) and the wish, every refusal reported at once."""

import copy
from datetime import date

import pytest

from boai.core.errors import InvalidFields
from boai.registry.services import PersonData, validate_person

from .helpers import resident_id

TODAY = date(2026, 12, 1)
COUNTIES = {"530102"}


def test_every_refused_field_of_a_registration_is_reported_the_first_one_first(english):
    data = PersonData(
        name="",
        id_type="resident_id",
        id_number=resident_id(born=date(2015, 1, 1)),
        phone="12",
        region_code="530102",
        organs=["brain"],
        body=True,
    )
    with pytest.raises(InvalidFields) as exc:
        validate_person(data, today=TODAY, known_counties=COUNTIES)
    assert list(exc.value.errors) == ["name", "birth_date", "phone", "organs", "executor_name"]
    assert exc.value.errors["birth_date"] == ["Only adults (18 or older) can register."]
    assert exc.value.message == "Enter the name as on the ID document (at most 64 characters)."


def test_validating_a_registration_returns_new_data_and_leaves_its_argument_alone():
    data = PersonData(
        name=" 李四 ",
        id_type="resident_id",
        id_number=resident_id(sex="F").lower(),
        phone="138-1234-5678",
        region_code="530102",
        organs=["kidney", "all"],
        family_informed=[{"name": " 王五 ", "relationship": "配偶"}, {"name": ""}],
    )
    before = copy.deepcopy(data)
    cleaned = validate_person(data, today=TODAY, known_counties=COUNTIES)
    assert data == before
    assert (cleaned.name, cleaned.sex, cleaned.organs) == ("李四", "F", ["all"])
    assert cleaned.family_informed == [{"name": "王五", "relationship": "配偶"}]


def test_a_wrong_executor_phone_is_reported_under_the_executor_not_the_registrant():
    data = PersonData(
        name="李四",
        id_type="resident_id",
        id_number=resident_id(),
        phone="13812345678",
        region_code="530102",
        organs=["all"],
        body=True,
        executor_name="李五",
        executor_phone="12",
    )
    with pytest.raises(InvalidFields) as exc:
        validate_person(data, today=TODAY, known_counties=COUNTIES)
    assert list(exc.value.errors) == ["executor_phone"]
