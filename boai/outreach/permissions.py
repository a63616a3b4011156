"""Outreach's permissions (merged into ``accounts.roles.PERMISSIONS`` at start-up)."""

from boai.accounts.roles import Role as R

PERMISSIONS = {
    "outreach.view": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.COORDINATOR, R.AUDITOR},
    # events, partners, campaigns (their links, QR codes and posters), media reports
    "outreach.manage": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},
    # change or retire a partner of the shared, province-wide list (any manager may add one)
    "outreach.partners": {R.PROVINCE_ADMIN},
    # take registrations on a phone at an event, offline, and sync them
    "outreach.collect": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},
    # fundraising projects and their results (typed in or imported)
    "outreach.fundraising": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},
    "outreach.export": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.AUDITOR},
}
