"""Names with bidirectional controls or other invisible format characters are refused wherever a
person's name is taken (issue 12, item 7): one rule (``lib.text``), used by the shared people
validation, the form and serializer fields and the services that take other names. The middle dot of
minority names stays allowed."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from boai.cases.models import OrganCase
from boai.cases.tests.helpers import client_for, referral
from boai.core.errors import InvalidFields, InvalidInput
from boai.core.people import IdType, Person, validate_person
from boai.core.tests.personas import user
from boai.lib.text import hidden_characters, name_problem
from boai.registry.models import Refusal, Registration
from boai.registry.tests.helpers import api_registration, resident_id

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u2060", "\u00ad", "\u061c"]


@pytest.mark.parametrize("ch", BIDI + INVISIBLE)
def test_a_name_with_a_bidi_control_or_an_invisible_character_is_refused(ch):
    problem = name_problem(f"张{ch}三")
    assert problem and f"U+{ord(ch):04X}" in problem


@pytest.mark.parametrize(
    "name",
    ["阿依古丽·买买提", "欧阳娜娜", "Jean-Luc O'Neil", "玉苏甫・艾力", "买买提．吐尔逊", "Nguyễn Văn An", "木 三"],
)
def test_a_real_name_with_a_middle_dot_or_accents_is_accepted(name):
    assert name_problem(name) is None and hidden_characters(name) == []


def test_the_shared_person_validation_refuses_the_name_with_a_message():
    person = Person(name="普\u202e华明", id_type=IdType.RESIDENT_ID, id_number=resident_id(), region_code="530102")
    with pytest.raises(InvalidFields) as refused:
        validate_person(person, today=date(2026, 12, 1), known_counties={"530102"})
    assert "U+202E" in refused.value.errors["name"][0]


# --- everywhere a name comes in ------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def staff_api():
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    return client


@pytestmark_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "普\u202e美华"),
        ("name", "\u2067普美华\u2069"),
        ("executor_name", "和\u200b丽"),
        ("family_informed", [{"name": "和\ufeff丽", "relationship": "配偶"}]),
    ],
)
def test_a_registration_with_a_hidden_character_in_a_name_is_refused_and_nothing_stored(field, value):
    before = Registration.objects.count()
    overrides = {field: value}
    if field == "executor_name":
        overrides["body"] = True
    response = staff_api().post("/api/v1/registrations/", api_registration(**overrides), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"] and "invisible" in str(response.json()["errors"][field])
    assert Registration.objects.count() == before


@pytestmark_db
def test_a_registration_whose_name_has_a_middle_dot_is_accepted():
    response = staff_api().post("/api/v1/registrations/", api_registration(name="阿依古丽·买买提"), format="json")
    assert response.status_code == 201, response.json()


@pytestmark_db
def test_a_donation_case_with_a_bidi_control_in_the_name_is_refused():
    response = client_for("opo_staff").post("/api/v1/organ-cases/", referral(name="普\u202e华明"), format="json")
    assert response.status_code == 400 and "name" in response.json()["errors"]
    assert not OrganCase.objects.filter(name__contains="华明").exists()


def test_a_list_of_physicians_refuses_a_bidi_control_and_still_drops_a_zero_width_space():
    from django import forms

    from boai.cases.forms import NamesField

    with pytest.raises(forms.ValidationError):
        NamesField().clean("张医生、李\u202e医生")
    assert NamesField().clean("张\u200b医生、李医生") == ["张医生", "李医生"]


@pytestmark_db
def test_a_refusal_with_a_bidi_control_in_the_name_is_refused():
    from boai.registry.services import refusal_record

    before = Refusal.objects.count()
    with pytest.raises(InvalidInput) as refused:
        refusal_record(
            actor=user("wuhua_staff"),
            name="普\u202d美华",
            id_type="resident_id",
            id_number=resident_id(),
            region_code="530102",
            stated_on=date(2026, 1, 5),
        )
    assert refused.value.field == "name"
    assert Refusal.objects.count() == before


@pytestmark_db
def test_a_certificate_is_not_issued_to_a_name_with_a_bidi_control():
    from boai.certificates.tests.helpers import closed_case, issue, stock

    stock()
    with pytest.raises(InvalidInput) as refused:
        issue(closed_case(), 1001, recipient_name="家属\u202e甲")
    assert refused.value.field == "recipient_name"


@pytestmark_db
def test_a_staff_account_name_with_a_bidi_control_is_refused_by_the_service_and_the_admin_form():
    from django.core.exceptions import ValidationError

    from boai.accounts.models import User
    from boai.accounts.services import user_create

    with pytest.raises(InvalidInput) as refused:
        user_create(
            username="new_clerk",
            password="Long-enough-2026!",
            role="system_admin",
            organization=user("sysadmin").organization,
            full_name="张\u202e丽",
        )
    assert refused.value.field == "full_name" and not User.objects.filter(username="new_clerk").exists()
    with pytest.raises(ValidationError):
        User._meta.get_field("full_name").clean("张\u2066丽", None)


# --- invisible look-alikes, controls, special spaces, private use (issue 12 item 7, second pass) ------

HANGUL_FILLERS = ["\u3164", "\uffa0", "\u115f", "\u1160"]
OTHER_BLANKS = ["\u2800", "\u034f", "\u180e", "\u17b4", "\U000e0001", "\U000e0020"]
VARIATION_SELECTORS = ["\ufe00", "\ufe0f", "\U000e0100", "\U000e01ef"]
CONTROLS = ["\t", "\n", "\r", "\x0b", "\x1b", "\x7f", "\x85"]
SPACES = ["\u00a0", "\u3000", "\u2002", "\u2009", "\u202f", "\u205f", "\u1680"]
UNUSUAL = ["\ue000", "\uf8ff", "\U000f0000", "\u0378", "\U0003ffff"]


@pytest.mark.parametrize(
    ("chars", "says"),
    [
        (HANGUL_FILLERS + OTHER_BLANKS + VARIATION_SELECTORS, "invisible"),
        (CONTROLS, "control character"),
        (SPACES, "special space"),
        (UNUSUAL, "not standard text"),
    ],
)
def test_a_name_with_a_filler_a_control_a_special_space_or_a_private_character_is_refused_and_named(
    chars, says, english
):
    for ch in chars:
        problem = name_problem(f"张{ch}三")
        assert problem and says in problem and f"U+{ord(ch):04X}" in problem, (ch, problem)
        assert hidden_characters(f"张{ch}三") == [f"U+{ord(ch):04X}"]


def test_a_name_of_only_a_hangul_filler_is_refused():
    assert name_problem("\u3164") and name_problem("\u3164\u3164")


def test_each_kind_of_refused_character_is_named_once():
    problem = name_problem("张\u00a0\t三\u3164\u00a0")
    assert problem.count("U+00A0") == 1 and "U+0009" in problem and "U+3164" in problem


@pytest.mark.parametrize(
    "name",
    [
        "Rene\u0301e",  # é typed as e + combining acute: NFC makes it one letter
        "Zoë Ångström",
        "བཀྲ་ཤིས་",  # Tibetan, with combining vowel signs
        "ผู้ใหญ่",  # Thai, with combining marks
        "阿依古丽·买买提",
        "Jean Paul",
    ],
)
def test_combining_marks_accents_and_an_ordinary_space_stay_allowed(name):
    assert name_problem(name) is None


@pytestmark_db
@pytest.mark.parametrize("ch", ["\u3164", "\u2800", "\ufe0f", "\t", "\u00a0", "\u3000", "\ue000"])
def test_a_registration_whose_name_holds_a_look_alike_character_is_refused_and_nothing_stored(ch):
    before = Registration.objects.count()
    response = staff_api().post("/api/v1/registrations/", api_registration(name=f"普美{ch}华"), format="json")
    assert response.status_code == 400, response.json()
    assert f"U+{ord(ch):04X}" in str(response.json()["errors"]["name"])
    assert Registration.objects.count() == before


# --- text-direction controls in the other free text about a person ------------------------------------


@pytest.mark.parametrize("ch", BIDI)
def test_free_text_refuses_a_bidi_control_but_keeps_line_breaks_and_spaces(ch):
    from boai.lib.text import free_text_problem

    problem = free_text_problem(f"五华区{ch}人民中路1号")
    assert problem and f"U+{ord(ch):04X}" in problem
    assert free_text_problem("五华区\n人民中路\u00a01号\u3000二单元") is None


@pytestmark_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("address", "五华区人民中路\u202e号1"),
        ("executor_relationship", "\u2067女儿\u2069"),
        ("family_informed", [{"name": "和丽", "relationship": "配\u202d偶"}]),
    ],
)
def test_a_registration_with_a_bidi_control_in_an_address_or_relationship_is_refused(field, value):
    before = Registration.objects.count()
    overrides = {field: value}
    if field == "executor_relationship":
        overrides |= {"body": True, "executor_name": "和丽"}
    response = staff_api().post("/api/v1/registrations/", api_registration(**overrides), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"] and "text-direction" in str(response.json()["errors"][field])
    assert Registration.objects.count() == before


@pytestmark_db
def test_a_refusal_note_with_a_bidi_control_is_refused():
    from boai.registry.services import refusal_record

    before = Refusal.objects.count()
    with pytest.raises(InvalidInput) as refused:
        refusal_record(
            actor=user("wuhua_staff"),
            name="普美华",
            id_type="resident_id",
            id_number=resident_id(),
            region_code="530102",
            stated_on=date(2026, 1, 5),
            note="本人\u202e签字",
        )
    assert refused.value.field == "note"
    assert Refusal.objects.count() == before


@pytestmark_db
def test_changing_a_registrations_address_to_one_with_a_bidi_control_is_refused():
    from boai.core.errors import InvalidFields
    from boai.registry.services import registration_amend

    reg = Registration.objects.filter(region_id="530102", status="active").first()
    before = reg.address
    with pytest.raises(InvalidFields) as refused:
        registration_amend(registration=reg, actor=user("wuhua_staff"), changes={"address": "人民路\u20661号\u2069"})
    assert "address" in refused.value.errors
    reg.refresh_from_db()
    assert reg.address == before
