from django.utils.translation import gettext_lazy as _

from boai.lib.menu import ADMINISTRATION, MenuEntry

MENU = [MenuEntry(group=ADMINISTRATION, order=30, label=_("Audit log"), url="audit:list", perm="audit.view")]
