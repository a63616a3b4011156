"""The public verification cannot be walked (issue 12, item 4): numbers are sequential, so the number
alone shows only the type, the number and whether the certificate is valid; the random check code
printed beside the number and in the QR link also opens the date and the masked name. A voided
certificate says "voided". Numbers are read as people type them."""

import importlib
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.test import Client, RequestFactory
from pypdf import PdfReader

from boai.cases.models import BodyCase
from boai.cases.tests.helpers import open_body, walk_body
from boai.certificates import selectors, services
from boai.certificates.models import CHECK_CODE_ALPHABET, CHECK_CODE_LENGTH, Certificate, Kind
from boai.certificates.tests.helpers import closed_case, issue, stock
from boai.certificates.views import verify_url
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db


def client(username):
    web = Client()
    web.force_login(user(username))
    return web


def page(number, code=None):
    query = {"number": number} if code is None else {"number": number, "code": code}
    return Client(HTTP_ACCEPT_LANGUAGE="en").get("/verify/", query)


def body_certificate(kind=Kind.BODY_RECEPTION):
    case = open_body()
    walk_body(case["id"], "received")  # the reception certificate is issued on reception
    issued = Certificate.objects.filter(body_case_id=case["id"], kind=kind).first()
    return issued or services.body_certificate_issue(
        actor=user("prov_admin"), case=BodyCase.objects.get(pk=case["id"]), kind=kind
    )


# --- the number normalised by one function -----------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "滇遗接〔2026〕0001",
        "滇遗接【2026】0001",
        "滇遗接(2026)0001",
        "滇遗接（2026）0001",
        "滇遗接[2026]0001",
        "滇遗接［２０２６］０００１",
        "滇遗接20260001",
        "滇遗接2026 1",
        "滇遗接〔2026〕1",
        "滇遗接(2026)01",
        " 滇遗接 〔2026〕 0001\u200b",
    ],
)
def test_a_body_certificate_number_is_read_however_it_is_bracketed(typed):
    assert selectors.normalise_number(typed) == ["滇遗接〔2026〕0001"]


@pytest.mark.parametrize("typed", ["00001001", "1001", "１００１", "0001001", "[00001001]", "（1001）"])
def test_an_organ_certificate_number_is_read_without_its_zeros_or_in_full_width(typed):
    assert selectors.normalise_number(typed) == ["00001001"]


@pytest.mark.parametrize(
    "typed", ["", "1001x", "0", "123456789", "滇遗接〔26〕1", "滇遗接〔2026〕", "滇遗接〔2026〕0", "٣"]
)
def test_text_no_format_reads_gives_no_number(typed):
    assert selectors.normalise_number(typed) == []


def test_the_honour_certificate_is_told_from_the_reception_certificate():
    assert selectors.normalise_number("滇遗荣（2025）12") == ["滇遗荣〔2025〕0012"]


def test_the_normalisation_follows_the_configured_format(settings):
    settings.BOAI_CERT_FORMATS = {**settings.BOAI_CERT_FORMATS, "body_reception": "YN-JS-{year}-{sequence:05d}"}
    assert selectors.normalise_number("yn js 2026 7") == ["YN-JS-2026-00007"]


# --- what the page shows -------------------------------------------------------------------------


def test_the_number_alone_shows_the_type_the_number_and_valid_but_no_name_or_date():
    stock()
    cert = issue(closed_case(), 1001)
    response = page("00001001")
    html = response.content.decode()
    assert response.status_code == 200 and "Valid certificate" in html and "00001001" in html
    assert cert.donor_name[0] + "*" not in html and cert.issued_on.isoformat() not in html
    assert "Organ donation certificate" in html


def test_the_number_and_the_check_code_show_the_masked_name_and_the_date():
    stock()
    cert = issue(closed_case(), 1001)
    assert len(cert.check_code) == CHECK_CODE_LENGTH and set(cert.check_code) <= set(CHECK_CODE_ALPHABET)
    typed = cert.check_code_display.lower()  # as read out from the paper: ABCD-EFGH, in any case
    html = page("1001", typed).content.decode()
    assert "Valid certificate" in html and cert.issued_on.isoformat() in html
    assert cert.donor_name[0] + "*" in html and cert.donor_name not in html and "家属甲" not in html


