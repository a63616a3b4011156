"""The cases' panels on the workspace home page (``lib.home``): the open cases of the user's unit or
area, and a coordinator's own cases."""

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy

from boai.accounts.roles import Role
from boai.lib.home import HomeItem, HomePanel

from .selectors import cases_on, open_case_count

# which kinds of case each role works on (a station has no organ cases, an OPO unit no body cases)
KINDS = {
    Role.PROVINCE_ADMIN: ("organ", "body"),
    Role.BRANCH_STAFF: ("organ", "body"),
    Role.OPO_STAFF: ("organ",),
    Role.STATION_STAFF: ("body",),
}
LABELS = {"organ": gettext_lazy("Open organ donation cases"), "body": gettext_lazy("Open body donation cases")}


def open_case_items(user):
    for kind in KINDS.get(user.role, ()):
        yield HomeItem(str(LABELS[kind]), reverse("cases:list", args=(kind,)), open_case_count(user=user, kind=kind))


def my_case_items(user):
    for case in cases_on(user=user):
        yield HomeItem(
            f"{case.number} {case.name}",
            reverse("cases:detail", args=("organ", case.pk)),
            note=f"{case.get_state_display()} · {case.hospital}",
        )


PANELS = [
    HomePanel(
        order=20,
        title=gettext_lazy("Cases"),
        perm="cases.view",
        roles=frozenset(KINDS),
        items=open_case_items,
    ),
    HomePanel(
        order=15,
        title=gettext_lazy("Cases you are on"),
        perm="cases.view",
        roles=frozenset({Role.COORDINATOR}),
        items=my_case_items,
        empty=gettext_lazy("You have taken no step in an open case yet."),
        more_url=reverse_lazy("cases:list", args=("organ",)),
        more_label=gettext_lazy("All organ donation cases"),
    ),
]
