"""The coordinators' panels on the workspace home page (``lib.home``): the applications awaiting the
user's decision, and the qualifications expiring soon or expired."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import Role
from boai.lib.home import HomeItem, HomePanel

from .selectors.applications import awaiting_count
from .selectors.qualifications import home_items


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
    HomePanel(
        order=36,
        title=gettext_lazy("Qualifications to renew"),
        perm="coordinators.view",
        roles=frozenset({Role.PROVINCE_ADMIN, Role.BRANCH_STAFF}),  # who keeps the list, not every reader
        items=home_items,
        empty=gettext_lazy("No qualification expires soon."),
    ),
]
