"""The one yuan/fen parser and formatter (``boai.lib.money``)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boai.lib.money import MAX_FEN, AmountError, format_fen, parse_yuan, yuan_text


@pytest.mark.parametrize(
    "text, fen",
    [
        ("1000", 100000),
        ("1,000.5", 100050),
        ("1000.50", 100050),
        ("1,000.50", 100050),
        ("０.０１", 1),
        ("１０００元", 100000),
        ("¥1,234,567.89", 123456789),
        ("￥ 20 元", 2000),
        ("  88.8 ", 8880),
        ("5.", 500),
        ("1，000．50", 100050),  # full-width comma and point
    ],
)
def test_amounts_people_type_are_read_as_fen(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    "text, message",
    [
        ("-5", "negative"),
        ("−5", "negative"),
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        ("1.234", "two decimals"),
        ("abc", "for example"),
        ("", "for example"),
        ("1,00", "for example"),
        ("12,34,567", "for example"),
        ("1e5", "for example"),
        ("NaN", "for example"),
        ("1.2.3", "for example"),
        ("99999999999", "too large"),
        ("9" * 40, "for example"),
        ("五百", "for example"),
    ],
)
def test_bad_amounts_are_refused_with_a_message(text, message, english):
    with pytest.raises(AmountError) as exc:
        parse_yuan(text)
    assert message in str(exc.value.message)
    assert exc.value.field == "amount"


def test_zero_is_allowed_where_asked_and_non_text_refused():
    assert parse_yuan("0", allow_zero=True) == 0
    for value in (None, True, 1.5, [1]):
        with pytest.raises(AmountError):
            parse_yuan(value)


def test_format():
    assert format_fen(100050) == "1,000.50"
    assert format_fen(1) == "0.01"
    assert format_fen(0) == "0.00"
    assert format_fen(-100050) == "-1,000.50"
    assert yuan_text(100050) == "¥1,000.50"
    assert yuan_text(-5) == "-¥0.05"


@given(st.integers(min_value=1, max_value=MAX_FEN))
def test_format_then_parse_is_the_same_amount(fen):
    assert parse_yuan(format_fen(fen)) == fen
    assert parse_yuan(format_fen(fen).replace(",", "")) == fen
    assert parse_yuan(yuan_text(fen) + "元") == fen
