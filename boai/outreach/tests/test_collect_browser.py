"""Real Chromium on a phone (390×844), the issue's offline test: Wuhua's staff open an event's collection
page with network, go offline, open it again (from the service worker's cache), take two registrations
(one of a person already registered in the area), check that the phone keeps no ID number in clear,
come back online, sync, and see one registered with its number and one returned with its reason. Then an
entry taken outside the event's dates comes back with that reason, an entry this phone cannot read (taken
under an older key) is shown as such without holding up the sync, and logging out erases the key and the
kept page but not the entries waiting. Screenshots go to /tmp/shots-collect/."""

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from boai.core.models import Attachment
from boai.core.tests.browser import assert_accessible, fits, phone_pages, require_chromium
from boai.core.tests.personas import user
from boai.registry.data import PersonData
from boai.registry.models import Registration
from boai.registry.notices import CURRENT
from boai.registry.services import registration_create
from boai.registry.tests.helpers import resident_id

from ..selectors.collect import cache_owner
from .collect_helpers import event_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path("/tmp/shots-collect")
NEW_ID = resident_id("530102", date(1985, 4, 12), "36", "F")
KNOWN_ID = resident_id("530102", date(1962, 9, 30), "58", "M")

RAW_RECORDS = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("boai-collect");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const get = open.result.transaction("entries").objectStore("entries").getAll();
    get.onsuccess = () => resolve(get.result.map((r) => ({
      key: r.key, state: r.state, event: r.event, user: r.user,
      plain: JSON.stringify(r),
      bytes: new TextDecoder("latin1").decode(r.data),
    })));
  };
})"""


@pytest.fixture
def as_role(browser, live_server, transactional_base_data):
    get, close = phone_pages(browser, live_server.url)
    yield get
    close()


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign(page):
    box = page.locator("#c-signature").bounding_box()
    x, y = box["x"], box["y"]
    page.mouse.move(x + 30, y + 120)
    page.mouse.down()
    for dx, dy in ((60, 40), (110, 130), (170, 50), (240, 120), (300, 60)):
        page.mouse.move(x + dx, y + dy, steps=4)
    page.mouse.up()


def take(page, *, name, id_number, phone):
    page.fill("#c-name", name)
    page.fill("#c-id", id_number)
    page.fill("#c-phone", phone)
    page.select_option("#c-region", "530102")
    page.check("input[name=organs_all]")
    page.check("#c-attested")
    page.check("#c-consent")
    sign(page)
    page.click("#collect-save")
    page.wait_for_selector("#collect-form-error.msg-success")


def test_entries_taken_offline_land_or_come_back_with_their_reason(as_role, live_server):
    event = event_today(region="530102", title="五华区登记日（山区）")
    registration_create(
        actor=user("prov_admin"),
        channel="paper",
        consent_version=CURRENT,
        data=PersonData(
            name="杨国华",
            id_type="resident_id",
            id_number=KNOWN_ID,
            phone="13911112222",
            region_code="530102",
            organs=["all"],
        ),
    )
    page = as_role("wuhua_staff")
    url = f"/workspace/outreach/events/{event.pk}/collect/"
    page.goto(live_server.url + url)
    page.wait_for_selector("#collect[data-offline-ready='1']")
    assert_accessible(page)
    fits(page)
    shot(page, "1-online")

    # no network: the page opens again, from the service worker's cache
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#collect-online.badge-offline")
    assert event.title in page.inner_text("h1")

    # a refused check stays on the phone's form, beside its field
    page.fill("#c-id", NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1"))
    page.click("#collect-save")
    assert page.locator("#c-id-error").is_visible()
    assert page.locator("#c-signature-error").is_visible()
    shot(page, "2-checks")
    today = timezone.localdate()
    page.fill("#c-id", resident_id("530102", date(today.year - 17, 1, 1), "11", "M"))
    page.fill("#c-phone", "2380000123")
    page.click("#collect-save")
    assert "18" in page.inner_text("#c-id-error")  # only adults
    assert page.locator("#c-phone-error").is_visible()
    page.fill("#c-id", "")

    take(page, name="赵雪梅", id_number=NEW_ID, phone="13700001234")
    take(page, name="杨国华", id_number=KNOWN_ID, phone="13911112222")
    assert page.inner_text("#collect-waiting") == "2"
    records = page.evaluate(RAW_RECORDS)
    assert len(records) == 2 and {r["state"] for r in records} == {"waiting"}
    for record in records:
        for number in (NEW_ID, KNOWN_ID, "13700001234", "赵雪梅"):
            assert number not in record["plain"] and number not in record["bytes"]
    fits(page)
    shot(page, "3-offline-waiting")

    # back online: the page syncs by itself ("Sync now" is pressed further down)
    page.context.set_offline(False)
    page.wait_for_selector("#collect-online.badge-online")
    page.wait_for_selector("#collect-list li[data-state='landed']")
    page.wait_for_selector("#collect-list li[data-state='returned']")
    landed = page.inner_text("#collect-list li[data-state='landed']")
    returned = page.inner_text("#collect-list li[data-state='returned']")
    number = re.search(r"YN\d{10}", landed).group(0)
    assert "赵雪梅" in landed
    assert "此人已有一份有效的意愿登记" in returned  # "This person already has an active registration."
    assert page.inner_text("#collect-waiting") == "0"
    assert_accessible(page)
    shot(page, "4-synced")

    reg = Registration.objects.get(number=number)
    assert (reg.channel, reg.campaign, reg.id_number) == ("event_offline", event.code, NEW_ID)
    assert Registration.objects.filter(campaign=event.code).count() == 1
    signature = Attachment.objects.filter(owner_type="registry.registration", owner_id=str(reg.pk), kind="signature")
    assert signature.exists()
    left = page.evaluate(RAW_RECORDS)
    assert [r["state"] for r in left] == ["returned"]  # the landed one is erased from the phone
    assert json.dumps(left).count(NEW_ID) == 0

    # a returned entry is removed after the question (phone_pages accepts it)
    page.click("#collect-list li[data-state='returned'] button.danger")
    page.wait_for_selector("#collect-list li[data-state='returned']", state="detached")
    assert page.evaluate(RAW_RECORDS) == []

    # an entry that this phone cannot read (saved under an older key) and one taken outside the event's
    # dates: the first is shown as unreadable, the second is synced and comes back with its reason
    first = timezone.localdate() - timedelta(days=6)
    event.starts_on, event.ends_on = first, first + timedelta(days=1)
    event.save(update_fields=["starts_on", "ends_on"])
    page.evaluate(
        """([event, user]) => new Promise((resolve, reject) => {
          const open = indexedDB.open("boai-collect");
          open.onsuccess = () => {
            const t = open.result.transaction("entries", "readwrite");
            t.objectStore("entries").put({
              key: crypto.randomUUID(), event: event, user: user, state: "waiting", created: "2000-01-01T00:00:00Z",
              kv: "0ld0ld00", iv: new Uint8Array(12), data: new Uint8Array(64).buffer,
            });
            t.oncomplete = () => resolve(true);
            t.onerror = () => reject(t.error);
          };
        })""",
        [str(event.pk), str(user("wuhua_staff").pk)],
    )
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#collect-list li[data-state='unreadable']")
    take(page, name="钱小红", id_number=resident_id("530102", date(1990, 6, 1), "44", "F"), phone="13700005678")
    # the network coming back syncs by itself (the badge turns green in the same handler): no click here,
    # or a click after that sync has finished would find nothing waiting and say so
    page.context.set_offline(False)
    page.wait_for_selector("#collect-online.badge-online")
    page.wait_for_selector("#collect-list li[data-state='returned']")
    returned = page.inner_text("#collect-list li[data-state='returned']")
    assert "钱小红" in returned and first.isoformat() in returned  # outside the event's dates
    unreadable = page.inner_text("#collect-list li[data-state='unreadable']")
    messages = {
        m: page.inner_text(f"#collect-messages [data-msg={m}]") for m in ("network", "synced", "nothing", "unreadable")
    }
    assert messages["unreadable"] in unreadable
    sync_message_is = "(text) => document.getElementById('collect-sync-message').textContent === text"
    page.wait_for_function(sync_message_is, arg=messages["synced"])
    assert page.inner_text("#collect-waiting") == "0"
    # "Sync now" once everything readable has gone: the unreadable entry is not sent, and the page says so
    page.click("#collect-sync")
    page.wait_for_function(sync_message_is, arg=messages["nothing"])
    assert page.locator("#collect-list li[data-state='unreadable']").count() == 1
    fits(page)
    shot(page, "5-unreadable-and-outside-dates")

    # the page is kept under this account's name only, and holds neither the key nor an entry
    kept = f"boai-collect-page-{cache_owner(user('wuhua_staff'))}"
    assert [n for n in page.evaluate("() => caches.keys()") if n.startswith("boai-collect-page-")] == [kept]
    cached = page.evaluate(
        "([name, url]) => caches.open(name).then((c) => c.match(url)).then((r) => r.text())", [kept, url]
    )
    slot = page.evaluate("() => Object.keys(sessionStorage).find((k) => k.startsWith('boai-collect-key-'))")
    key = json.loads(page.evaluate("(slot) => sessionStorage.getItem(slot)", slot))
    assert event.title in cached and key["key"] not in cached and key["version"] not in cached
    assert "钱小红" not in cached and "赵雪梅" not in cached

    # logging out erases the key and the kept page; the entries waiting stay (encrypted)
    page.click("form[data-logout] button")
    page.wait_for_url("**/login/**")
    names = page.evaluate("() => caches.keys()")
    assert not [n for n in names if n.startswith("boai-collect-")]
    assert not page.evaluate("() => Object.keys(sessionStorage).filter((k) => k.startsWith('boai-collect-key-'))")
    assert {r["state"] for r in page.evaluate(RAW_RECORDS)} == {"waiting", "returned"}
