"""Readable names of the memorials' audit actions (collected by ``audit.labels``)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    # sites and events
    "memorials.site.created": _("Memorial site added"),
    # the wall
}
