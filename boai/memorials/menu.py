from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup, PublicLink

MEMORIALS = MenuGroup(50, _("Memorials"))

MENU: list[MenuEntry] = [
    # sites and events
    MenuEntry(group=MEMORIALS, order=10, label=_("Memorial sites"), url="memorials:sites", perm="memorials.view"),
    MenuEntry(group=MEMORIALS, order=20, label=_("Memorial events"), url="memorials:events", perm="memorials.view"),
    # the wall
    MenuEntry(group=MEMORIALS, order=30, label=_("Memorial wall"), url="memorials:wall", perm="memorials.wall"),
    MenuEntry(
        group=MEMORIALS,
        order=35,
        label=_("Wall messages to approve"),
        url="memorials:wall_messages",
        perm="memorials.wall",
        badge="boai.memorials.selectors.wall.pending_count",
    ),
]
PUBLIC = [PublicLink(order=30, label=_("Memorial wall"), url="memorial:wall")]
