"""The Celery app. Broker and result backend come from settings (Redis in production, in-memory
and eager when REDIS_URL is unset, so `make run` and `make test` need no Redis)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("boai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
