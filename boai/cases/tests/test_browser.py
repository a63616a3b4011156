"""Real Chromium: an organ case from referral to closing and a body case from the notice to the
honour, each step taken on the staff pages by the role the law gives it."""

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from boai.cases.models import BodyCase, OrganCase
from boai.core.tests.browser import login, require_chromium
from boai.core.tests.personas import user
from boai.registry.models import Registration
from boai.registry.services import registration_mark_deceased
from boai.registry.tests.helpers import resident_id

from .helpers import PDF, consent_form_number, fill_relative, signer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

SHOTS = Path(os.environ["BOAI_SCREENSHOTS"]) if os.environ.get("BOAI_SCREENSHOTS") else None


@pytest.fixture
def as_role(browser, live_server, transactional_base_data):
    """as_role("coordinator") -> a logged-in page of that persona (one browser context each)."""
    contexts, pages = [], {}

    def get(username):
        if username not in pages:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
            contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(15000)
            page.on("dialog", lambda dialog: dialog.accept())
            login(page, live_server.url, username)
            pages[username] = page
        return pages[username]

    yield get
    for context in contexts:
        context.close()


def shot(page, name):
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def open_case(page, url):
    page.goto(url)
    page.wait_for_selector("#next-steps")


def take_step(page, label, fill=None, name=None):
    """Click the step's button on the case page, fill its form, record it, land back on the case."""
    page.click(f"#next-steps a.button:has-text('{label}')")
    page.wait_for_selector("form.form")
    if fill:
        fill(page)
    if name:
        shot(page, name)
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#next-steps, .field-error, .msg-error")
    assert "已记录" in page.inner_text("main"), page.inner_text("main")[:3000]


def local(delta_hours: float) -> str:
    """A time ``delta_hours`` ago, as the page's date-time field takes it."""
    return (timezone.localtime() - timedelta(hours=delta_hours)).strftime("%Y-%m-%dT%H:%M")


def refer(page, live_server, name, id_number, hours_ago):
    page.goto(f"{live_server.url}/workspace/cases/organ/")
    page.click("text=转介潜在捐献者")
    page.fill("#id_name", name)
    page.fill("#id_id_number", id_number)
    page.select_option("#id_region", "530102")
    page.fill("#id_diagnosis", "重型颅脑损伤")
    page.fill("#id_referred_at", local(hours_ago))
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#next-steps")
    return page.url


def evaluate(page, category, hours_ago):
    def fill(p):
        p.fill("#id_occurred_at", local(hours_ago))
        p.check(f"input[name=category][value={category}]")
        p.fill("#id_procurement_team", "张刚、李伟")
        p.fill("#id_transplant_team", "王敏")

    take_step(page, "开始医学评估", fill)


def submit_refused(page, label, fill, rule):
    """Fill the step's form and submit: the page stays on the form, naming ``rule``; nothing is recorded."""
    page.click(f"#next-steps a.button:has-text('{label}')")
    page.wait_for_selector("form.form")
    fill(page)
    page.click("form.form button[type=submit]")
    page.wait_for_selector(".field-error, .msg-error, .errorlist")
    assert rule in page.inner_text("main"), page.inner_text("main")[:3000]
    page.go_back()


def ethics(votes_for, votes_against, scan):
    def fill(p):
        p.fill("#id_members_total", "9")
        p.fill("#id_members_present", "9")
        p.fill("#id_votes_for", str(votes_for))
        p.fill("#id_votes_against", str(votes_against))
        for name in ("wish_genuine", "consent_lawful", "no_sale", "medical_assessment", "principles"):
            p.check(f"input[name=matter_{name}][value=yes]")
        p.set_input_files("#id_scan", str(scan))

    return fill


