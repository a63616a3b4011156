"""Personal data protection: encrypted at rest, masked on the server, unmasked only with a reason."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.coordinators.models import Coordinator
from boai.core.fields import index_for
from boai.core.tests.personas import user
from boai.lib.crypto import DecryptionError
from boai.registry.models import NationalRegistration, Refusal, Registration
from boai.registry.notices import CURRENT
from boai.registry.services import PersonData, registration_create, registration_withdraw
from boai.registry.tests.helpers import database_dump

pytestmark = pytest.mark.django_db

ID_MASK = re.compile(r"^\d{6}\*{11}[\dX]$")
PHONE_MASK = re.compile(r"^\d{3}\*{4}\d{4}$")


def plaintexts():
    return [(r.id_number, r.phone) for r in Registration.objects.all()]


def raw_column(pk, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM registry_registration WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_plaintext_id_number_or_phone(transactional_base_data):
    values = plaintexts()
    assert len(values) >= 10
    dump = database_dump()
    assert "registry_registration" in dump
    for id_number, phone in values:
        assert id_number not in dump
        assert id_number[6:17] not in dump  # no partial leak either: birth date and sequence
        assert phone not in dump


def test_the_same_id_number_is_stored_differently_in_two_rows():
    first = Registration.objects.filter(status="active").first()
    registration_withdraw(registration=first, actor=user("prov_admin"), reason="test")
    second = registration_create(
        actor=user("prov_admin"),
        data=PersonData(
            name=first.name,
            id_type="resident_id",
            id_number=first.id_number,
            phone=first.phone,
            region_code=first.region_id,
            organs=["all"],
        ),
        channel="paper",
        consent_version=CURRENT,
    )
    assert raw_column(first.pk, "id_number") != raw_column(second.pk, "id_number")
    assert first.id_number not in raw_column(second.pk, "id_number")
    assert raw_column(first.pk, "id_number_index") == raw_column(second.pk, "id_number_index")


def test_a_flipped_byte_in_the_database_is_an_error_not_garbage():
    reg = Registration.objects.first()
    raw = raw_column(reg.pk, "phone")
    flipped = raw[:-3] + ("A" if raw[-3] != "A" else "B") + raw[-2:]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_registration SET phone = %s WHERE id = %s", [flipped, reg.pk])
    with pytest.raises(DecryptionError):
        Registration.objects.get(pk=reg.pk)


def test_an_id_number_is_found_however_it_is_typed():
    reg = Registration.objects.first()
    typed = " " + reg.id_number[:6] + " " + reg.id_number[6:].lower().replace("1", "１")
    assert Registration.objects.get(id_number_index=index_for("id_number", typed)) == reg


def test_encrypted_columns_cannot_be_searched_by_accident():
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError, match="blind index"):
        list(Registration.objects.filter(id_number__startswith="5301"))


@pytest.mark.parametrize("role", ["prov_admin", "wuhua_staff", "coordinator", "auditor"])
def test_api_answers_are_masked_for_every_reader(role):
    client = APIClient()
    client.force_login(user(role))
    body = client.get("/api/v1/registrations/?page_size=200").content.decode()
    results = client.get("/api/v1/registrations/?page_size=200").json()["results"]
    assert results
    for item in results:
        assert ID_MASK.match(item["id_number"]) and PHONE_MASK.match(item["phone"])
    detail = client.get(f"/api/v1/registrations/{results[0]['id']}/").content.decode()
    for id_number, phone in plaintexts():
        assert id_number not in body and phone not in body and id_number not in detail and phone not in detail


@pytest.mark.parametrize("path", ["/workspace/registrations/", "/workspace/registrations/{pk}/"])
def test_pages_are_masked_and_not_cached(path):
    client = Client()
    client.force_login(user("prov_admin"))
    reg = Registration.objects.first()
    response = client.get(path.format(pk=reg.pk))
    body = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "********" in body
    for id_number, phone in plaintexts():
        assert id_number not in body and phone not in body


def test_a_search_by_full_id_number_finds_the_record_and_keeps_it_out_of_urls():
    client = Client()
    client.force_login(user("wuhua_staff"))
    reg = Registration.objects.filter(region_id="530102").last()
    response = client.post("/workspace/registrations/", {"q": reg.id_number.lower(), "status": ""})
    assert response.status_code == 302 and reg.id_number not in response.url.upper()
    body = client.get(response.url).content.decode()
    assert re.findall(r">(YN\d{10})<", body) == [reg.number]
    assert reg.id_number not in body.split("<table")[1]  # the search box may echo it; the table must not
    htmx = client.post("/workspace/registrations/", {"q": reg.phone, "status": "active"}, HTTP_HX_REQUEST="true")
    assert reg.id_number not in htmx["HX-Push-Url"] and reg.phone not in htmx["HX-Push-Url"]
    cleared = client.get("/workspace/registrations/?clear=1").content.decode()
    assert len(re.findall(r">(YN\d{10})<", cleared)) > 1


def test_the_api_searches_by_id_number_in_the_body():
    client = APIClient()
    client.force_login(user("wuhua_staff"))
    reg = Registration.objects.filter(region_id="530102").last()
    found = client.post("/api/v1/registrations/search/", {"search": reg.id_number}, format="json").json()
    assert [r["number"] for r in found["results"]] == [reg.number]
    other = Registration.objects.filter(region_id="532901").first()
    assert client.post("/api/v1/registrations/search/", {"search": other.id_number}, format="json").json()["count"] == 0
    bad = client.post("/api/v1/registrations/search/", {"search": "x", "status": "gone"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()["errors"]


def test_unmasking_needs_a_reason_and_is_audited():
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    reg = Registration.objects.filter(region_id="530102").first()
    refused = client.post(f"/api/v1/registrations/{reg.pk}/unmask/", {}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    before = AuditEntry.objects.count()
    response = client.post(f"/api/v1/registrations/{reg.pk}/unmask/", {"reason": "family called back"}, format="json")
    assert response.status_code == 200
    assert response.json()["id_number"] == reg.id_number and response.json()["phone"] == reg.phone
    assert response.json()["birth_date"] == reg.birth_date.isoformat()  # the full date comes with the full number
    masked = client.get(f"/api/v1/registrations/{reg.pk}/").json()
    assert masked["birth_year"] == reg.birth_date.year and "birth_date" not in masked
    entry = AuditEntry.objects.get(id=before + 1)
    assert entry.action == "registry.registration.unmasked"
    assert entry.changes["reason"] == "family called back" and entry.object_id == str(reg.pk)
    assert reg.id_number not in str(entry.changes)


def test_unmasking_without_the_permission_is_refused_and_audited():
    client = APIClient()
    client.force_login(user("auditor"))
    reg = Registration.objects.first()
    response = client.post(f"/api/v1/registrations/{reg.pk}/unmask/", {"reason": "curious"}, format="json")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="security.permission.denied", actor_username="auditor").exists()


def test_the_audit_log_never_holds_a_full_id_number_or_phone():
    text = "\n".join(str(c) for c in AuditEntry.objects.values_list("changes", flat=True))
    for id_number, phone in plaintexts():
        assert id_number not in text and phone not in text


def test_key_rotation_reencrypts_everything_and_loses_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # rotate_keys re-encrypts the stored files too: only this test's
    before = {r.pk: (r.id_number, r.phone, r.address, r.birth_date) for r in Registration.objects.all()}
    old_key = settings.BOAI_FIELD_KEY
    settings.BOAI_FIELD_KEY = f"7:{'ab' * 16},1:{old_key.rpartition(':')[2]}"
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    others = Refusal.objects.count() + NationalRegistration.objects.count()  # an ID number each
    # the demo coordinators: ID number, birth date and phone each, and an email where given
    others += sum(3 + bool(c.email) for c in Coordinator.objects.all())
    assert f"{3 * len(before) + sum(1 for v in before.values() if v[2]) + others} values re-encrypted" in out.getvalue()
    for pk in before:
        assert raw_column(pk, "id_number").startswith("7$")
        assert raw_column(pk, "birth_date").startswith("7$")  # the birth date is re-encrypted too
    assert {r.pk: (r.id_number, r.phone, r.address, r.birth_date) for r in Registration.objects.all()} == before
    call_command("rotate_keys", stdout=out)  # a second run finds nothing left to do
    assert "0 values re-encrypted" in out.getvalue().splitlines()[-1]
    settings.BOAI_FIELD_KEY = f"7:{'ab' * 16}"  # the old key retired: everything still reads
    assert {r.pk: (r.id_number, r.phone, r.address, r.birth_date) for r in Registration.objects.all()} == before


def test_rotating_the_index_key_keeps_lookups_working(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    reg = Registration.objects.first()
    settings.BOAI_INDEX_KEY = "12" * 32
    assert not Registration.objects.filter(id_number_index=index_for("id_number", reg.id_number)).exists()
    call_command("rotate_keys", "--reindex", stdout=io.StringIO())
    assert Registration.objects.get(id_number_index=index_for("id_number", reg.id_number)) == reg


CASE_PERSON = {
    "id",
    "created_at",
    "updated_at",
    "version",
    "number",
    "name",
    "sex",
    "birth_date",  # encrypted
    "birth_year",  # the figures' age groups
    "id_type",
    "id_number",
    "id_number_index",
    "region",
    "registration",
    "national_registration",  # the national registry's wish that carries the case
    "registry_finding",
    "registry_note",
    "opened_at",
    "opened_by",
    "died_at",
    "closed_at",
    "exit_reason",
    "counted_at",
}
PERSONAL_LOOKING = re.compile(
    r"name|id_number|phone|address|birth|diagnos|place|recipient|donor|contact|notifier|died|death|email|^ip$|data$|changes"
)


def test_only_approved_personal_fields_exist():
    """Minimum necessary: every field of a model that holds personal data is on this list."""
    approved = {
        "registry.Registration": {
            "id",
            "created_at",
            "updated_at",
            "version",
            "number",
            "name",
            "sex",
            "id_type",
            "id_number",
            "id_number_index",
            "birth_date",  # encrypted: beside a masked ID number it would complete it
            "birth_year",
            "phone",
            "phone_index",
            "region",
            "address",
            "organs",
            "tissues",
            "body",
            "channel",
            "status",
            "registered_at",
            "signed_on",  # a date, not personal: the day the wish was signed
            "withdrawn_at",
            "withdrawal_reason",
            "ethnic_group",  # the yearly figures break down by ethnic group
            "family_informed",  # who knows of the wish (names and relationships)
            "executor_name",  # a body donation needs someone to notify the station
            "executor_relationship",
            "executor_phone",
            "campaign",
            "verify_code",  # the e-card's QR code
            "erased_at",
            "name_initials",  # search by pinyin initials (ZJH)
            "deceased_on",  # marked deceased, later linked to a case
            "donated_on",  # a case counted the donation: "deceased — donated"
            "national_number",  # the number the national registry gave the registration sent to it
            "national_exported_at",
        },
        "registry.ConsentRecord": {
            "id",
            "registration",
            "kind",
            "notice_version",
            "notice_sha256",
            "channel",
            "ip",
            "given_at",
        },
    }
    approved |= {
        "registry.Refusal": {
            "id",
            "name",
            "id_type",
            "id_number",
            "id_number_index",  # the registry check on referral finds a refusal by ID number
            "region",
            "stated_on",
            "recorded_at",
            "recorded_by",
            "note",
            "revoked_at",
            "revoked_by_registration",  # a later registration of the person revoked the refusal
            "revoked_by",
            "revoked_on",
            "revocation_reason",
        },
        "registry.NationalRegistration": {
            "id",
            "national_number",
            "name",
            "id_type",
            "id_number",
            "id_number_index",  # matched to local registrations and cases by ID number
            "region",
            "organs",
            "tissues",
            "body",
            "registered_on",
            "status",
            "job",
            "source_file",
            "imported_at",
        },
        "cases.OrganCase": {
            *CASE_PERSON,
            "state",
            "unit",
            "hospital",
            "diagnosis",  # a health fact: encrypted
            "referred_at",
            "procurement_team",  # staff names: the conflict-of-interest rule compares them
            "transplant_team",
            "consented_organs",
            "consented_tissues",
            "donation_category",  # the order of the steps: C-I, C-II, C-III
            "beneficiaries",
        },
        "cases.BodyCase": {
            *CASE_PERSON,
            "state",
            "station",
            "basis",
            "place_of_death",  # often a home address: encrypted
            "notifier_name",  # the station calls back the person who notified
            "notifier_relationship",
            "notifier_phone",
            "received_at",
            "death_certificate_number",  # the station's proof of death (Yunnan measures): encrypted
            "death_certificate_date",
            "handover_on",  # the hand-over agreement (交接协议书) with the family
            "transported_by",  # the funeral service or driver who had the body in their care
            "transported_at",
            "use",
            "specimen_kept_at",  # a permanent specimen: where it is kept and how the donor is remembered
            "memorial_record",
            "honoured_at",
        },
        "cases.CaseStep": {
            "id",
            "organ_case",
            "body_case",
            "from_state",
            "to_state",
            "step",  # the step's name where it differs from the state (a revoked consent)
            "actor",
            "recorded_at",
            "occurred_at",
            "data",  # the step's form without ID numbers, phones or files: encrypted
        },
        "cases.Signer": {  # a close relative recorded for a family consent (cases.family)
            "id",
            "step",
            "name",
            "relationship",
            "id_type",
            "id_number",
            "proof",  # how the relationship was proven: household register, certificate, statement
            "outcome",  # signed, by proxy, unreachable, lacking capacity: the consent rule counts them
            "signed_on",
            "proxy_name",  # who signed for the relative, with the letter of authority
            "proxy_relationship",
            "note",  # how the relative was sought, or why they lack capacity: encrypted
        },
        "cases.FamilyHandover": {"id", "case", "contact_name", "relationship", "phone", "state", "created_at"},
        "certificates.Certificate": {
            "id",
            "kind",
            "number",
            "serial",
            "year",
            "sequence",
            "state",
            "batch",
            "transfer",
            "unit",
            "region",
            "organ_case",
            "body_case",
            "donor_name",  # printed on the certificate; masked on the public page
            "recipient_name",
            "recipient_relationship",
            "issued_on",
            "issued_by",
            "check_code",  # random, printed beside the number: opens the date and masked name on /verify/
            "void_reason",
            "changed_at",
            "version",
        },
    }
    # A coordinator is a person too (staff or hospital staff): encrypted ID number, birth date, phone and
    # email, the birth year in clear for figures, masked everywhere but the audited reveal.
    approved["coordinators.Coordinator"] = {
        *("id", "created_at", "updated_at", "version", "created_by", "state", "user"),
        *("name", "sex", "birth_date", "birth_year", "id_type", "id_number", "id_number_index"),
        *("region", "organisation", "profession", "department", "education", "title"),
        *("phone", "phone_index", "email"),
    }
    # A donor's family (family care): the address, living situation and special needs encrypted; members'
    # ID numbers and phones encrypted with blind indexes, masked everywhere but the audited reveal. The
    # donor's name is kept as the cases keep it (the memorial wall shows it only with the family's consent).
    approved["care.Family"] = {
        *("id", "created_at", "updated_at", "version", "created_by", "organ_case", "body_case", "reference"),
        *("donation_kind", "donor_name", "donated_on", "region", "address", "living_situation", "special_needs"),
        *("responsible", "contact_allowed", "no_contact_since", "preferred_channel", "wants_outcome"),
    }
    approved["care.FamilyMember"] = {
        *("id", "family", "name", "relationship", "sex", "id_type", "id_number", "id_number_index"),
        *("phone", "phone_index", "is_main_contact", "note", "active"),
    }
    from django.apps import apps

    for label, fields in approved.items():
        model = apps.get_model(label)
        assert {f.name for f in model._meta.concrete_fields} == fields, f"{label}: justify new personal fields"
    # Every other model: nothing that looks personal, except what is listed here and why.
    not_registrants = {
        "core.Region": {"name"},
        "core.ReferenceDataset": {"name"},
        "core.Organisation": {"name"},
        "core.Counter": {"name"},
        "core.SmsCode": {"phone_index", "ip"},  # a keyed hash only, for the send limits
        "accounts.User": {"username", "full_name", "first_name", "last_name", "email"},  # staff accounts
        "audit.AuditEntry": {"actor_username", "changes", "ip"},  # names in changes are masked
        "audit.AuditPending": {"actor_username", "changes", "ip"},  # the same entry, waiting to be sealed
        "registry.ConsentRecord": {"ip"},
        "registry.ImportJob": {"filename"},
        "registry.HeldEntry": {"data"},  # the entry held for review, encrypted, dropped once decided
        "cases.OrganOutcome": {"recipients"},  # a number of people, nobody named
        "cases.TransplantStaff": {"name"},  # physicians of a unit's teams (staff, not registrants)
        "coordinators.TrainingClass": {"place"},  # where a class is held
        "coordinators.Award": {"name"},  # whom the province honoured, published by the province itself
        "care.OutcomeLetter": {"recipients"},  # how many people each organ helped, nobody named
        "memorials.MemorialSite": {"name", "address"},  # a public place
        "outreach.Partner": {"name"},  # a department or organisation, not a person
        "outreach.Event": {"place"},  # where a publicity event is held
        "outreach.FundraisingImport": {"filename"},  # the platform export uploaded
        "outreach.FundraisingDay": {"donors"},  # how many gave that day, nobody named
        "memorials.WallEntry": {"consented_by", "show_name"},  # who consented (staff only); whether the name shows
    }
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("boai.") or label in approved:
            continue
        looks_personal = {f.name for f in model._meta.concrete_fields if PERSONAL_LOOKING.search(f.name)}
        assert looks_personal <= not_registrants.get(label, set()), f"{label}: justify {looks_personal}"


def test_names_in_the_audit_log_are_masked():
    entry = AuditEntry.objects.filter(action="registry.registration.created").first()
    reg = Registration.objects.get(pk=entry.object_id)
    assert entry.changes["name"] == reg.name[0] + "*" * (len(reg.name) - 1)
