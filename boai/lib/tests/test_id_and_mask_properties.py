"""Property-based tests (hypothesis) for the resident ID check and the masks: generated valid numbers
pass, every single-character change is refused, the X check character is read in either case; a mask
never shows more than the policy, masking again reveals nothing more, and no input makes it crash."""

import string
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from boai.lib.idnumbers import InvalidIdNumber, parse_resident_id
from boai.lib.masking import mask_birth_date, mask_id_number, mask_name, mask_phone, mask_text

TODAY = date(2026, 12, 6)
REGIONS = ["530102", "530302", "110101", "440305"]  # counties in python-stdnum's table
CHECK_CHARACTERS = "0123456789X"

births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)


def resident_id(region: str, birth: date, sequence: int) -> str:
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


valid_ids = st.builds(resident_id, st.sampled_from(REGIONS), births, sequences)


@given(valid_ids)
def test_a_generated_valid_number_is_accepted_with_its_birth_date_and_sex(number):
    parsed = parse_resident_id(number, today=TODAY)
    assert parsed.number == number and parsed.birth_date == date(
        *map(int, (number[6:10], number[10:12], number[12:14]))
    )
    assert parsed.sex == ("M" if int(number[16]) % 2 else "F")


@given(valid_ids, st.integers(min_value=0, max_value=17), st.sampled_from(CHECK_CHARACTERS))
def test_any_single_character_change_is_refused(number, position, replacement):
    if number[position] == replacement or (position < 17 and replacement == "X"):
        replacement = str((int(number[position], 11) + 1) % 10) if number[position] != "X" else "0"
    changed = number[:position] + replacement + number[position + 1 :]
    assert changed != number
    try:
        parse_resident_id(changed, today=TODAY)
    except InvalidIdNumber as exc:
        # the check character catches every single change; a changed date may already fail as a date
        assert exc.reason in ("checksum", "birth_date", "region")
    else:
        raise AssertionError(f"{changed} (from {number}) was accepted")


@given(st.sampled_from(REGIONS), births, sequences)
def test_the_x_check_character_is_accepted_in_either_case(region, birth, sequence):
    number = resident_id(region, birth, sequence)
    if number[-1] != "X":
        return
    assert parse_resident_id(number, today=TODAY).number == number
    assert parse_resident_id(number[:-1] + "x", today=TODAY).number == number


@given(st.text(max_size=40))
def test_any_text_is_either_a_valid_number_or_refused_with_a_reason(text):
    try:
        parsed = parse_resident_id(text, today=TODAY)
    except InvalidIdNumber as exc:
        assert exc.reason in ("length", "format", "checksum", "birth_date", "region")
    else:
        assert ric.is_valid(parsed.number)


@given(valid_ids, valid_ids)
def test_a_birth_date_later_than_today_is_refused(number, _other):
    tomorrow = TODAY + timedelta(days=1)
    future = resident_id(number[:6], tomorrow, int(number[14:17]))
    try:
        parse_resident_id(future, today=TODAY)
    except InvalidIdNumber as exc:
        assert exc.reason == "birth_date"
    else:
        raise AssertionError("a birth date in the future was accepted")


# --- masks ------------------------------------------------------------------------------------------


def hides_no_less(once: str, twice: str) -> bool:
    """Masking again shows no character the first mask hid."""
    return all(b == "*" for a, b in zip(once, twice, strict=False) if a == "*") and len(twice) >= min(len(once), 4)


@given(valid_ids)
def test_an_id_mask_shows_the_first_six_and_the_last_one_only(number):
    masked = mask_id_number(number)
    assert masked == number[:6] + "*" * 11 + number[-1]
    assert number[6:17] not in masked


@given(st.text(max_size=60))
def test_an_id_mask_of_anything_keeps_at_most_the_policy(value):
    masked = mask_id_number(value)
    shown = len(masked) - masked.count("*")
    assert shown <= 7  # 6 + 1 for a resident ID, 2 for any other document, none when short
    if len(value) < 8:
        assert set(masked) <= {"*"}
    assert hides_no_less(masked, mask_id_number(masked))


@given(st.text(alphabet=string.digits, min_size=8, max_size=15))
def test_a_phone_mask_shows_the_first_three_and_last_four_and_is_stable(phone):
    masked = mask_phone(phone)
    assert masked[:3] == phone[:3] and masked[-4:] == phone[-4:] and set(masked[3:-4]) <= {"*"}
    assert mask_phone(masked) == masked


@given(st.text(max_size=60))
def test_every_mask_takes_any_text_and_masking_again_changes_nothing_or_hides_more(value):
    for mask in (mask_phone, mask_name, mask_text):
        once = mask(value)
        assert mask(once) == once or hides_no_less(once, mask(once))
    assert len(mask_name(value)) - mask_name(value).count("*") <= 1
    assert len(mask_text(value).removesuffix("****")) <= 6
    assert mask_birth_date(value) == value[:4]


@given(st.dates())
def test_a_birth_date_mask_is_the_year_only(day):
    assert mask_birth_date(day) == f"{day.year:04d}"
