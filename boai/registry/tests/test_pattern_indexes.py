"""Registrations keep no LIKE-prefix copy of a column nobody searches by prefix (migration 0025): every
write paid for eight of them. The region's stays: areas are searched by code prefix."""

import pytest
from django.db import connection

from boai.registry import selectors
from boai.registry.models import Registration


@pytest.mark.postgres
@pytest.mark.django_db
def test_only_the_regions_prefix_index_is_kept():
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'registry_registration' "
            "AND indexdef LIKE '%%pattern_ops%%' AND indexname LIKE '%%\\_like'"
        )
        like = dict(cur.fetchall())
    assert list(like) == ["registry_registration_region_id_f118650f_like"], like
    assert "(region_id varchar_pattern_ops)" in like["registry_registration_region_id_f118650f_like"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_searches_they_served_still_find_the_registration(base_data):
    reg = Registration.objects.exclude(verify_code=None).first()
    for text in (reg.number, reg.id_number, reg.phone):
        found = Registration.objects.filter(selectors.search_condition(text))
        assert reg in found, text
    assert Registration.objects.get(verify_code=reg.verify_code) == reg
