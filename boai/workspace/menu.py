from django.utils.translation import gettext_lazy as _

from boai.lib.menu import ADMINISTRATION, TOP, MenuEntry

MENU = [
    MenuEntry(group=TOP, order=0, label=_("Home"), url="workspace:home"),
    MenuEntry(group=ADMINISTRATION, order=10, label=_("Organisations"), url="workspace:organisations"),
]
