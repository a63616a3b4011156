"""Helpers for case tests: personas' API clients, a complete referral and notice, and the fields
of every step of the normal path, so a test can walk a case to the state it needs."""

import io
import json
from datetime import date, timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from boai.cases.workflow import ORGAN_FLOWS
from boai.core.tests.personas import user
from boai.registry.tests.helpers import resident_id

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PATIENT_ID = resident_id("530102", date(1971, 5, 6), "31", "M")
TODAY = object()  # stands for the day a step is taken (see _StepsOfToday)


def client_for(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(user(username))
    return client


def staff_account(username: str, role: str, org_code: str, full_name: str = "测试账户"):
    """One more staff account, made the way an administrator makes it."""
    from boai.accounts.services import user_create
    from boai.core.models import Organisation

    return user_create(
        username=username,
        password="Another-Pass-2026x",
        role=role,
        full_name=full_name,
        organization=Organisation.objects.get(code=org_code),
        actor=user("sysadmin"),
    )


def pdf(name="consent.pdf"):
    f = io.BytesIO(PDF)
    f.name = name
    return f


def now_text() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def ago(hours: float = 0, minutes: float = 0) -> str:
    """A time in the past, as a step form takes it (the normal path is dated back so that a C-I case's
    two brain-death determinations lie 12 hours apart and every step still follows the one before)."""
    return (timezone.localtime() - timedelta(hours=hours, minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def referral(**overrides) -> dict:
    data = {
        "name": "普华明",
        "id_type": "resident_id",
        "id_number": PATIENT_ID,
        "region": "530102",
        "hospital": "昆明医科大学第一附属医院",
        "diagnosis": "重型颅脑损伤",
        "referred_at": ago(hours=20),
    }
    data.update(overrides)
    return data


def notice(**overrides) -> dict:
    data = {
        "name": "李淑芬",
        "id_type": "resident_id",
        "id_number": resident_id("530102", date(1950, 2, 3), "41", "F"),
        "region": "530102",
        "died_at": now_text(),
        "place_of_death": "昆明市五华区家中",
        "station": "",  # filled by the caller: the demo station's id
        "notifier_name": "李明",
        "notifier_relationship": "child",
        "notifier_phone": "13900002222",
        "family_complete": "on",
    }
    data.update(overrides)
    return data


def signer(relationship: str, seq: str, name="家属", outcome="signed", **fields) -> dict:
    """A close relative's row as the consent step takes it: by default one who signed today in person."""
    row = {
        "name": name + seq,
        "relationship": relationship,
        "id_type": "resident_id",
        "id_number": resident_id("530103", date(1975, 1, 1), seq, "F"),
        "proof": "household_register",
        "outcome": outcome,
        "signed_on": timezone.localdate().isoformat() if outcome in ("signed", "proxy") else "",
    }
    row.update(fields)
    return row


def fill_relative(page, i: int, row: dict, field: str = "signers") -> None:
    """Type one close relative into row ``i`` of the page's relatives table (a Playwright page)."""
    prefix = f"#id_{field}-{i}-"
    page.fill(prefix + "name", row["name"])
    page.select_option(prefix + "relationship", row["relationship"])
    page.fill(prefix + "id_number", row["id_number"])
    page.select_option(prefix + "proof", row["proof"])
    page.select_option(prefix + "outcome", row["outcome"])
    if row.get("signed_on"):
        page.fill(prefix + "signed_on", row["signed_on"])
    if row.get("note"):
        page.fill(prefix + "note", row["note"])


FAMILY = [signer("spouse", "51"), signer("child", "52"), signer("parent", "53"), signer("parent", "54")]

ETHICS = {
    "committee_hospital": "昆明医科大学第一附属医院",
    "members_total": 9,
    "members_present": 9,
    "votes_for": 7,
    "votes_against": 2,
    "meeting_form": "in_person",
    "matter_wish_genuine": "yes",
    "matter_consent_lawful": "yes",
    "matter_no_sale": "yes",
    "matter_medical_assessment": "yes",
    "matter_principles": "yes",
}

# The fields of each step of the normal organ path (multipart: lists of records travel as JSON), C-I
# (brain death) unless a category is named; each step dated after the one before.
ORGAN_STEPS = {
    "evaluating": {
        "category": "c1",
        "procurement_team": "张刚、李伟",
        "transplant_team": "王敏",
        "occurred_at": ago(19),
    },
    "first_determination": {"physicians": "赵军、钱红", "findings": "深昏迷，脑干反射消失", "occurred_at": ago(18)},
    "death_determined": {"physicians": "赵军、孙丽", "findings": "复查结果一致", "occurred_at": ago(5)},
    "family_approached": {"note": "家属在ICU家属区", "occurred_at": ago(4)},
    "consented": {
        "basis": "family",
        "signers": json.dumps(FAMILY),
        "family_complete": "on",
        "organs": ["kidney", "liver"],
        "tissues": ["cornea"],
        "occurred_at": ago(3),
    },
    "ethics_approved": {**ETHICS, "occurred_at": ago(2)},
    "procured": {
        "outcomes": json.dumps(
            [
                {"organ": "kidney", "recovered": True},
                {"organ": "liver", "recovered": False, "reason": "function", "reason_text": ""},
            ]
        ),
        "witnesses": ["coordinator"],
        "witness_remarks": "获取过程规范",
        "occurred_at": ago(1),
    },
    "allocated": {
        "allocations": json.dumps([{"organ": "kidney", "allocation_ref": "COTRS-2026-0001", "recipients": 2}]),
        "witnesses": ["coordinator"],
        "occurred_at": ago(minutes=30),
    },
    "closed": {
        "body_restored": "on",
        "handed_to": "family",
        "contact_name": "普丽",
        "contact_relationship": "spouse",
        "contact_phone": "13700003333",
    },
}
# C-II (circulatory death): the family's decision to withdraw life support first, death last.
CIRCULATORY = {
    "physicians": "赵军、孙丽",
    "treatment_withdrawn_at": ago(hours=1, minutes=50),
    "circulatory_arrest_at": ago(hours=1, minutes=40),
    "observation_minutes": 5,
    "occurred_at": ago(hours=1, minutes=30),
}
C2_STEPS = {
    **ORGAN_STEPS,
    "evaluating": {**ORGAN_STEPS["evaluating"], "category": "c2"},
    "withdrawal_decided": {"decided_by": "普丽", "decided_by_relationship": "spouse", "occurred_at": ago(18)},
    "death_determined": CIRCULATORY,
}
C3_STEPS = {
    **ORGAN_STEPS,
    "evaluating": {**ORGAN_STEPS["evaluating"], "category": "c3"},
    "brain_death_determined": ORGAN_STEPS["death_determined"],
    "death_determined": CIRCULATORY,
}


def main_path(flow) -> list[str]:
    """The states of a workflow's normal path, from its start: the first onward step that is not an
    exit, from each state in turn (a step that keeps the state, like a changed category, is skipped)."""
    state, path = flow.start, [flow.start]
    while onward := [s for s in flow.steps_from(state) if not s.exit and s.to != state]:
        state = onward[0].to
        path.append(state)
    return path


ORGAN_PATHS = {str(category): [str(s) for s in main_path(flow)[1:]] for category, flow in ORGAN_FLOWS.items()}
CATEGORY_STEPS = {"c1": ORGAN_STEPS, "c2": C2_STEPS, "c3": C3_STEPS}
ORGAN_ACTORS = {
    "evaluating": "opo_staff",
    "first_determination": "opo_staff",
    "brain_death_determined": "opo_staff",
    "withdrawal_decided": "opo_staff",
    "family_approached": "coordinator",
    "consented": "coordinator",
    "ethics_approved": "opo_staff",
    "death_determined": "opo_staff",
    "procured": "coordinator",
    "allocated": "opo_staff",
    "closed": "coordinator",
}
ORGAN_PATH = ORGAN_PATHS["c1"]
FILED_STEPS = {"consented", "ethics_approved", "ethics_rejected", "consent_revoked"}  # a scan is required


# The normal body path: the death certificate at acceptance, the hand-over agreement and the transport
# at reception; "honoured" is taken in place (the case stays "remains_handled") before closing.
class _StepsOfToday(dict):
    """Step bodies whose TODAY is the date when the body is read, not when this module was imported:
    a test run that crosses midnight would otherwise send yesterday's date."""

    def __getitem__(self, step):
        today = timezone.localdate().isoformat()
        return {name: today if value is TODAY else value for name, value in super().__getitem__(step).items()}

    def get(self, step, default=None):
        return self[step] if step in self else default

    def values(self):
        return [self[step] for step in self]

    def items(self):
        return [(step, self[step]) for step in self]


BODY_STEPS = _StepsOfToday(
    {
        "accepted": {"note": "", "death_certificate_number": "J530102260001", "death_certificate_date": TODAY},
        "received": {
            "note": "已接收",
            "handover_on": TODAY,
            "transported_by": "昆明殡仪馆 王师傅",
            "transported_at": "",
        },
        "in_use": {"purpose": "teaching"},
        "remains_handled": {"cremated_on": TODAY, "ashes": "returned"},
        "honoured": {"note": "清明缅怀活动"},
        "closed": {},
    }
)
BODY_ACTORS = {
    "accepted": "station_staff",
    "received": "station_staff",
    "in_use": "station_staff",
    "remains_handled": "station_staff",
    "honoured": "wuhua_staff",
    "closed": "wuhua_staff",
    "memorial": "station_staff",  # instead of remains_handled, for a permanent specimen
}
# The documents a body step takes (a PDF is attached when ``take`` is asked for files).
BODY_FILES = {"accepted": ("death_certificate_scan",), "received": ("handover_scan",)}
BODY_PATH = list(BODY_STEPS)


def consent_form_number(case_id: int) -> str:
    """A blank consent form the organ case's unit holds (received through the certificates' services
    when it holds none), for its consent step."""
    from boai.cases.models import OrganCase
    from boai.certificates.demo import consent_forms_held

    case = OrganCase.objects.filter(pk=case_id).select_related("unit").first()
    return consent_forms_held(unit=case.unit)[0] if case else ""


def take(kind: str, case_id: int, to: str, username: str, fields: dict | None = None, *, files=True):
    """POST one step as a persona (multipart, with a PDF where the step takes one, and for an organ
    consent a consent form number the unit holds). Returns the response."""
    # the unit's consent form stock is made sure of at every organ step, before a test counts what a step wrote
    number = consent_form_number(case_id) if kind == "organ" else None
    client = client_for(username)
    base = f"/api/v1/{kind}-cases/{case_id}/"
    version = client.get(base).json()["version"]
    data = {"to": to, "version": version, "occurred_at": now_text(), **(fields or {})}
    if to == "consented" and number:
        data.setdefault("consent_form_number", number)
    if data.get("transported_at") == "":  # the body was brought when it was received
        data["transported_at"] = data["occurred_at"]
    if files and kind == "organ" and to in FILED_STEPS:
        data.setdefault("scan", pdf())
    for name in BODY_FILES.get(to, ()) if files and kind == "body" else ():
        data.setdefault(name, pdf())
    return client.post(base + "transitions/", data, format="multipart")


def open_organ(**overrides) -> dict:
    response = client_for("opo_staff").post("/api/v1/organ-cases/", referral(**overrides), format="multipart")
    assert response.status_code == 201, response.json()
    return response.json()


def walk_organ(case_id: int, until: str, category: str = "c1") -> None:
    """Take the normal path of ``category`` up to and including ``until``."""
    for to in ORGAN_PATHS[category]:
        response = take("organ", case_id, to, ORGAN_ACTORS[to], CATEGORY_STEPS[category][to])
        assert response.status_code == 200, (to, response.json())
        if to == until:
            return


def station_id() -> int:
    from boai.core.models import Organisation

    return Organisation.objects.get(code="RS-KMU").pk


def open_body(files=True, **overrides) -> dict:
    data = notice(station=station_id(), **overrides)
    data.setdefault("signers", json.dumps([signer("child", "61")]))
    if files:
        data.setdefault("scan", pdf())
    response = client_for("wuhua_staff").post("/api/v1/body-cases/", data, format="multipart")
    assert response.status_code == 201, response.json()
    return response.json()


def walk_body(case_id: int, until: str) -> None:
    for to in BODY_PATH:
        response = take("body", case_id, to, BODY_ACTORS[to], BODY_STEPS[to])
        assert response.status_code == 200, (to, response.json())
        if to == until:
            return
