"""Reads of the collect area: the event a staff member may collect at, the key that encrypts the
entries waiting on their phone, and the counties the phone's form offers."""

import hashlib

from django.core.exceptions import PermissionDenied

from boai.accounts.scoping import get_for_user, user_region_prefix
from boai.core.models import Region
from boai.lib import crypto

from ..models import Event

KEY_PURPOSE = "outreach-collect"


def collect_event(user, pk) -> Event:
    """The event, if ``user`` may collect at it: 403 without the permission, 404 outside their area."""
    if not user.has_perm("outreach.collect"):
        raise PermissionDenied("outreach.collect")
    return get_for_user(user, Event.objects.select_related("region", "campaign"), pk)


def collect_key(user, event: Event) -> bytes:
    """The 256-bit key that encrypts this staff member's entries of this event on their phone. Derived
    on the server (HMAC-SM3 with the server's index key, purpose ``outreach-collect``) over the user and
    the event, so the same person gets the same key after a reload or a new login, and nothing waiting
    on the phone is lost; it is never stored. (Rotating the index key changes it: sync first.)"""
    mac = crypto.blind_index(f"{user.pk}:{event.pk}", purpose=KEY_PURPOSE)
    return bytes.fromhex(mac)  # HMAC-SM3: 32 bytes


def county_groups(event: Event, user) -> list[tuple[str, list[tuple[str, str]]]]:
    """Counties for the phone's form: only those in the staff member's own area (the registry refuses
    the others, ``check_area``), grouped by prefecture, the event's prefecture first."""
    prefecture = event.region_id[:4] + "00"
    prefix = user_region_prefix(user) or ""
    groups = []
    for pref in Region.objects.filter(parent_id="530000").order_by("code"):
        counties = [(c.code, c.name) for c in pref.children.order_by("code") if c.code.startswith(prefix)]
        if counties:
            groups.append((pref.code, pref.name, counties))
    groups.sort(key=lambda g: g[0] != prefecture)
    return [(name, counties) for _code, name, counties in groups]


def collect_key_version(key: bytes) -> str:
    """A short id of the key, derived from it (not the key): stored beside each entry on the phone, so
    that the page knows which entries the key it holds can read (after a rotation, the older ones not)."""
    return hashlib.sha256(b"boai-collect-key-version:" + key).hexdigest()[:8]


def cache_owner(user) -> str:
    """The name the phone's cached collection page is kept under (``boai-collect-page-<owner>``): one
    per staff member, so that the page is never served offline to another account. The same hash is
    computed by ``boai.js`` from the workspace's logout form, which purges other accounts' pages."""
    return hashlib.sha256(f"boai-collect:{user.pk}".encode()).hexdigest()[:16]
