"""The shared vocabulary of the permission matrix: the personas' groups and the expectation builders
each app's ``tests/matrix.py`` uses, and the collector that gathers every app's rows.

An app declares, in ``boai/<app>/tests/matrix.py``:

- ``MATRIX``: rows ``(url pattern as Django knows it, method, concrete path, expectation, anonymous
  answer)``, where the expectation maps ``(role, ctx)`` to the status code that role must get;
- ``PUBLIC`` (optional): ``{url pattern: status of an anonymous GET}`` for endpoints every visitor uses;
- ``context(ctx)`` (optional): the records its paths name (``{organ_case.pk}``), built on the demo
  data; it receives what the apps before it (in ``INSTALLED_APPS`` order) built.

``accounts/tests/test_matrix.py`` runs every row for every role, and fails for a URL no app covers."""

from boai.core.tests.personas import EXPECTED_SCOPE
from boai.lib.plugins import declarations

ROLES = list(EXPECTED_SCOPE)
READERS = {u for u in ROLES if u not in ("sysadmin", "secadmin")}
UNMASKERS = {"prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff"}
WRITERS = UNMASKERS  # records.change
ACCOUNT_VIEWERS = {"sysadmin", "secadmin"}


def only(*names):
    return lambda role, ctx: 200 if role in names else 403


def by_scope(ok=200, allowed=READERS, denied=404, forbidden=403, record="in_wuhua"):
    def expect(role, ctx):
        if role not in allowed:
            return forbidden
        prefix = EXPECTED_SCOPE[role]
        return ok if prefix and ctx[record].region_id.startswith(prefix) else denied

    return expect


# Who sees the demo cases: an organ case of OPO-KMU1 and a body case at RS-KMU, both of a Wuhua resident.
CASE_SEERS = {
    "organ": {"prov_admin", "kunming_staff", "wuhua_staff", "coordinator", "opo_staff", "auditor"},
    "body": {"prov_admin", "kunming_staff", "wuhua_staff", "coordinator", "station_staff", "auditor"},
}


def sees_case(kind, ok=lambda role: 200):
    return lambda role, ctx: ok(role) if role in CASE_SEERS[kind] else (404 if role in READERS else 403)


def everyone(code=200):
    return lambda role, ctx: code


def collected_rows() -> list:
    return [row for _config, rows in declarations("tests.matrix", "MATRIX") for row in rows]


def collected_public() -> dict:
    public = {}
    for _config, endpoints in declarations("tests.matrix", "PUBLIC"):
        public.update(endpoints)
    return public


def collected_context() -> dict:
    ctx = {}
    for _config, context in declarations("tests.matrix", "context"):
        ctx.update(context(dict(ctx)))
    return ctx
