"""Family care's background jobs, and their place in Celery beat's schedule (``BEAT``, collected by
``config.celery`` from every app's ``tasks.py``)."""

BEAT: dict = {}
