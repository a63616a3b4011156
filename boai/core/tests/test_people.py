"""The shared people vocabulary: codes, ID checks, and validation that reports every refusal at once
without touching its input."""

import copy
from datetime import date

import pytest
from django import forms
from django.utils import translation
from stdnum.cn import ric

from boai.core.errors import InvalidFields, InvalidInput
from boai.core.interface import form_error
from boai.core.people import (
    DOCUMENT_SEXES,
    IdType,
    Organ,
    OrganWish,
    Person,
    Relationship,
    Sex,
    clean_id_number,
    clean_nationality,
    gbt4761,
    sex_from_gbt2261,
    validate_person,
)
from boai.core.people import nationality as nationalities
from boai.core.people.forms import PersonFormMixin, nationality_field
from boai.core.rest import exception_handler

TODAY = date(2026, 12, 1)
COUNTIES = {"530102", "530103"}


def resident_id(region="530102", born="19700101", seq="12", sex="M") -> str:
    body = f"{region}{born}{seq}{1 if sex == 'M' else 2}"
    return body + ric.calc_check_digit(body + "0")


def good_person(**overrides) -> Person:
    values = dict(
        name="张三",
        id_type=IdType.RESIDENT_ID,
        id_number=resident_id(),
        phone="13812345678",
        region_code="530102",
    )
    return Person(**(values | overrides))


# --- codes ----------------------------------------------------------------------------------------


def test_the_stored_sex_values_are_the_ones_the_database_holds():
    assert Sex.MALE == "M" and Sex.FEMALE == "F"
    assert [v for v, _label in DOCUMENT_SEXES] == ["M", "F"]


def test_sex_has_its_gbt_2261_codes():
    assert [Sex(v).gbt2261 for v in ("U", "M", "F", "N")] == [0, 1, 2, 9]
    assert sex_from_gbt2261("2") == Sex.FEMALE
    assert sex_from_gbt2261(9) == Sex.UNSPECIFIED
    with pytest.raises(ValueError):
        sex_from_gbt2261("3")


def test_relationships_keep_their_values_and_have_gbt_4761_codes():
    assert Relationship.values == [
        "spouse",
        "child",
        "parent",
        "sibling",
        "grandparent",
        "grandchild",
        "executor",
        "other",
    ]
    assert {r: Relationship(r).gbt4761 for r in Relationship.values} == {
        "spouse": "10",
        "child": "20",
        "parent": "50",
        "sibling": "70",
        "grandparent": "60",
        "grandchild": "40",
        "executor": "80",
        "other": "80",
    }


def test_a_relatives_sex_gives_the_finer_gbt_4761_code():
    assert gbt4761(Relationship.SPOUSE, Sex.FEMALE) == "12"
    assert gbt4761(Relationship.CHILD, Sex.FEMALE) == "30"
    assert gbt4761(Relationship.PARENT, Sex.MALE) == "51"
    assert gbt4761(Relationship.PARENT, Sex.FEMALE) == "52"
    assert gbt4761(Relationship.SIBLING, Sex.MALE) == "70"
    assert gbt4761(Relationship.PARENT, Sex.UNKNOWN) == "50"


def test_a_wish_may_name_all_organs_which_a_case_never_does():
    assert OrganWish.values == ["all", *Organ.values]
    assert "all" not in Organ.values
    assert OrganWish("kidney").label == Organ.KIDNEY.label


def test_the_nationality_list_is_gbt_2659_with_both_names():
    codes = nationalities.codes()
    assert len(codes) == 249
    assert all(len(c) == 3 and c.isupper() for c in codes)
    assert nationalities.numeric("CHN") == "156"
    with translation.override("zh-hans"):
        assert nationalities.label("MMR") == "缅甸"
        assert nationalities.label("HKG") == "中国香港"
        assert nationalities.choices()[0] == ("CHN", "中国")
    with translation.override("en"):
        assert nationalities.label("MMR") == "Myanmar"
        assert nationalities.label("TWN") == "Taiwan, China"


# --- ID documents -----------------------------------------------------------------------------------


def test_a_resident_id_from_a_county_younger_than_the_holder_is_accepted():
    # 530102 (五华区) exists since 1983; a person born there in 1968 holds a valid 530102 number
    number = resident_id(born="19680315")
    assert clean_id_number(IdType.RESIDENT_ID, number, today=TODAY) == number


def test_a_passport_number_is_normalised_and_a_short_one_refused():
    assert clean_id_number(IdType.PASSPORT, " e1234 5678 ", today=TODAY) == "E12345678"
    with pytest.raises(InvalidInput) as exc:
        clean_id_number(IdType.PASSPORT, "E1", today=TODAY)
    assert exc.value.field == "id_number"


def test_a_passport_with_an_unknown_nationality_code_is_refused_clearly(english):
    with pytest.raises(InvalidInput) as exc:
        clean_nationality("xyz")
    assert exc.value.field == "nationality"
    assert "Unknown nationality code: XYZ" in str(exc.value.message)
    person = good_person(id_type=IdType.PASSPORT, id_number="E12345678", sex="M", birth_date=date(1980, 1, 1))
    with pytest.raises(InvalidFields) as exc:
        validate_person(replace_nationality(person, "ZZZ"), today=TODAY, known_counties=COUNTIES)
    assert list(exc.value.errors) == ["nationality"]
    assert (
        validate_person(replace_nationality(person, "usa"), today=TODAY, known_counties=COUNTIES).nationality == "USA"
    )


def replace_nationality(person, code):
    person = copy.copy(person)
    person.nationality = code
    return person


# --- validation -----------------------------------------------------------------------------------


