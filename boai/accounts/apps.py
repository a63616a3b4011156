from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "boai.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import startup  # noqa: F401  (apps.py cannot import models: Django loads it first)
