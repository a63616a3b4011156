"""Organisations: branches, OPO member units, reception stations."""

from django.db import transaction
from django.utils.translation import gettext as _

from boai.audit.services import audit_log

from ..errors import InvalidInput
from ..models import Organisation, Region
from .regions import branch_code


@transaction.atomic
def organisation_create(
    *, code: str, name: str, type: str, region: Region, parent: Organisation | None, actor
) -> Organisation:
    code = (code or "").strip().upper()
    if not code or Organisation.objects.filter(code=code).exists():
        raise InvalidInput(_("This organisation code is empty or already used."), field="code")
    if type not in Organisation.Type.values:
        raise InvalidInput(_("Unknown organisation type."), field="type")
    if type == Organisation.Type.RC_BRANCH and code != branch_code(region.code):
        raise InvalidInput(_("A Red Cross branch's code is RC followed by its region code."), field="code")
    org = Organisation.objects.create(code=code, name=name, type=type, region=region, parent=parent)
    audit_log(
        action="core.organisation.created",
        actor=actor,
        obj=org,
        changes={
            "code": code,
            "name": name,
            "type": type,
            "region": region.code,
            "parent": parent.code if parent else None,
        },
    )
    return org
