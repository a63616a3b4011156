"""Family care's panels on the workspace home page (``lib.home``)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import Role
from boai.lib.home import HomeItem, HomePanel


def follow_up_items(user):
    from .selectors.followups import due_count, overdue_count, reminded_to

    url = reverse("care:follow_ups")
    overdue = overdue_count(user)
    if overdue:
        yield HomeItem(_("Follow-ups overdue"), url, overdue)
    due = due_count(user) - overdue
    if due:
        yield HomeItem(_("Follow-ups due this week"), url, due)
    mine = reminded_to(user)
    if mine:
        yield HomeItem(_("Reminders for the families I am responsible for"), url, mine)


PANELS: list = [
    # follow-ups
    HomePanel(
        order=40,
        title=gettext_lazy("Family follow-ups"),
        perm="care.view",
        roles=frozenset({Role.PROVINCE_ADMIN, Role.BRANCH_STAFF}),
        items=follow_up_items,
        empty=gettext_lazy("No follow-up is due this week."),
    ),
]
