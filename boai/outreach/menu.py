from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup, PublicLink

OUTREACH = MenuGroup(60, _("Outreach"))

MENU: list[MenuEntry] = [
    # events
    MenuEntry(group=OUTREACH, order=10, label=_("Publicity events"), url="outreach:events", perm="outreach.view"),
    MenuEntry(group=OUTREACH, order=15, label=_("Event calendar"), url="outreach:calendar", perm="outreach.view"),
    MenuEntry(group=OUTREACH, order=17, label=_("Partners"), url="outreach:partners", perm="outreach.view"),
    # campaigns
    MenuEntry(group=OUTREACH, order=20, label=_("Campaigns"), url="outreach:campaigns", perm="outreach.view"),
    # media
    MenuEntry(group=OUTREACH, order=30, label=_("Media coverage"), url="outreach:media", perm="outreach.view"),
    # fundraising
    MenuEntry(
        group=OUTREACH, order=40, label=_("Online fundraising"), url="outreach:fundraising", perm="outreach.view"
    ),
]
PUBLIC: list[PublicLink] = []
