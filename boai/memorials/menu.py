from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup

MEMORIALS = MenuGroup(50, _("Memorials"))

MENU: list[MenuEntry] = []
