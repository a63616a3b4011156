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


def test_built_like_django_builds_them():
    """Built directly where nothing listens to Django's init signals: the same attributes and state as
    ``Model(*values)``, and the object saves, changes and relates as one made by Django."""
    (made,) = instances(Registration, [{"number": "YN2026000002", "region_id": "530102", "name": "测试"}])
    expected = Registration(*[getattr(made, f.attname) for f in Registration._meta.concrete_fields])
    assert made.__dict__.keys() == expected.__dict__.keys()
    assert {k: v for k, v in made.__dict__.items() if k != "_state"} == {
        k: v for k, v in expected.__dict__.items() if k != "_state"
    }
    assert (made._state.adding, made._state.db) == (True, None)
    made.region_id = "530103"  # a foreign key's id set afterwards, as on any object
    assert made.region_id == "530103"


def test_a_model_with_an_init_listener_is_built_by_django():
    from django.db.models import signals

    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(listener, sender=ConsentRecord)
    try:
        (made,) = instances(ConsentRecord, [{"registration_id": 1}])
    finally:
        signals.post_init.disconnect(listener, sender=ConsentRecord)
    assert seen == [made]


def test_rows_alike_but_for_their_parent_are_the_rows_of_each_object():
    from boai.core.bulk import rows_alike, rows_for

    values = {"kind": "sensitive_data", "notice_version": "v3", "channel": "import", "given_at": timezone.now()}
    one_by_one = rows_for(ConsentRecord, instances(ConsentRecord, [{**values, "registration_id": i} for i in (7, 9)]))
    assert rows_alike(ConsentRecord, values, "registration_id", [7, 9]) == one_by_one


def test_rows_alike_are_refused_where_each_value_is_encrypted_apart():
    from boai.core.bulk import rows_alike

    with pytest.raises(ValueError, match="encrypted"):
        rows_alike(Registration, {"name": "测试"}, "region_id", ["530102", "530103"])  # one nonce for all
    with pytest.raises(ValueError, match="foreign key"):
        rows_alike(ConsentRecord, {}, "channel", ["paper"])


def test_rows_alike_are_refused_where_a_column_differs_from_row_to_row():
    from boai.accounts.models import ApiToken
    from boai.core.bulk import rows_alike
    from boai.registry.models import ImportJob

    with pytest.raises(ValueError, match="unique"):  # one key hash copied into every row
        rows_alike(ApiToken, {"key_hash": "0" * 64, "prefix": "abc"}, "user_id", [1, 2])
    with pytest.raises(ValueError, match="default made for each row"):  # one mapping dict shared by all
        rows_alike(ImportJob, {}, "created_by_id", [1, 2])
