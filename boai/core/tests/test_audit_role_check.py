"""Issue 12 item 5: under production settings `check --deploy` warns when the application's database
role could lift the audit log's append-only trigger (a superuser, or the audit table's owner)."""

import secrets

import pytest
from django.core.checks import registry
from django.db import connection

from boai.core.checks import audit_database_role

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def ids():
    return [w.id for w in audit_database_role(None)]


def test_the_check_is_a_deploy_check():
    assert audit_database_role in registry.registry.get_checks(include_deployment_checks=True)


def test_a_superuser_database_role_is_warned_about_in_production(settings):
    settings.PRODUCTION = True
    assert ids() == ["boai.W001"]  # the tests connect as postgres, a superuser
    settings.PRODUCTION = False
    assert ids() == []


def test_an_owner_or_a_role_that_may_truncate_is_warned_about_and_a_plain_app_role_is_not(settings):
    settings.PRODUCTION = True
    owner, app = f"boai_t_owner_{secrets.token_hex(4)}", f"boai_t_app_{secrets.token_hex(4)}"
    with connection.cursor() as cur:  # roles and ownership roll back with the test's transaction
        cur.execute(f"CREATE ROLE {owner} NOLOGIN")
        cur.execute(f"CREATE ROLE {app} NOLOGIN")
        cur.execute(f"ALTER TABLE audit_auditentry OWNER TO {owner}")
        try:
            cur.execute(f"SET LOCAL ROLE {owner}")
            assert ids() == ["boai.W002"]
            cur.execute(f"SET LOCAL ROLE {app}")
            assert ids() == []
            cur.execute("RESET ROLE")
            cur.execute(f"GRANT SELECT, INSERT, TRUNCATE ON audit_auditentry TO {app}")
            cur.execute(f"SET LOCAL ROLE {app}")
            assert ids() == ["boai.W004"]
        finally:
            cur.execute("RESET ROLE")
