import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_report_cache():
    """The annual report is cached for a minute: every test starts from an empty cache."""
    cache.clear()
    yield
    cache.clear()
