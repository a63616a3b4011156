"""Register every role permission with django-rules, so `user.has_perm("records.view")` works
(django-rules imports this module once the apps are loaded)."""

import rules

from .roles import _predicate, load_permissions

load_permissions()

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
