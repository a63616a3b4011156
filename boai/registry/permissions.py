"""The registry's permissions (merged into ``accounts.roles.PERMISSIONS`` at start-up)."""

from boai.accounts.roles import RECORD_READERS
from boai.accounts.roles import Role as R

PERMISSIONS = {
    "records.view": RECORD_READERS,
    "records.change": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},
    "records.unmask": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},
    "records.export": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.AUDITOR},
    "records.export_unmasked": {R.PROVINCE_ADMIN},
    "records.refusal": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},
    # the national registry exchange (import of the national export, the upload sent back): the province
    "registry.national": {R.PROVINCE_ADMIN},
}
