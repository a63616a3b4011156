"""Issue 16, "Done when", end to end in a real Chromium: the province's administrator logs in, opens the
statistics dashboard from the menu, chooses a year of the hand-counted data set (``dataset.EXPECTED``),
clicks Kunming on the map and reads its table by county; then goes to the annual report through the
menu, chooses the same year, downloads the PDF and finds in its text the year's figures of the data set
(the registrations, the organ donations and the rest, in the sentences and the totals table)."""

import subprocess

import pytest

from boai.core.figures import figure
from boai.core.models import Region
from boai.core.tests.browser import login, require_chromium
from boai.stats.selectors.annual import PUBLISHED
from boai.stats.selectors.report import number, sentences

from .dataset import COUNTY, EXPECTED, build, expected
from .test_dashboard_browser import click_prefecture, county_rows
from .test_figures_agree import pdf_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

YEAR = 2025
DESKTOP = {"width": 1280, "height": 900}


def from_menu(page, url):
    """Follow the menu's link to ``url`` (the menu folds behind its button on a narrow screen)."""
    toggle = page.locator(".nav-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.locator(f"#ws-nav a[href='{url}']").click()
    page.wait_for_url(f"**{url}**")


def test_the_province_goes_from_the_dashboard_to_the_years_report_pdf(browser, live_server, transactional_base_data):
    kunming_counties = dict(Region.objects.filter(code__startswith="5301", level="county").values_list("code", "name"))
    registrations = figure("registry.registrations")
    counties = {code: registrations.count(YEAR, code) for code in kunming_counties}
    after = expected(build())
    counties[COUNTY["5301"]] += EXPECTED[(YEAR, "5301")]["registrations"]  # the data set's Kunming county
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        login(page, live_server.url, "prov_admin")
        from_menu(page, "/workspace/stats/")
        page.select_option("#dash-year", str(YEAR))
        page.click("#dash-form button[type=submit]")
        page.wait_for_url(f"**year={YEAR}**")
        page.wait_for_selector("#dash[data-ready='1']")
        key = dict(
            page.eval_on_selector_all(
                "#key-table tbody tr", "rows => rows.map(r => [r.cells[0].innerText, r.cells[1].innerText])"
            )
        )
        label = str(figure("registry.registrations").label)
        assert key[label].replace(",", "") == str(after[(YEAR, "53")]["registrations"])
        assert page.is_hidden("#county-section")
        click_prefecture(page, "昆明市")
        page.locator("#county-title", has_text="昆明市").wait_for()
        assert county_rows(page) == {name: counties[code] for code, name in kunming_counties.items()}
        assert county_rows(page)[kunming_counties[COUNTY["5301"]]] >= EXPECTED[(YEAR, "5301")]["registrations"] > 0

        from_menu(page, "/workspace/stats/report/")
        page.fill("#id_year", str(YEAR))
        page.fill("#id_year_to", "")
        page.select_option("#id_region", "530000")
        page.click("#report-form button[type=submit]")
        page.wait_for_selector("#report-preview")
        totals = after[(YEAR, "53")]
        written = sentences(totals, area="云南省", first=YEAR, last=YEAR)
        assert page.locator(".report-sentence").all_inner_texts() == written
        with page.expect_download() as info:
            page.click("#report-downloads a[href*='format=pdf']")
        download = info.value
        assert download.suggested_filename == f"annual-report-530000-{YEAR}.pdf"
        content = open(download.path(), "rb").read()
        assert content.startswith(b"%PDF")
    finally:
        context.close()
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    text = text.stdout.decode()
    assert str(YEAR) in text and "云南省" in text
    flat = "".join(text.split())
    for sentence in written:  # "...完成器官捐献 N 例...登记 N 人..." with the data set's numbers
        assert "".join(sentence.split()) in flat, sentence
    lines = pdf_rows(text)
    for name, code in PUBLISHED:  # the totals table: each figure's label and the year's value
        assert [str(figure(code).label), number(totals[name])] in lines, name
    assert totals["registrations"] >= EXPECTED[(YEAR, "53")]["registrations"] == 3
    assert totals["organ_donations"] >= EXPECTED[(YEAR, "53")]["organ_donations"] == 2
