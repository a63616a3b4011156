"""Every role against every endpoint. A new URL without a row here fails the completeness test,
and every list is compared with the records each role should see (computed here, independently of
the scoping module), so a leak in either direction fails."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from boai.accounts.models import User
from boai.audit.models import AuditEntry
from boai.core.tests.personas import EXPECTED_SCOPE, user
from boai.registry.models import ImportJob, Registration

pytestmark = pytest.mark.django_db

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


# (url pattern as Django knows it, method, concrete path, expectation, anonymous answer)
MATRIX = [
    ("workspace/", "get", "/workspace/", everyone(), 302),
    ("workspace/organisations/", "get", "/workspace/organisations/", everyone(), 302),
    ("workspace/registrations/", "get", "/workspace/registrations/", only(*READERS), 302),
    ("workspace/registrations/<int:pk>/", "get", "/workspace/registrations/{in_wuhua.pk}/", by_scope(), 302),
    (
        "workspace/registrations/<int:pk>/",
        "get",
        "/workspace/registrations/{in_dali.pk}/",
        by_scope(record="in_dali"),
        302,
    ),
    (
        "workspace/registrations/<int:pk>/unmask/",
        "post",
        "/workspace/registrations/{in_wuhua.pk}/unmask/",
        by_scope(allowed=UNMASKERS),
        302,
    ),
    (
        "workspace/registrations/<int:pk>/unmask/",
        "post",
        "/workspace/registrations/{in_dali.pk}/unmask/",
        by_scope(allowed=UNMASKERS, record="in_dali"),
        302,
    ),
    ("workspace/registrations/new/", "get", "/workspace/registrations/new/", only(*WRITERS), 302),
    (
        "workspace/registrations/<int:pk>/change/",
        "get",
        "/workspace/registrations/{in_wuhua.pk}/change/",
        by_scope(allowed=WRITERS),
        302,
    ),
    (
        "workspace/registrations/<int:pk>/change/",
        "get",
        "/workspace/registrations/{in_dali.pk}/change/",
        by_scope(allowed=WRITERS, record="in_dali"),
        302,
    ),
    (
        "workspace/registrations/<int:pk>/withdraw/",
        "post",
        "/workspace/registrations/{in_wuhua.pk}/withdraw/",
        by_scope(ok=302, allowed=WRITERS),
        302,
    ),
    (
        "workspace/registrations/<int:pk>/deceased/",
        "post",
        "/workspace/registrations/{in_dali.pk}/deceased/",
        by_scope(allowed=WRITERS, record="in_dali"),
        302,
    ),
    (
        "workspace/registrations/<int:pk>/attachments/<int:attachment_id>/",
        "get",
        "/workspace/registrations/{in_wuhua.pk}/attachments/{scan.pk}/",
        by_scope(allowed=UNMASKERS),  # a signed form shows the ID number in full
        302,
    ),
    ("workspace/registrations/import/", "get", "/workspace/registrations/import/", only(*WRITERS), 302),
    (
        "workspace/registrations/import/template.xlsx",
        "get",
        "/workspace/registrations/import/template.xlsx",
        only(*WRITERS),
        302,
    ),
    (
        "workspace/registrations/import/<int:pk>/",
        "get",
        "/workspace/registrations/import/{job.pk}/",
        by_scope(allowed=WRITERS, record="job"),
        302,
    ),
    (
        "workspace/registrations/import/<int:pk>/report.xlsx",
        "get",
        "/workspace/registrations/import/{job.pk}/report.xlsx",
        by_scope(ok=302, allowed=WRITERS, record="job"),
        302,
    ),
    (
        "workspace/registrations/import/<int:pk>/commit/",
        "post",
        "/workspace/registrations/import/{job.pk}/commit/",
        by_scope(ok=302, allowed=WRITERS, record="job"),
        302,
    ),
    (
        "workspace/registrations/export.<str:fmt>",
        "get",
        "/workspace/registrations/export.csv",
        only("prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "auditor"),
        302,
    ),
    ("workspace/registrations/export/full/", "get", "/workspace/registrations/export/full/", only("prov_admin"), 302),
    ("workspace/registrations/duplicates/", "get", "/workspace/registrations/duplicates/", only(*WRITERS), 302),
    ("workspace/registrations/refusals/new/", "get", "/workspace/registrations/refusals/new/", only(*WRITERS), 302),
    (
        "workspace/registrations/duplicates/<int:pk>/",
        "post",
        "/workspace/registrations/duplicates/{pair.pk}/",
        by_scope(ok=302, allowed=WRITERS, record="pair_kept"),
        302,
    ),
    ("workspace/accounts/", "get", "/workspace/accounts/", only(*ACCOUNT_VIEWERS), 302),
    ("workspace/accounts/<int:pk>/", "get", "/workspace/accounts/{target.pk}/", only(*ACCOUNT_VIEWERS), 302),
    (
        "workspace/accounts/<int:pk>/role/",
        "post",
        "/workspace/accounts/{target.pk}/role/",
        lambda r, c: 302 if r == "secadmin" else 403,
        302,
    ),
    (
        "workspace/accounts/<int:pk>/active/",
        "post",
        "/workspace/accounts/{target.pk}/active/",
        lambda r, c: 302 if r == "sysadmin" else 403,
        302,
    ),
    (
        "workspace/accounts/<int:pk>/second-factor/",
        "post",
        "/workspace/accounts/{target.pk}/second-factor/",
        lambda r, c: 302 if r == "secadmin" else 403,
        302,
    ),
    ("workspace/audit/", "get", "/workspace/audit/", only("auditor"), 302),
    ("workspace/audit/<int:pk>/", "get", "/workspace/audit/{entry.pk}/", only("auditor"), 302),
    ("workspace/audit/verify/", "get", "/workspace/audit/verify/", only("auditor"), 302),
    ("admin/", "get", "/admin/", lambda r, c: 200 if r in ACCOUNT_VIEWERS else 302, 302),
    ("api/v1/regions/", "get", "/api/v1/regions/", everyone(), 200),
    ("api/v1/regions/<code>/", "get", "/api/v1/regions/530102/", everyone(), 200),
    ("api/v1/organisations/", "get", "/api/v1/organisations/", everyone(), 401),
    ("api/v1/organisations/<pk>/", "get", "/api/v1/organisations/{target.organization_id}/", everyone(), 401),
    ("api/v1/registrations/", "get", "/api/v1/registrations/", only(*READERS), 401),
    ("api/v1/registrations/<pk>/", "get", "/api/v1/registrations/{in_wuhua.pk}/", by_scope(), 401),
    ("api/v1/registrations/<pk>/", "get", "/api/v1/registrations/{in_dali.pk}/", by_scope(record="in_dali"), 401),
    (
        "api/v1/registrations/<pk>/unmask/",
        "post",
        "/api/v1/registrations/{in_wuhua.pk}/unmask/",
        by_scope(allowed=UNMASKERS),
        401,
    ),
    (
        "api/v1/registrations/<pk>/unmask/",
        "post",
        "/api/v1/registrations/{in_dali.pk}/unmask/",
        by_scope(allowed=UNMASKERS, record="in_dali"),
        401,
    ),
    ("api/v1/registrations/", "post", "/api/v1/registrations/", lambda r, c: 400 if r in WRITERS else 403, 401),
    (
        "api/v1/registrations/<pk>/",
        "patch",
        "/api/v1/registrations/{in_wuhua.pk}/",
        by_scope(ok=409, allowed=WRITERS),
        401,
    ),
    (
        "api/v1/registrations/<pk>/",
        "patch",
        "/api/v1/registrations/{in_dali.pk}/",
        by_scope(ok=409, allowed=WRITERS, record="in_dali"),
        401,
    ),
    (
        "api/v1/registrations/<pk>/withdraw/",
        "post",
        "/api/v1/registrations/{in_wuhua.pk}/withdraw/",
        by_scope(allowed=WRITERS),
        401,
    ),
    (
        "api/v1/registrations/<pk>/withdraw/",
        "post",
        "/api/v1/registrations/{in_dali.pk}/withdraw/",
        by_scope(allowed=WRITERS, record="in_dali"),
        401,
    ),
    ("api/v1/registrations/search/", "post", "/api/v1/registrations/search/", only(*READERS), 401),
    ("api/v1/audit/entries/", "get", "/api/v1/audit/entries/", only("auditor"), 401),
    ("api/v1/audit/entries/<pk>/", "get", "/api/v1/audit/entries/{entry.pk}/", only("auditor"), 401),
    ("api/v1/accounts/me/", "get", "/api/v1/accounts/me/", everyone(), 401),
    ("api/v1/accounts/users/", "get", "/api/v1/accounts/users/", only(*ACCOUNT_VIEWERS), 401),
    ("api/v1/accounts/users/<pk>/", "get", "/api/v1/accounts/users/{target.pk}/", only(*ACCOUNT_VIEWERS), 401),
    ("workspace/cases/<kind:kind>/", "get", "/workspace/cases/organ/", only(*READERS), 302),
    ("workspace/cases/<kind:kind>/", "get", "/workspace/cases/body/", only(*READERS), 302),
    ("workspace/cases/<kind:kind>/new/", "get", "/workspace/cases/organ/new/", only("opo_staff"), 302),
    ("workspace/cases/<kind:kind>/new/", "get", "/workspace/cases/body/new/", only(*WRITERS), 302),
    (
        "workspace/cases/<kind:kind>/<int:pk>/",
        "get",
        "/workspace/cases/organ/{organ_case.pk}/",
        sees_case("organ"),
        302,
    ),
    ("workspace/cases/<kind:kind>/<int:pk>/", "get", "/workspace/cases/body/{body_case.pk}/", sees_case("body"), 302),
    (
        "workspace/cases/<kind:kind>/<int:pk>/steps/<str:to>/",
        "get",
        "/workspace/cases/organ/{organ_case.pk}/steps/evaluating/",
        sees_case("organ", ok=lambda role: 200 if role == "opo_staff" else 302),  # others: back to the case
        302,
    ),
    (
        "workspace/cases/<kind:kind>/<int:pk>/steps/<str:to>/",
        "get",
        "/workspace/cases/body/{body_case.pk}/steps/accepted/",
        sees_case("body", ok=lambda role: 200 if role == "station_staff" else 302),
        302,
    ),
    (
        "workspace/cases/<kind:kind>/<int:pk>/attachments/<int:attachment_id>/",
        "get",
        "/workspace/cases/organ/{organ_case.pk}/attachments/{case_scan.pk}/",
        sees_case("organ"),
        302,
    ),
    ("api/v1/organ-cases/", "get", "/api/v1/organ-cases/", only(*READERS), 401),
    ("api/v1/organ-cases/", "post", "/api/v1/organ-cases/", lambda r, c: 400 if r == "opo_staff" else 403, 401),
    ("api/v1/organ-cases/<pk>/", "get", "/api/v1/organ-cases/{organ_case.pk}/", sees_case("organ"), 401),
    (
        "api/v1/organ-cases/<pk>/transitions/",
        "get",
        "/api/v1/organ-cases/{organ_case.pk}/transitions/",
        sees_case("organ"),
        401,
    ),
    (
        "api/v1/organ-cases/<pk>/transitions/",
        "post",
        "/api/v1/organ-cases/{organ_case.pk}/transitions/",
        sees_case("organ", ok=lambda role: 400),  # no version: malformed for whoever may see the case
        401,
    ),
    ("workspace/certificates/", "get", "/workspace/certificates/", only(*READERS), 302),
    (
        "workspace/certificates/print/",
        "post",
        "/workspace/certificates/print/",
        lambda r, c: 302 if r in READERS else 403,
        302,
    ),
    ("workspace/certificates/stock/", "get", "/workspace/certificates/stock/", only(*READERS), 302),
    (
        "workspace/certificates/stock/transfers/<int:pk>/confirm/",
        "post",
        "/workspace/certificates/stock/transfers/{transfer.pk}/confirm/",
        lambda r, c: 302 if r == "opo_staff" else 403,
        302,
    ),
    (
        "workspace/certificates/reconciliation/",
        "get",
        "/workspace/certificates/reconciliation/",
        only("prov_admin", "kunming_staff", "wuhua_staff", "qilin_staff", "auditor", "opo_staff"),
        302,
    ),
    (
        "workspace/certificates/issue/<int:case_pk>/",
        "get",
        "/workspace/certificates/issue/{organ_case.pk}/",
        lambda r, c: 200 if r == "opo_staff" else 403,
        302,
    ),
    ("workspace/certificates/<int:pk>/", "get", "/workspace/certificates/{certificate.pk}/", sees_case("body"), 302),
    (
        "workspace/certificates/<int:pk>/certificate.pdf",
        "get",
        "/workspace/certificates/{certificate.pk}/certificate.pdf",
        sees_case("body"),
        302,
    ),
    (
        "workspace/certificates/<int:pk>/void/",
        "post",
        "/workspace/certificates/{certificate.pk}/void/",
        sees_case("body"),  # the form is shown again with its message (no reason given)
        302,
    ),
    (
        "workspace/certificates/<int:pk>/lost/",
        "post",
        "/workspace/certificates/{certificate.pk}/lost/",
        sees_case("body"),
        302,
    ),
    (
        "workspace/certificates/<int:pk>/return/",
        "post",
        "/workspace/certificates/{certificate.pk}/return/",
        sees_case("body"),
        302,
    ),
    (
        "workspace/certificates/<int:pk>/reissue/",
        "post",
        "/workspace/certificates/{certificate.pk}/reissue/",
        sees_case("body", ok=lambda role: 302 if role == "prov_admin" else 403),
        302,
    ),
    (
        "workspace/certificates/<int:pk>/photos/<int:attachment_id>/",
        "get",
        "/workspace/certificates/{certificate.pk}/photos/{certificate_photo.pk}/",
        sees_case("body"),
        302,
    ),
    ("api/v1/certificates/", "get", "/api/v1/certificates/", only(*READERS), 401),
    ("api/v1/certificates/", "post", "/api/v1/certificates/", lambda r, c: 400 if r in READERS else 403, 401),
    ("api/v1/certificates/<pk>/", "get", "/api/v1/certificates/{certificate.pk}/", sees_case("body"), 401),
    (
        "api/v1/certificates/<pk>/void/",
        "post",
        "/api/v1/certificates/{certificate.pk}/void/",
        sees_case("body", ok=lambda role: 400),  # no reason: malformed for whoever may see it
        401,
    ),
    ("api/v1/certificate-batches/", "get", "/api/v1/certificate-batches/", only("prov_admin"), 401),
    (
        "api/v1/certificate-batches/<pk>/",
        "get",
        "/api/v1/certificate-batches/{batch.pk}/",
        only("prov_admin"),
        401,
    ),
    ("api/v1/body-cases/", "get", "/api/v1/body-cases/", only(*READERS), 401),
    ("api/v1/body-cases/", "post", "/api/v1/body-cases/", lambda r, c: 400 if r in WRITERS else 403, 401),
    ("api/v1/body-cases/<pk>/", "get", "/api/v1/body-cases/{body_case.pk}/", sees_case("body"), 401),
    (
        "api/v1/body-cases/<pk>/transitions/",
        "get",
        "/api/v1/body-cases/{body_case.pk}/transitions/",
        sees_case("body"),
        401,
    ),
]

# Endpoints every visitor may use, and how they answer an anonymous GET.
PUBLIC = {
    "": 200,
    "healthz": 200,
    "i18n/setlang/": 302,
    "jsi18n/": 200,
    "accounts/login/": 200,
    "accounts/login/otp/": 302,
    "accounts/logout/": 405,
    "accounts/password/": 302,
    "api/schema/": 200,
    "api/docs/": 200,
    "register/": 200,
    "lookup/": 200,
    "my/": 302,  # to the look-up: nothing is shown before the phone is proven
    "my/card/": 302,
    "my/card.pdf": 302,
    "my/withdraw/": 302,
    "my/change/": 302,
    "my/leave/": 405,
    "my/data.<str:fmt>": 302,
    "my/erase/": 405,
    "v/<str:code>/": 404,  # an unknown verification code
    "verify/": 200,  # the certificate check, before a number is typed
    "api/v1/public/sms-codes/": 405,
    "api/v1/public/registrations/": 405,
    "api/v1/public/lookup-codes/": 405,
    "api/v1/public/verify/<str:code>/": 404,
}


def all_routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                yield "admin/"
                continue
            yield from all_routes(entry, route)
        elif isinstance(entry, URLPattern):
            route = re.sub(r"\^|\$", "", route)
            yield re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)


def test_every_endpoint_is_in_the_matrix():
    routes = {r for r in all_routes() if "<format>" not in r}
    covered = {row[0] for row in MATRIX} | set(PUBLIC)
    assert routes - covered == set(), "add these endpoints to the role matrix"


@pytest.fixture
def ctx():
    in_wuhua = Registration.objects.filter(region_id="530102", status="active").first()
    return {
        "in_wuhua": in_wuhua,
        "in_dali": Registration.objects.filter(region_id="532901", status="active").first(),
        "target": User.objects.get(username="qilin_staff"),
        "entry": AuditEntry.objects.order_by("id").first(),
        "job": import_job_in_wuhua(),
        "scan": scan_of(in_wuhua),
        **cases_in_wuhua(),
        **duplicate_pair_in_wuhua(),
    }


def cases_in_wuhua():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from boai.cases.models import BodyCase, CaseStep, OrganCase
    from boai.cases.tests.helpers import open_body, open_organ
    from boai.core.services import attachment_store

    organ = OrganCase.objects.get(pk=open_organ()["id"])
    scan = attachment_store(
        owner=CaseStep.objects.get(organ_case=organ),
        kind="scan",
        upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4 matrix"),
        actor=user("opo_staff"),
    )
    from boai.certificates import services as certs
    from boai.certificates.models import Certificate

    body = BodyCase.objects.get(pk=open_body()["id"])
    BodyCase.objects.filter(pk=body.pk).update(received_at=body.died_at)
    certificate = certs.body_certificate_issue(actor=user("prov_admin"), case=body, kind="body_reception")
    photo = attachment_store(
        owner=certificate,
        kind="photo",
        upload=SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        actor=user("prov_admin"),
    )
    from datetime import date

    batch = certs.batch_receive(
        actor=user("prov_admin"), serial_from=1, serial_to=3, received_on=date(2026, 1, 1), supplier="总会"
    )
    transfer = certs.stock_hand_out(actor=user("prov_admin"), unit=organ.unit, serial_from=1, serial_to=2)
    assert Certificate.objects.count() == 4
    return {
        "organ_case": organ,
        "body_case": body,
        "case_scan": scan,
        "certificate": certificate,
        "certificate_photo": photo,
        "batch": batch,
        "transfer": transfer,
    }


def duplicate_pair_in_wuhua():
    from boai.registry.models import DuplicateCandidate
    from boai.registry.notices import CURRENT
    from boai.registry.services import PersonData, registration_create

    kept = Registration.objects.filter(region_id="530102", status="active").last()
    registration_create(
        actor=user("prov_admin"),
        channel="paper",
        consent_version=CURRENT,
        data=PersonData(
            name=kept.name,
            id_type="passport",
            id_number="G98765432",
            phone=kept.phone,
            sex=kept.sex,
            birth_date=kept.birth_date,
            region_code="530102",
            organs=["all"],
        ),
    )
    return {"pair": DuplicateCandidate.objects.get(kept=kept), "pair_kept": kept}


def import_job_in_wuhua():
    from django.core.files.base import ContentFile
    from django.utils import timezone

    job = ImportJob(
        region_id="530102",
        created_by=user("wuhua_staff"),
        created_at=timezone.now(),
        filename="list.csv",
        sha256="0" * 64,
        state="uploaded",
    )
    job.file.save("matrix.csv", ContentFile(b"x"), save=False)
    job.save()
    return job


def scan_of(registration):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from boai.core.services import attachment_store

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    return attachment_store(
        owner=registration, kind="signed_form", upload=SimpleUploadedFile("x.png", png), actor=user("prov_admin")
    )


def _request(client, method, path, role):  # noqa: C901 - one branch per endpoint's body
    data = {}
    if path.endswith("/unmask/"):
        data = {"reason": "matrix check"}
    elif path.endswith("/role/"):
        data = {"role": "branch_staff", "organization": "RC530302"}
    elif path.endswith("/withdraw/"):
        data = {"reason": "matrix check"}
    elif path.endswith("/deceased/"):
        data = {"version": 999, "died_on": "2026-01-01"}  # stale: the page answers 200 with the message
    elif method == "patch":
        data = {"version": 999}  # a stale version: refused with 409 where the write is allowed
    elif path == "/api/v1/registrations/":
        data = {"name": ""}  # invalid: 400 where creating is allowed
    elif path.endswith("/second-factor/"):
        data = {"reason": "matrix check"}
    elif path.endswith("/search/"):
        data = {"search": "张"}
    elif path.endswith("/active/"):
        data = {"active": "0", "reason": "matrix check"}
    return getattr(client, method)(path, data, **({"format": "json"} if isinstance(client, APIClient) else {}))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=[f"{m.upper()} {p}" for _r, m, p, _e, _a in MATRIX])
def test_role_matrix(role, row, ctx):
    _route, method, template, expect, _anon = row
    path = template.format(**ctx)
    client = APIClient() if path.startswith("/api/") else Client()
    client.force_login(user(role))
    response = _request(client, method, path, role)
    assert response.status_code == expect(role, ctx), f"{role} {method.upper()} {path}"


@pytest.mark.parametrize("row", MATRIX, ids=[f"{m.upper()} {p}" for _r, m, p, _e, _a in MATRIX])
def test_anonymous_callers_get_no_data(row, ctx):
    _route, method, template, _expect, anon = row
    path = template.format(**ctx)
    client = APIClient() if path.startswith("/api/") else Client()
    response = _request(client, method, path, None)
    assert response.status_code == anon
    if anon in (401, 403):
        assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("route, status", PUBLIC.items())
def test_public_endpoints_answer_anonymous_visitors(route, status):
    path = "/" + route.replace("<str:code>", "no-such-code").replace("<str:fmt>", "json")
    assert Client().get(path).status_code == status


def expected_numbers(role):
    prefix = EXPECTED_SCOPE[role]
    if not prefix:
        return set()
    return {
        number for number, code in Registration.objects.values_list("number", "region_id") if code.startswith(prefix)
    }


@pytest.mark.parametrize("role", sorted(READERS))
def test_each_role_lists_exactly_its_own_records(role):
    client = APIClient()
    client.force_login(user(role))
    body = client.get("/api/v1/registrations/?page_size=200").json()
    assert {r["number"] for r in body["results"]} == expected_numbers(role)
    found = client.post("/api/v1/registrations/search/?page_size=200", {"search": "YN"}, format="json").json()
    by_name = {r["number"] for r in found["results"]}
    assert by_name <= expected_numbers(role)
    html = Client()
    html.force_login(user(role))
    page = html.get("/workspace/registrations/").content.decode()
    shown = set(re.findall(r">(YN\d{10})<", page))
    assert shown == expected_numbers(role)


def test_the_demo_data_spans_several_counties_so_the_matrix_means_something():
    counties = set(Registration.objects.values_list("region_id", flat=True))
    assert {"530102", "530103", "530302", "532901"} <= counties
