"""Register every role permission with django-rules, so `user.has_perm("records.view")` works."""

import rules

from .roles import PERMISSIONS, role_has_perm


def _predicate(perm):
    @rules.predicate(name=f"has_role_for_{perm}")
    def check(user):
        return bool(user and user.is_active and getattr(user, "role", "") and role_has_perm(user.role, perm))

    return check


for _perm in PERMISSIONS:
    rules.add_perm(_perm, _predicate(_perm))

# Django admin model permissions, derived from the role permissions above.
ADMIN_MODEL_PERMS = {
    "core.view_region": "accounts.view",
    "core.view_referencedataset": "accounts.view",
    "core.view_organisation": "accounts.view",
    "core.add_organisation": "orgs.manage",
    "core.change_organisation": "orgs.manage",
    "accounts.view_user": "accounts.view",
}
for _model_perm, _role_perm in ADMIN_MODEL_PERMS.items():
    rules.add_perm(_model_perm, _predicate(_role_perm))
