"""The registry app's rows of the permission matrix (collected by accounts/tests/test_matrix.py)."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boai.core.services import attachment_store
from boai.core.tests.matrix_kit import READERS, UNMASKERS, WRITERS, by_scope, only
from boai.core.tests.personas import user
from boai.registry.models import DuplicateCandidate, ImportJob, Refusal, Registration
from boai.registry.notices import CURRENT
from boai.registry.services import PersonData, refusal_record, registration_create

NATIONAL = {"prov_admin"}  # registry.national: the province


def only_or(code, names):
    return lambda role, ctx: code if role in names else 403


MATRIX = [
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
        "workspace/registrations/import/<int:pk>/resume/",
        "post",
        "/workspace/registrations/import/{job.pk}/resume/",
        by_scope(ok=302, allowed=WRITERS, record="job"),
        302,
    ),
    (
        "workspace/registrations/import/<int:pk>/cancel/",
        "post",
        "/workspace/registrations/import/{job.pk}/cancel/",
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
    ("workspace/registrations/refusals/", "get", "/workspace/registrations/refusals/", only(*WRITERS), 302),
    ("workspace/registrations/refusals/new/", "get", "/workspace/registrations/refusals/new/", only(*WRITERS), 302),
    (
        "workspace/registrations/duplicates/<int:pk>/",
        "post",
        "/workspace/registrations/duplicates/{pair.pk}/",
        by_scope(ok=302, allowed=WRITERS, record="pair_kept"),
        302,
    ),
    (
        "workspace/registrations/duplicates/held/<int:pk>/",
        "post",
        "/workspace/registrations/duplicates/held/{held_entry.pk}/",
        # only who sees both records (the province); no decision sent: back to the page, with the message
        lambda r, c: 302 if r == "prov_admin" else (404 if r in WRITERS else 403),
        302,
        {"decision": ""},
    ),
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
    (
        "api/v1/registrations/<pk>/deceased/",
        "post",
        "/api/v1/registrations/{in_wuhua.pk}/deceased/",
        by_scope(ok=409, allowed=WRITERS),  # a stale version: refused, nothing written
        401,
    ),
    (
        "api/v1/registrations/<pk>/deceased/",
        "post",
        "/api/v1/registrations/{in_dali.pk}/deceased/",
        by_scope(ok=409, allowed=WRITERS, record="in_dali"),
        401,
    ),
    ("api/v1/refusals/", "get", "/api/v1/refusals/", only(*READERS), 401),
    ("api/v1/refusals/", "post", "/api/v1/refusals/", lambda r, c: 400 if r in WRITERS else 403, 401, {"name": ""}),
    ("api/v1/refusals/<pk>/", "get", "/api/v1/refusals/{refusal.pk}/", by_scope(record="refusal"), 401),
    (
        "api/v1/refusals/<pk>/revoke/",
        "post",
        "/api/v1/refusals/{refusal.pk}/revoke/",
        by_scope(ok=400, allowed=WRITERS, record="refusal"),  # a statement dated before the refusal
        401,
        {"reason": "matrix check", "revoked_on": "1999-01-01"},
    ),
    ("api/v1/national-imports/", "get", "/api/v1/national-imports/", only(*NATIONAL), 401),
    ("api/v1/national-imports/", "post", "/api/v1/national-imports/", only_or(400, NATIONAL), 401, {}),
    (
        "api/v1/national-imports/<pk>/",
        "get",
        "/api/v1/national-imports/{national_job.pk}/",
        by_scope(allowed=NATIONAL, record="national_job"),
        401,
    ),
    (
        "api/v1/national-imports/<pk>/commit/",
        "post",
        "/api/v1/national-imports/{national_job.pk}/commit/",
        by_scope(ok=409, allowed=NATIONAL, record="national_job"),  # not checked yet
        401,
        {"mode": "all"},
    ),
    (
        "api/v1/national-imports/<pk>/resume/",
        "post",
        "/api/v1/national-imports/{national_job.pk}/resume/",
        by_scope(ok=409, allowed=NATIONAL, record="national_job"),  # not stalled
        401,
        {},
    ),
    (
        "api/v1/national-imports/<pk>/cancel/",
        "post",
        "/api/v1/national-imports/{national_job.pk}/cancel/",
        by_scope(ok=200, allowed=NATIONAL, record="national_job"),  # waiting to be checked: may be cancelled
        401,
        {},
    ),
    ("api/v1/national-exports/", "post", "/api/v1/national-exports/", only_or(400, NATIONAL), 401, {"reason": ""}),
    ("api/v1/national-numbers/", "post", "/api/v1/national-numbers/", only_or(400, NATIONAL), 401, {}),
    ("workspace/registrations/national/", "get", "/workspace/registrations/national/", only(*NATIONAL), 302),
    (
        "workspace/registrations/national/export/",
        "post",
        "/workspace/registrations/national/export/",
        only(*NATIONAL),  # no reason: the page again, with the message
        302,
        {"reason": ""},
    ),
    (
        "workspace/registrations/national/numbers/",
        "post",
        "/workspace/registrations/national/numbers/",
        only(*NATIONAL),
        302,
        {},
    ),
    (
        "workspace/registrations/<int:pk>/national-number/",
        "post",
        "/workspace/registrations/{in_wuhua.pk}/national-number/",
        lambda r, c: 302 if r in NATIONAL else 403,  # a malformed number: back to the page, with the message
        302,
        {"national_number": ""},
    ),
]

# Endpoints every visitor may use, and how they answer an anonymous GET.
PUBLIC = {
    "register/": 200,
    "register/received/": 200,  # the neutral answer: the same for everyone
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
    "api/v1/public/consent-notice/": 200,
    "api/v1/public/sms-codes/": 405,
    "api/v1/public/registrations/": 405,
    "api/v1/public/lookup-codes/": 405,
    "api/v1/public/verify/<str:code>/": 404,
}


def context(ctx):
    in_wuhua = Registration.objects.filter(region_id="530102", status="active").first()
    return {
        "in_wuhua": in_wuhua,
        "in_dali": Registration.objects.filter(region_id="532901", status="active").first(),
        "job": import_job_in_wuhua(),
        "scan": scan_of(in_wuhua),
        "refusal": refusal_in_wuhua(),
        "national_job": national_job(),
        **duplicate_pair_in_wuhua(),
        "held_entry": held_in_qilin(in_wuhua),
    }


def held_in_qilin(registered):
    """Qilin's clerk enters someone registered in Wuhua: held for review (only the province sees both)."""
    return registration_create(
        actor=user("qilin_staff"),
        channel="paper",
        consent_version=CURRENT,
        data=PersonData(
            name=registered.name,
            id_type=registered.id_type,
            id_number=registered.id_number,
            phone=registered.phone,
            sex=registered.sex,
            birth_date=registered.birth_date,
            region_code="530302",
            organs=["all"],
        ),
    )


