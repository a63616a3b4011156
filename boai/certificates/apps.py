from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "boai.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from . import hooks  # noqa: F401  (subscribes to the cases' steps)
