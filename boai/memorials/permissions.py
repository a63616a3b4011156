"""The memorials' permissions (merged into ``accounts.roles.PERMISSIONS`` at start-up)."""

from boai.accounts.roles import Role as R

PERMISSIONS = {
    "memorials.view": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.COORDINATOR, R.AUDITOR},
    "memorials.manage": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},  # memorial sites and events
    # the memorial wall: record a family's consent (and its withdrawal), approve the families' messages
    "memorials.wall": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},
    "memorials.export": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.AUDITOR},
}
