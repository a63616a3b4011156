from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "boai.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from boai.core.workflow import set_permission_checker

        from . import schema  # noqa: F401  (registers the OpenAPI auth extensions)
        from .roles import PERMISSIONS, actor_has_perm

        # the workflow engine (core) asks the role map through these: core may not import accounts
        set_permission_checker(actor_has_perm, holders=lambda perm: PERMISSIONS.get(perm, ()))