def test_a_wrong_check_code_shows_no_more_than_the_number_alone():
    stock()
    cert = issue(closed_case(), 1001)
    wrong = "".join("2" if c != "2" else "3" for c in cert.check_code)
    html = page("00001001", wrong).content.decode()
    assert "Valid certificate" in html and "does not match" in html
    assert cert.donor_name[0] + "*" not in html and cert.issued_on.isoformat() not in html


@pytest.mark.parametrize("code", ["校验码", "x" * 5000, "\u200b", "ＡＢＣＤ－ＥＦＧＨ"])
def test_any_text_as_check_code_is_answered_without_a_500(code):
    stock()
    issue(closed_case(), 1001)
    response = page("00001001", code)
    assert response.status_code == 200 and "Valid certificate" in response.content.decode()


def test_two_certificates_get_different_check_codes_and_a_reissue_a_new_one():
    stock()
    a, b = issue(closed_case("31"), 1001), issue(closed_case("32"), 1002)
    assert a.check_code and b.check_code and a.check_code != b.check_code
    first = body_certificate()
    services.certificate_void(actor=user("prov_admin"), certificate=first, reason="错字")
    second = services.body_certificate_issue(actor=user("prov_admin"), case=first.body_case, kind=first.kind)
    assert second.check_code and second.check_code != first.check_code


def test_a_voided_certificate_says_voided_not_no_such_certificate():
    stock()
    cert = issue(closed_case(), 1001)
    services.certificate_void(actor=user("opo_staff"), certificate=cert, reason="重发")
    response = page("00001001")
    html = response.content.decode()
    assert response.status_code == 200 and "This certificate was voided" in html
    assert "No certificate has this number" not in html and "Valid certificate" not in html


def test_a_spoiled_blank_says_voided_too_and_a_blank_in_stock_is_no_certificate():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from boai.certificates.tests.helpers import serial

    stock()
    photo = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    services.certificate_void(actor=user("opo_staff"), certificate=serial(1002), reason="污损", photo=photo)
    assert "This certificate was voided" in page("1002").content.decode()
    assert page("1003").status_code == 404 and page("1009").status_code == 404


def test_a_voided_body_certificate_says_voided_when_typed_with_other_brackets():
    cert = body_certificate()
    services.certificate_void(actor=user("prov_admin"), certificate=cert, reason="错字")
    typed = cert.number.replace("〔", "【").replace("〕", "】").replace("000", "")
    html = page(typed).content.decode()
    assert "This certificate was voided" in html and cert.number in html


@pytest.mark.parametrize("brackets", [("【", "】"), ("(", ")"), ("（", "）"), ("[", "]"), ("", "")])
def test_a_body_certificate_is_found_as_people_type_it(brackets):
    cert = body_certificate()
    typed = cert.number.replace("〔", brackets[0]).replace("〕", brackets[1])
    response = page(typed.replace("0001", "1"), cert.check_code)
    html = response.content.decode()
    assert response.status_code == 200 and cert.number in html and "Valid certificate" in html
    assert cert.donor_name[0] + "*" in html


def test_the_rate_limit_still_holds_with_a_check_code(rate_limits):
    rate_limits(verify="2/m")
    stock()
    cert = issue(closed_case(), 1001)
    codes = [page("00001001", cert.check_code).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


# --- printed: the QR link and the PDF -------------------------------------------------------------


def test_the_qr_link_carries_the_check_code_and_opens_the_full_answer():
    stock()
    cert = issue(closed_case(), 1001)
    url = verify_url(RequestFactory().get("/"), cert)
    query = parse_qs(urlsplit(url).query)
    assert query == {"number": ["00001001"], "code": [cert.check_code]}
    html = Client().get(urlsplit(url).path, query).content.decode()
    assert cert.donor_name[0] + "*" in html


def test_the_check_code_is_printed_beside_the_number_on_the_certificate():
    stock()
    cert = issue(closed_case(), 1001)
    response = client("opo_staff").get(f"/workspace/certificates/{cert.pk}/certificate.pdf")
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    line = next(line for line in text.splitlines() if "00001001" in line)
    assert cert.check_code_display in line


def test_the_migration_gives_every_issued_certificate_a_check_code_and_blanks_none():
    stock()
    cert = issue(closed_case(), 1001)
    Certificate.objects.update(check_code="")
    migration = importlib.import_module("boai.certificates.migrations.0003_certificate_check_code")
    migration.fill_check_codes(apps, None)
    cert.refresh_from_db()
    assert len(cert.check_code) == CHECK_CODE_LENGTH
    assert not Certificate.objects.exclude(pk=cert.pk).exclude(check_code="").exists()
