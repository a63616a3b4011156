"""Real Chromium on a phone (390×844): a person becomes a Red Cross coordinator and witnesses a
donation, every step taken on the pages by the role that takes it. The Kunming branch creates the
record, links the person's staff account and applies; the branch and the province approve (a
prefecture applicant skips the county level); the province runs a class with a session, nominates
them, records their attendance and the pass, then their national qualification; the new coordinator
logs in (enrolling their second factor) and records the procurement of 罗永平's organs (a demo case
waiting for it) as its witness. Screenshots go to /tmp/e2e-*.png."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from boai.accounts.roles import Role
from boai.accounts.services import user_create
from boai.cases.demo import load_demo_cases
from boai.cases.models import OrganCase
from boai.core.demo import resident_id
from boai.core.models import Organisation
from boai.core.tests.browser import assert_accessible, fits, main_text, phone_pages, require_chromium
from boai.core.tests.personas import PASSWORD, user

from ..models import Application, Attendance, Coordinator, Enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()

BASE = "/workspace/coordinators"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
NAME = "孙晓梅"
USERNAME = "km_sunxm"
CLERK = "km_clerk"


@pytest.fixture
def as_role(browser, live_server, transactional_base_data):
    """as_role("prov_admin") -> a logged-in phone page of that account (one browser context each)."""
    get, close = phone_pages(browser, live_server.url)
    yield get
    close()


def shot(page, name):
    page.screenshot(path=f"/tmp/e2e-{name}.png", full_page=True)


main = main_text


def submit(page, form_selector, button_text):
    """Click the form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(f"{form_selector} button:has-text('{button_text}')")


def set_the_scene():
    """A coordinator's staff account for the new person (the sysadmin makes it; nobody has linked it)
    and the demo cases: 罗永平's (C-I, own wish, ethics approved) waits for its procurement."""
    account = user_create(
        username=USERNAME,
        password=PASSWORD,
        role=Role.COORDINATOR,
        full_name=NAME,
        organization=Organisation.objects.get(code="RC530100"),
        actor=user("sysadmin"),
    )
    # the clerk who enters and submits; the decision is then another's (coordinators.not_own_submission)
    user_create(
        username=CLERK,
        password=PASSWORD,
        role=Role.BRANCH_STAFF,
        full_name="钱丽",
        organization=Organisation.objects.get(code="RC530100"),
        actor=user("sysadmin"),
    )
    assert load_demo_cases() is True
    case = OrganCase.objects.get(name="罗永平")
    assert case.state == "ethics_approved" and case.region_id == "530111"
    return account, case


