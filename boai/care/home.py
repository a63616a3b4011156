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


def _payments_awaiting(user):
    from .selectors.payments import awaiting_count  # noqa: PLC0415

    count = awaiting_count(user)
    if count:
        yield HomeItem(_("Payments awaiting my decision"), f"{reverse('care:payments')}?mine=on", count)


def _payments_to_pay(user):
    from .selectors.payments import to_pay_count  # noqa: PLC0415

    count = to_pay_count(user)
    if count:
        yield HomeItem(_("Payments approved, to pay"), f"{reverse('care:payments')}?payable=on", count)


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
    # payments
    HomePanel(
        order=45,
        title=gettext_lazy("Payments awaiting my decision"),
        perm="care.review",
        items=_payments_awaiting,
        empty=gettext_lazy("No payment awaits your decision."),
    ),
    HomePanel(
        order=46,
        title=gettext_lazy("Payments approved, to pay"),
        perm="care.pay",
        items=_payments_to_pay,
        empty=gettext_lazy("No approved payment waits to be paid."),
    ),
]