def test_several_bad_fields_are_all_reported_at_once(english):
    person = Person(name=" ", id_type=IdType.PASSPORT, id_number="E1", phone="123", region_code="999999")
    with pytest.raises(InvalidFields) as exc:
        validate_person(person, today=TODAY, known_counties=COUNTIES)
    assert list(exc.value.errors) == ["name", "id_number", "sex", "birth_date", "phone", "region"]
    assert exc.value.field == "name"  # the first refusal is the one a single message shows
    assert exc.value.message == exc.value.errors["name"][0]
    assert exc.value.errors["region"] == ["Unknown county code: 999999"]


def test_a_bad_resident_id_number_does_not_also_ask_for_sex_and_birth_date():
    number = resident_id()
    person = good_person(id_number=number[:-1] + ("1" if number[-1] == "0" else "0"))  # a wrong check digit
    with pytest.raises(InvalidFields) as exc:
        validate_person(person, today=TODAY, known_counties=COUNTIES)
    assert list(exc.value.errors) == ["id_number"]


def test_the_input_is_unchanged_after_validation():
    person = good_person(name="  张三 ", id_number=resident_id().lower() + " ", phone="138 1234 5678")
    before = copy.deepcopy(person)
    cleaned = validate_person(person, today=TODAY, known_counties=COUNTIES)
    assert person == before
    assert cleaned is not person
    assert (cleaned.name, cleaned.sex, cleaned.birth_date, cleaned.phone) == (
        "张三",
        "M",
        date(1970, 1, 1),
        "13812345678",
    )


def test_the_input_is_unchanged_when_validation_refuses_it():
    person = good_person(phone="1", sex="F")
    before = copy.deepcopy(person)
    with pytest.raises(InvalidFields) as exc:
        validate_person(person, today=TODAY, known_counties=COUNTIES)
    assert person == before
    assert list(exc.value.errors) == ["sex", "phone"]  # the number says male


def test_a_minimum_age_is_checked_where_a_programme_needs_one():
    young = good_person(id_number=resident_id(born="20100101"))
    assert validate_person(young, today=TODAY, known_counties=COUNTIES).birth_date == date(2010, 1, 1)
    with pytest.raises(InvalidFields) as exc:
        validate_person(young, today=TODAY, known_counties=COUNTIES, min_age=(18, "adults only"))
    assert exc.value.errors == {"birth_date": ["adults only"]}


def test_people_without_a_document_may_have_an_unknown_sex_where_allowed():
    person = good_person(id_type=IdType.PASSPORT, id_number="E12345678", sex="U", birth_date=date(1980, 1, 1))
    with pytest.raises(InvalidFields):
        validate_person(person, today=TODAY, known_counties=COUNTIES)
    everyone = frozenset(Sex.values)
    assert validate_person(person, today=TODAY, known_counties=COUNTIES, sexes=everyone).sex == "U"


# --- where the errors go --------------------------------------------------------------------------


class PatientForm(PersonFormMixin):
    phone = forms.CharField(max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("530102", "五华区")]


@pytest.mark.django_db
def test_the_person_form_fills_sex_and_birth_date_from_a_resident_id():
    form = PatientForm(
        data={
            "name": "张三",
            "id_type": "resident_id",
            "id_number": resident_id(sex="F"),
            "region": "530102",
            "phone": "1",
        }
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["sex"], form.cleaned_data["birth_date"]) == ("F", date(1970, 1, 1))


@pytest.mark.django_db
def test_the_person_form_reports_every_refused_field(english):
    form = PatientForm(data={"name": "", "id_type": "passport", "id_number": "E1", "region": "530102", "phone": ""})
    assert not form.is_valid()
    assert set(form.errors) == {"name", "phone", "id_number", "sex", "birth_date"}
    assert form.errors["sex"] == ["Choose the sex."]


@pytest.mark.django_db
def test_a_domain_error_with_many_fields_lands_on_each_form_field():
    form = PatientForm(data={})
    form.is_valid()
    form.errors.clear()
    form_error(form, InvalidFields([("phone", "bad phone"), ("organs", "bad organ"), ("phone", "again")]))
    assert form.errors["phone"] == ["bad phone", "again"]
    assert form.non_field_errors() == ["bad organ"]  # the form has no such field


def test_the_api_answers_400_with_every_field_and_the_first_message_as_detail():
    response = exception_handler(InvalidFields([("name", "no name"), ("phone", "bad phone")]), {})
    assert response.status_code == 400
    assert response.data == {
        "detail": "no name",
        "code": "invalid",
        "errors": {"name": ["no name"], "phone": ["bad phone"]},
    }


class FamilyMemberForm(PersonFormMixin):
    person_sexes = frozenset(Sex.values)


@pytest.mark.django_db
def test_a_form_for_people_without_a_document_may_offer_every_sex():
    form = FamilyMemberForm()
    assert [v for v, _label in form.fields["sex"].choices] == ["M", "F", "U", "N"]
    assert [v for v, _label in PatientForm().fields["sex"].choices] == ["M", "F"]


class PassportHolderForm(PersonFormMixin):
    nationality = nationality_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("530102", "五华区")]


@pytest.mark.django_db
def test_a_form_with_a_nationality_offers_the_gbt_2659_list_and_keeps_the_code():
    data = {"name": "Aung", "id_type": "passport", "id_number": "MA123456", "sex": "M", "birth_date": "1980-01-01"}
    form = PassportHolderForm(data={**data, "region": "530102", "nationality": "MMR"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nationality"] == "MMR"
    assert len(list(form.fields["nationality"].choices)) == 250  # "Choose" and the 249 codes
    assert not PassportHolderForm(data={**data, "region": "530102", "nationality": "XYZ"}).is_valid()
