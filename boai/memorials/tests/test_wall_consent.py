"""Recording a family's consent to the memorial wall, changing what it shows and withdrawing it, as
staff do it: one consent per family, the code shown once and never stored in clear, the family in
the user's scope, each refused step writing nothing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.care.models import FamilyMember
from boai.care.tests.factories import make_family
from boai.core.errors import Conflict, InvalidFields
from boai.core.tests.personas import user

from ..models import WallEntry
from ..services import wall as services
from .wall_helpers import client, consent, fresh_rate_limits, snapshot  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

BASE = "/workspace/memorials/wall"


def test_staff_record_a_consent_and_see_the_code_once():
    family = make_family(donor_name="李明德", reference="WALL-0001")
    member = family.members.first()
    c = client("wuhua_staff")
    response = c.post(
        f"{BASE}/new/{family.pk}/",
        {"member": member.pk, "consented_on": "2025-04-02", "show_name": "on", "show_year": "on"},
    )
    assert response.status_code == 200
    entry = WallEntry.objects.get(family=family)
    assert (entry.show_name, entry.show_year, entry.show_prefecture) == (True, True, False)
    assert entry.consented_by == str(member) and entry.consented_on == date(2025, 4, 2)
    shown = response.context["code"]
    code = shown.replace("-", "")
    assert len(code) == services.CODE_LENGTH and not set(code) & set("0O1I")
    assert shown in response.content.decode()
    # only the keyed hash is stored, never the code
    assert entry.message_code_hash == services.code_hash(code)
    assert code not in str(WallEntry.objects.filter(pk=entry.pk).values().get())
    audit = AuditEntry.objects.get(action="memorials.wall.consented", object_id=str(entry.pk))
    assert code not in str(audit.changes)
    # the entry's page never shows it again
    page = c.get(f"{BASE}/{entry.pk}/").content.decode()
    assert shown not in page and code not in page


def test_a_second_consent_for_the_same_family_is_refused_with_nothing_written():
    entry, _code = consent()
    before = snapshot()
    with pytest.raises(Conflict):
        consent(entry.family)
    assert snapshot() == before
    response = client("wuhua_staff").post(
        f"{BASE}/new/{entry.family.pk}/",
        {"member": entry.family.members.first().pk, "consented_on": "2025-04-02"},
    )
    assert response.status_code == 200 and "already recorded" in response.content.decode()
    assert snapshot() == before


def test_a_family_that_withdrew_can_consent_again_on_the_same_entry_with_a_new_code():
    entry, old_code = consent(show_name=True)
    services.wall_consent_withdraw(entry=entry, actor=user("wuhua_staff"))
    again, code = consent(entry.family, by="wuhua_clerk", show_name=False, show_year=True, show_prefecture=False)
    assert again.pk == entry.pk and WallEntry.objects.filter(family=entry.family).count() == 1
    again.refresh_from_db()
    assert again.withdrawn_at is None
    assert (again.show_name, again.show_year, again.show_prefecture) == (False, True, False)
    assert again.consented_by == str(entry.family.members.first())
    assert code != old_code and again.message_code_hash == services.code_hash(code)
    consents = AuditEntry.objects.filter(action="memorials.wall.consented", object_id=str(entry.pk)).order_by("id")
    assert consents.count() == 2 and consents.last().actor_username == "wuhua_clerk"
    assert "after_withdrawal_at" in consents.last().changes
    # the new code sends messages; the old one does not
    services.wall_message_submit(code=code, text="又来看您了", signed="", ip="10.3.3.3")
    with pytest.raises(Exception):  # noqa: B017 - the old code is simply wrong
        services.wall_message_submit(code=old_code, text="旧码", signed="", ip="10.3.3.4")


def test_a_withdrawn_family_is_found_again_and_the_form_records_the_new_consent():
    entry, _code = consent()
    services.wall_consent_withdraw(entry=entry, actor=user("wuhua_staff"))
    family = entry.family
    page = client("wuhua_staff").get("/workspace/memorials/wall/new/", {"q": family.reference})
    assert family.reference in page.content.decode()
    detail = client("wuhua_staff").get(f"/workspace/memorials/wall/{entry.pk}/").content.decode()
    assert f"/workspace/memorials/wall/new/{family.pk}/" in detail
    form = client("wuhua_staff").get(f"/workspace/memorials/wall/new/{family.pk}/").content.decode()
    assert "already recorded" not in form


def test_a_given_consent_still_blocks_a_second_one():
    entry, _code = consent()
    before = snapshot()
    with pytest.raises(Conflict):
        consent(entry.family)
    assert snapshot() == before


@pytest.mark.parametrize(
    "member, consented_on, field",
    [
        (None, date(2025, 4, 1), "member"),
        ("other family", date(2025, 4, 1), "member"),
        ("removed", date(2025, 4, 1), "member"),
        ("own", None, "consented_on"),
        ("own", "tomorrow", "consented_on"),
        ("own", date(2025, 3, 9), "consented_on"),  # the day before the donation
    ],
)
def test_a_consent_without_its_facts_is_refused_with_nothing_written(member, consented_on, field):
    family = make_family(donated_on=date(2025, 3, 10))
    if member == "other family":
        member = make_family().members.first()
    elif member == "removed":
        member = family.members.first()
        FamilyMember.objects.filter(pk=member.pk).update(active=False)
        member.refresh_from_db()
    elif member == "own":
        member = family.members.first()
    if consented_on == "tomorrow":
        consented_on = timezone.localdate() + timedelta(days=1)
    before = snapshot()
    with pytest.raises(InvalidFields) as refused:
        services.wall_consent_record(
            family=family,
            actor=user("wuhua_staff"),
            member=member,
            consented_on=consented_on,
            show_name=True,
            show_year=True,
            show_prefecture=True,
        )
    assert field in refused.value.errors
    assert snapshot() == before


def test_the_consent_form_refuses_a_missing_member_on_the_page():
    family = make_family()
    before = snapshot()
    response = client("wuhua_staff").post(f"{BASE}/new/{family.pk}/", {"member": "", "consented_on": "2025-04-02"})
    assert response.status_code == 200
    assert response.context["form"].errors["member"]
    assert snapshot() == before


def test_changing_what_is_shown_is_saved_and_audited():
    entry, _code = consent(show_name=True)
    response = client("wuhua_staff").post(f"{BASE}/{entry.pk}/", {"show_year": "on", "show_prefecture": "on"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.show_name is False
    audit = AuditEntry.objects.get(action="memorials.wall.changed", object_id=str(entry.pk))
    assert audit.changes == {"show_name": [True, False]}


def test_nothing_changed_is_said_and_nothing_written():
    entry, _code = consent()
    before = snapshot()
    response = client("wuhua_staff").post(
        f"{BASE}/{entry.pk}/", {"show_name": "on", "show_year": "on", "show_prefecture": "on"}
    )
    assert response.status_code == 200 and "Nothing was changed" in response.content.decode()
    assert snapshot() == before


def test_withdrawing_asks_for_a_confirmation_first():
    entry, _code = consent()
    c = client("wuhua_staff")
    page = c.get(f"{BASE}/{entry.pk}/withdraw/")
    assert page.status_code == 200 and 'name="confirm"' in page.content.decode()
    before = snapshot()
    response = c.post(f"{BASE}/{entry.pk}/withdraw/", {})
    assert response.status_code == 200 and "Tick the box" in response.content.decode()
    assert snapshot() == before
    response = c.post(f"{BASE}/{entry.pk}/withdraw/", {"confirm": "yes"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.withdrawn_at is not None and entry.message_code_hash == ""
    assert AuditEntry.objects.filter(action="memorials.wall.withdrawn", object_id=str(entry.pk)).count() == 1


def test_a_withdrawn_consent_cannot_be_withdrawn_or_changed_again():
    entry, _code = consent()
    services.wall_consent_withdraw(entry=entry, actor=user("wuhua_staff"))
    before = snapshot()
    with pytest.raises(Conflict):
        services.wall_consent_withdraw(entry=entry, actor=user("wuhua_staff"))
    with pytest.raises(Conflict):
        services.wall_entry_change(
            entry=entry, actor=user("wuhua_staff"), show_name=False, show_year=False, show_prefecture=False
        )
    with pytest.raises(Conflict):
        services.wall_code_renew(entry=entry, actor=user("wuhua_staff"))
    assert snapshot() == before


def test_a_new_code_replaces_the_old_one():
    entry, old = consent()
    response = client("wuhua_staff").post(f"{BASE}/{entry.pk}/code/")
    assert response.status_code == 200
    new = response.context["code"].replace("-", "")
    entry.refresh_from_db()
    assert entry.message_code_hash == services.code_hash(new) != services.code_hash(old)


# --- scope --------------------------------------------------------------------------------------------


def test_the_list_shows_only_the_families_in_scope_and_finds_by_reference():
    wuhua, _c = consent(reference="WH-2025-001")
    qilin, _c = consent(region="530302", reference="QL-2025-001", by="qilin_staff")
    page = client("wuhua_staff").get(f"{BASE}/").content.decode()
    assert "WH-2025-001" in page and "QL-2025-001" not in page
    page = client("kunming_staff").get(f"{BASE}/?q=WH-2025").content.decode()
    assert "WH-2025-001" in page and "QL-2025-001" not in page
    page = client("prov_admin").get(f"{BASE}/?q=QL-2025").content.decode()
    assert "QL-2025-001" in page and "WH-2025-001" not in page


def test_out_of_scope_families_and_entries_answer_404_and_are_audited():
    entry, _code = consent(region="530302", by="qilin_staff")
    family = make_family(region="530302")
    c = client("wuhua_staff")
    before = snapshot()
    for path in (f"{BASE}/{entry.pk}/", f"{BASE}/{entry.pk}/withdraw/", f"{BASE}/new/{family.pk}/"):
        assert c.get(path).status_code == 404
    assert c.post(f"{BASE}/{entry.pk}/withdraw/", {"confirm": "yes"}).status_code == 404
    assert c.post(f"{BASE}/{entry.pk}/code/").status_code == 404
    entries, wall_messages, audit_count = snapshot()
    assert (entries, wall_messages) == before[:2]
    assert AuditEntry.objects.filter(action="security.access.denied").count() >= 5


def test_the_family_search_finds_only_families_in_scope_without_a_consent():
    consent(reference="FIND-1")
    make_family(reference="FIND-2")
    make_family(reference="FIND-3", region="530302")
    page = client("wuhua_staff").get(f"{BASE}/new/?q=FIND").content.decode()
    assert "FIND-2" in page and "FIND-1" not in page and "FIND-3" not in page


@pytest.mark.parametrize("username", ["coordinator", "auditor", "opo_staff"])
def test_roles_without_the_wall_permission_are_refused(username):
    entry, _code = consent()
    c = client(username)
    assert c.get(f"{BASE}/").status_code == 403
    assert c.get(f"{BASE}/{entry.pk}/").status_code == 403
    assert c.get(f"{BASE}/messages/").status_code == 403


def test_the_family_page_panel_says_whether_the_family_consented():
    from boai.care.panels import family_panels

    from ..views import wall as _registers_the_panel  # noqa: F401 - loaded with the URLs in a running site

    family = make_family()
    panels = dict(family_panels(family=family, user=user("wuhua_staff")))
    assert panels["memorials/wall_family_panel.html"]["entry"] is None
    entry, _code = consent(family)
    panels = dict(family_panels(family=family, user=user("wuhua_staff")))
    assert panels["memorials/wall_family_panel.html"]["entry"] == entry
    assert "memorials/wall_family_panel.html" not in dict(family_panels(family=family, user=user("auditor")))
