from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup

MEMORIALS = MenuGroup(50, _("Memorials"))

MENU: list[MenuEntry] = [
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
