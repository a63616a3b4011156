"""The one place that decides which records a user may see. Every list, detail, export and API
endpoint goes through ``visible`` or ``get_for_user``. Scoping is one SQL condition:

- region-scoped roles: ``<county code column> LIKE '<prefix>%'`` (province 53, prefecture 5301, county 530102);
- unit-scoped roles: ``<unit column> = <user's organisation id>``;
- everyone else (system and security administrators, accounts without a role): nothing.

A model opts in by declaring ``scope = Scope(region="region_id", unit="unit_id")``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from boai.audit.services import audit_log_now
from boai.core.models import Scope, region_prefix

from .roles import REGION_SCOPED, UNIT_SCOPED, role_has_perm


def user_region_prefix(user) -> str | None:
    org = getattr(user, "organization", None)
    return region_prefix(org.region_id) if org else None


def _queryset(qs_or_model) -> QuerySet:
    return qs_or_model._default_manager.all() if isinstance(qs_or_model, type) else qs_or_model


def visible(user, qs_or_model, *, perm: str = "records.view") -> QuerySet:
    qs = _queryset(qs_or_model)
    if not (user and user.is_authenticated and user.is_active and user.role):
        return qs.none()
    if not role_has_perm(user.role, perm):
        return qs.none()
    scope: Scope | None = getattr(qs.model, "scope", None)
    if scope is None:
        return qs.none()
    if user.role in REGION_SCOPED and scope.region:
        prefix = user_region_prefix(user)
        return qs.filter(**{f"{scope.region}__startswith": prefix}) if prefix else qs.none()
    if user.role in UNIT_SCOPED and scope.unit and user.organization_id:
        return qs.filter(**{scope.unit: user.organization_id})
    return qs.none()


def ancestor_codes(prefix: str) -> list[str]:
    """The region codes of the areas above a prefix: 5301 -> [530000]; 530102 -> [530000, 530100]."""
    return [prefix[:n].ljust(6, "0") for n in (2, 4) if len(prefix) > n]


def visible_from_above(user, qs_or_model, *, perm: str) -> QuerySet:
    """``visible``, plus the records of the areas above the user's own: for records that hold nothing
    personal and are published downwards (a campaign the province runs runs in every county)."""
    qs = visible(user, qs_or_model, perm=perm)
    scope: Scope | None = getattr(qs.model, "scope", None)
    allowed = user and user.is_authenticated and user.is_active and role_has_perm(user.role, perm)
    prefix = user_region_prefix(user) if allowed and user.role in REGION_SCOPED else None
    if not (prefix and scope and scope.region):
        return qs
    above = _queryset(qs_or_model).filter(**{f"{scope.region}__in": ancestor_codes(prefix)})
    return (qs | above).distinct()


def sees(user, obj, *, perm: str = "records.view") -> bool:
    """Whether ``obj`` is inside ``user``'s scope (one query; nothing audited, unlike get_for_user)."""
    return visible(user, type(obj), perm=perm).filter(pk=obj.pk).exists()


def get_for_user(user, qs_or_model, pk, *, write: bool = False, lock: bool = False) -> Model:
    """One record by id, or 404 — the same 404 whether it does not exist or is out of scope.
    An out-of-scope hit is written to the audit log as a denied access. A role without the right
    at all, or a record the user may read but not change, answers 403."""
    base = _queryset(qs_or_model)
    perm = "records.change" if write else "records.view"
    if not (user and user.is_authenticated and role_has_perm(user.role, perm)):
        raise PermissionDenied  # no such right at all: 403, whatever the id
    try:
        pk = base.model._meta.pk.to_python(pk)
    except ValidationError as exc:
        raise Http404 from exc
    qs = visible(user, base, perm=perm)
    if lock:
        qs = qs.select_for_update()
    obj = qs.filter(pk=pk).first()
    if obj is not None:
        return obj
    if base.filter(pk=pk).exists():
        audit_log_now(
            action="security.access.denied",
            actor=user,
            object_type=base.model._meta.label_lower,
            object_id=str(pk),
            success=False,
            changes={"write": write},
        )
        if write and visible(user, base).filter(pk=pk).exists():
            raise PermissionDenied
    raise Http404
