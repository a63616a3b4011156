from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup

CARE = MenuGroup(40, _("Family care"))

MENU: list[MenuEntry] = [
    MenuEntry(group=CARE, order=10, label=_("Donor families"), url="care:families", perm="care.view"),
]
