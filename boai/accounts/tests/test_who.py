"""Staff pages name who did something by name and unit ("五华区红十字会 张丽"), never by username."""

import pytest
from django.template import Context, Template
from django.utils import translation

from boai.accounts.selectors import actor_label
from boai.audit.services import SYSTEM
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db


def test_a_branch_clerk_is_named_with_their_branch():
    with translation.override("zh-hans"):
        assert actor_label(user("wuhua_staff")) == "五华区红十字会 张丽"
        assert actor_label("wuhua_staff") == "五华区红十字会 张丽"  # an audit entry's username


def test_a_coordinator_is_named_as_a_coordinator():
    with translation.override("zh-hans"):
        assert actor_label(user("coordinator")) == "协调员 杨洁"


def test_who_acted_without_an_account_is_said_in_words(english):
    assert actor_label("citizen") == "The registrant, online"
    assert actor_label(SYSTEM) == "Boai, automatically"
    assert actor_label("someone_gone") == "A staff member"
    assert actor_label(None) == "—"


def test_the_template_filter_shows_no_username():
    with translation.override("zh-hans"):
        shown = Template("{% load staff %}{{ actor|who }}").render(Context({"actor": user("opo_staff")}))
    assert "opo_staff" not in shown and "刘医生" in shown
