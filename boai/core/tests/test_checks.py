from boai.core.checks import production_keys


def test_the_deploy_check_refuses_development_keys_and_demo_mode(settings):
    settings.PRODUCTION = True
    settings.DEMO = True
    ids = {e.id for e in production_keys(None)}
    assert {"boai.E001", "boai.E002"} <= ids


def test_the_deploy_check_passes_with_real_keys(settings):
    settings.PRODUCTION, settings.DEMO = True, False
    settings.SECRET_KEY = "x" * 60
    settings.BOAI_FIELD_KEY = "1:" + "ab" * 16
    settings.BOAI_INDEX_KEY = "cd" * 32
    settings.BOAI_AUDIT_KEY = "1:" + "ef" * 32
    settings.BOAI_BACKUP_KEY = "1:" + "9a" * 32
    assert production_keys(None) == []


def test_the_deploy_check_wants_a_backup_key_in_production(settings):
    settings.PRODUCTION, settings.DEMO = True, False
    settings.BOAI_BACKUP_KEY = ""
    errors = [e for e in production_keys(None) if e.id == "boai.E007"]
    assert errors and "BOAI_BACKUP_KEY is not set" in errors[0].msg
    settings.BOAI_BACKUP_KEY = "1:" + "9a" * 16  # 16 bytes: too short for AES-256
    assert "boai.E007" in {e.id for e in production_keys(None)}


def test_the_deploy_check_wants_an_sms_gateway_in_production(settings):
    settings.PRODUCTION, settings.DEMO = True, False
    settings.BOAI_SMS_BACKEND = "boai.core.sms.HttpGatewayBackend"
    settings.BOAI_SMS_GATEWAY_URL = ""
    assert "boai.E005" in {e.id for e in production_keys(None)}


def test_the_deploy_check_refuses_the_development_or_a_broken_audit_key(settings):
    settings.PRODUCTION, settings.DEMO = True, False
    settings.BOAI_AUDIT_KEY = settings.DEV_AUDIT_KEY
    assert "boai.E001" in {e.id for e in production_keys(None)}
    settings.BOAI_AUDIT_KEY = "1:abcd"  # too short
    assert "boai.E006" in {e.id for e in production_keys(None)}


def test_the_deploy_check_wants_the_audit_checkpoints_off_the_var_directory(settings, tmp_path):
    from boai.core.checks import audit_anchor

    settings.PRODUCTION = True
    settings.BOAI_AUDIT_CHECKPOINT_DIR = settings.VAR_DIR / "audit-checkpoints"
    assert [w.id for w in audit_anchor(None)] == ["boai.W003"]
    settings.BOAI_AUDIT_CHECKPOINT_DIR = tmp_path / "mnt-audit-anchor"
    assert audit_anchor(None) == []
    settings.PRODUCTION = False
    settings.BOAI_AUDIT_CHECKPOINT_DIR = settings.VAR_DIR / "audit-checkpoints"
    assert audit_anchor(None) == []


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOAI_", "DATABASE_URL"))}
    env.update(
        BOAI_PRODUCTION="1",
        BOAI_VAR_DIR=str(tmp_path),
        SECRET_KEY="x" * 60,
        BOAI_FIELD_KEY="1:" + "ab" * 16,
        BOAI_INDEX_KEY="cd" * 32,
        ALLOWED_HOSTS="boai.example.org",
    )
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0 and "BOAI_AUDIT_KEY must be set when BOAI_PRODUCTION=1" in run.stderr


def test_the_deploy_check_wants_a_shared_cache_in_production(settings):
    from boai.core.checks import shared_cache

    settings.PRODUCTION = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in shared_cache(None)] == ["boai.W005"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    assert shared_cache(None) == []
    settings.PRODUCTION = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert shared_cache(None) == []
