"""gunicorn's settings for Boai (``gunicorn --config /srv/boai/deploy/gunicorn.conf.py``, as
``deploy/systemd/boai-web.service`` runs it). Everything can be overridden from the environment file:
``BOAI_BIND``, ``WEB_CONCURRENCY`` (worker processes), ``BOAI_WEB_TIMEOUT``. The guide: docs/deploy.md.

Logs: gunicorn's own lines (start, worker boot, timeouts, crashes) in the JSON format of Django's
(``config.settings.LOGGING``, which takes over in each worker): one JSON object per line on stderr, to
the journal. No access log here: nginx writes it (without query strings), and the app writes a
``request_finished`` line per request with the request id."""

import multiprocessing
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

wsgi_app = "config.wsgi:application"
chdir = str(BASE_DIR)

# Only the loopback: nginx on the same host is the only client (X-Forwarded-* are trusted from it).
bind = [os.environ.get("BOAI_BIND", "127.0.0.1:8000")]
forwarded_allow_ips = "127.0.0.1,::1"

# Workers from cores: sync workers (Boai's requests are short and CPU-bound: encryption, PDFs), two per
# core plus one while a worker waits on the database. Each takes about 150 MB: lower WEB_CONCURRENCY on a
# small machine.
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or multiprocessing.cpu_count() * 2 + 1
worker_class = "sync"

# Timeouts: a request taking longer than this is killed (the worker restarted, the client gets 502 from
# nginx, whose proxy_read_timeout is 65 s). A large XLSX export is the slowest request; prefer CSV.
timeout = int(os.environ.get("BOAI_WEB_TIMEOUT", "60"))
# Graceful restarts (systemctl reload boai-web = SIGHUP; stop = SIGTERM): workers finish the requests
# they have for up to this long before they are killed. New workers load the code afresh (no preload),
# so a reload after an upgrade serves the new code without dropping a request.
graceful_timeout = 30
preload_app = False
keepalive = 5  # nginx keeps connections to the upstream open (keepalive 16)

# Recycle each worker after about 1000 requests (the jitter spreads restarts so they do not all
# restart at once): bounds the damage of any slow memory growth.
max_requests = 1000
max_requests_jitter = 100

# Heartbeat files in memory, not on a disk systemd makes read-only.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, nothing else

# Request limits (nginx refuses larger bodies first: client_max_body_size).
limit_request_line = 8190
limit_request_fields = 100

proc_name = "boai-web"
accesslog = None
errorlog = None  # no plain-text handler of gunicorn's own: its logger is configured below
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def _logconfig() -> dict:
    """gunicorn's own lines in the JSON format of Django's LOGGING (config/settings.py), which each worker
    sets up again when Django starts. Built here rather than read from the settings: the master must not
    import the settings or any of Boai's code, or every worker forked after ``systemctl reload`` would
    inherit the old modules instead of loading the new release."""
    import structlog

    chain = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    json_formatter = {
        "()": structlog.stdlib.ProcessorFormatter,
        "processors": [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        "foreign_pre_chain": chain,
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": json_formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["console"], "level": loglevel.upper()},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
            "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


logconfig_dict = _logconfig()


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR (several workers share /metrics), forget a dead worker's gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
