"""The ledger check (staff, care.export): every entry's hash recomputed and compared with the stored
one and with the one its audit entry carries, the audit chain walked, what is wrong listed, the check
itself audited. Tampering with the database behind the system's back is caught."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from boai.audit.models import AuditEntry
from boai.core.tests.personas import user

from ..selectors.ledger import entry_hash
from .factories import make_family, make_ledger_entry

pytestmark = pytest.mark.django_db
URL = "/workspace/care/ledger/check/"
sqlite_only = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="tampers with raw SQL (on PostgreSQL a trigger refuses it)"
)


def client(name="auditor"):
    c = Client()
    c.force_login(user(name))
    return c


def run(name="auditor"):
    response = client(name).post(URL)
    assert response.status_code == 200
    return response.context["result"]


def english(mismatch) -> str:
    """What the page says of a mismatch, in English (the tests read the msgids, whatever the catalogue)."""
    with translation.override("en"):
        return str(mismatch.problem)


@pytest.fixture
def entries():
    kunming = [make_ledger_entry(family=make_family(), paid_on=date(2025, 6, d)) for d in (1, 2)]
    qujing = make_ledger_entry(family=make_family(region="530302"), kind="hardship", paid_on=date(2025, 6, 3))
    reversal = make_ledger_entry(reverses=kunming[1], paid_on=date(2025, 7, 1))
    return [*kunming, qujing, reversal]


def sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_intact_ledger_matches_and_the_check_is_audited(entries):
    before = AuditEntry.objects.filter(action="care.ledger.checked").count()
    result = run()
    assert result.ok and result.checked == 4 and result.chain.ok
    logged = AuditEntry.objects.filter(action="care.ledger.checked").order_by("-id")
    assert logged.count() == before + 1
    assert logged[0].actor_username == "auditor" and logged[0].changes["mismatches"] == 0


def test_the_page_without_running(entries):
    response = client().get(URL)
    assert response.status_code == 200 and response.context["result"] is None
    assert not AuditEntry.objects.filter(action="care.ledger.checked").exists()


@sqlite_only
def test_a_tampered_amount_is_caught(entries):
    sql("UPDATE care_ledgerentry SET amount_fen = %s WHERE id = %s", [1, entries[0].pk])
    result = run()
    assert not result.ok
    assert [m.entry_id for m in result.mismatches] == [entries[0].pk]
    assert "changed after it was written" in english(result.mismatches[0])
    assert AuditEntry.objects.filter(action="care.ledger.checked").latest("id").changes["mismatches"] == 1


@sqlite_only
def test_a_tampered_amount_with_a_forged_hash_is_caught_by_the_audit_log(entries):
    entry = entries[2]
    entry.amount_fen = 999999
    forged = entry_hash(entry)
    sql("UPDATE care_ledgerentry SET amount_fen = %s, row_hash = %s WHERE id = %s", [999999, forged, entry.pk])
    result = run()
    assert not result.ok
    texts = [english(m) for m in result.mismatches]
    assert any("audit log differs" in t for t in texts)
    assert any("no longer in the ledger" in t for t in texts)  # the audited hash has no entry now


@sqlite_only
def test_a_deleted_entry_and_a_changed_audit_entry_are_caught(entries):
    sql("DELETE FROM care_ledgerentry WHERE id = %s", [entries[2].pk])
    result = run()
    assert [(m.entry_id, m.payment_id) for m in result.mismatches] == [(None, entries[2].payment_id)]
    paid = AuditEntry.objects.filter(action="care.payment.paid").order_by("id").first()
    sql("UPDATE audit_auditentry SET object_repr = %s WHERE id = %s", ["forged", paid.pk])
    result = run()
    assert not result.chain.ok and not result.ok
    assert str(paid.pk) in result.chain.reason  # "entry #N was changed after it was written"


def test_an_entry_without_its_audit_entry_is_listed():
    entry = make_ledger_entry(family=make_family(), audited=False)
    result = run()
    assert [m.entry_id for m in result.mismatches] == [entry.pk]
    assert "No audit entry" in english(result.mismatches[0])


def test_a_branch_checks_the_entries_of_its_area(entries):
    assert run("wuhua_staff").checked == 3  # Kunming's two payments and the reversal; not Qujing's
    assert run("qilin_staff").checked == 1
    assert run("prov_admin").checked == 4


@pytest.mark.parametrize("name", ["coordinator", "opo_staff", "station_staff", "sysadmin"])
def test_others_may_not_check(name, entries):
    assert client(name).post(URL).status_code == 403
    assert not AuditEntry.objects.filter(action="care.ledger.checked").exists()


def test_the_result_is_headed_as_a_check_not_as_an_assessment(entries):
    """The heading had the coordinators' shared msgid "Result" (考核结果, an assessment word)."""
    english_page = Client(HTTP_ACCEPT_LANGUAGE="en")
    english_page.force_login(user("auditor"))
    assert '<h2 id="result-title">Result of the check</h2>' in english_page.post(URL).content.decode()
    page = client().post(URL).content.decode()
    assert "考核结果" not in page


def test_a_payment_committed_while_the_check_runs_is_not_a_mismatch(entries, settings, monkeypatch):
    """Deferred sealing: the check seals first, then reads; a payment made in between has its audit
    entry still waiting for the sealer, which is no tampering."""
    from boai.audit.services import audit_seal
    from boai.care.services import ledger as ledger_services

    settings.BOAI_AUDIT_SEAL_DEFERRED = True

    def seal_then_a_payment():
        audit_seal()
        make_ledger_entry(family=make_family(), paid_on=date(2025, 6, 9))

    monkeypatch.setattr(ledger_services, "audit_seal", seal_then_a_payment)
    result = run()
    assert result.mismatches == [] and result.ok and result.checked == 5
