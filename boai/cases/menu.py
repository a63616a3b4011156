from django.utils.translation import gettext_lazy as _

from boai.lib.menu import DONATION, MenuEntry

MENU = [
    MenuEntry(
        group=DONATION, order=20, label=_("Organ donation cases"), url="cases:list", args=("organ",), perm="cases.view"
    ),
    MenuEntry(
        group=DONATION,
        order=22,
        label=_("Procurement and transplant staff"),
        url="cases:unit_staff",
        perm="cases.medical",
    ),
    MenuEntry(
        group=DONATION, order=21, label=_("Body donation cases"), url="cases:list", args=("body",), perm="cases.view"
    ),
]
