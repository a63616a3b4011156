"""The Celery app. Broker and result backend come from settings (Redis in production, in-memory
and eager when REDIS_URL is unset, so `make run` and `make test` need no Redis).

Beat's schedule: ``CELERY_BEAT_SCHEDULE`` in settings (the platform's own entries) plus what each
Boai app declares in its ``tasks.py`` as ``BEAT = {"name": {"task": ..., "schedule": ...}}``, collected
through ``boai.lib.plugins`` when the app is finalised and again when beat starts (a programme never
edits the settings to schedule its jobs)."""

import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("boai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule() -> dict:
    """The settings' entries and every app's ``tasks.BEAT``; a name declared twice is a mistake."""
    from django.conf import settings

    from boai.lib.plugins import declarations, merged_dict

    schedule = dict(getattr(settings, "CELERY_BEAT_SCHEDULE", {}) or {})
    for name, entry in merged_dict(list(declarations("tasks", "BEAT"))).items():
        if name in schedule:
            raise ValueError(f"beat entry {name!r} is declared twice")
        schedule[name] = entry
    return schedule


def _collect_beat(*_args, **_kwargs) -> None:
    from django.apps import apps

    if apps.ready:  # beat_init does it otherwise, once Django is set up
        app.conf.beat_schedule = beat_schedule()


app.on_after_finalize.connect(_collect_beat, weak=False)
beat_init.connect(_collect_beat, weak=False)
