from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup, PublicLink

STATS = MenuGroup(70, _("Statistics"))

MENU: list[MenuEntry] = [
    MenuEntry(
        group=STATS, order=60, label=_("Population of the regions"), url="stats:population", perm="stats.population"
    ),
]
PUBLIC: list[PublicLink] = [PublicLink(order=40, label=_("Open data"), url="open_data:index")]
