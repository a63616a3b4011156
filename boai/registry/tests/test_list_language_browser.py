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


def test_a_list_seen_is_not_kept_in_the_browser_and_back_shows_what_it_says(page, live_server):
    """htmx would keep a copy of each page it moved away from in the tab's sessionStorage, where the
    list (names, masked numbers) outlived the logout; and Back put a copy's rows under other filters."""
    login(page, live_server.url, "kunming_staff")
    page.goto(f"{live_server.url}/workspace/registrations/?clear=1")
    page.evaluate("sessionStorage.setItem('htmx-history-cache', '[]')")  # as a tab used before the change
    page.reload()
    rows_before = page.locator("table.records tbody tr").count()
    with page.expect_response(lambda r: r.request.method == "POST" and "/workspace/registrations/" in r.url):
        page.select_option("#id_status", "withdrawn")
    page.wait_for_url("**status=withdrawn**")
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
    with page.expect_event("load"):  # the page is loaded again from the server, not from a copy
        page.go_back()
    assert page.input_value("#id_status") == ""
    assert page.locator("table.records tbody tr").count() == rows_before
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
