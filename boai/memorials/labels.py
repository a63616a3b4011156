"""Readable names of the memorials' audit actions (collected by ``audit.labels``)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    # sites and events
    "memorials.site.created": _("Memorial site added"),
    "memorials.site.changed": _("Memorial site changed"),
    "memorials.site.photo_viewed": _("Photo of a memorial site opened"),
    "memorials.site.exported": _("Memorial sites exported"),
    "memorials.event.created": _("Memorial event added"),
    "memorials.event.changed": _("Memorial event changed"),
    "memorials.event.photo_viewed": _("Photo of a memorial event opened"),
    "memorials.event.exported": _("Memorial events exported"),
    # the wall
    "memorials.wall.consented": _("Consent to the memorial wall recorded"),
    "memorials.wall.changed": _("What the memorial wall shows changed"),
    "memorials.wall.withdrawn": _("Consent to the memorial wall withdrawn"),
    "memorials.wall.code_renewed": _("New message code for the memorial wall"),
    "memorials.wall.message_sent": _("Message for the memorial wall received"),
    "memorials.wall.message_approved": _("Message published on the memorial wall"),
    "memorials.wall.message_rejected": _("Message for the memorial wall not published"),
}
