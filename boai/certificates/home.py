"""The certificates' panel on the workspace home page (``lib.home``): the blank certificates and consent
forms an OPO unit holds, and the province's stock."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.lib.home import HomeItem, HomePanel

from .models import Kind
from .selectors import blanks_in_province, blanks_on_hand


def unit_stock_items(user):
    yield HomeItem(
        _("Blank certificates on hand"), reverse("certificates:stock"), blanks_on_hand(user=user, kind=Kind.ORGAN)
    )
    yield HomeItem(
        _("Blank consent forms on hand"),
        reverse("certificates:consent_stock"),
        blanks_on_hand(user=user, kind=Kind.ORGAN_CONSENT),
    )


def province_stock_items(user):
    yield HomeItem(
        _("Blank certificates in the province's stock"),
        reverse("certificates:stock"),
        blanks_in_province(kind=Kind.ORGAN),
    )
    yield HomeItem(
        _("Blank consent forms in the province's stock"),
        reverse("certificates:consent_stock"),
        blanks_in_province(kind=Kind.ORGAN_CONSENT),
    )


PANELS = [
    HomePanel(order=30, title=gettext_lazy("Certificate stock"), perm="certificates.unit", items=unit_stock_items),
    HomePanel(order=30, title=gettext_lazy("Certificate stock"), perm="certificates.stock", items=province_stock_items),
]
