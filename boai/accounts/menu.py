from django.utils.translation import gettext_lazy as _

from boai.lib.menu import ADMINISTRATION, MenuEntry

MENU = [
    MenuEntry(
        group=ADMINISTRATION, order=20, label=_("Accounts"), url="staff_accounts:user_list", perm="accounts.view"
    ),
    MenuEntry(group=ADMINISTRATION, order=40, label=_("Change password"), url="accounts:password_change"),
]
