"""The same WSGI application with the audit chain switched off, for `bench/http_bench.py` only:
every audit_log call becomes a plain INSERT of the same shape, without the chain head's row lock and
without SM3. Never used outside the benchmark."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from boai.audit import services  # noqa: E402
from config.wsgi import application  # noqa: E402, F401 - the application gunicorn serves

_original = services.audit_log


def plain_audit_log(*, action, actor=None, obj=None, changes=None, **kwargs):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO bench_plain (action, changes, hash) VALUES (%s, %s, %s)",
            [action, json.dumps(services.masked_changes(changes)), "0" * 64],
        )


for module in list(sys.modules.values()):
    if getattr(module, "audit_log", None) is _original:
        module.audit_log = plain_audit_log
