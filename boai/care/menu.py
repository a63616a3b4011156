from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup

CARE = MenuGroup(40, _("Family care"))

MENU: list[MenuEntry] = [
    # payments
    MenuEntry(
        group=CARE,
        order=40,
        label=_("Payments"),
        url="care:payments",
        perm="care.view",
        badge="boai.care.selectors.payments.awaiting_count",
    ),
    MenuEntry(group=CARE, order=45, label=_("Budgets"), url="care:budgets", perm="care.view"),
]
