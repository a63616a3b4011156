"""Roles and what each may do. The only place that maps roles to permissions."""

import rules
from django.db import models
from django.utils.translation import gettext_lazy as _

from boai.core.errors import NotAllowed
from boai.lib.plugins import collected, merged_dict


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Province administrator")
    BRANCH_STAFF = "branch_staff", _("Branch staff")
    COORDINATOR = "coordinator", _("Coordinator")
    OPO_STAFF = "opo_staff", _("OPO unit staff")
    STATION_STAFF = "station_staff", _("Reception station staff")
    AUDITOR = "auditor", _("Auditor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")


R = Role
RECORD_READERS = {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.COORDINATOR, R.OPO_STAFF, R.STATION_STAFF, R.AUDITOR}

# permission name -> roles that hold it: every app declares its own in ``<app>/permissions.py``
# (``PERMISSIONS = {"cases.view": RECORD_READERS, ...}``); ``load_permissions`` merges them here once
# the apps are loaded (``accounts.rules`` calls it), and again when the installed apps change.
PERMISSIONS: dict[str, set[str]] = {}

# 三权分立: these three duties are never held by the same account.
ADMIN_DUTIES = {R.SYSTEM_ADMIN, R.SECURITY_ADMIN, R.AUDITOR}

# Roles whose record scope is a region (their organisation's region and below) ...
REGION_SCOPED = {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.COORDINATOR, R.AUDITOR}
# ... and roles whose scope is their own unit.
UNIT_SCOPED = {R.OPO_STAFF, R.STATION_STAFF}

# Which organisation types can hold a role.
ROLE_ORG_TYPES = {
    R.PROVINCE_ADMIN: {"rc_branch"},
    R.BRANCH_STAFF: {"rc_branch"},
    R.COORDINATOR: {"rc_branch", "opo_unit"},
    R.OPO_STAFF: {"opo_unit"},
    R.STATION_STAFF: {"reception_station"},
    R.AUDITOR: {"rc_branch"},
    R.SYSTEM_ADMIN: {"rc_branch"},
    R.SECURITY_ADMIN: {"rc_branch"},
}
# Roles that only the provincial branch may hold.
PROVINCE_ONLY = {R.PROVINCE_ADMIN, R.SYSTEM_ADMIN, R.SECURITY_ADMIN}


def _predicate(perm):
    @rules.predicate(name=f"has_role_for_{perm}")
    def check(user):
        return bool(user and user.is_active and getattr(user, "role", "") and role_has_perm(user.role, perm))

    return check


def load_permissions() -> dict[str, set[str]]:
    """Merge every installed app's ``PERMISSIONS`` into the role map, and let ``user.has_perm``
    (django-rules) answer for each."""
    declared = collected("permissions", "PERMISSIONS", merged_dict)
    if declared.keys() != PERMISSIONS.keys():
        PERMISSIONS.clear()
        PERMISSIONS.update({perm: set(roles) for perm, roles in declared.items()})
        for perm in PERMISSIONS:
            if not rules.perm_exists(perm):
                rules.add_perm(perm, _predicate(perm))
    return PERMISSIONS


def role_has_perm(role: str, perm: str) -> bool:
    # Filled once at start-up and again when a test changes the installed apps (accounts.startup).
    return role in (PERMISSIONS or load_permissions()).get(perm, ())


def check_perm(actor, perm: str) -> None:
    """In a service: refuse (``NotAllowed``, 403) unless the actor's role holds ``perm``. Pages and
    the API check first (``core.interface.require_perm``, DRF's ``require``); this is the service's
    own guard, for every caller."""
    if not actor_has_perm(actor, perm):
        raise NotAllowed()


def actor_has_perm(actor, perm: str) -> bool:
    """For the workflow engine: a user or a system actor (``audit.services.Actor``), by its role."""
    return role_has_perm(getattr(actor, "role", ""), perm)
