"""The public memorial wall shows only donors whose family consented, and of them only what the
family consented to: the name or "an anonymous donor", the year, the prefecture, the approved
messages. A withdrawn entry is gone on the next load (nothing caches the page)."""

from datetime import date

import pytest
from django.conf import settings

from boai.care.tests.factories import make_family
from boai.core.tests.personas import user

from ..models import WallMessage
from ..services import wall as services
from .wall_helpers import client, consent, fresh_rate_limits  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def wall(query=""):
    response = client().get(f"/memorial/{query}")
    assert response.status_code == 200
    return response


def send(code, text="想念您", signed="女儿"):
    return services.wall_message_submit(code=code, text=text, signed=signed, ip="10.0.0.1")


def test_a_family_that_did_not_consent_is_not_on_the_wall():
    make_family(donor_name="张未同", reference="NOCONSENT-1")
    html = wall().content.decode()
    assert "张未同" not in html and "NOCONSENT-1" not in html


def test_a_consented_donor_shows_the_name_year_and_prefecture_only():
    entry, _code = consent(
        donor_name="王思远", region="530102", donated_on=date(2024, 8, 15), reference="ORG-2024-0815"
    )
    html = wall().content.decode()
    assert "王思远" in html and "2024" in html and "昆明市" in html
    for hidden in ("五华区", "ORG-2024-0815", "2024-08-15", "测试家属", "13800138000", entry.consented_by):
        assert hidden not in html


def test_without_consent_to_the_name_the_donor_is_anonymous_and_the_name_is_nowhere():
    consent(donor_name="赵匿名", show_name=False)
    html = wall().content.decode()
    assert "赵匿名" not in html and "匿名" not in html
    assert "An anonymous donor" in html
    # nor can the name be searched for
    html = wall("?q=赵匿名").content.decode()
    assert "An anonymous donor" not in html and "赵匿名" not in html.replace('value="赵匿名"', "")


def test_the_chinese_wall_leaves_the_anonymous_name_out_too():
    consent(donor_name="钱匿名", show_name=False)
    response = client().get("/memorial/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and "钱匿名" not in response.content.decode()


def test_year_and_prefecture_are_shown_only_with_consent():
    consent(donor_name="孙无年", donated_on=date(2023, 5, 1), show_year=False, show_prefecture=False)
    html = wall().content.decode()
    assert "孙无年" in html and "2023" not in html and "昆明市" not in html


def test_only_approved_messages_are_shown():
    entry, code = consent(donor_name="周留言")
    approved, pending, rejected = send(code, "愿您安息"), send(code, "还在等待审核"), send(code, "不予发布的话")
    services.wall_message_decide(message=approved, actor=user("wuhua_staff"), approve=True)
    services.wall_message_decide(message=rejected, actor=user("wuhua_staff"), approve=False)
    html = wall().content.decode()
    assert "愿您安息" in html and "女儿" in html
    assert "还在等待审核" not in html and "不予发布的话" not in html
    assert pending.state == WallMessage.State.PENDING


def test_a_withdrawn_entry_is_gone_on_the_next_load_and_nothing_caches_it():
    entry, code = consent(donor_name="吴撤回")
    message = send(code, "撤回前的留言")
    services.wall_message_decide(message=message, actor=user("wuhua_staff"), approve=True)
    first = wall()
    assert "吴撤回" in first.content.decode()
    assert "no-store" in first["Cache-Control"] or "no-cache" in first["Cache-Control"]
    assert first["Pragma"] == "no-cache"
    assert not any("django.middleware.cache" in m for m in settings.MIDDLEWARE)  # no server-side page cache
    client("wuhua_staff").post(f"/workspace/memorials/wall/{entry.pk}/withdraw/", {"confirm": "yes"})
    html = wall().content.decode()
    assert "吴撤回" not in html and "撤回前的留言" not in html


def test_newest_consent_first_and_paginated():
    for i in range(14):
        family = make_family(donor_name=f"排序{i:02d}", donated_on=date(2024, 1, 1))
        services.wall_consent_record(
            family=family,
            actor=user("wuhua_staff"),
            member=family.members.first(),
            consented_on=date(2024, 2, 1 + i),
            show_name=True,
            show_year=True,
            show_prefecture=True,
        )
    html = wall().content.decode()
    assert html.index("排序13") < html.index("排序12")
    assert "排序01" not in html  # on page 2
    assert "排序01" in wall("?page=2").content.decode()


def test_the_search_finds_a_shown_name():
    consent(donor_name="冯找到")
    consent(donor_name="陈别人")
    html = wall("?q=冯").content.decode()
    assert "冯找到" in html and "陈别人" not in html


def test_a_withdrawn_family_is_not_found_by_search_either():
    entry, _code = consent(donor_name="褚已撤")
    services.wall_consent_withdraw(entry=entry, actor=user("wuhua_staff"))
    assert "褚已撤" not in wall("?q=褚已撤").content.decode().replace('value="褚已撤"', "")
