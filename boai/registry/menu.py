from django.utils.translation import gettext_lazy as _

from boai.lib.menu import DONATION, MenuEntry

MENU = [
    MenuEntry(group=DONATION, order=10, label=_("Registrations"), url="registry:list", perm="records.view"),
    MenuEntry(
        group=DONATION,
        order=11,
        label=_("Duplicates to review"),
        url="registry:duplicates",
        perm="records.change",
        badge="boai.registry.selectors.review_count",  # look-alike pairs and entries held for review
    ),
    MenuEntry(
        group=DONATION, order=12, label=_("National registry"), url="registry:national", perm="registry.national"
    ),
]
