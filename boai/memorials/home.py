"""The memorials' panels on the workspace home page (``lib.home``)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.lib.home import HomeItem, HomePanel

from .selectors.wall import pending_count


def wall_items(user):
    count = pending_count(user)
    if count:
        yield HomeItem(_("Families' messages waiting for approval"), reverse("memorials:wall_messages"), count)


PANELS: list = [
    # the wall
    HomePanel(
        order=60,
        title=gettext_lazy("Memorial wall"),
        perm="memorials.wall",
        items=wall_items,
        empty=gettext_lazy("No message for the memorial wall is waiting."),
    ),
]
