"""Issue 12 item 2: a staff search term (a name, an ID number, a phone) is never kept in clear in the
session. The session row is read back from the database as a dump would show it (the raw
``session_data``) and as the session engine decodes it; the list still remembers the search."""

import base64
import re
import zlib

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from boai.core.tests.personas import user
from boai.registry.models import Registration

pytestmark = pytest.mark.django_db


def _client(username):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user(username))
    return client


def _session_texts(client) -> list[str]:
    """Everything a reader of ``django_session`` can get at: the raw column, its payload unsigned
    and decompressed by hand (no key needed), and what the session engine decodes."""
    row = Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    raw = row.session_data
    payload = raw.split(":")[0]
    compressed = payload.startswith(".")
    data = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
    by_hand = (zlib.decompress(data) if compressed else data).decode("utf-8", "replace")
    return [raw, by_hand, repr(row.get_decoded())]


def _digit_runs(text: str) -> set[str]:
    return set(re.findall(r"\d{6,}", text))


def test_an_id_number_searched_by_staff_is_not_in_the_session_row_and_the_list_remembers_it():
    target = Registration.objects.filter(region_id="530102", status="active").first()
    client = _client("wuhua_staff")
    client.post("/workspace/registrations/", {"q": target.id_number})
    texts = _session_texts(client)
    body = target.id_number[:17]
    for text in texts:
        assert target.id_number not in text and body not in text
        assert not any(run in target.id_number for run in _digit_runs(text) if len(run) >= 6)
    page = client.get("/workspace/registrations/").content.decode()  # remembered for the user
    assert re.findall(r">(YN\d{10})<", page) == [target.number]
    client.get("/workspace/registrations/?clear=1")
    assert (
        "registry_search"
        not in Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).get_decoded()
    )


def test_a_name_searched_in_the_certificates_register_is_not_in_the_session_in_clear():
    client = _client("prov_admin")
    client.post("/workspace/certificates/", {"q": "和志刚"})
    for text in _session_texts(client):
        assert "和志刚" not in text and "\\u548c" not in text.lower()
    assert 'value="和志刚"' in client.get("/workspace/certificates/").content.decode()


def test_a_term_kept_in_clear_by_an_older_version_is_forgotten_not_used():
    client = _client("wuhua_staff")
    session = client.session
    session["registry_search"] = "陈晓东"
    session.save()
    page = client.get("/workspace/registrations/")
    assert page.status_code == 200 and 'value="陈晓东"' not in page.content.decode()
