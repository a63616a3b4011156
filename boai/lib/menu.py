"""The staff menu. Every app lists its own entries in ``<app>/menu.py``:

    MENU = [MenuEntry(group=DONATION, order=10, label=_("Registrations"), url="registry:list", perm="records.view")]

and the workspace layout shows, for the user, the entries whose permission they hold, grouped and
ordered. A programme with a group of its own declares a ``MenuGroup`` next to its entries.

A programme with public pages lists them for the public footer in the same module:

    PUBLIC = [PublicLink(order=20, label=_("Public ledger of payments"), url="ledger:public")]"""

from dataclasses import dataclass, field, replace

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from boai.lib import changes
from boai.lib.plugins import collected


@dataclass(frozen=True, eq=False)  # one object per group: compared and hashed by identity
class MenuGroup:
    order: int
    label: str = ""  # shown as the group's heading; the top group has none


@dataclass(frozen=True)
class MenuEntry:
    group: MenuGroup
    order: int
    label: str
    url: str  # a URL name
    args: tuple = field(default=())
    perm: str | None = None  # None: every staff account
    badge: str = ""  # dotted path of a function(user) -> int: what waits there, shown beside the label
    count: int = 0  # the badge's number for the user (``menu_for`` fills it in)

    def href(self) -> str:
        return reverse(self.url, args=self.args)


@dataclass(frozen=True)
class PublicLink:
    order: int
    label: str
    url: str  # a URL name

    def href(self) -> str:
        return reverse(self.url)


TOP = MenuGroup(0)
DONATION = MenuGroup(20, _("Organ donation"))  # the organ donation management centre's programmes
ADMINISTRATION = MenuGroup(90, _("Administration"))


def _flatten(found) -> list[MenuEntry]:
    entries = [entry for _config, menu in found for entry in menu]
    return sorted(entries, key=lambda e: (e.group.order, e.order))


def menu_for(user) -> list[tuple[MenuGroup, list[MenuEntry]]]:
    """The menu groups and entries ``user`` may use, in order; groups with no entry left out."""
    groups: dict[MenuGroup, list[MenuEntry]] = {}
    for entry in collected("menu", "MENU", _flatten):
        if entry.perm is None or user.has_perm(entry.perm):
            if entry.badge:
                entry = replace(entry, count=import_string(entry.badge)(user))
            groups.setdefault(entry.group, []).append(entry)
    return list(groups.items())


def menu_html(user) -> str:
    """The staff menu as the workspace shows it (``includes/staff_menu.html``), in the active language.
    Its badges cost a query each, so the HTML is kept in the shared cache for ``BOAI_MENU_BADGE_SECONDS``
    (0: never), and only while no change to the data was audited since (``lib.changes``); what changes
    with time alone (a due follow-up, an expiring qualification) shows within those seconds."""
    return changes.kept_html(
        f"menu-html:{user.pk}:{get_language()}", "includes/staff_menu.html", lambda: {"staff_menu": menu_for(user)}
    )


def _links(found) -> list[PublicLink]:
    return sorted((link for _config, links in found for link in links), key=lambda link: link.order)


def public_links() -> list[PublicLink]:
    """Every app's links for the public pages' footer, in order."""
    return collected("menu", "PUBLIC", _links)
