from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup

CARE = MenuGroup(40, _("Family care"))

MENU: list[MenuEntry] = []

MENU.append(MenuEntry(group=CARE, order=90, label=_("Ledger check"), url="care:ledger_check", perm="care.export"))
