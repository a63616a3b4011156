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
