from django.utils.translation import gettext_lazy as _

from boai.lib.menu import MenuEntry, MenuGroup

COORDINATORS = MenuGroup(30, _("Coordinators"))

MENU = [
    MenuEntry(group=COORDINATORS, order=10, label=_("Coordinators"), url="coordinators:list", perm="coordinators.view"),
    MenuEntry(
        group=COORDINATORS,
        order=20,
        label=_("Applications"),
        url="coordinators:applications",
        perm="coordinators.view",
        badge="boai.coordinators.selectors.applications.awaiting_count",
    ),
    MenuEntry(
        group=COORDINATORS, order=30, label=_("Training classes"), url="coordinators:classes", perm="coordinators.view"
    ),
    MenuEntry(
        group=COORDINATORS,
        order=40,
        label=_("Qualifications"),
        url="coordinators:qualifications",
        perm="coordinators.view",
        badge="boai.coordinators.selectors.qualifications.expiring_count",
    ),
    MenuEntry(group=COORDINATORS, order=50, label=_("On call"), url="coordinators:on_call", perm="coordinators.view"),
    MenuEntry(
        group=COORDINATORS,
        order=60,
        label=_("Assessments and awards"),
        url="coordinators:assessments",
        perm="coordinators.view",
    ),
    MenuEntry(group=COORDINATORS, order=70, label=_("Overview"), url="coordinators:overview", perm="coordinators.view"),
    MenuEntry(
        group=COORDINATORS,
        order=80,
        label=_("Coordinator settings"),
        url="coordinators:settings",
        perm="coordinators.settings",
    ),
]
