from rest_framework.permissions import BasePermission


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
