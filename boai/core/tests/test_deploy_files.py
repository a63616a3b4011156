"""The production files in ``deploy/`` agree with the application: nginx's upload limit with the largest
upload the app accepts, its static directory with STATIC_ROOT, the client address it passes with the way
``core.middleware.client_ip`` reads it, no location serving the media; the systemd units run the Celery
app the code defines; the environment example lists every variable the settings read. Checked by reading
the files (nginx is not installed in CI); where nginx is installed, ``nginx -t`` must accept the config."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from boai.registry.services.imports import MAX_UPLOAD

DEPLOY = Path(settings.BASE_DIR) / "deploy"
NGINX = (DEPLOY / "nginx" / "boai.conf").read_text(encoding="utf-8")
PROXY_PARAMS = (DEPLOY / "nginx" / "proxy_params.conf").read_text(encoding="utf-8")
ENV_EXAMPLE = (DEPLOY / "boai.env.example").read_text(encoding="utf-8")


def directives(text: str) -> list[str]:
    """Every directive line, comments dropped, whitespace collapsed."""
    lines = (re.sub(r"\s+", " ", line.split("#", 1)[0]).strip() for line in text.splitlines())
    return [line for line in lines if line]


def env_example_values() -> dict[str, str]:
    return dict(
        line.split("=", 1) for line in ENV_EXAMPLE.splitlines() if line and not line.startswith("#") and "=" in line
    )


def test_nginx_takes_the_largest_upload_the_app_accepts_and_no_more_than_a_little_over():
    sizes = re.findall(r"^client_max_body_size (\d+)m;$", "\n".join(directives(NGINX)), re.M)
    assert sizes, "client_max_body_size is not set"
    limit = int(sizes[0]) * 1024 * 1024
    assert MAX_UPLOAD < limit <= MAX_UPLOAD + 2 * 1024 * 1024


def test_nginx_redirects_http_and_speaks_only_modern_tls():
    lines = directives(NGINX)
    assert "return 301 https://$host$request_uri;" in lines
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in lines
    ciphers = next(line for line in lines if line.startswith("ssl_ciphers "))
    assert all(c.startswith("ECDHE-") and ("GCM" in c or "CHACHA20" in c) for c in ciphers[12:-1].split(":"))
    assert any(line.startswith('add_header Strict-Transport-Security "max-age=31536000') for line in lines)


def test_static_files_come_from_static_root_and_media_never_from_nginx():
    env = env_example_values()
    assert Path(env["BOAI_VAR_DIR"]) / "static" == Path("/var/lib/boai/static")
    assert "alias /var/lib/boai/static/;" in directives(NGINX)
    assert "immutable" in NGINX and r"\.[0-9a-f]{12}\." in NGINX  # hashed names (ManifestStaticFilesStorage)
    media = env["BOAI_MEDIA_ROOT"]
    served = [line for line in directives(NGINX) if line.startswith(("alias ", "root "))]
    assert not any(media in line or "/media" in line for line in served)


def test_the_proxy_passes_what_the_app_reads_and_overwrites_what_a_client_could_forge():
    params = directives(PROXY_PARAMS)
    # one nginx appends the client's address last: the app takes the last one (BOAI_TRUSTED_PROXIES=1)
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in params
    assert env_example_values()["BOAI_TRUSTED_PROXIES"] == "1"
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in params
    assert "proxy_set_header X-Request-ID $request_id;" in params
    assert "proxy_pass http://boai_gunicorn;" in directives(NGINX)
    assert "server 127.0.0.1:8000 fail_timeout=0;" in directives(NGINX)


def test_metrics_are_only_for_the_monitoring_address_in_nginx_and_in_the_app():
    block = NGINX[NGINX.index("location = /metrics") :]
    block = directives(block[: block.index("}")])
    allowed = [line.split()[1].rstrip(";") for line in block if line.startswith("allow ")]
    assert "deny all;" in block and allowed
    assert env_example_values()["BOAI_METRICS_ALLOWED_IPS"].split(",") == allowed


def test_the_app_sets_the_page_headers_and_nginx_does_not_repeat_them_on_proxied_answers():
    # add_header inside "location /" would send a second CSP or X-Frame-Options next to the app's own
    app_block = NGINX[NGINX.rindex("location / {") :]
    assert "add_header" not in app_block
    assert "add_header Content-Security-Policy" not in PROXY_PARAMS


def test_the_systemd_units_run_the_code_s_celery_app_hardened():
    celery_app = (Path(settings.BASE_DIR) / "config" / "celery.py").read_text(encoding="utf-8")
    assert 'Celery("boai")' in celery_app  # celery -A config finds config.celery.app
    units = {name: (DEPLOY / "systemd" / name).read_text(encoding="utf-8") for name in ("boai-web.service",
             "boai-worker.service", "boai-beat.service")}  # fmt: skip
    assert "gunicorn --config /srv/boai/deploy/gunicorn.conf.py" in units["boai-web.service"]
    assert "celery -A config worker" in units["boai-worker.service"]
    assert "celery -A config beat" in units["boai-beat.service"]
    for name, unit in units.items():
        lines = directives(unit)
        for required in (
            "EnvironmentFile=/etc/boai/boai.env",
            "User=boai",
            "NoNewPrivileges=yes",
            "PrivateTmp=yes",
            "ProtectSystem=strict",
            "ReadWritePaths=/var/lib/boai",
            "Restart=on-failure",
        ):
            assert required in lines, f"{name}: {required}"


def test_gunicorn_s_settings_load_and_recycle_workers_with_jitter():
    source = (DEPLOY / "gunicorn.conf.py").read_text(encoding="utf-8")
    # the master imports none of Boai's code: workers forked after a reload load the new release
    assert not re.search(r"^\s*(from|import) (django|config|boai)\b", source, re.M)
    namespace = {"__file__": str(DEPLOY / "gunicorn.conf.py")}
    exec(compile((DEPLOY / "gunicorn.conf.py").read_bytes(), "gunicorn.conf.py", "exec"), namespace)  # noqa: S102
    assert namespace["wsgi_app"] == "config.wsgi:application"
    assert namespace["bind"] == ["127.0.0.1:8000"]
    assert namespace["workers"] >= 3 and namespace["timeout"] == 60 and namespace["graceful_timeout"] > 0
    assert namespace["max_requests"] > 0 and namespace["max_requests_jitter"] > 0
    gunicorn_log = namespace["logconfig_dict"]["loggers"]["gunicorn.error"]
    assert gunicorn_log["handlers"] == ["console"]
    assert namespace["logconfig_dict"]["handlers"]["console"]["formatter"] == "json"


def test_pgbouncer_pools_transactions_and_django_is_told():
    ini = directives((DEPLOY / "pgbouncer" / "pgbouncer.ini").read_text(encoding="utf-8"))
    assert "pool_mode = transaction" in ini and "listen_port = 6432" in ini
    assert "auth_file = /etc/pgbouncer/userlist.txt" in ini
    env = env_example_values()
    assert env["BOAI_DB_POOLER"] == "pgbouncer" and ":6432/" in env["DATABASE_URL"]


def test_the_environment_example_lists_every_variable_the_settings_read():
    source = (Path(settings.BASE_DIR) / "config" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'(?:env\.\w+|_required_in_production|Env\(\)\.str)\(\s*"([A-Z][A-Z0-9_]+)"', source))
    assert len(names) > 40
    missing = sorted(n for n in names if not re.search(rf"\b{n}\b", ENV_EXAMPLE))
    assert missing == []


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (the checks above still ran)")
def test_nginx_accepts_the_configuration(tmp_path):
    """``nginx -t`` on the file as shipped, in a throw-away nginx.conf, with a self-signed certificate."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=boai.example.org",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    conf = NGINX.replace("/etc/ssl/boai/fullchain.pem", str(cert)).replace("/etc/ssl/boai/privkey.pem", str(key))
    conf = conf.replace("/srv/boai/deploy/nginx/", f"{DEPLOY}/nginx/").replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "boai.conf").write_text(conf, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log {tmp_path}/access.log;\n"
        f" client_body_temp_path {tmp_path};\n proxy_temp_path {tmp_path};\n include {tmp_path}/boai.conf;\n}}\n",
        encoding="utf-8",
    )
    run = subprocess.run(["nginx", "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "syntax is ok" in run.stderr


def production_setting(name: str, tmp_path):
    """A setting's value under BOAI_PRODUCTION=1 (the settings module read in a process of its own)."""
    import json
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOAI_", "DATABASE_URL"))}
    env.update(
        BOAI_PRODUCTION="1",
        BOAI_VAR_DIR=str(tmp_path),
        SECRET_KEY="x" * 60,
        BOAI_FIELD_KEY="1:" + "ab" * 16,
        BOAI_INDEX_KEY="cd" * 32,
        BOAI_AUDIT_KEY="1:" + "ef" * 32,
        ALLOWED_HOSTS="boai.example.org",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    code = f"import json; from django.conf import settings; print(json.dumps(settings.{name}))"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


@pytest.mark.django_db
def test_probes_answer_over_plain_http_and_pages_are_redirected_to_https(client, settings, tmp_path):
    """A load balancer or Prometheus asking gunicorn directly (no X-Forwarded-Proto) gets its answer;
    a page asked for over HTTP is still sent to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = production_setting("SECURE_REDIRECT_EXEMPT", tmp_path)
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code in (200, 503)
    assert client.get("/metrics").status_code == 200  # the test client's 127.0.0.1 is allowed in development
    page = client.get("/workspace/")
    assert page.status_code == 301 and page["Location"].startswith("https://")
    assert client.get("/healthz", secure=True).status_code == 200


def test_celery_logs_through_django_s_json_logging():
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
