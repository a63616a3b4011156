from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "boai.registry"
    label = "registry"
    verbose_name = _("Donation intent registry")

    def ready(self):
        from . import workflow  # noqa: F401  (registers the registration's workflow with the engine)
