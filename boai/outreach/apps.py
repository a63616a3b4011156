from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "boai.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self):
        from . import hooks  # noqa: F401  the registry's attribution plug-in points
