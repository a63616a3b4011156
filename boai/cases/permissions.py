"""Who may take which kind of step of a donation case (``cases.workflow`` names the permission of
each step); merged into ``accounts.roles.PERMISSIONS`` at start-up."""

from boai.accounts.roles import RECORD_READERS
from boai.accounts.roles import Role as R

PERMISSIONS = {
    "cases.view": RECORD_READERS,
    "cases.refer": {R.OPO_STAFF},  # open an organ case
    "cases.medical": {R.OPO_STAFF},  # evaluation, ethics review, death determination, allocation
    "cases.family": {R.COORDINATOR},  # family approach, consent, refusal found
    "cases.procure": {R.COORDINATOR},  # the witnessing coordinator records the procurement
    "cases.branch": {R.PROVINCE_ADMIN, R.BRANCH_STAFF},  # honour and close a body donation
    # open a body case: a branch, or the reception station the executor or the relatives told directly
    "cases.notify": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.STATION_STAFF},
    "cases.close": {R.COORDINATOR},  # close an organ case: body restored, family handed on
    "cases.cancel": {R.PROVINCE_ADMIN, R.OPO_STAFF},  # cancel an organ case (branches read organ cases)
    "cases.station": {R.STATION_STAFF},  # assess, receive, use, remains of a body donation
    "cases.withdraw": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.STATION_STAFF},  # family withdraws a body donation
    "cases.export": {R.PROVINCE_ADMIN, R.BRANCH_STAFF, R.AUDITOR},
}
