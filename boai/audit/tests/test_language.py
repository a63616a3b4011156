"""Issue 12 item 11: no English in the Chinese staff pages. What the audit chain check says on the
auditor's page, and the reason the system records when a registration's change form is opened, go
through the translation catalogue (the management command keeps its English: an operator's console).

The zh-hans catalogue is merged by the lead after this change: the tests put the translations they
assert in the loaded catalogue for their duration, which shows the text is translated when shown."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from boai.audit.models import AuditEntry
from boai.audit.tests.test_chain import tamper
from boai.core.tests.personas import user
from boai.registry.models import Registration

pytestmark = pytest.mark.django_db

CHANGED = "entry #%(id)s was changed after it was written"
OPENED = "opened the change form"


@pytest.fixture
def zh_catalogue():
    """``add(msgid, text)``: a zh-hans translation for the test's duration."""
    from django.utils.translation import trans_real

    catalogue = trans_real.translation("zh-hans")._catalog._catalogs[0]
    saved: dict = {}
    missing = object()

    def add(msgid, text):
        saved.setdefault(msgid, catalogue.get(msgid, missing))
        catalogue[msgid] = text

    yield add
    for msgid, text in saved.items():
        if text is missing:
            catalogue.pop(msgid, None)
        else:
            catalogue[msgid] = text


def chinese_client(username):
    web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    web.force_login(user(username))
    return web


def test_the_chain_page_names_a_changed_entry_in_chinese_and_the_command_in_english(zh_catalogue):
    zh_catalogue(CHANGED, "第 %(id)s 条记录写入后被改动过")
    target = AuditEntry.objects.order_by("id")[3]
    tamper("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["tampered", target.id])
    page = chinese_client("auditor").get("/workspace/audit/verify/")
    text = page.content.decode()
    assert page.status_code == 200 and f"第 {target.id} 条记录写入后被改动过" in text
    assert "was changed after it was written" not in text
    with pytest.raises(CommandError) as refused:
        call_command("verify_audit")
    assert f"entry #{target.id} was changed after it was written" in str(refused.value)


def test_opening_the_change_form_is_shown_in_the_history_in_the_readers_language(zh_catalogue):
    zh_catalogue(OPENED, "打开了修改页面")
    registration = Registration.objects.filter(region_id="530102").first()
    web = chinese_client("wuhua_staff")
    assert web.get(f"/workspace/registrations/{registration.pk}/change/").status_code == 200
    entry = AuditEntry.objects.filter(action="registry.registration.unmasked", object_id=str(registration.pk)).last()
    assert entry.changes["reason"] == OPENED  # stored the same in every language
    page = web.get(f"/workspace/registrations/{registration.pk}/").content.decode()
    assert "打开了修改页面" in page and OPENED not in page
