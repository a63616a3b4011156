from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuGroup

COORDINATORS = MenuGroup(30, _("Coordinators"))

MENU: list = []  # (the entries come with their pages)
