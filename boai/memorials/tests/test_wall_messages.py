"""Families' messages for the wall: sent with the family's code (wrong code: a clear message, nothing
written), checked (empty, too long, links, hidden characters), limited per network, and published
only once staff approved them, in the staff's scope."""

from datetime import timedelta

import pytest
from django.test.utils import override_settings
from django.utils import timezone, translation

from boai.audit.models import AuditEntry
from boai.core.errors import Conflict, InvalidFields, InvalidInput, RateLimited
from boai.core.tests.personas import user

from ..models import WallMessage
from ..selectors.wall import pending_count
from ..services import wall as services
from .wall_helpers import client, consent, fresh_rate_limits, snapshot  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

FORM = "/memorial/message/"


def post(code, text="爸爸，我们想您。", signed="女儿", **extra):
    return client().post(FORM, {"code": code, "text": text, "signed": signed}, **extra)


def test_a_family_sends_a_message_with_its_code_and_it_waits_for_staff():
    entry, code = consent()
    response = post(services.show_code(code).lower())  # typed in small letters, with the dash
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    message = WallMessage.objects.get(entry=entry)
    assert (message.text, message.signed, message.state) == ("爸爸，我们想您。", "女儿", WallMessage.State.PENDING)
    assert AuditEntry.objects.filter(action="memorials.wall.message_sent", object_id=str(message.pk)).exists()


def test_a_wrong_code_is_refused_with_a_clear_message_and_nothing_written():
    consent()
    before = snapshot()
    response = post("ACDE-FGHJ")
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "This code is not right. Check the code on the slip the Red Cross staff gave your family, "
        "or ask them for a new one."
    ]
    assert snapshot() == before


def test_the_code_of_a_withdrawn_consent_no_longer_works():
    entry, code = consent()
    services.wall_consent_withdraw(entry=entry, actor=user("wuhua_staff"))
    before = snapshot()
    with pytest.raises(InvalidInput):
        services.wall_message_submit(code=code, text="还在吗", signed="", ip="10.0.0.2")
    assert snapshot() == before


def test_the_code_is_never_stored_in_clear():
    entry, code = consent()
    services.wall_message_submit(code=code, text="想您", signed="", ip="10.0.0.3")
    stored = str(list(entry.__class__.objects.values())) + str(list(WallMessage.objects.values()))
    stored += str(list(AuditEntry.objects.values_list("changes", "object_repr")))
    assert code not in stored and services.show_code(code) not in stored


@pytest.mark.parametrize(
    "text, signed, field, says",
    [
        ("", "女儿", "text", "Write your message."),
        ("   \n  ", "女儿", "text", "Write your message."),
        ("念" * 301, "女儿", "text", "at most 300 characters, it has 301"),
        ("请看 https://example.com 的照片", "女儿", "text", "web address"),
        ("加我 www.example.cn", "女儿", "text", "web address"),
        ("联系 someone@example.com", "女儿", "text", "web address"),
        ("看这里 example.com", "女儿", "text", "web address"),
        ("想您\u202e反向", "女儿", "text", "U+202E"),
        ("想\u200b您", "女儿", "text", "U+200B"),
        ("想您\x07", "女儿", "text", "U+0007"),
        ("想您", "女\u202e儿", "signed", "U+202E"),
        ("想您", "女" * 33, "signed", "too long"),
        ("想您", "女儿\n儿子", "signed", "one line"),
    ],
)
def test_bad_messages_are_refused_with_a_message_and_nothing_written(text, signed, field, says, english):
    _entry, code = consent()
    before = snapshot()
    with pytest.raises(InvalidFields) as refused:
        services.wall_message_submit(code=code, text=text, signed=signed, ip="10.0.0.4")
    assert says in " ".join(refused.value.errors[field])
    assert snapshot() == before


def test_a_refused_message_is_shown_on_the_form():
    _entry, code = consent()
    before = snapshot()
    response = post(code, text="看 http://x.cn")
    assert response.status_code == 200 and "web address" in response.content.decode()
    response = post(code, text="")
    assert response.status_code == 200 and response.context["form"].errors["text"]
    assert snapshot() == before


def test_line_breaks_and_full_width_spaces_are_kept():
    entry, code = consent()
    services.wall_message_submit(code=code, text="第一行\r\n第二行　想您", signed="", ip="10.0.0.5")
    assert WallMessage.objects.get(entry=entry).text == "第一行\n第二行　想您"


def test_exactly_300_characters_are_accepted():
    entry, code = consent()
    services.wall_message_submit(code=code, text="念" * 300, signed="", ip="10.0.0.6")
    assert WallMessage.objects.filter(entry=entry).count() == 1


