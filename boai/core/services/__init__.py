"""Core writes: regions, organisations, counters, SMS codes, idempotency, attachments, keys
and the retention purges.

One module per sub-domain; the names are re-exported here so that callers import them from
``boai.core.services``."""

from .attachments import attachment_store, attachment_sweep, photos_store  # noqa: F401
from .counters import counter_next, counter_next_block  # noqa: F401
from .idempotency import idempotent  # noqa: F401
from .keys import RotationReport, keys_rotate  # noqa: F401
from .organisations import organisation_create  # noqa: F401
from .regions import PROVINCE_CODE, REGION_DATA, LoadReport, branch_code, branch_name, regions_load  # noqa: F401
from .retention import idempotency_records_purge, partial_uploads_purge, sms_codes_purge  # noqa: F401
from .sms import SMS_MAX_ATTEMPTS, sms_code_check, sms_code_consume, sms_code_send  # noqa: F401
