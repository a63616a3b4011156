"""Every list drawn by ``searchable_list`` keeps its filter fields' HTML (``filter_fields_html``) per
user, language and values: a kept copy never shows another moment's choice, a checkbox included."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.BOAI_MENU_BADGE_SECONDS = 60
    cache.clear()
    client = Client()
    client.force_login(user("prov_admin"))
    return client


def test_the_coordinators_checkbox_follows_the_address(kept):
    def checked(url):
        body = kept.get(url).content.decode()
        box = re.search(r'<input[^>]*name="expiring"[^>]*>', body).group(0)
        return 'type="checkbox"' in box and "checked" in box

    assert checked("/workspace/coordinators/?expiring=on")
    assert not checked("/workspace/coordinators/")
    assert checked("/workspace/coordinators/?expiring=on")


def filter_names(body: str) -> list[str]:
    form = body.split('class="filters"')[1].split("</form>")[0]
    return [n for n in re.findall(r'<(?:select|input)[^>]*name="(\w+)"', form) if n not in ("csrfmiddlewaretoken", "q")]


def test_the_families_filters_show_on_their_list(kept):
    first = filter_names(kept.get("/workspace/care/families/").content.decode())
    assert len(first) >= 2
    assert filter_names(kept.get("/workspace/care/families/").content.decode()) == first  # the kept copy
