"""Family care's permissions (merged into ``accounts.roles.PERMISSIONS`` at start-up)."""

from boai.accounts.roles import Role as R

PERMISSIONS = {
    "care.view": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.COORDINATOR, R.AUDITOR},
    # family records, members, wishes, the follow-up plan, contacts and visits, outcome letters
    "care.manage": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},
    "care.contact": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},  # see a family's phones and address in full (audited)
    "care.apply": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},  # apply for a payment for a family
    "care.review": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},  # decide a payment at one's own level
    "care.pay": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},  # record a payment made, or its reversal
    "care.budget": {R.PROVINCE_ADMIN},  # set the yearly budgets
    "care.settings": {R.PROVINCE_ADMIN},  # follow-up plan and payment review levels
    "care.export": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.AUDITOR},
}