def test_a_c1_case_on_the_deceased_registrants_own_wish_from_referral_to_closing(as_role, live_server, tmp_path):
    """C-I: a registrant marked deceased is referred; their own wish carries the consent; brain death is
    determined twice, 13 hours apart, before the family is approached; the ethics vote of 5 of 9 members
    is refused, 6 of 9 accepted; the coordinator witnesses the procurement and the allocation."""
    scan = tmp_path / "决定书.pdf"
    scan.write_bytes(PDF)
    reg = Registration.objects.filter(status="active", organs=["all"]).order_by("id").first()
    registration_mark_deceased(registration=reg, actor=user("wuhua_staff"), died_on=timezone.localdate())
    opo = as_role("opo_staff")
    url = refer(opo, live_server, reg.name, reg.id_number, 16)
    assert reg.number in opo.inner_text("main")
    evaluate(opo, "c1", 15.5)
    first = lambda p: (p.fill("#id_occurred_at", local(14)), p.fill("#id_physicians", "赵军、钱红"))  # noqa: E731
    take_step(opo, "记录第一次脑死亡判定", first)
    take_step(
        opo, "记录第二次脑死亡判定", lambda p: p.fill("#id_physicians", "赵军、孙丽"), name="case-organ-c1-second"
    )

    coordinator = as_role("coordinator")
    open_case(coordinator, url)
    take_step(coordinator, "记录接触家属")

    def own_wish(p):
        p.check("input[name=basis][value=written_intent]")
        p.check("input[name=organs][value=kidney]")
        p.check("input[name=organs][value=liver]")
        fill_relative(p, 0, signer("spouse", "51"))
        p.fill("#id_consent_form_number", number)
        p.set_input_files("#id_scan", str(scan))

    number = consent_form_number(OrganCase.objects.get().pk)  # a blank consent form the unit received
    take_step(coordinator, "记录同意书", own_wish, name="case-organ-consent")
    assert number in coordinator.inner_text("#consent-form")  # the case page shows the consent form used

    open_case(opo, url)
    submit_refused(opo, "记录伦理审查通过", ethics(5, 4, scan), "ethics.two_thirds_of_members")
    assert OrganCase.objects.get().state == "consented"
    open_case(opo, url)
    take_step(opo, "记录伦理审查通过", ethics(6, 3, scan), name="case-organ-ethics")

    open_case(coordinator, url)

    def procure(p):
        assert p.input_value("#id_outcomes-0-organ") == "kidney"  # the consented organs, filled in
        p.check("#id_outcomes-0-recovered")
        p.select_option("#id_outcomes-1-reason", "function")
        assert p.is_checked("input[name=witnesses][value=coordinator]")
        p.fill("#id_witness_remarks", "获取过程规范")

    take_step(coordinator, "记录器官获取", procure, name="case-organ-procurement")

    open_case(opo, url)

    def allocate(p):
        p.fill("#id_allocations-0-allocation_ref", "COTRS-2026-0001")
        p.fill("#id_allocations-0-recipients", "2")
        p.check("input[name=witnesses][value=coordinator]")
        p.fill("#id_witness_remarks", "分配结果与系统一致")

    take_step(opo, "记录器官分配", allocate)

    open_case(coordinator, url)

    def close(p):
        p.check("#id_body_restored")
        p.check("input[name=handed_to][value=family]")
        p.fill("#id_contact_name", "普丽")
        p.select_option("#id_contact_relationship", "spouse")
        p.fill("#id_contact_phone", "13700003333")

    take_step(coordinator, "结案", close)
    case = OrganCase.objects.get()
    assert case.state == "closed" and case.beneficiaries == 2 and case.counted_at
    assert case.donation_category == "c1"
    assert sorted(case.witnesses.values_list("kind", flat=True)) == ["allocation", "procurement"]
    text = coordinator.inner_text("main")
    assert "此案例已结束" in text and "C-I" in text
    timeline = coordinator.locator(".case-timeline > li").all_inner_texts()
    assert len(timeline) == 10 and "协调员 杨洁" in timeline[4]
    reg.refresh_from_db()
    assert reg.status == "deceased" and reg.donated_on
    shot(coordinator, "case-organ-closed")


def fill_notice(page, scan, *, name, id_number, notifier):
    """The body donation notice as a clerk or a station fills it: a joint donation by the one adult child."""
    page.fill("#id_name", name)
    page.fill("#id_id_number", id_number)
    page.select_option("#id_region", "530102")
    page.fill("#id_died_at", "2026-11-20T06:30")
    page.fill("#id_place_of_death", "五华区家中")
    page.fill("#id_notifier_name", notifier)
    page.select_option("#id_notifier_relationship", "child")
    page.fill("#id_notifier_phone", "13900002222")
    fill_relative(page, 0, signer("child", "61"))
    page.check("#id_family_complete")
    page.set_input_files("#id_scan", str(scan))


def test_a_c2_case_whose_family_revokes_consent_before_procurement(as_role, live_server, tmp_path):
    scan = tmp_path / "撤回书.pdf"
    scan.write_bytes(PDF)
    opo = as_role("opo_staff")
    url = refer(opo, live_server, "普华明", resident_id("530102", date(1971, 5, 6), "31", "M"), 3)
    assert "未在登记库中" in opo.inner_text("main")
    evaluate(opo, "c2", 2.5)

    def decided(p):
        p.fill("#id_occurred_at", local(2))
        p.fill("#id_decided_by", "普丽")
        p.select_option("#id_decided_by_relationship", "spouse")

    take_step(opo, "记录家属撤除生命支持的决定", decided)

    coordinator = as_role("coordinator")
    open_case(coordinator, url)
    take_step(coordinator, "记录接触家属")

    def consent(p):
        p.check("input[name=basis][value=family]")
        for i, s in enumerate([signer("spouse", "51"), signer("child", "52"), signer("parent", "53")]):
            fill_relative(p, i, s)
        p.check("#id_family_complete")
        p.check("input[name=organs][value=kidney]")
        p.fill("#id_consent_form_number", consent_form_number(OrganCase.objects.get().pk))
        p.set_input_files("#id_scan", str(scan))

    take_step(coordinator, "记录同意书", consent)

    def revoke(p):
        p.fill("#id_revoked_by", "普丽")
        p.select_option("#id_revoked_by_relationship", "spouse")
        p.fill("#id_reason", "家属商议后决定不再捐献")
        p.set_input_files("#id_scan", str(scan))

    coordinator.click("#next-steps a.button:has-text('家属书面撤回同意')")
    coordinator.wait_for_selector("form.form")
    revoke(coordinator)
    shot(coordinator, "case-organ-revocation")
    coordinator.click("form.form button[type=submit]")  # confirms (the dialog is accepted)
    coordinator.wait_for_selector("#next-steps, .field-error, .msg-error")
    case = OrganCase.objects.get()
    assert case.state == "declined" and case.counted_at is None, coordinator.inner_text("main")[:2000]
    text = coordinator.inner_text("main")
    assert "此案例已结束" in text and "家属商议后决定不再捐献" in text and "撤回" in text
    assert case.steps.last().step == "consent_revoked"


