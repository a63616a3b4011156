"""Readable names of outreach's audit actions (collected by ``audit.labels``)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    # events
    "outreach.event.created": _("Publicity event added"),
    "outreach.event.changed": _("Publicity event changed"),
    "outreach.event.exported": _("Publicity events exported"),
    "outreach.event.photo_viewed": _("Photo of a publicity event opened"),
    "outreach.partner.created": _("Partner added"),
    "outreach.partner.changed": _("Partner changed"),
    # campaigns
    "outreach.campaign.created": _("Campaign added"),
    "outreach.campaign.changed": _("Campaign changed"),
    "outreach.campaign.exported": _("Campaign's registration tables downloaded"),
    # offline collection
    "outreach.collected.synced": _("Entry taken offline at an event synced"),
    # media
    "outreach.media.created": _("Media report added"),
    "outreach.media.changed": _("Media report changed"),
    "outreach.media.exported": _("Media reports exported"),
    # fundraising
    "outreach.project.created": _("Fundraising project added"),
    "outreach.project.changed": _("Fundraising project changed"),
    "outreach.results.recorded": _("Fundraising results recorded"),
    "outreach.results.imported": _("Fundraising results imported"),
}
