"""The accounts app's permissions: its own, and those of the layers below it that have no roles of
their own (organisations in core, the audit log), merged into ``roles.PERMISSIONS`` at start-up;
and the DRF permission classes that check them."""

from rest_framework.permissions import BasePermission

from .roles import Role
from .roles import Role as R

PERMISSIONS = {
    "orgs.view": set(Role.values),
    "orgs.manage": {R.SYSTEM_ADMIN},
    "audit.view": {R.AUDITOR},
    "accounts.view": {R.SYSTEM_ADMIN, R.SECURITY_ADMIN},
    "accounts.manage": {R.SYSTEM_ADMIN},
    "accounts.grant_role": {R.SECURITY_ADMIN},
    # the API documentation in the menu: for the administrators who set up API clients (the page
    # itself stays open to every staff account that calls the API)
    "api.docs": {R.PROVINCE_ADMIN, R.SYSTEM_ADMIN, R.SECURITY_ADMIN},
}


class IsStaffAccount(BasePermission):
    """An active account with a role."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and getattr(user, "role", ""))


def require(perm: str):
    """A DRF permission class for one role permission (see accounts.roles.PERMISSIONS)."""

    class HasPerm(IsStaffAccount):
        def has_permission(self, request, view):
            return super().has_permission(request, view) and request.user.has_perm(perm)

    HasPerm.__name__ = f"Has_{perm.replace('.', '_')}"
    return HasPerm
