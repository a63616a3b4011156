"""The accounts' panel on the workspace home page (``lib.home``): the system and security
administrators' work."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.lib.home import HomeItem, HomePanel

from .selectors import account_counts


def account_items(user):
    counts = account_counts()
    base = reverse("staff_accounts:user_list")
    yield HomeItem(_("Active accounts"), base, counts["active"])
    yield HomeItem(_("Switched-off accounts"), base, counts["inactive"])


PANELS = [HomePanel(order=40, title=gettext_lazy("Staff accounts"), perm="accounts.view", items=account_items)]
