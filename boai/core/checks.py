"""Deployment checks: `manage.py check --deploy` fails when production runs on development keys."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def production_keys(app_configs, **kwargs):
    errors = []
    for name, dev in (
        ("SECRET_KEY", settings.DEV_SECRET_KEY),
        ("BOAI_FIELD_KEY", settings.DEV_FIELD_KEY),
        ("BOAI_INDEX_KEY", settings.DEV_INDEX_KEY),
    ):
        if dev in getattr(settings, name):
            errors.append(
                Error(f"{name} is the development key", hint=f"Set {name} in the environment.", id="boai.E001")
            )
    if settings.DEMO:
        errors.append(Error("BOAI_DEMO is on", hint="Demo mode is for `make run` only.", id="boai.E002"))
    if settings.BOAI_SMS_BACKEND.endswith("HttpGatewayBackend") and not settings.BOAI_SMS_GATEWAY_URL:
        errors.append(
            Error("BOAI_SMS_GATEWAY_URL is not set", hint="Citizens would be told a code was sent.", id="boai.E005")
        )
    if not settings.PRODUCTION:
        errors.append(Error("BOAI_PRODUCTION is not set", hint="Set BOAI_PRODUCTION=1 in production.", id="boai.E003"))
    return errors


@register(Tags.security, deploy=True)
def no_superuser(app_configs, **kwargs):
    """Production has no Django superuser (separation of duties)."""

    try:
        if get_user_model().objects.filter(is_superuser=True).exists():
            return [Error("a superuser account exists", hint="Remove it; use the role accounts.", id="boai.E004")]
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    return []
