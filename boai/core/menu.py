from django.utils.translation import gettext_lazy as _

from boai.lib.menu import ADMINISTRATION, MenuEntry

MENU = [MenuEntry(group=ADMINISTRATION, order=50, label=_("API documentation"), url="api-docs", perm="api.docs")]
