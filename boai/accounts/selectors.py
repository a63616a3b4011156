from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import Role


def user_list(*, search: str = "", role: str = "", active: bool | None = None) -> QuerySet[User]:
    qs = User.objects.select_related("organization").order_by("username")
    if search:
        qs = qs.filter(
            Q(username__icontains=search) | Q(full_name__icontains=search) | Q(organization__name__icontains=search)
        )
    if role:
        qs = qs.filter(role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def account_counts() -> dict:
    """Staff accounts, active and switched off, for the administrators' home page."""
    return {
        "active": User.objects.filter(is_active=True).count(),
        "inactive": User.objects.filter(is_active=False).count(),
    }


# who acted without a staff account, as the audit log names them
NON_STAFF_ACTORS = {
    "citizen": _("The registrant, online"),
    "system": _("Boai, automatically"),
    "demo-loader": _("Demo data"),
    "anonymous": _("Someone not signed in"),
}


def actor_label(actor) -> str:
    """A person as staff pages name them: "五华区红十字会 张丽", "协调员 杨洁"; the registrant or the
    system in words. ``actor``: a user, an ``audit.services.Actor`` or an audit entry's username."""
    if actor is None or actor == "":
        return "—"
    if isinstance(actor, str):
        if actor in NON_STAFF_ACTORS:
            return str(NON_STAFF_ACTORS[actor])
        actor = User.objects.select_related("organization").filter(username=actor).first() or actor
        if isinstance(actor, str):
            return str(_("A staff member"))
    if not isinstance(actor, User):
        username = getattr(actor, "username", "")
        return str(NON_STAFF_ACTORS.get(username, _("A staff member")))
    name = actor.full_name or str(_("A staff member"))
    if actor.role == Role.COORDINATOR:
        return f"{Role(actor.role).label} {name}"
    if actor.organization_id:
        return f"{actor.organization.name} {name}"
    return name
