"""The coordinators' panel on the workspace home page (``lib.home``): the applications awaiting the
user's decision."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.lib.home import HomeItem, HomePanel

from .selectors.applications import awaiting_count


def awaiting_items(user):
    count = awaiting_count(user)
    if count:
        yield HomeItem(_("Applications awaiting my decision"), f"{reverse('coordinators:applications')}?mine=on", count)


PANELS = [
    HomePanel(
        order=35,
        title=gettext_lazy("Applications awaiting my review"),
        perm="coordinators.review",
        items=awaiting_items,
        empty=gettext_lazy("No application awaits your decision."),
    ),
]
