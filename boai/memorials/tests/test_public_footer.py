"""The public pages' footer lists every programme's public pages (each app's ``menu.PUBLIC``), so a
visitor of the portal finds the certificate check, the ledger and the memorial wall."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/verify/", "/ledger/", "/memorial/"])
def test_every_public_page_links_to_the_others(path, english):
    html = Client().get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    footer = html[html.index('<footer class="public-footer">') :]
    for href, label in [
        ("/verify/", "Verify a certificate"),
        ("/ledger/", "Public ledger"),
        ("/memorial/", "Memorial wall"),
    ]:
        assert f'href="{href}"' in footer and label in footer
