"""The certificates' permissions (merged into ``accounts.roles.PERMISSIONS`` at start-up)."""

from boai.accounts.roles import RECORD_READERS
from boai.accounts.roles import Role as R

PERMISSIONS = {
    "certificates.view": RECORD_READERS,
    "certificates.stock": {R.PROVINCE_ADMIN},  # receive batches, hand ranges to units
    "certificates.unit": {R.OPO_STAFF},  # confirm receipt, issue, void, report lost, return
    "certificates.body": {R.PROVINCE_ADMIN},  # void and re-issue body donation certificates
    "certificates.export": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.AUDITOR},
}
