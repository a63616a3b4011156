"""The shared field checks (boai.core.services.checks): each caller's wording and limits come through unchanged."""

from datetime import date, timedelta

import pytest

from boai.core.errors import InvalidInput
from boai.core.services import checks

TODAY = date(2025, 5, 8)
RULE = {
    "today": TODAY,
    "earliest": date(2000, 1, 1),
    "ahead": timedelta(days=366),
    "missing": "Give the day.",
    "too_early": "Too early.",
    "too_late": "Too late.",
}


def test_text_strips_and_refuses_what_is_not_text(english):
    errors = []
    assert checks.text(errors, "title", "  Blood day  ", max_length=20) == "Blood day"
    assert checks.text(errors, "title", ["a list"], max_length=20, required=True, missing="Give a title.") == ""
    assert checks.text(errors, "place", "x" * 21, max_length=20) == "x" * 21
    assert errors == [("title", "Give a title."), ("place", "At most 20 characters.")]


def test_a_refused_date_is_kept_for_later_checks_or_dropped():
    errors = []
    assert checks.day(errors, "starts_on", date(1999, 12, 31), **RULE) == date(1999, 12, 31)
    assert checks.day(errors, "ends_on", TODAY + timedelta(days=367), **RULE, keep_refused=False) is None
    assert checks.day(errors, "held_on", "2025-05-08", **RULE) is None
    assert checks.day(errors, "held_on", TODAY, **RULE) == TODAY
    assert errors == [("starts_on", "Too early."), ("ends_on", "Too late."), ("held_on", "Give the day.")]


def test_count_limits_and_messages(english):
    errors = []
    assert checks.count(errors, "audience", "", most=10, too_many="At most 10.") is None
    assert checks.count(errors, "audience", 11, most=10, too_many="At most 10.") is None
    assert checks.count(errors, "audience", True, most=10, too_many="At most 10.", invalid="Whole number.") is None
    assert checks.count(errors, "audience", None, most=10, too_many="-", required=True, missing="How many?") is None
    assert checks.count(errors, "audience", 10, most=10, too_many="-") == 10
    assert errors == [("audience", "At most 10."), ("audience", "Whole number."), ("audience", "How many?")]


def test_reason_is_required_and_kept_short(english):
    with pytest.raises(InvalidInput) as refused:
        checks.reason(" ab ")
    assert str(refused.value.message) == "State why you need this list (at least 4 characters)."
    with pytest.raises(InvalidInput) as refused:
        checks.reason(None, "Say why you need the phone.")
    assert str(refused.value.message) == "Say why you need the phone."
    assert checks.reason("  audit of 2025 " + "x" * 300) == ("audit of 2025 " + "x" * 300)[:200]


class _Field:
    def __init__(self, name):
        self.attname = name


class _Meta:
    def get_field(self, name):
        return _Field(name)


class _Record:
    _meta = _Meta()

    def __init__(self, **values):
        self.__dict__.update(values)


def test_values_set_returns_the_audit_changes():
    record = _Record(title="Old", code="abc", starts_on=date(2025, 1, 1))
    changes = checks.values_set(
        record, {"title": "New", "code": "abd", "starts_on": date(2025, 1, 1)}, rename={"code": "link_code"}
    )
    assert changes == {"title": ["Old", "New"], "link_code": ["abc", "abd"]}
    assert (record.title, record.code) == ("New", "abd")
    assert checks.values_set(record, {"starts_on": date(2025, 2, 1)}) == {"starts_on": ["2025-01-01", "2025-02-01"]}
