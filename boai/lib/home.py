"""The workspace home page: each role lands on its own work. Every app lists its panels in
``<app>/home.py``:

    PANELS = [HomePanel(order=10, title=_("Registrations in your area"), perm="records.view",
                        roles={"branch_staff"}, items=registration_items)]

``items(user)`` answers the panel's lines (``HomeItem``: a label, a number and a link), read through the
app's selectors (scoped by ``accounts.scoping``). The home page shows, in order, the panels whose
permission (and role, when named) the user holds and that have something to show; a new programme adds
its panels in its own folder and the workspace only collects them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from boai.lib.plugins import collected


@dataclass(frozen=True)
class HomeItem:
    label: str
    url: str = ""  # where the line leads (already reversed); blank: no link
    count: int | None = None  # a number shown large; None: a line of text (a case, a task)
    note: str = ""  # a short second line (a case's state)


@dataclass(frozen=True)
class HomePanel:
    order: int
    title: str
    items: Callable[..., Iterable[HomeItem]]  # items(user)
    perm: str | None = None  # None: every staff account
    roles: frozenset = field(default=frozenset())  # empty: every role holding ``perm``
    empty: str = ""  # shown when there is nothing; blank: the panel is left out
    more_url: str = ""  # a link under the panel to the full list (reversed, or reverse_lazy)
    more_label: str = ""


@dataclass
class ShownPanel:
    panel: HomePanel
    items: list


def _flatten(found) -> list[HomePanel]:
    return sorted((panel for _config, panels in found for panel in panels), key=lambda p: p.order)


def panels_for(user) -> list[ShownPanel]:
    """The home page's panels for ``user``, with their lines, in order."""
    shown = []
    for panel in collected("home", "PANELS", _flatten):
        if panel.perm is not None and not user.has_perm(panel.perm):
            continue
        if panel.roles and user.role not in panel.roles:
            continue
        items = list(panel.items(user))
        if items or panel.empty:
            shown.append(ShownPanel(panel=panel, items=items))
    return shown
