from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup, PublicLink

CARE = MenuGroup(40, _("Family care"))

MENU: list[MenuEntry] = [
    MenuEntry(group=CARE, order=10, label=_("Donor families"), url="care:families", perm="care.view"),
    # follow-ups
    MenuEntry(
        group=CARE,
        order=20,
        label=_("Follow-ups"),
        url="care:follow_ups",
        perm="care.view",
        badge="boai.care.selectors.followups.due_count",
    ),
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
    MenuEntry(group=CARE, order=80, label=_("Ledger check"), url="care:ledger_check", perm="care.export"),
    MenuEntry(group=CARE, order=90, label=_("Family care settings"), url="care:settings", perm="care.settings"),
]
PUBLIC = [PublicLink(order=20, label=_("Public ledger of payments"), url="ledger:public")]