def same_group(code, n):
    """``n`` wrong codes whose keyed hash starts like ``code``'s (so they fall in its group)."""
    found, i = [], 0
    while len(found) < n:
        guess = f"{i:08d}".translate(str.maketrans("0123456789", "ACDEFGHJKM"))
        group = services.code_hash(guess)[: services.PREFIX]
        if guess != code and group == services.code_hash(code)[: services.PREFIX]:
            found.append(guess)
        i += 1
    return found


def other_groups(code, n):
    found, i = [], 0
    while len(found) < n:
        guess = f"{i:08d}".translate(str.maketrans("0123456789", "NPQRTUVWXY"))
        if services.code_hash(guess)[: services.PREFIX] != services.code_hash(code)[: services.PREFIX]:
            found.append(guess)
        i += 1
    return found


@override_settings(BOAI_WALL_MESSAGES_PER_IP_PER_HOUR=3)
def test_guessing_codes_is_stopped_with_the_real_wait():
    _entry, code = consent()
    guesses = same_group("AAAAAAAA", 3)
    for guess in guesses:
        assert post(guess, REMOTE_ADDR="10.9.9.9").status_code == 200
    before = snapshot()
    response = post(guesses[0], REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode() and "60 minutes" in response.content.decode()
    assert snapshot() == before
    # another network is not held back
    assert post("AAAAAAAA", REMOTE_ADDR="10.8.8.8").status_code == 200


@override_settings(BOAI_WALL_MESSAGES_PER_IP_PER_HOUR=3)
def test_a_right_code_is_not_refused_because_others_on_the_network_failed():
    _entry, code = consent()
    for guess in other_groups(code, 12):  # twelve wrong codes from the same network
        with pytest.raises(InvalidInput):
            services.wall_message_submit(code=guess, text="想您", signed="", ip="10.7.7.7")
    services.wall_message_submit(code=code, text="想您", signed="", ip="10.7.7.7")
    assert WallMessage.objects.count() == 1


@override_settings(BOAI_WALL_MESSAGES_PER_IP_PER_HOUR=2)
def test_empty_or_too_long_messages_are_not_attempts():
    _entry, code = consent()
    for _i in range(5):
        with pytest.raises(InvalidFields):
            services.wall_message_submit(code=code, text="", signed="", ip="10.6.6.6")
        with pytest.raises(InvalidFields):
            services.wall_message_submit(code=code, text="念" * 301, signed="", ip="10.6.6.6")
    services.wall_message_submit(code=code, text="想您", signed="", ip="10.6.6.6")


@override_settings(BOAI_WALL_MESSAGES_PER_IP_PER_HOUR=2)
def test_the_window_slides_and_the_wait_is_told_in_minutes():
    _entry, code = consent()
    start = timezone.now()
    wrong = same_group(code, 3)
    for guess, minutes in zip(wrong[:2], (0, 20), strict=True):
        with pytest.raises(InvalidInput):
            services.wall_message_submit(
                code=guess, text="想您", signed="", ip="10.5.5.5", now=start + timedelta(minutes=minutes)
            )
    with pytest.raises(RateLimited) as refused, translation.override("en"):
        later = start + timedelta(minutes=45)
        services.wall_message_submit(code=code, text="想您", signed="", ip="10.5.5.5", now=later)
    with translation.override("en"):
        assert "in 15 minutes" in str(refused.value.message)
    # an hour after the first wrong code, one slot is free again (not at the top of the clock hour)
    services.wall_message_submit(code=code, text="想您", signed="", ip="10.5.5.5", now=start + timedelta(minutes=61))


@pytest.mark.parametrize(
    "text",
    [
        "王小明 13812345678",
        "电话１３８１２３４５６７８",
        "打 138 1234 5678",
        "身份证 5301-0219-8001",
        "号码1234567",
        "0871-65432100",
        "5301 0219 8001 0112 34",
    ],
)
def test_phone_and_id_numbers_are_refused(text, english):
    _entry, code = consent()
    before = snapshot()
    with pytest.raises(InvalidFields) as refused:
        services.wall_message_submit(code=code, text=text, signed="", ip="10.4.4.4")
    assert "phone numbers or ID numbers" in " ".join(refused.value.errors["text"])
    assert snapshot() == before


def test_short_numbers_like_years_and_dates_are_kept():
    entry, code = consent()
    text = "2024年4月4日清明，123456；2024-04-04 又来看您；1958-2024"
    services.wall_message_submit(code=code, text=text, signed="", ip="10.4.4.5")
    assert WallMessage.objects.filter(entry=entry).count() == 1


def test_the_queue_highlights_numbers():
    _entry, code = consent()
    services.wall_message_submit(code=code, text="想您<b>，2024年 12-34", signed="", ip="10.4.4.6")
    page = client("wuhua_staff").get("/workspace/memorials/wall/messages/").content.decode()
    assert '<mark class="digits">2024</mark>' in page and '<mark class="digits">12-34</mark>' in page
    assert "&lt;b&gt;" in page and "<b>" not in page


def test_a_family_cannot_pile_up_waiting_messages():
    _entry, code = consent()
    for i in range(services.PENDING_MAX):
        services.wall_message_submit(code=code, text=f"留言{i}", signed="", ip=f"10.1.1.{i}")
    before = snapshot()
    with pytest.raises(Conflict):
        services.wall_message_submit(code=code, text="又一条", signed="", ip="10.1.2.1")
    assert snapshot() == before


# --- moderation ---------------------------------------------------------------------------------------


def test_staff_publish_or_do_not_publish_from_the_queue_and_it_is_audited():
    _entry, code = consent(donor_name="审核者")
    keep = services.wall_message_submit(code=code, text="发布这条", signed="", ip="10.2.0.1")
    drop = services.wall_message_submit(code=code, text="不发这条", signed="", ip="10.2.0.1")
    c = client("wuhua_staff")
    queue = c.get("/workspace/memorials/wall/messages/").content.decode()
    assert "发布这条" in queue and "不发这条" in queue
    assert c.post(f"/workspace/memorials/wall/messages/{keep.pk}/decide/", {"decision": "approve"}).status_code == 302
    assert c.post(f"/workspace/memorials/wall/messages/{drop.pk}/decide/", {"decision": "reject"}).status_code == 302
    keep.refresh_from_db()
    drop.refresh_from_db()
    assert keep.state == WallMessage.State.APPROVED and keep.decided_by == user("wuhua_staff")
    assert drop.state == WallMessage.State.REJECTED
    assert AuditEntry.objects.filter(action="memorials.wall.message_approved", object_id=str(keep.pk)).count() == 1
    assert AuditEntry.objects.filter(action="memorials.wall.message_rejected", object_id=str(drop.pk)).count() == 1
    assert "No message is waiting" in c.get("/workspace/memorials/wall/messages/").content.decode()


def test_a_decided_message_cannot_be_decided_again():
    _entry, code = consent()
    message = services.wall_message_submit(code=code, text="一次", signed="", ip="10.3.0.1")
    services.wall_message_decide(message=message, actor=user("wuhua_staff"), approve=False)
    before = snapshot()
    with pytest.raises(Conflict):
        services.wall_message_decide(message=message, actor=user("wuhua_staff"), approve=True)
    response = client("wuhua_staff").post(
        f"/workspace/memorials/wall/messages/{message.pk}/decide/", {"decision": "approve"}, follow=True
    )
    assert "already decided" in response.content.decode()
    assert snapshot() == before


def test_a_message_of_a_withdrawn_family_is_not_published():
    entry, code = consent()
    message = services.wall_message_submit(code=code, text="撤回前", signed="", ip="10.4.0.1")
    services.wall_consent_withdraw(entry=entry, actor=user("wuhua_staff"))
    before = snapshot()
    with pytest.raises(Conflict):
        services.wall_message_decide(message=message, actor=user("wuhua_staff"), approve=True)
    assert snapshot() == before
    assert "撤回前" not in client("wuhua_staff").get("/workspace/memorials/wall/messages/").content.decode()


def test_the_queue_the_badge_and_the_decisions_are_scoped():
    _e, code = consent(region="530302", by="qilin_staff")
    message = services.wall_message_submit(code=code, text="麒麟区的留言", signed="", ip="10.5.0.1")
    wuhua = client("wuhua_staff")
    assert "麒麟区的留言" not in wuhua.get("/workspace/memorials/wall/messages/").content.decode()
    before = snapshot()
    assert (
        wuhua.post(f"/workspace/memorials/wall/messages/{message.pk}/decide/", {"decision": "approve"}).status_code
        == 404
    )
    assert snapshot()[:2] == before[:2]

    assert pending_count(user("wuhua_staff")) == 0
    assert pending_count(user("qilin_staff")) == 1
    assert pending_count(user("prov_admin")) == 1
    assert pending_count(user("auditor")) == 0
    home = client("qilin_staff").get("/workspace/").content.decode()
    assert "waiting for approval" in home
