import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boai.lib.idnumbers import InvalidIdNumber, age_on, parse_resident_id
from boai.lib.masking import mask_birth_date, mask_id_number, mask_phone


def with_check(body17: str) -> str:
    from stdnum.cn import ric

    return body17 + ric.calc_check_digit(body17 + "0")


def test_id_numbers_show_the_first_six_and_last_one():
    assert mask_id_number("53010219800101123X") == "530102***********X"
    assert mask_id_number("530102800101123") == "530102********3"  # the old 15-digit number


def test_other_documents_keep_almost_nothing():
    assert mask_id_number("E12345678") == "E*******8"
    assert mask_id_number("H123456") == "*******"
    assert mask_id_number("AB12") == "****"


def test_birth_dates_are_masked_to_the_year():
    assert mask_birth_date(date(1968, 3, 14)) == "1968" and mask_birth_date(None) == ""


def test_phones_show_the_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


@given(st.from_regex(r"\A[0-9]{17}[0-9X]\Z"))
def test_a_masked_id_never_shows_the_birth_date_or_sequence_part(number):
    masked = mask_id_number(number)
    assert re.fullmatch(r"[0-9]{6}\*{11}[0-9X]", masked)
    assert masked[6:17] == "*" * 11


def test_a_valid_resident_id_gives_birth_date_and_sex():
    rid = parse_resident_id("53010219680314105X".replace("105X", "1050"))
    assert rid.birth_date == date(1968, 3, 14)
    assert rid.sex == "M"
    assert rid.region_code == "530102"


@pytest.mark.parametrize(
    "number, reason",
    [
        ("5301021968031410", "length"),
        ("53010219680314105A", "format"),
        ("530102196803141051", "checksum"),
        (with_check("53010219680230105"), "birth_date"),  # 30 February
        (with_check("99999919680314105"), "region"),
    ],
)
def test_a_wrong_id_number_says_what_is_wrong(number, reason):
    with pytest.raises(InvalidIdNumber) as exc:
        parse_resident_id(number)
    assert exc.value.reason == reason


def test_a_birth_date_in_the_future_is_refused():
    number = with_check("53010220300101102")
    with pytest.raises(InvalidIdNumber) as exc:
        parse_resident_id(number, today=date(2026, 11, 23))
    assert exc.value.reason == "birth_date"


def test_age_counts_whole_years():
    assert age_on(date(2008, 11, 24), date(2026, 11, 23)) == 17
    assert age_on(date(2008, 11, 23), date(2026, 11, 23)) == 18
