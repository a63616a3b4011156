"""Pages of offline collection at events: the phone's collection page (it works without network once
opened: ``collect.js``, the service worker and IndexedDB do the rest), the key that encrypts the
entries waiting on the phone, the service worker itself and the web manifest that makes the page
installable. The entries are synced through the API (``api.collect``)."""

import base64
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from boai.core.interface import require_perm
from boai.core.people import Organ, Tissue
from boai.registry import notices

from ..selectors import collect as selectors
from ..services.collect import MAX_BATCH

SW_SOURCE = Path(__file__).resolve().parent.parent / "static" / "outreach" / "collect-sw.js"
SCOPE = "/workspace/outreach/"

# What the service worker keeps so that the page opens without network (the page itself is added
# when it is first opened: its address names the event).
SHELL = (
    "boai/boai.css",
    "boai/boai.js",
    "vendor/noto-sans-sc/noto-sans-sc.css",
    "vendor/htmx/htmx.min.js",
    "outreach/collect.js",
    "outreach/icon-192.png",
    "outreach/icon-512.png",
)


@require_GET
def collect_page(request, pk):
    """The collection page: the form, the consent notice, the signature pad and the entries waiting on
    this phone. Nothing personal and no key in it: it is kept by the service worker for offline use."""
    require_perm(request, "outreach.collect")
    event = selectors.collect_event(request.user, pk)
    response = render(
        request,
        "outreach/collect_page.html",
        {
            "event": event,
            "title": _("Collect registrations: %(title)s") % {"title": event.title},
            "breadcrumbs": [(_("Publicity events"), reverse("outreach:events")), (event.title, None)],
            "notice_text": notices.text(notices.CURRENT),
            "notice_version": notices.CURRENT,
            "counties": selectors.county_groups(event, request.user),
            "cache_owner": selectors.cache_owner(request.user),
            "organs": Organ.choices,
            "tissues": Tissue.choices,
            "batch": MAX_BATCH,
        },
    )
    response["X-Boai-Cache-Owner"] = selectors.cache_owner(request.user)  # the worker keeps it under this
    return response


@require_GET
def collect_key(request, pk):
    """The key of this staff member's entries of this event (base64), its short version id, and a fresh
    CSRF token for the sync: the page kept by the service worker may hold an older one. Never cached (no-store)."""
    require_perm(request, "outreach.collect")
    event = selectors.collect_event(request.user, pk)
    raw = selectors.collect_key(request.user, event)
    key = base64.b64encode(raw).decode("ascii")
    return JsonResponse({"key": key, "version": selectors.collect_key_version(raw), "csrf": get_token(request)})


@lru_cache(maxsize=1)
def _worker() -> str:
    shell = [static(name) for name in SHELL]
    source = SW_SOURCE.read_text(encoding="utf-8")
    version = hashlib.sha256((json.dumps(shell) + source).encode()).hexdigest()[:12]
    prologue = (
        '"use strict";\n'
        f"const BOAI_SHELL = {json.dumps(shell)};\n"
        f"const BOAI_CACHE = {json.dumps('boai-collect-shell-' + version)};\n"
        f"const BOAI_FONTS = {json.dumps(static('vendor/noto-sans-sc/'))};\n"
    )
    return prologue + source


@require_GET
def service_worker(request):
    """The service worker (its scope is the outreach workspace): the collection page network first,
    then from its cache; the page's static files from the cache."""
    response = HttpResponse(_worker(), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response.boai_cacheable = True  # no personal data: NoStoreMiddleware leaves the header as it is
    response["Service-Worker-Allowed"] = SCOPE
    return response


@require_GET
def manifest(request, pk):
    """The web manifest: the collection page of this event, installable on the phone's home screen."""
    start = reverse("outreach:collect", args=[pk])
    data = {
        "name": _("Boai — collect registrations"),
        "short_name": _("Collect"),
        "start_url": start,
        "scope": SCOPE,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b3121f",
        "icons": [
            {"src": static("outreach/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("outreach/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


urlpatterns = [
    path("events/<int:pk>/collect/", collect_page, name="collect"),
    path("events/<int:pk>/collect/key/", collect_key, name="collect_key"),
    path("events/<int:pk>/collect/app.webmanifest", manifest, name="collect_manifest"),
    path("collect-sw.js", service_worker, name="collect_sw"),
]
public_urlpatterns: list = []
