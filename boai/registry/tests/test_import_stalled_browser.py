"""A stalled import on a county clerk's phone: the notice says what happened and that nothing needs
uploading again; Resume takes it up (the list is checked again) and the page is accessible. A public
look-up past its limit answers with a plain page, also accessible. Screenshots in /tmp/shots-ops/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from boai.core.tests.browser import assert_accessible, main_text, phone_pages, require_chromium
from boai.registry.models import ImportJob
from boai.registry.tests.test_import_export import GOOD, upload, xlsx
from boai.registry.tests.test_import_stalled import clerk  # noqa: F401  (the committing page client)

require_chromium()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots-ops")


def test_a_stalled_import_is_shown_and_resumed_on_a_phone(browser, live_server, transactional_base_data, clerk):  # noqa: F811
    SHOTS.mkdir(exist_ok=True)
    job = upload(clerk, xlsx(GOOD))
    ImportJob.objects.filter(pk=job.pk).update(state="checking", heartbeat_at=timezone.now() - timedelta(minutes=30))
    get, close = phone_pages(browser, live_server.url)
    try:
        page = get("wuhua_staff")
        page.goto(f"{live_server.url}/workspace/registrations/import/{job.pk}/")
        text = main_text(page)
        assert "已停滞" in text and "无需重新上传" in text
        assert page.get_by_role("button", name="继续").is_visible()
        assert page.get_by_role("button", name="取消导入").is_visible()
        page.screenshot(path=str(SHOTS / "import-stalled.png"), full_page=True)
        assert_accessible(page)
        page.get_by_role("button", name="继续").click()
        page.wait_for_load_state()
        job.refresh_from_db()
        assert job.state in ("checking", "checked") and "已停滞" not in main_text(page)
    finally:
        close()


def test_a_look_up_past_its_limit_is_a_plain_accessible_page(browser, live_server, settings):
    SHOTS.mkdir(exist_ok=True)
    settings.BOAI_RATE_LIMITS = {**settings.BOAI_RATE_LIMITS, "verify": "1/m"}
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/verify/?number=00001234")
        answer = page.goto(f"{live_server.url}/verify/?number=00001235")
        assert answer.status == 429 and "请求过于频繁" in page.inner_text("body")
        page.screenshot(path=str(SHOTS / "rate-limited.png"), full_page=True)
        assert_accessible(page)
    finally:
        context.close()
