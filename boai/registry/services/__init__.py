"""Registry writes, one module per sub-domain: ``registrations`` (the rules and the status changes),
``portal`` (the citizen's own writes), ``duplicates``, ``held`` (entries held for review),
``refusals``, ``imports`` (the bulk import job; reading the files is ``registry.parsing``) and
``retention`` (the import files' purge).
Callers import the names from here."""

from ..tally import tally_add, tally_apply, tally_change, tally_keys, tally_rebuild, tally_recount  # noqa: F401
from .duplicates import duplicate_decide, duplicates_detect  # noqa: F401
from .held import HELD_CODE, HELD_MESSAGE  # noqa: F401
from .held_review import Outcome, held_decide  # noqa: F401
from .imports import (  # noqa: F401
    NOT_QUEUED_MESSAGE,
    get_progress,
    import_heartbeat,
    import_job_cancel,
    import_job_check,
    import_job_commit,
    import_job_create,
    import_job_not_queued,
    import_job_resume,
    import_job_stalled,
    import_report_downloaded,
)
from .national import (  # noqa: F401
    national_export,
    national_import_create,
    national_numbers_record,
    national_to_export,
    registration_national_number_set,
)
from .portal import (  # noqa: F401
    CITIZEN,
    LOOKUP_ANSWER,
    RECEIVED_ANSWER,
    OnlineResult,
    lookup_send_code,
    lookup_verify,
    registration_data_copied,
    registration_online_check,
    registration_register_online,
    registration_request_code,
    registration_send_code,
)
from .refusals import refusal_record, refusal_revoke  # noqa: F401
from .registrations import (  # noqa: F401
    ADULT,
    AMENDABLE,
    PersonData,
    check_area,
    refusals_revoke_by,
    registration_amend,
    registration_attachment_viewed,
    registration_campaigns_set,
    registration_create,
    registration_enter_paper_form,
    registration_erase,
    registration_export_logged,
    registration_from_data,
    registration_mark_deceased,
    registration_mark_donated,
    registration_unmask,
    registration_withdraw,
    validate_person,
)
from .retention import import_files_purge  # noqa: F401
