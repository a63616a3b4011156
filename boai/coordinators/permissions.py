"""The coordinators' permissions (merged into ``accounts.roles.PERMISSIONS`` at start-up)."""

from boai.accounts.roles import Role as R

PERMISSIONS = {
    "coordinators.view": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.COORDINATOR, R.AUDITOR},
    # create and edit coordinator records, submit applications, nominate to classes, keep the on-call roster
    "coordinators.manage": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},
    "coordinators.review": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},  # decide an application at one's own level
    "coordinators.settings": {R.PROVINCE_ADMIN},  # review levels, expiry warning
    "coordinators.training": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},  # classes, sessions, attendance, results
    "coordinators.qualify": {R.PROVINCE_ADMIN},  # record, suspend, reinstate, revoke a qualification
    "coordinators.assess": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},  # yearly assessments
    "coordinators.award": {R.PROVINCE_ADMIN},  # awards
    "coordinators.contact": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.COORDINATOR},  # reveal a phone (audited)
    "coordinators.export": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.AUDITOR},
}
