"""Signing in with a username and password, and loading the signed-in user on each request.

Boai's permissions come from roles alone (``accounts.roles``, checked through ``rules``); Django's
per-user and group permission tables are never filled (the admin does not offer them). Django's
``ModelBackend`` would still read both tables, two queries, on every request that checks a permission
the role lacks (the menu, the pages' buttons). This backend signs in as it does and grants nothing.
It loads the user with their organisation, which every staff page shows and scopes by (one query
rather than two)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def get_user_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set:
        return set()

    async def aget_user_permissions(self, user_obj, obj=None) -> set:
        return set()

    async def aget_group_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("organization").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