def duplicate_pair_in_wuhua():
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
    job = ImportJob(
        region_id="530102",
        created_by=user("wuhua_staff"),
        created_at=timezone.now(),
        filename="list.csv",
        sha256="0" * 64,
        state="uploaded",
        heartbeat_at=timezone.now(),  # waiting for its check, not stalled
    )
    job.file.save("matrix.csv", ContentFile(b"x"), save=False)
    job.save()
    return job


def scan_of(registration):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    return attachment_store(
        owner=registration, kind="signed_form", upload=SimpleUploadedFile("x.png", png), actor=user("prov_admin")
    )


def refusal_in_wuhua() -> Refusal:
    from datetime import date

    from boai.registry.tests.helpers import resident_id

    return refusal_record(
        actor=user("wuhua_staff"),
        name="矩阵",
        id_type="resident_id",
        id_number=resident_id("530102", date(1955, 5, 5), "99", "F"),
        region_code="530102",
        stated_on=date(2020, 2, 2),
    )


def national_job():
    job = ImportJob(
        region_id=user("prov_admin").organization.region_id,
        created_by=user("prov_admin"),
        created_at=timezone.now(),
        filename="national.csv",
        sha256="1" * 64,
        state="uploaded",
        kind="national",
        heartbeat_at=timezone.now(),  # waiting for its check, not stalled
    )
    job.file.save("matrix-national.csv", ContentFile(b"x"), save=False)
    job.save()
    return job
