"""Outreach's panels on the workspace home page (``lib.home``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.lib.home import HomeItem, HomePanel


def year_items(user):
    """This year's outreach in the user's area: events held, their audience, media reports and the
    registrations attributed to campaigns (the published figures, ``figures.py``)."""
    from boai.accounts.scoping import user_region_prefix  # noqa: PLC0415

    from . import figures  # noqa: PLC0415

    prefix = user_region_prefix(user)
    if not prefix:
        return
    year = timezone.localdate().year
    events = reverse("outreach:events")
    yield HomeItem(_("Publicity events held this year"), events, figures.events_held(year, prefix))
    yield HomeItem(_("Audience of this year's events"), events, figures.audience(year, prefix))
    yield HomeItem(
        _("Media reports this year"), f"{reverse('outreach:media')}?year={year}", figures.media_reports(year, prefix)
    )
    yield HomeItem(
        _("Registrations through campaigns this year"),
        reverse("outreach:campaigns"),
        figures.campaign_registrations(year, prefix),
    )


PANELS: list = [
    # this year's outreach (events, audience, media, registrations attributed to campaigns)
    HomePanel(order=70, title=gettext_lazy("Outreach this year"), perm="outreach.view", items=year_items),
]
