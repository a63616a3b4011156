"""A link a role cannot use is not shown: every role walks the workspace from its home page, following
the links of each page (two clicks deep, a few pages per kind of address), and no link leads to a
refusal. The same walk reads each page's text in Chinese for what staff should not be shown:
usernames, internal rule codes and English words that are not data."""

import re
from collections import deque

import pytest
from django.test import Client

from boai.cases.demo import load_demo_cases
from boai.certificates.demo import load_demo_certificates
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db

ROLES = [
    "prov_admin",
    "wuhua_staff",
    "coordinator",
    "opo_staff",
    "station_staff",
    "auditor",
    "sysadmin",
    "secadmin",
]
HREF = re.compile(r'<a\b[^>]*\bhref="(/workspace/[^"#]*)"')
SKIP = re.compile(r"(format=|/attachments/|/export|/download|/pdf|\.pdf|logout)")


def shape(path: str) -> str:
    """The kind of address: numbers and query values blurred, so the walk visits a few of each."""
    return re.sub(r"\d+", "N", path.split("?")[0])


def walk(username: str, *, per_shape: int = 2, limit: int = 120):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user(username))
    seen, shapes = set(), {}
    queue = deque([("/workspace/", None)])
    while queue and len(seen) < limit:
        path, source = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        yield path, source, response
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = href.replace("&amp;", "&")
            if SKIP.search(href) or href in seen:
                continue
            key = shape(href)
            if shapes.get(key, 0) >= per_shape:
                continue
            shapes[key] = shapes.get(key, 0) + 1
            queue.append((href, path))


@pytest.fixture
def demo_cases():
    load_demo_cases()
    load_demo_certificates()


@pytest.mark.parametrize("username", ROLES)
def test_no_link_leads_a_role_to_a_refusal(demo_cases, username):
    refused = [(path, source) for path, source, r in walk(username) if r.status_code == 403]
    assert refused == [], refused
