"""A clerk filters the registration list in place (htmx moves the address on), then switches the
language: the list comes back in the other language with the same filters, not as it was loaded."""

import pytest

from boai.core.tests.browser import login, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


@pytest.fixture
def page(browser, live_server, transactional_base_data):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_switching_language_keeps_the_filters_chosen_in_place(page, live_server):
    login(page, live_server.url, "kunming_staff")
    page.goto(f"{live_server.url}/workspace/registrations/?clear=1")
    with page.expect_response(lambda r: r.request.method == "POST" and "/workspace/registrations/" in r.url):
        page.select_option("#id_status", "withdrawn")
    page.wait_for_url("**status=withdrawn**")
    page.click(".lang-form button[value=en]")
    page.wait_for_load_state()
    assert "status=withdrawn" in page.url and "clear" not in page.url
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.input_value("#id_status") == "withdrawn"
    assert "Donation intent registrations" in page.inner_text("h1")
