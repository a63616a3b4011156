"""The registry's panel on the workspace home page (``lib.home``): a branch's registrations and the
possible duplicates waiting for its review."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import Role
from boai.lib.home import HomeItem, HomePanel

from .selectors import registration_counts, review_count


def registration_items(user):
    counts = registration_counts(user=user)
    base = reverse("registry:list")
    yield HomeItem(_("Registrations"), base, counts.get("total", 0))
    yield HomeItem(_("Active"), f"{base}?status=active", counts.get("active", 0))
    yield HomeItem(_("Withdrawn"), f"{base}?status=withdrawn", counts.get("withdrawn", 0))
    if user.has_perm("records.change"):
        yield HomeItem(_("Possible duplicates to review"), reverse("registry:duplicates"), review_count(user))


PANELS = [
    HomePanel(
        order=10,
        title=gettext_lazy("Registrations in your area"),
        perm="records.view",
        roles=frozenset({Role.PROVINCE_ADMIN, Role.BRANCH_STAFF}),
        items=registration_items,
    ),
]
