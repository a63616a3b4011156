"""Account writes: creating accounts, granting roles, deactivating, passwords, tokens, login events."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from boai.audit.services import Actor, audit_log, audit_log_now
from boai.core.errors import InvalidInput, NotAllowed
from boai.core.models import Organisation
from boai.lib.crypto import sha256_hex
from boai.lib.text import name_problem

from .models import ApiToken, User
from .roles import PROVINCE_ONLY, ROLE_ORG_TYPES, Role, check_perm


def _check_role_org(role: str, org: Organisation | None) -> None:
    if not role:
        return
    if role not in Role.values:
        raise InvalidInput(_("Unknown role: %(role)s") % {"role": role}, field="role")
    if org is None:
        raise InvalidInput(_("A role needs an organisation."), field="organization")
    if org.type not in ROLE_ORG_TYPES[role]:
        raise InvalidInput(
            _("The role %(role)s cannot be held by a %(type)s.")
            % {"role": Role(role).label, "type": org.get_type_display()},
            field="role",
        )
    if role in PROVINCE_ONLY and org.region.level != "province":
        raise InvalidInput(
            _("The role %(role)s belongs to the provincial branch.") % {"role": Role(role).label}, field="role"
        )


def _validate_new_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from exc


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    organization: Organisation | None,
    actor=None,
    full_name: str = "",
    is_demo: bool = False,
) -> User:
    username = (username or "").strip()
    if not username:
        raise InvalidInput(_("A username is required."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(_("This username is taken."), field="username")
    _check_role_org(role, organization)
    if problem := name_problem(full_name):
        raise InvalidInput(problem, field="full_name")
    user = User(
        username=username,
        role=role,
        organization=organization,
        full_name=full_name,
        is_demo=is_demo,
        is_staff=role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN),
    )
    _validate_new_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    audit_log(
        action="accounts.user.created",
        actor=actor,
        obj=user,
        changes={"username": username, "role": role, "organization": organization.code if organization else None},
    )
    return user


def _end_sessions(user: User) -> int:
    """Delete every server-side session of this user (logout everywhere)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_set_role(*, user: User, role: str, actor: User, organization: Organisation | None = None) -> User:
    """Grant a role (security administrator only; never to oneself)."""
    check_perm(actor, "accounts.grant_role")
    if user.pk == actor.pk:
        raise NotAllowed(_("You cannot change your own role."))
    user = User.objects.select_for_update().get(pk=user.pk)
    org = organization or user.organization
    _check_role_org(role, org)
    before = {"role": user.role, "organization": user.organization.code if user.organization else None}
    user.role, user.organization = role, org
    user.is_staff = role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)
    user.save(update_fields=["role", "organization", "is_staff"])
    _end_sessions(user)  # new rights take effect at the next login
    audit_log(
        action="accounts.user.role_changed",
        actor=actor,
        obj=user,
        changes={"role": [before["role"], role], "organization": [before["organization"], org.code]},
    )
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor: User, reason: str = "") -> User:
    """Disable or re-enable an account. Disabling ends its sessions and revokes its API tokens."""
    check_perm(actor, "accounts.manage")
    if user.pk == actor.pk:
        raise NotAllowed(_("You cannot disable your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = active
    user.save(update_fields=["is_active"])
    ended = 0
    if not active:
        ended = _end_sessions(user)
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_log(
        action="accounts.user.enabled" if active else "accounts.user.disabled",
        actor=actor,
        obj=user,
        changes={"reason": reason, "sessions_ended": ended},
    )
    return user


@transaction.atomic
def password_change(*, user: User, new_password: str, actor=None) -> User:
    _validate_new_password(new_password, user)
    if user.check_password(new_password):
        raise InvalidInput(_("The new password must differ from the old one."), field="new_password1")
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit_log(action="accounts.password.changed", actor=actor or user, obj=user)
    return user


@transaction.atomic
def token_issue(*, user: User, actor=None) -> str:
    """Create an API token and return its key (shown once; only the hash is kept)."""
    key = secrets.token_hex(20)
    ApiToken.objects.create(user=user, key_hash=sha256_hex(key.encode()), prefix=key[:6])
    audit_log(
        action="accounts.token.issued",
        actor=actor or Actor(username="manage.py", role="system"),
        obj=user,
        changes={"prefix": key[:6]},
    )
    return key


def login_failed(*, username: str, reason: str) -> None:
    audit_log_now(
        action="accounts.login.failed",
        actor=Actor(username=(username or "")[:150]),
        object_type="accounts.login",
        object_repr=(username or "")[:150],
        success=False,
        changes={"reason": reason},
    )


def login_succeeded(*, user: User, second_factor: str) -> None:
    audit_log_now(action="accounts.login.succeeded", actor=user, obj=user, changes={"second_factor": second_factor})


def logged_out(*, user: User) -> None:
    audit_log_now(action="accounts.logout", actor=user, obj=user)


def otp_confirm(*, device, user: User) -> None:
    """First code accepted: the authenticator is now this account's second factor."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_log(action="accounts.otp.enrolled", actor=user, obj=user)


@transaction.atomic
def user_reset_second_factor(*, user: User, actor: User, reason: str) -> int:
    """A lost phone: remove the account's authenticator so the next login enrols a new one.
    Security administrator only, never for oneself; the account's sessions end."""

    check_perm(actor, "accounts.grant_role")
    if user.pk == actor.pk:
        raise NotAllowed(_("You cannot reset your own second factor."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason for the reset."), field="reason")
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    _end_sessions(user)
    audit_log(action="accounts.otp.reset", actor=actor, obj=user, changes={"reason": reason[:200], "devices": removed})
    return removed
