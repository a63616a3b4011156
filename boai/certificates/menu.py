from django.utils.translation import gettext_lazy as _

from boai.lib.menu import DONATION, MenuEntry, PublicLink

MENU = [MenuEntry(group=DONATION, order=30, label=_("Certificates"), url="certificates:list", perm="certificates.view")]
PUBLIC = [PublicLink(order=10, label=_("Verify a certificate"), url="public_certificates:verify")]