def test_an_applicant_becomes_a_coordinator_and_witnesses_a_procurement(as_role, live_server, tmp_path):
    account, case = set_the_scene()
    url = live_server.url
    scan = tmp_path / "申请表.pdf"
    scan.write_bytes(PDF)

    # 1. the Kunming branch creates the record and links the account
    branch = as_role(CLERK)  # a clerk of the Kunming branch
    branch.goto(f"{url}{BASE}/")
    branch.click(f"a[href='{BASE}/new/']")
    branch.fill("#id_name", NAME)
    branch.select_option("#id_id_type", "resident_id")
    branch.fill("#id_id_number", resident_id("530111", date(1990, 4, 12), "F", 27))
    branch.fill("#id_birth_date", "1990-04-12")
    branch.check("input[name=sex][value=F]")
    branch.select_option("#id_organisation", "RC530100")
    branch.select_option("#id_region", "530100")
    branch.fill("#id_phone", "13987650123")
    branch.fill("#id_profession", "护士")
    branch.fill("#id_department", "重症医学科")
    fits(branch)
    shot(branch, "01-record-form")
    submit(branch, "form.portal-form", "保存")
    assert re.search(rf"{BASE}/\d+/$", branch.url), main(branch)[:2000]
    record_url = branch.url
    record = Coordinator.objects.get(name=NAME)
    assert record.region_id == "530100" and record.organisation.code == "RC530100"
    assert "申请人" in branch.inner_text("h1")
    assert "未关联工作账号" in branch.inner_text("#account")
    branch.select_option("#id_account", str(account.pk))
    submit(branch, "form:has(#id_account)", "关联")
    assert account.username in branch.inner_text("#account")
    assert Coordinator.objects.get(pk=record.pk).user_id == account.pk

    # 2. the branch applies for them, with the application form's scan
    branch.click(f"#applications a[href='{BASE}/{record.pk}/apply/']")
    assert "州市级红十字会 → 省级红十字会" in main(branch)  # the levels it will go through
    branch.fill("#id_motivation", "在重症医学科工作八年，愿意参与器官捐献协调工作。")
    branch.set_input_files("#id_documents", str(scan))
    submit(branch, "form", "提交申请")
    application = Application.objects.get(coordinator=record)
    assert branch.url.endswith(f"{BASE}/applications/{application.pk}/"), main(branch)[:2000]
    assert "审核中" in branch.inner_text("h1")
    levels = branch.inner_text(".progress")
    assert levels.splitlines() == ["州市级红十字会 — 正在审核", "省级红十字会 — 尚未审核"], levels  # no county
    assert "待州市级红十字会审核" in branch.inner_text(".lead")
    shot(branch, "02-application")

    # another member of the branch decides at the prefecture level...
    branch = as_role("kunming_staff")
    branch.goto(f"{url}{BASE}/applications/{application.pk}/")
    branch.check("input[name=decision][value=approved]")
    submit(branch, "form:has(input[name=decision])", "提交审核意见")
    assert "审核中" in branch.inner_text("h1") and "待省级红十字会审核" in branch.inner_text(".lead")
    assert branch.locator("input[name=decision]").count() == 0  # the next decision is not theirs
    # ...then the province, from its list of applications awaiting its decision
    province = as_role("prov_admin")
    province.goto(f"{url}{BASE}/applications/")
    province.click(f"a[href='{BASE}/applications/{application.pk}/']")
    province.check("input[name=decision][value=approved]")
    submit(province, "form:has(input[name=decision])", "提交审核意见")
    assert "审核意见已记录：已通过。" in main(province) and "已通过" in province.inner_text("h1")
    assert province.inner_text(".progress").count("— 通过") == 2
    province.click(f"h1 a[href='{BASE}/{record.pk}/']")
    assert "培训中" in province.inner_text("h1")
    assert Coordinator.objects.get(pk=record.pk).state == "trainee"

    # 3. the province adds a course and a provincial class that began three days ago
    today = timezone.localdate()
    province.goto(f"{url}{BASE}/classes/")
    province.click(f"a[href='{BASE}/courses/']")
    province.click(f"a[href='{BASE}/courses/new/']")
    province.fill("#id_title", "人体器官捐献协调员岗前培训")
    province.select_option("#id_kind", "provincial")
    submit(province, "form", "保存")
    assert "人体器官捐献协调员岗前培训" in main(province)
    province.goto(f"{url}{BASE}/classes/")
    province.click(f"a[href='{BASE}/classes/new/']")
    province.select_option("#id_course", label="人体器官捐献协调员岗前培训")
    province.fill("#id_title", "2026年全省协调员培训班")
    province.fill("#id_organiser", "云南省红十字会")
    province.fill("#id_starts_on", (today - timedelta(days=3)).isoformat())
    province.fill("#id_ends_on", today.isoformat())  # results are recorded from the last day
    province.fill("#id_hours", "32")
    province.fill("#id_place", "昆明市五华区")
    province.fill("#id_capacity", "40")
    submit(province, "form", "保存")
    assert re.search(rf"{BASE}/classes/\d+/$", province.url), main(province)[:2000]
    class_path = province.url.removeprefix(url)
    assert province.inner_text("dt:has-text('类别') + dd") == "省级"

    # a session two days ago
    held = today - timedelta(days=2)
    province.fill("#id_day", held.isoformat())
    province.fill("#id_topic", "器官捐献政策法规")
    province.fill("#id_hours", "8")
    submit(province, "form:has(#id_topic)", "添加")
    assert "器官捐献政策法规" in main(province)

    # the province nominates them
    province.select_option("#id_coordinator", label=NAME)
    submit(province, "form:has(#id_coordinator)", "报名")
    enrolment = Enrolment.objects.get(coordinator=record)
    assert f"{NAME}已报名。" in main(province)
    roster = province.locator(f"tr:has(#result-{enrolment.pk})").inner_text()
    assert roster.startswith(f"{NAME}\t昆明市红十字会\t云南省红十字会"), roster  # the branch; nominated by the province

    # attendance: present on the held session
    province.click(f"summary:has-text('{held:%Y-%m-%d}')")
    province.select_option(f"select[name=status-{enrolment.pk}]", "present")
    submit(province, f"form[action$='/attendance/']:has(select[name=status-{enrolment.pk}])", "保存考勤")
    assert "“器官捐献政策法规”的考勤已保存。" in main(province)

    # the result: passed
    province.select_option(f"#result-{enrolment.pk}", "passed")
    province.fill(f"#score-{enrolment.pk}", "92")
    submit(province, f"form[action$='/enrolments/{enrolment.pk}/result/']", "保存成绩")
    enrolment.refresh_from_db()
    assert enrolment.result == "passed"
    assert Attendance.objects.get(enrolment=enrolment).status == "present"
    row = province.locator(f"tr:has(#result-{enrolment.pk})").inner_text()
    assert "合格" in row and "92.0" in row and "8" in row
    fits(province)
    assert_accessible(province)
    shot(province, "03-class")

    # 4. the national qualification, recorded on the coordinator's page
    province.goto(record_url)
    province.click(f"#qualifications a[href='{BASE}/{record.pk}/qualify/']")
    province.fill("#id_number", "YN2026C0101")
    province.fill("#id_issued_on", (today - timedelta(days=1)).isoformat())
    province.set_input_files("#id_scan", str(scan))
    submit(province, "form.form", "登记")
    assert "资格已登记：孙晓梅已成为合格协调员。" in main(province), main(province)[:2000]
    assert "有效" in province.inner_text("h1") and "YN2026C0101" in main(province)
    province.goto(record_url)
    assert "已取得资格" in province.inner_text("h1")
    assert "YN2026C0101" in province.inner_text("#qualifications")
    assert province.get_attribute("#training a:has-text('2026年全省协调员培训班')", "href") == class_path
    assert "合格 (92.0)" in province.inner_text("#training")
    fits(province)
    assert_accessible(province)
    shot(province, "04-coordinator")

    # 5. the new coordinator logs in (their first login enrols the second factor) and records the
    # procurement, as its witness
    coordinator = as_role(USERNAME)
    coordinator.goto(f"{url}/workspace/cases/organ/{case.pk}/")
    coordinator.wait_for_selector("#next-steps")
    coordinator.click("#next-steps a.button:has-text('记录器官获取')")
    coordinator.wait_for_selector("form.form")
    assert coordinator.input_value("#id_outcomes-0-organ") == "kidney"
    coordinator.check("#id_outcomes-0-recovered")
    coordinator.check("#id_outcomes-1-recovered")
    coordinator.check(f"input[name=witnesses][value={USERNAME}]")  # offered: qualified, their area
    coordinator.fill("#id_witness_remarks", "获取过程规范")
    shot(coordinator, "05-procurement")
    coordinator.click("form.form button[type=submit]")
    coordinator.wait_for_selector("#next-steps, .field-error, .msg-error")
    case.refresh_from_db()
    assert case.state == "procured", main(coordinator)[:3000]
    assert "已记录" in main(coordinator)
    witnesses = coordinator.inner_text("#witnesses")
    assert "器官获取" in witnesses and f"协调员 {NAME}" in witnesses, witnesses
    assert "器官已获取" in coordinator.inner_text("h1")
    shot(coordinator, "06-case")
