"""Fixtures of the operations tests: the real app under gunicorn against databases, Redis servers and
(for one test) a PostgreSQL instance of their own (``boai.core.tests.live``). PostgreSQL only."""

import pytest

from boai.core.tests import live


@pytest.fixture(scope="session")
def live_template(tmp_path_factory):
    template = live.LiveTemplate(tmp_path_factory.mktemp("live-template"))
    template.create()
    yield template
    template.drop()


@pytest.fixture
def live_db(live_template):
    with live.copied_database(live_template) as url:
        yield url


@pytest.fixture
def redis_server(tmp_path):
    server = live.RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def started(request):
    """Start a live process (anything with start() and stop()); stopped when the test ends, whatever happens."""
    processes = []

    def start(process):
        processes.append(process)
        return process.start()

    yield start
    for process in reversed(processes):
        process.stop()
