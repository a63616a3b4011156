from django.apps import AppConfig


class PluginAppConfig(AppConfig):
    """A throw-away programme for ``test_plugins``: it declares one of everything a programme can,
    in its own files, and is installed by the test's settings alone."""

    name = "boai.core.tests.plugin_app"
    label = "plugin_app"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from . import workflow  # noqa: F401  (registers the parcel workflow with the engine)
