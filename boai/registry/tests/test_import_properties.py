"""Property-based tests (hypothesis) for the registry import's row parser: whatever a spreadsheet
cell holds (text of any kind, numbers, dates, booleans, nothing), a row gives a person or row
errors with messages, never an exception."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boai.core.errors import DomainError
from boai.registry import parsing
from boai.registry.services import validate_person

FIELDS = [field for field, _zh, _en in parsing.COLUMNS]
TODAY = date(2026, 12, 6)

cells = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
rows = st.dictionaries(st.sampled_from(FIELDS), cells)


def row_result(raw: dict) -> list[str]:
    """What the import makes of one row: its error messages (none: the row is valid)."""
    data, errors = parsing.parse_row(2, raw)
    messages = [str(e.message) for e in errors]
    if not messages:
        try:
            validate_person(data, today=TODAY, known_counties={"530102"})
        except DomainError as exc:
            messages.append(str(exc.message))
    return messages


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_any_cell_values_give_row_errors_never_a_crash(raw):
    messages = row_result(raw)
    assert all(isinstance(m, str) and m for m in messages)


@given(rows, cells)
def test_a_row_whose_id_number_is_no_text_id_is_refused_with_a_message(raw, id_number):
    if isinstance(id_number, str) or id_number is None:
        id_number = 3.5  # a number Excel made of an ID
    raw = {**raw, "id_number": id_number, "name": "张三", "phone": "13800000000", "region": "530102"}
    assert row_result(raw)


@given(st.text(max_size=30), st.sampled_from(["birth_date", "signed_on", "body", "organs", "sex", "id_type"]))
def test_garbage_in_a_typed_column_is_a_row_error_or_read(text, field):
    raw = {"name": "张三", "id_number": "53010219680101001X", "phone": "13800000000", "region": "530102", field: text}
    data, errors = parsing.parse_row(2, raw)
    assert all(e.message for e in errors)
