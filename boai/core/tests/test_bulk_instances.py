"""``bulk.instances`` builds the same unsaved objects as keyword arguments do, faster: every field
given or at its default, a fresh list for each row, and a name that is no field refused."""

from datetime import date

import pytest
from django.utils import timezone

from boai.core.bulk import instances
from boai.registry.models import ConsentRecord, Registration


def test_the_same_objects_as_keyword_arguments():
    now = timezone.now()
    row = {
        "number": "YN2026000001",
        "name": "测试",
        "id_number": "530102195001010012",
        "birth_date": date(1950, 1, 1),
        "region_id": "530102",
        "registered_at": now,
        "organs": ["all"],
        "channel": "import",
    }
    (made,) = instances(Registration, [row])
    expected = Registration(**row)
    for field in Registration._meta.concrete_fields:
        assert getattr(made, field.attname) == getattr(expected, field.attname), field.attname
    assert made._state.adding and made.pk is None


def test_a_default_list_is_new_for_each_row():
    first, second = instances(Registration, [{"number": "A"}, {"number": "B"}])
    first.tissues.append("cornea")
    assert second.tissues == [] and first.organs is not second.organs


def test_a_name_that_is_no_field_is_refused():
    with pytest.raises(KeyError):
        instances(ConsentRecord, [{"registration": 1}])  # the column is registration_id
