from django.apps import AppConfig
from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy as _


def _apps_changed(*, setting, **kwargs):
    if setting == "INSTALLED_APPS":  # a test's settings added an app: take in its permissions
        from .roles import load_permissions  # noqa: PLC0415 - models are not loaded when apps.py is

        load_permissions()


class AccountsConfig(AppConfig):
    name = "boai.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from boai.core.workflow import set_permission_checker

        from . import schema  # noqa: F401  (registers the OpenAPI auth extensions)
        from .roles import actor_has_perm, load_permissions

        # the workflow engine (core) asks the role map through these: core may not import accounts
        set_permission_checker(actor_has_perm, holders=lambda perm: load_permissions().get(perm, ()))
        setting_changed.connect(_apps_changed, dispatch_uid="boai.accounts.apps_changed")
