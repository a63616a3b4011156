from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup, PublicLink

STATS = MenuGroup(70, _("Statistics"))

MENU: list[MenuEntry] = [
    MenuEntry(group=STATS, order=10, label=_("Statistics dashboard"), url="stats:dashboard", perm="stats.view"),
    MenuEntry(group=STATS, order=30, label=_("Annual report"), url="stats:report", perm="stats.view"),
    MenuEntry(group=STATS, order=40, label=_("Donor pathway"), url="stats:pathway", perm="stats.view"),
    MenuEntry(
        group=STATS, order=60, label=_("Population of the regions"), url="stats:population", perm="stats.population"
    ),
]
PUBLIC: list[PublicLink] = [PublicLink(order=40, label=_("Open data"), url="open_data:index")]
