"""What the accounts app plugs in once the apps are loaded (imported by ``AccountsConfig.ready``):
the OpenAPI auth extensions, the role map's answer to the workflow engine (core may not import
accounts), and a fresh role map when a test's settings change the installed apps."""

from django.core.signals import setting_changed

from boai.core.workflow import set_permission_checker

from . import schema  # noqa: F401  (registers the OpenAPI auth extensions)
from .roles import actor_has_perm, load_permissions


def _apps_changed(*, setting, **kwargs):
    if setting == "INSTALLED_APPS":  # a test's settings added an app: take in its permissions
        load_permissions()


set_permission_checker(actor_has_perm, holders=lambda perm: load_permissions().get(perm, ()))
setting_changed.connect(_apps_changed, dispatch_uid="boai.accounts.apps_changed")