def start_notice(page, live_server, tmp_path):
    """Open the body donation notice form from the list; the scan its documents attach."""
    scan = tmp_path / "consent.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page.goto(f"{live_server.url}/workspace/cases/body/")
    page.click("text=登记遗体捐献通知")
    return scan


def test_a_body_case_from_notice_to_honour(as_role, live_server, tmp_path):
    clerk = as_role("wuhua_staff")
    scan = start_notice(clerk, live_server, tmp_path)
    fill_notice(
        clerk, scan, name="李淑芬", id_number=resident_id("530102", date(1950, 2, 3), "41", "F"), notifier="李明"
    )
    clerk.select_option("#id_station", label="昆明医科大学遗体接收站")
    shot(clerk, "case-body-notice")
    clerk.click("form.form button[type=submit]")
    clerk.wait_for_selector("#next-steps")
    url = clerk.url
    assert BodyCase.objects.get().basis == "joint"
    # the clerk sees the station's steps, but blocked for their role
    assert "此步骤由遗体接收站工作人员办理" in clerk.inner_text("#next-steps")

    station = as_role("station_staff")
    open_case(station, url)
    today = timezone.localdate().isoformat()

    def accept(p):
        p.fill("#id_death_certificate_number", "J530102260001")
        p.fill("#id_death_certificate_date", "2026-11-20")
        p.set_input_files("#id_death_certificate_scan", str(scan))

    take_step(station, "同意接收", accept, name="case-body-accept")

    def receive(p):
        p.fill("#id_handover_on", today)
        p.set_input_files("#id_handover_scan", str(scan))
        p.fill("#id_transported_by", "昆明殡仪馆 王师傅")
        p.fill("#id_transported_at", f"{today}T00:01")

    take_step(station, "记录遗体接收", receive, name="case-body-receive")
    # the donation is completed: the branch honours the donor now, the case keeps its place
    open_case(clerk, url)
    take_step(clerk, "记录缅怀", lambda p: p.fill("#id_note", "清明缅怀活动"))
    case = BodyCase.objects.get()
    assert case.state == "received" and case.honoured_at and case.counted_at
    assert case.certificates.filter(kind="body_honour").count() == 1
    open_case(station, url)
    take_step(station, "记录用途", lambda p: p.check("input[name=purpose][value=teaching]"))
    take_step(
        station,
        "记录遗体处理",
        lambda p: (p.fill("#id_cremated_on", today), p.check("input[name=ashes][value=returned]")),
    )
    open_case(clerk, url)
    take_step(clerk, "结案")
    case.refresh_from_db()
    assert case.state == "closed"
    text = clerk.inner_text("main")
    assert "交接协议书签署日期" in text and "昆明殡仪馆 王师傅" in text and "教学" in text
    shot(clerk, "case-body-closed")
    assert json.dumps(case.steps.get(to_state="honoured").data, ensure_ascii=False).count("清明") == 1


def test_a_station_told_by_the_family_opens_the_case_itself(as_role, live_server, tmp_path):
    station = as_role("station_staff")
    scan = start_notice(station, live_server, tmp_path)
    assert station.is_disabled("#id_station")  # its own station, not a choice
    assert "昆明医科大学遗体接收站" in station.inner_text("#id_station")
    fill_notice(
        station, scan, name="孙志远", id_number=resident_id("530102", date(1936, 8, 8), "76", "M"), notifier="孙明"
    )
    station.fill("#id_death_certificate_number", "J530102260002")
    station.fill("#id_death_certificate_date", "2026-11-20")
    station.set_input_files("#id_death_certificate_scan", str(scan))
    shot(station, "case-body-station-notice")
    station.click("form.form button[type=submit]")
    station.wait_for_selector("#next-steps")
    case = BodyCase.objects.get()
    assert case.station.code == "RS-KMU" and case.death_certificate_number == "J530102260002"
    take_step(station, "同意接收")  # the death certificate came with the notice
    shot(station, "case-body-station-accepted")
