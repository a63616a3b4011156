"""Separation of duties, account commands, API tokens."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.test import APIClient

from boai.accounts.models import ApiToken, User
from boai.accounts.roles import ADMIN_DUTIES, PERMISSIONS, Role
from boai.accounts.services import user_set_role
from boai.audit.models import AuditEntry
from boai.core.errors import InvalidInput, NotAllowed
from boai.core.models import Organisation
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db
STRONG = "Strong-Pass-2026!"


def test_no_account_can_hold_two_administrator_duties():
    # one role per account: the three duties are on three accounts by construction
    assert {u.role for u in User.objects.filter(role__in=ADMIN_DUTIES)} == ADMIN_DUTIES
    assert not User.objects.filter(is_superuser=True).exists()


def test_the_system_administrator_cannot_read_the_audit_log_or_personal_data():
    client = APIClient()
    client.force_login(user("sysadmin"))
    assert client.get("/api/v1/audit/entries/").status_code == 403
    assert client.get("/api/v1/registrations/").status_code == 403


def test_the_auditor_reads_but_never_writes():
    assert not any(
        user("auditor").has_perm(p)
        for p in ("records.change", "records.unmask", "accounts.manage", "accounts.grant_role", "orgs.manage")
    )
    assert user("auditor").has_perm("audit.view") and user("auditor").has_perm("records.view")


def test_only_the_auditor_holds_audit_view():
    assert PERMISSIONS["audit.view"] == {Role.AUDITOR}


def test_the_security_administrator_grants_roles_but_not_to_themself():
    secadmin = user("secadmin")
    with pytest.raises(NotAllowed):
        user_set_role(user=secadmin, role=Role.AUDITOR, actor=secadmin)
    target = user("qilin_staff")
    user_set_role(user=target, role=Role.COORDINATOR, actor=secadmin)
    assert user("qilin_staff").role == Role.COORDINATOR
    assert AuditEntry.objects.filter(action="accounts.user.role_changed", object_id=str(target.pk)).exists()


def test_a_role_must_fit_the_organisation(english):
    with pytest.raises(InvalidInput, match="cannot be held"):
        user_set_role(user=user("qilin_staff"), role=Role.OPO_STAFF, actor=user("secadmin"))
    with pytest.raises(InvalidInput, match="provincial branch"):
        user_set_role(user=user("qilin_staff"), role=Role.SYSTEM_ADMIN, actor=user("secadmin"))


def test_the_system_administrator_disables_accounts_through_the_page():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("sysadmin"))
    target = user("qilin_staff")
    refused = client.post(f"/workspace/accounts/{target.pk}/active/", {"active": "0"}, follow=True)
    assert "Give a reason" in refused.content.decode() and user("qilin_staff").is_active
    client.post(f"/workspace/accounts/{target.pk}/active/", {"active": "0", "reason": "left"})
    assert not user("qilin_staff").is_active


def test_create_user_and_issue_token_commands():
    out = io.StringIO()
    call_command(
        "create_user",
        "--username",
        "new_clerk",
        "--password",
        STRONG,
        "--role",
        "branch_staff",
        "--org",
        "RC530102",
        stdout=out,
    )
    assert "created new_clerk" in out.getvalue()
    out = io.StringIO()
    call_command("issue_token", "--username", "new_clerk", stdout=out)
    key = out.getvalue().strip()
    assert len(key) == 40
    assert not ApiToken.objects.filter(key_hash=key).exists()  # only a hash is stored
    for scheme in ("Token", "Bearer"):
        response = APIClient().get("/api/v1/accounts/me/", HTTP_AUTHORIZATION=f"{scheme} {key}")
        assert response.status_code == 200 and response.json()["username"] == "new_clerk"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--org", "RC999999"], "unknown organisation"),
        (["--password", "short"], "at least 10"),
        (["--role", "station_staff"], "cannot be held"),
    ],
)
def test_create_user_explains_bad_input(args, message, english):
    base = {"--username": "x_clerk", "--password": STRONG, "--role": "branch_staff", "--org": "RC530102"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=message):
        call_command("create_user", *[x for kv in base.items() for x in kv])
    assert not User.objects.filter(username="x_clerk").exists()


def test_a_wrong_or_revoked_token_is_refused():
    assert APIClient().get("/api/v1/accounts/me/", HTTP_AUTHORIZATION="Token " + "0" * 40).status_code == 401
    out = io.StringIO()
    call_command("issue_token", "--username", "wuhua_staff", stdout=out)
    key = out.getvalue().strip()
    from boai.accounts.services import user_set_active

    user_set_active(user=user("wuhua_staff"), active=False, actor=user("sysadmin"), reason="test")
    assert APIClient().get("/api/v1/accounts/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_a_malformed_api_body_gets_field_messages_and_changes_nothing():
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    from boai.registry.models import Registration

    reg = Registration.objects.filter(region_id="530102").first()
    before = AuditEntry.objects.count()
    response = client.post(f"/api/v1/registrations/{reg.pk}/unmask/", "{not json", content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()
    response = client.post(f"/api/v1/registrations/{reg.pk}/unmask/", {"reason": "ab"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    assert AuditEntry.objects.count() == before


def test_branches_cannot_be_given_a_code_other_than_rc_plus_region(english):
    from boai.core.models import Region
    from boai.core.services import organisation_create

    with pytest.raises(InvalidInput, match="RC followed by its region code"):
        organisation_create(
            code="RC530999",
            name="x",
            type="rc_branch",
            region=Region.objects.get(code="530102"),
            parent=Organisation.objects.get(code="RC530100"),
            actor=user("sysadmin"),
        )


def test_a_lost_authenticator_is_reset_by_the_security_administrator(english):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from boai.accounts.services import user_reset_second_factor

    target = user("qilin_staff")
    TOTPDevice.objects.create(user=target, name="old phone", confirmed=True)
    with pytest.raises(InvalidInput, match="reason"):
        user_reset_second_factor(user=target, actor=user("secadmin"), reason=" ")
    with pytest.raises(NotAllowed):
        user_reset_second_factor(user=target, actor=user("sysadmin"), reason="lost phone")
    assert user_reset_second_factor(user=target, actor=user("secadmin"), reason="lost phone") == 1
    assert not TOTPDevice.objects.filter(user=target).exists()
    entry = AuditEntry.objects.filter(action="accounts.otp.reset").latest("id")
    assert entry.changes == {"reason": "lost phone", "devices": 1} and entry.actor_username == "secadmin"


def test_the_deploy_check_refuses_a_superuser():
    from boai.core.checks import no_superuser

    assert no_superuser(None) == []
    User.objects.filter(username="qilin_staff").update(is_superuser=True)
    assert [e.id for e in no_superuser(None)] == ["boai.E004"]
