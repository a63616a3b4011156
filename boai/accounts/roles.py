"""Roles and what each may do. The only place that maps roles to permissions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

# permission name -> roles that hold it
PERMISSIONS: dict[str, set[str]] = {
    "records.view": RECORD_READERS,
    "records.change": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},
    "records.unmask": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},
    "records.export": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.AUDITOR},
    "records.export_unmasked": {R.PROVINCE_ADMIN},
    "records.refusal": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},
    # donation cases: who may take which kind of step (cases.workflow names the permission of each step)
    "cases.view": RECORD_READERS,
    "cases.refer": {R.OPO_STAFF},  # open an organ case
    "cases.medical": {R.OPO_STAFF},  # evaluation, ethics review, death determination, allocation
    "cases.family": {R.COORDINATOR},  # family approach, consent, refusal found
    "cases.procure": {R.COORDINATOR},  # the witnessing coordinator records the procurement
    "cases.branch": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},  # notify a body donation, honour, close
    "cases.close": {R.COORDINATOR},  # close an organ case: body restored, family handed on
    "cases.cancel": {R.PROVINCE_ADMIN, R.OPO_STAFF},  # cancel an organ case (branches read organ cases)
    "cases.station": {R.STATION_STAFF},  # assess, receive, use, remains of a body donation
    "cases.withdraw": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.STATION_STAFF},  # family withdraws a body donation
    "cases.export": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.AUDITOR},
    "certificates.view": RECORD_READERS,
    "certificates.stock": {R.PROVINCE_ADMIN},  # receive batches, hand ranges to units
    "certificates.unit": {R.OPO_STAFF},  # confirm receipt, issue, void, report lost, return
    "certificates.body": {R.PROVINCE_ADMIN},  # void and re-issue body donation certificates
    "certificates.export": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.AUDITOR},
    "orgs.view": set(Role.values),
    "orgs.manage": {R.SYSTEM_ADMIN},
    "audit.view": {R.AUDITOR},
    "accounts.view": {R.SYSTEM_ADMIN, R.SECURITY_ADMIN},
    "accounts.manage": {R.SYSTEM_ADMIN},
    "accounts.grant_role": {R.SECURITY_ADMIN},
}

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


def role_has_perm(role: str, perm: str) -> bool:
    return role in PERMISSIONS.get(perm, ())


def actor_has_perm(actor, perm: str) -> bool:
    """For the workflow engine: a user or a system actor (``audit.services.Actor``), by its role."""
    return role_has_perm(getattr(actor, "role", ""), perm)
