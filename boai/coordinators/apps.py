from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinatorsConfig(AppConfig):
    name = "boai.coordinators"
    label = "coordinators"
    verbose_name = _("Coordinators")

    def ready(self):
        from . import hooks  # noqa: F401  (the witness rule and the case page's on-call list)
