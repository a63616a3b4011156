from django.utils.translation import gettext_lazy as _

from boai.lib.menu import DONATION, MenuEntry

MENU = [
    MenuEntry(group=DONATION, order=10, label=_("Registrations"), url="registry:list", perm="records.view"),
    MenuEntry(
        group=DONATION, order=12, label=_("National registry"), url="registry:national", perm="registry.national"
    ),
]
