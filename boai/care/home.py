"""Family care's panels on the workspace home page (``lib.home``)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.lib.home import HomeItem, HomePanel


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
