from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "boai.care"
    label = "care"
    verbose_name = _("Family care")

    def ready(self):
        from . import hooks  # noqa: F401  (the case-closed hook and the payment workflow)
