"""Read replicas (``core.db_router``) and the database settings of a production deployment
(``BOAI_REPLICA_DATABASE_URL``, ``BOAI_DB_POOLER=pgbouncer``). The replica here is a second database
alias on the test database, as TEST MIRROR makes it: what a query ran on is told by each connection's
own query log."""

import json
import os
import subprocess
import sys
from datetime import date, datetime

import pytest
from django.db import connections, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boai.core.db_router import REPLICA, replica_reads
from boai.core.figures import SHANGHAI
from boai.core.tests.personas import user
from boai.registry.models import RegistrationTally
from boai.registry.notices import CURRENT
from boai.registry.services import PersonData, registration_create
from boai.registry.tests.helpers import resident_id

YEAR = 2019  # a year the demo data leaves empty


@pytest.fixture
def replica(transactional_base_data):
    """A ``replica`` alias mirroring the (committed) test database, for this test only."""
    connections.settings[REPLICA] = {**connections["default"].settings_dict}
    connections[REPLICA].connect()  # opened here: the test case allows only the aliases it knew of
    yield connections[REPLICA]
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def register(seq: int):
    return registration_create(
        actor=user("prov_admin"),
        channel="paper",
        consent_version=CURRENT,
        now=datetime(YEAR, 3, 5, 15, 0, tzinfo=SHANGHAI),
        data=PersonData(
            name="副本测试",
            id_type="resident_id",
            id_number=resident_id(region="530102", born=date(1970, 1, 1), seq=f"{seq:02d}", sex="M"),
            phone="13800009999",
            region_code="530102",
            ethnic_group="01",
            signed_on=date(YEAR, 3, 5),
            organs=["kidney"],
        ),
    )


def sql_of(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries]


def registrations_shown(client) -> int:
    body = client.get(reverse("stats:dashboard_data"), {"year": YEAR, "region": "530000"}).json()
    return next(k["value"] for k in body["key_figures"] if k["name"] == "registrations")


def test_the_dashboard_reads_from_the_replica_and_writes_go_to_default(replica, client):
    client.force_login(user("prov_admin"))
    before = registrations_shown(client)
    register(seq=91)  # written to default, seen through the replica (here: the same database)
    with CaptureQueriesContext(connections["default"]) as on_default, CaptureQueriesContext(replica) as on_replica:
        assert registrations_shown(client) == before + 1
    tally = RegistrationTally._meta.db_table
    assert any(tally in sql for sql in sql_of(on_replica)), "the dashboard's figures were not read from the replica"
    assert not any(tally in sql for sql in sql_of(on_default)), "the dashboard read its figures from default"
    assert not any(sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for sql in sql_of(on_replica))

    # a write made while reading from the replica still goes to default, and so does what it reads
    with CaptureQueriesContext(replica) as on_replica, replica_reads():
        register(seq=92)
        RegistrationTally.objects.filter(month=date(YEAR, 3, 1), dimension="total").update(count=F("count") + 100)
    assert not any(sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for sql in sql_of(on_replica))
    assert registrations_shown(client) == before + 2 + 100


def test_reads_inside_a_transaction_stay_on_default(replica):
    with CaptureQueriesContext(replica) as on_replica, replica_reads(), transaction.atomic():
        register(seq=93)
        assert RegistrationTally.objects.filter(month=date(YEAR, 3, 1)).exists()
    assert sql_of(on_replica) == []
    with CaptureQueriesContext(replica) as on_replica, replica_reads():
        assert RegistrationTally.objects.filter(month=date(YEAR, 3, 1)).exists()
    assert len(sql_of(on_replica)) == 1


@pytest.mark.django_db
def test_without_a_replica_everything_reads_default(client):
    client.force_login(user("prov_admin"))
    with CaptureQueriesContext(connections["default"]) as on_default:
        client.get(reverse("stats:dashboard_data"), {"year": YEAR, "region": "530000"})
    assert any(RegistrationTally._meta.db_table in sql for sql in sql_of(on_default))


# --- the settings ------------------------------------------------------------------------------------

SHOW = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({a: {k: d.get(k) for k in ('NAME', 'HOST', 'PORT', 'CONN_MAX_AGE', 'OPTIONS', 'TEST',"
    " 'DISABLE_SERVER_SIDE_CURSORS')} for a, d in settings.DATABASES.items()}, default=str))"
)


def settings_with(**env_vars):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOAI_", "DATABASE_URL", "DB_"))}
    env.update(env_vars, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, check=False)


def test_pgbouncer_turns_off_what_transaction_pooling_breaks(tmp_path):
    run = settings_with(
        BOAI_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://boai_app:pw@127.0.0.1:6432/boai",
        BOAI_REPLICA_DATABASE_URL="postgres://boai_app:pw@10.0.0.9:6432/boai",
        BOAI_DB_POOLER="pgbouncer",
    )
    assert run.returncode == 0, run.stderr
    dbs = json.loads(run.stdout)
    for alias in ("default", "replica"):
        assert dbs[alias]["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert dbs[alias]["CONN_MAX_AGE"] == 0
        assert dbs[alias]["OPTIONS"]["prepare_threshold"] is None
    assert dbs["replica"]["HOST"] == "10.0.0.9" and dbs["replica"]["TEST"]["MIRROR"] == "default"


def test_without_a_pooler_connections_persist_and_there_is_no_replica(tmp_path):
    run = settings_with(BOAI_VAR_DIR=str(tmp_path), DATABASE_URL="postgres://boai_app:pw@127.0.0.1:5432/boai")
    assert run.returncode == 0, run.stderr
    dbs = json.loads(run.stdout)
    assert set(dbs) == {"default"}
    assert dbs["default"]["CONN_MAX_AGE"] == 60 and not dbs["default"]["DISABLE_SERVER_SIDE_CURSORS"]


def test_an_unknown_pooler_is_refused(tmp_path):
    run = settings_with(BOAI_VAR_DIR=str(tmp_path), BOAI_DB_POOLER="pgpool")
    assert run.returncode != 0 and "BOAI_DB_POOLER: 'pgpool' is not known" in run.stderr
