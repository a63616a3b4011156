"""Property-based tests (hypothesis) for the certificate-number parser: a number printed in the
configured format reads back as itself, however it is typed (other brackets, full-width digits,
dropped zeros); text no format reads gives no number, and nothing typed makes it crash."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from boai.certificates import selectors, services
from boai.certificates.models import Kind

years = st.integers(min_value=1000, max_value=9999)
sequences = st.integers(min_value=1, max_value=9999)
serials = st.integers(min_value=1, max_value=99_999_999)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@given(years, sequences, st.sampled_from([Kind.BODY_RECEPTION, Kind.BODY_HONOUR]))
def test_a_body_donation_number_reads_back_as_itself(year, sequence, kind):
    number = services.certificate_number(kind, year=year, sequence=sequence)
    assert selectors.normalise_number(number) == [number]


@given(serials)
def test_an_organ_certificate_number_reads_back_as_itself(serial):
    number = services.certificate_number(Kind.ORGAN, serial=serial)
    assert selectors.normalise_number(number) == [number]
    assert selectors.normalise_number(str(serial).translate(FULL_WIDTH)) == [number]  # typed on a phone


@given(years, sequences, st.sampled_from(["【】", "()", "（）", "[]", "  "]))
def test_a_number_typed_with_other_brackets_or_dropped_zeros_reads_as_the_printed_one(year, sequence, brackets):
    number = services.certificate_number(Kind.BODY_RECEPTION, year=year, sequence=sequence)
    typed = f"滇遗接{brackets[0]}{year}{brackets[1]}{sequence}"
    assert selectors.normalise_number(typed) == [number]


@given(st.text(max_size=120))
def test_any_text_gives_numbers_in_a_configured_format_or_none(text):
    numbers = selectors.normalise_number(text)
    for number in numbers:
        assert selectors.normalise_number(number) == [number]  # what it reads is itself a printed number
    candidates = selectors.number_candidates(text)
    assert all(0 < len(c) <= 40 for c in candidates) and len(candidates) == len(set(candidates))


@given(st.text(alphabet="滇遗接荣〔〕0123456789x", max_size=30))
def test_near_misses_never_crash_and_read_only_real_numbers(text):
    for number in selectors.normalise_number(text):
        assert number.startswith(("滇遗接〔", "滇遗荣〔")) or (number.isdigit() and len(number) == 8)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(st.text(max_size=100), st.text(max_size=20))
@example("\x00", "")  # found by this test on PostgreSQL: a NUL byte made the query fail (a 500)
@example("00001001\x00", "\x00")
def test_the_public_verification_of_garbage_finds_nothing_and_never_crashes(number, code):
    assert selectors.verify(number, code) is None  # no certificate is issued in the base data
