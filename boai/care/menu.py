from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup

CARE = MenuGroup(40, _("Family care"))

MENU: list[MenuEntry] = []
