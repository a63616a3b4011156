from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup

CARE = MenuGroup(40, _("Family care"))

MENU: list[MenuEntry] = [
    # follow-ups
    MenuEntry(
        group=CARE,
        order=20,
        label=_("Follow-ups"),
        url="care:follow_ups",
        perm="care.view",
        badge="boai.care.selectors.followups.due_count",
    ),
    MenuEntry(group=CARE, order=90, label=_("Family care settings"), url="care:settings", perm="care.settings"),
]
