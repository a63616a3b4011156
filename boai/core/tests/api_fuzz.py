"""The API keeps the promises of its own OpenAPI schema (``/api/schema/``), tested in-process with
schemathesis against the WSGI application: every operation, as each role, with requests the schema
allows, over the whole demo data set (its cases, certificates, families and memorials too, not only
the tests' baseline), so each role meets the records of its own scope. Each answer must be no server
error, a status the operation lists, a body and a content type matching what the schema says of that
status: a client generated from the schema understands every answer, whatever the role of the account
it signs in with (a role that may not do something gets a documented 403, a record out of its scope a
documented 404).

A request the schema allows must also be accepted (not a 400) where the schema can say everything the
server checks: the operations without a body, whose parameters are typed, ranged and patterned. A body
is checked further than JSON Schema can say (an ID number's check digit, a phone, a date not in the
future, a county or a record that exists), so there a 400 naming the field is the right answer; and
so is one for the parameters named in ``CHECKED_AGAINST_RECORDS``.

Bounded (a few examples per operation, a fixed seed), so each role takes a quarter of a minute of CPU.
One thin test file per role or pair of roles (``test_api_fuzz_*.py``) calls ``check_every_operation``:
CI's pytest-xdist gives a whole test file to one worker, so the roles spread over the workers."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from boai.accounts.services import token_issue
from boai.core.tests.personas import user
from boai.lib.plugins import demo_load
from config.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
CHECKED_AGAINST_RECORDS = {  # a well-formed code may name no region: 400
    "GET /api/v1/regions/",  # parent
    "GET /api/v1/stats/annual/",  # region
    "GET /api/v1/stats/period/",  # region (and a span of at most MAX_SPAN years)
}
# per operation and role: enough to meet each body's variants and the empty lists (more for a deeper
# run by hand: BOAI_FUZZ_EXAMPLES=12)
EXAMPLES = int(os.environ.get("BOAI_FUZZ_EXAMPLES", "3"))


@contextmanager
def in_process() -> Iterator:
    """The WSGI application inside the test's transaction: like Django's test client, the request
    must not close the test's database connection at its start and end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def run_operation(operation, headers) -> str | None:
    """The operation's examples, each called and checked; the first failure as text, or None. A body
    is sent as JSON where the operation takes it (multipart otherwise)."""
    media_types = [body.media_type for body in operation.body]
    strategy = operation.as_strategy(media_type="application/json" if "application/json" in media_types else None)
    checks = CHECKS
    if not media_types and operation.label not in CHECKED_AGAINST_RECORDS:
        checks = [*CHECKS, positive_data_acceptance]

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the failure is reported as found
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def examples(case):
        case.call_and_validate(headers=headers, checks=checks)

    try:
        examples()
    except (Exception, BaseExceptionGroup) as exc:  # every failure is reported with its operation
        return f"{operation.label}: {exc}"
    return None


def check_every_operation(username: str) -> None:
    """Every operation of the schema as ``username`` (a persona), over the whole demo data set (loaded
    inside the test's transaction, so rolled back with it): fails listing each operation whose answers
    broke the schema, with the first failing request of each."""
    demo_load()
    with in_process() as app:
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
        headers = {"Authorization": f"Token {token_issue(user=user(username))}"}
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) > 100  # the whole API, not an empty schema
        failures = [f for f in (run_operation(op, headers) for op in operations) if f]
    assert not failures, f"{len(failures)} of {len(operations)} operations broke the schema as {username}:\n\n" + (
        "\n\n".join(failures)
    )
