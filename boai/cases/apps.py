from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "boai.cases"
    label = "cases"
    verbose_name = _("Donation cases")

    def ready(self):
        from . import workflow  # noqa: F401  (registers the organ and body workflows with the engine)
