from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The staff workspace's home page: the top layer, which may read every programme's selectors."""

    name = "boai.workspace"
    label = "workspace"
    verbose_name = _("Workspace")
