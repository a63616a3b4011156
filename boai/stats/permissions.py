"""Statistics' permissions (merged into ``accounts.roles.PERMISSIONS`` at start-up)."""

from boai.accounts.roles import Role as R

PERMISSIONS = {
    # the dashboard, the donor pathway and the annual report, inside the user's own area
    "stats.view": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.COORDINATOR, R.AUDITOR},
    "stats.export": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.AUDITOR},  # .xlsx, .docx and PDF
    "stats.population": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},  # the population table, for one's own area
}
