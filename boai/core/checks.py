"""Deployment checks: `manage.py check --deploy` fails when production runs on development keys."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError, connections

from boai.audit.keys import parse as parse_audit_key
from boai.lib.crypto import KeyConfigError


@register(Tags.security, deploy=True)
def production_keys(app_configs, **kwargs):
    errors = []
    for name, dev in (
        ("SECRET_KEY", settings.DEV_SECRET_KEY),
        ("BOAI_FIELD_KEY", settings.DEV_FIELD_KEY),
        ("BOAI_INDEX_KEY", settings.DEV_INDEX_KEY),
        ("BOAI_AUDIT_KEY", settings.DEV_AUDIT_KEY.partition(":")[2]),
    ):
        if dev in getattr(settings, name):
            errors.append(
                Error(f"{name} is the development key", hint=f"Set {name} in the environment.", id="boai.E001")
            )
    try:
        parse_audit_key(settings.BOAI_AUDIT_KEY)
    except KeyConfigError as exc:
        errors.append(Error(f"BOAI_AUDIT_KEY cannot be used: {exc}", hint="See docs/deploy.md.", id="boai.E006"))
    from boai.core.backup import BackupError, backup_keys

    try:
        backup_keys()
    except BackupError as exc:
        errors.append(Error(str(exc), hint="Backups need their own key; see docs/deploy.md.", id="boai.E007"))
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
def shared_cache(app_configs, **kwargs):
    """Rate-limit counters, import progress and cached pages live in the default cache: in production it
    must be one all web processes share (Redis), or each process counts alone."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PRODUCTION and backend.rsplit(".", 1)[-1] in ("LocMemCache", "DummyCache", "FileBasedCache"):
        return [
            CheckWarning(
                "the default cache is not shared between processes",
                hint="Set REDIS_URL: rate limits would count per process, import progress would not be seen.",
                id="boai.W005",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def no_superuser(app_configs, **kwargs):
    """Production has no Django superuser (separation of duties)."""

    try:
        if get_user_model().objects.filter(is_superuser=True).exists():
            return [Error("a superuser account exists", hint="Remove it; use the role accounts.", id="boai.E004")]
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    return []


@register(Tags.security, deploy=True)
def audit_anchor(app_configs, **kwargs):
    """The audit checkpoints belong on another host than the database and the application's data."""
    if not settings.PRODUCTION:
        return []
    directory = Path(settings.BOAI_AUDIT_CHECKPOINT_DIR).resolve()
    if directory.is_relative_to(Path(settings.VAR_DIR).resolve()):
        return [
            CheckWarning(
                "BOAI_AUDIT_CHECKPOINT_DIR is inside BOAI_VAR_DIR",
                hint="Use a directory of another host (NFS, or rsync it away): docs/deploy.md.",
                id="boai.W003",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def audit_database_role(app_configs, **kwargs):
    """Production's database role must not be able to lift the audit log's append-only trigger."""
    connection = connections["default"]
    if not settings.PRODUCTION or connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
            role, superuser = cursor.fetchone()
            cursor.execute(
                "SELECT tableowner, pg_has_role(current_user, tableowner, 'MEMBER'), "
                "has_table_privilege(current_user, 'audit_auditentry', 'UPDATE, DELETE, TRUNCATE') FROM pg_tables "
                "WHERE tablename = 'audit_auditentry' AND schemaname = ANY(current_schemas(false))"
            )
            owner = cursor.fetchone()
    except DatabaseError:  # no database yet: nothing to check
        return []
    warnings = []
    if superuser:
        warnings.append(
            CheckWarning(
                f"the application's database role {role} is a PostgreSQL superuser",
                hint="It can lift the audit log's append-only trigger. Use the boai_app role: docs/deploy.md.",
                id="boai.W001",
            )
        )
    elif owner and owner[1]:
        warnings.append(
            CheckWarning(
                f"the application's database role {role} owns the audit table (owner: {owner[0]})",
                hint="An owner can disable the append-only trigger. Migrate as boai_owner, run as boai_app.",
                id="boai.W002",
            )
        )
    elif owner and owner[2]:
        warnings.append(
            CheckWarning(
                f"the application's database role {role} may UPDATE, DELETE or TRUNCATE the audit log",
                hint="Apply /etc/boai/grants.sql after every migrate (docs/deploy.md).",
                id="boai.W004",
            )
        )
    return warnings
