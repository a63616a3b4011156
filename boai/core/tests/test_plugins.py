"""A programme plugs in with no edit to any shared file: a throw-away app (``plugin_app``), added
by this test's settings alone (and one URL line of its own), declares a permission, an audit label,
a menu entry, a home page panel, a row of the permission matrix, demo data, a figure and a two-step workflow with one
rule, and each is picked up by the code that collects them."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from boai.accounts.roles import role_has_perm
from boai.accounts.tests import test_matrix
from boai.audit.labels import action_label
from boai.audit.models import AuditEntry
from boai.core.errors import Conflict, NotAllowed
from boai.core.figures import figure
from boai.core.tests.matrix_kit import ROLES, collected_rows
from boai.core.tests.personas import user
from boai.core.workflow import RuleBroken, mermaid, transition_take, workflows
from boai.lib.menu import menu_for
from boai.lib.plugins import demo_load

PLUGIN = "boai.core.tests.plugin_app"
pytestmark = pytest.mark.django_db


@pytest.fixture
def parcel_model(db):
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, PLUGIN], ROOT_URLCONF=f"{PLUGIN}.root_urls"):
        from boai.core.tests.plugin_app.models import TABLE_SQL, Parcel

        with connection.cursor() as cursor:  # rolled back with the test
            cursor.execute(TABLE_SQL[connection.vendor])
        yield Parcel


def test_its_permission_joins_the_role_map(parcel_model):
    assert role_has_perm("branch_staff", "plugin_app.send")
    assert user("wuhua_staff").has_perm("plugin_app.send")
    assert not user("auditor").has_perm("plugin_app.send")


def test_without_it_the_permission_is_unknown():
    assert not role_has_perm("branch_staff", "plugin_app.send")
    assert not any(flow.kind == "plugin_parcel" for flow in workflows())


def test_its_audit_labels_are_read(parcel_model):
    assert action_label("plugin_app.parcel.counted") == "Parcels counted"
    assert action_label("plugin_app.parcel.sent") == "Parcel: Sent"  # named by its workflow


def test_its_menu_entry_shows_to_those_who_may_use_it(parcel_model):
    labels = lambda username: [e.label for _g, entries in menu_for(user(username)) for e in entries]  # noqa: E731
    assert "Parcels" in labels("wuhua_staff")
    assert "Parcels" not in labels("auditor")
    client = Client()
    client.force_login(user("wuhua_staff"))
    assert 'href="/workspace/parcels/"' in client.get("/workspace/").content.decode()


def test_its_public_link_is_in_the_public_pages_footer(parcel_model):
    html = Client().get("/verify/").content.decode()
    footer = html[html.index('<footer class="public-footer">') :]
    assert 'href="/workspace/parcels/">Track a parcel</a>' in footer


def test_its_home_panel_shows_to_those_who_may_use_it(parcel_model):
    client = Client()
    client.force_login(user("wuhua_staff"))
    page = client.get("/workspace/").content.decode()
    assert "Parcels to send" in page and 'href="/workspace/parcels/"' in page
    client.force_login(user("auditor"))
    assert "Parcels to send" not in client.get("/workspace/").content.decode()


def test_its_row_of_the_matrix_is_collected_and_holds(parcel_model):
    rows = [row for row in collected_rows() if row[0] == "workspace/parcels/"]
    assert len(rows) == 1
    routes = set(test_matrix.all_routes())
    assert "workspace/parcels/" in routes
    covered = {row[0] for row in collected_rows()} | set(test_matrix.PUBLIC)
    assert routes - covered == set()
    _route, method, path, expect, anonymous = rows[0]
    for role in ROLES:
        client = Client()
        client.force_login(user(role))
        assert client.get(path).status_code == expect(role, {}), role
    assert Client().get(path).status_code == anonymous


def test_a_url_without_a_row_fails_the_completeness_check(parcel_model, monkeypatch):
    from boai.core.tests.plugin_app.tests import matrix

    monkeypatch.setattr(matrix, "MATRIX", [])
    covered = {row[0] for row in collected_rows()} | set(test_matrix.PUBLIC)
    assert set(test_matrix.all_routes()) - covered == {"workspace/parcels/"}


def test_its_demo_data_loads_after_the_apps_it_builds_on(parcel_model):
    assert demo_load(baseline_only=True) == ["plugin_app"]  # the others' data is there already
    assert parcel_model.objects.count() == 1
    assert demo_load(baseline_only=True) == []


def test_its_figure_is_defined_once_and_found_by_code(parcel_model):
    parcel_model.objects.create(state="received")
    assert figure("plugin_app.parcels_received").count(2026, "53") == 1


def test_its_two_step_workflow_runs_on_the_engine(parcel_model):
    from boai.core.tests.plugin_app.workflow import PARCEL

    clerk = user("wuhua_staff")
    parcel = parcel_model.objects.create()
    entries = AuditEntry.objects.count()
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    with pytest.raises(RuleBroken) as refused:
        transition_take(parcel, to="sent", actor=clerk, version=1, data={})
    assert refused.value.code == "parcel.labelled"
    with pytest.raises(NotAllowed):
        transition_take(parcel, to="sent", actor=user("auditor"), version=1, data={"label": "x"})
    with pytest.raises(Conflict) as stale:
        transition_take(parcel, to="sent", actor=clerk, version=7, data={"label": "x"})
    assert stale.value.code == "stale"
    with pytest.raises(Conflict) as order:
        transition_take(parcel, to="received", actor=clerk, version=1)
    assert order.value.code == "state.order"
    parcel.refresh_from_db()
    assert (parcel.state, parcel.version, AuditEntry.objects.count()) == ("draft", 1, entries)  # nothing written

    transition_take(parcel, to="sent", actor=clerk, version=1, data={"label": "x"})
    transition_take(parcel, to="received", actor=clerk, version=2)
    parcel.refresh_from_db()
    assert (parcel.state, parcel.version) == ("received", 3)
    assert list(AuditEntry.objects.filter(id__gt=last).order_by("id").values_list("action", flat=True)) == [
        "plugin_app.parcel.sent",
        "plugin_app.parcel.received",
    ]
    assert PARCEL in workflows()
    assert "draft --> sent: plugin_app.send [parcel.labelled]" in mermaid(PARCEL)
