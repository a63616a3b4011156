"""A bare Django view doing one insert, for bench/load_bench.py only: the project's settings and
middleware (sessions, CSRF, locale, security headers, metrics: what every request here pays), but a
URLconf of its own with one view that parses the JSON body and inserts it as one plain row of a
registration's shape (bench/served.py) in a transaction of its own. No authentication, validation,
encryption, blind index, idempotency record or audit entry: what the real registration API adds is
the difference. Served by the same gunicorn settings as the application; never used outside the bench."""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from bench.served import PLAIN_INSERT, plain_row  # noqa: E402
from boai.core import views as core_views  # noqa: E402


@csrf_exempt
def insert(request):
    body = json.loads(request.body)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(PLAIN_INSERT, plain_row(body))
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [
    path("healthz", core_views.healthz),
    path("bench/insert", insert),
]
settings.ROOT_URLCONF = __name__  # read on every request (BaseHandler.get_response)
application = get_wsgi_application()
