"""Invented donation cases for `make run`: each step taken through the same forms and services as the
staff pages, by the role the workflow gives it. Not part of the tests' baseline data."""

import json
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from boai.accounts.models import User
from boai.core.demo import resident_id
from boai.core.models import Organisation
from boai.registry.demo import DECEASED_HOURS_AGO, DECEASED_REGISTRANT_ID

from . import services
from .extensions import demo_consent_form_numbers
from .forms import ETHICS_MATTERS
from .models import BodyCase, OrganCase
from .workflow import WORKFLOWS, workflow_for

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _form(form_class, data, files=None):
    form = form_class(data=data, files=files or {})
    if not form.is_valid():
        raise ValueError(f"demo data is wrong: {form.errors.as_json()}")
    return form.cleaned_data


def _step(case, to, username, data, when, files=None):
    case.refresh_from_db()
    flow = workflow_for(case)
    fields = _form(
        flow.step(to).form, {"occurred_at": timezone.localtime(when).strftime("%Y-%m-%dT%H:%M"), **data}, files
    )
    case.refresh_from_db()
    return services.case_step(
        case=case, to=to, data=fields, actor=User.objects.get(username=username), version=case.version, now=when
    )


def _family(n, signed_on):
    """``n`` close relatives who signed on ``signed_on`` (the day the consent is recorded, not later)."""
    signed = signed_on.isoformat()
    people = [("spouse", "配偶"), ("child", "长子"), ("parent", "父亲"), ("parent", "母亲")][:n]
    return [
        {
            "name": f"家属{label}",
            "relationship": rel,
            "id_type": "resident_id",
            "id_number": resident_id("530103", date(1970 + i, 3, 1), "M" if i % 2 else "F", 80 + i),
            "proof": "household_register",
            "outcome": "signed",
            "signed_on": signed,
        }
        for i, (rel, label) in enumerate(people)
    ]


def _scan():
    return {"scan": SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")}


def _death_scan():
    return {"death_certificate_scan": _scan()["scan"]}


@transaction.atomic
def load_demo_cases() -> bool:
    """Four organ cases (C-I closed; C-II at consent; C-II declined; C-I on a deceased registrant's own
    wish, approved by the ethics committee) and three body cases (closed; a permanent specimen opened by
    the station itself, memorial recorded; accepted). Returns False if present."""

    if OrganCase.objects.exists() or BodyCase.objects.exists():
        return False
    start = timezone.now() - timedelta(days=30)
    opo, branch = User.objects.get(username="opo_staff"), User.objects.get(username="wuhua_staff")
    for name, team in (("张刚", "procurement"), ("李伟", "procurement"), ("王敏", "transplant")):
        services.unit_staff_add(actor=opo, name=name, team=team, now=start)

    def refer(name, born, seq, diagnosis, when, id_number=None, region="530102"):
        data = _form(
            WORKFLOWS["organ"].start_form,
            {
                "name": name,
                "id_type": "resident_id",
                "id_number": id_number or resident_id("530102", born, "M", seq),
                "region": region,
                "hospital": "昆明医科大学第一附属医院",
                "diagnosis": diagnosis,
                "referred_at": timezone.localtime(when).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        return services.organ_case_refer(actor=opo, data=data, now=when)

    def walk(case, steps, first, hours):
        """Take ``steps`` (to, user, data) at ``first`` + the given hours."""
        for (to, username, data), hour in zip(steps, hours, strict=True):
            when = first + timedelta(hours=hour)
            files = _scan() if to in ("consented", "ethics_approved", "consent_revoked") else None
            _step(case, to, username, data(when) if callable(data) else data, when, files)

    teams = {"procurement_team": "张刚、李伟", "transplant_team": "王敏"}
    ethics = {
        "committee_hospital": "昆明医科大学第一附属医院",
        "members_total": 9,
        "members_present": 8,
        "votes_for": 7,
        "votes_against": 1,
        "meeting_form": "in_person",
        **{name: "yes" for name, _label in ETHICS_MATTERS},
    }

    def consent(n, **extra):
        family = {"basis": "family", "family_complete": "on"}
        return lambda when: {
            **family,
            "signers": json.dumps(_family(n, timezone.localdate(when))),
            "organs": ["kidney", "liver"],
            **extra,
        }

    # C-I: brain death determined twice, 13 hours apart, before the family is approached
    done = refer("马建国", date(1969, 4, 2), 71, "重型颅脑损伤，脑疝", start)
    # the numbered consent forms the families sign: blanks the unit received before
    forms = demo_consent_form_numbers(unit=done.unit, count=3, now=start - timedelta(days=1))
    c1 = [
        ("evaluating", "opo_staff", {"category": "c1", **teams}),
        (
            "first_determination",
            "opo_staff",
            {"physicians": "赵军、钱红", "findings": "深昏迷，脑干反射消失，自主呼吸激发试验阳性"},
        ),
        ("death_determined", "opo_staff", {"physicians": "赵军、孙丽", "findings": "复查结果与首次判定一致"}),
        ("family_approached", "coordinator", {"note": "在ICU家属谈话室与家属面谈"}),
        ("consented", "coordinator", consent(4, consent_form_number=forms[0])),
        ("ethics_approved", "opo_staff", ethics),
        (
            "procured",
            "coordinator",
            {
                "outcomes": json.dumps([{"organ": "kidney", "recovered": True}, {"organ": "liver", "recovered": True}]),
                "witnesses": ["coordinator"],
                "witness_remarks": "获取过程规范，仅获取家属同意捐献的器官",
            },
        ),
        (
            "allocated",
            "opo_staff",
            {
                "allocations": json.dumps(
                    [
                        {"organ": "kidney", "allocation_ref": "COTRS-DEMO-0001", "recipients": 2},
                        {"organ": "liver", "allocation_ref": "COTRS-DEMO-0002", "recipients": 1},
                    ]
                ),
                "witnesses": ["coordinator"],
                "witness_remarks": "分配结果与系统一致",
            },
        ),
        (
            "closed",
            "coordinator",
            {
                "body_restored": "on",
                "handed_to": "family",
                "contact_name": "马丽",
                "contact_relationship": "spouse",
                "contact_phone": "13700001234",
            },
        ),
    ]
    walk(done, c1, start, (2, 4, 17, 18, 20, 22, 26, 30, 34))

    # C-II: the family decided to withdraw life support; then consent; waiting for the ethics review
    waiting = refer("沈永福", date(1975, 9, 9), 72, "心肺复苏后缺血缺氧性脑病", start + timedelta(days=20))
    c2 = [
        ("evaluating", "opo_staff", {"category": "c2", **teams}),
        ("withdrawal_decided", "opo_staff", {"decided_by": "沈丽", "decided_by_relationship": "spouse"}),
        ("family_approached", "coordinator", {"note": "家属决定撤除生命支持后，协调员介绍捐献"}),
        ("consented", "coordinator", consent(4, consent_form_number=forms[1])),
    ]
    walk(waiting, c2, start + timedelta(days=20), (2, 6, 8, 10))

    # C-II: the family declined when approached
    declined = refer("杨国华", date(1980, 1, 15), 73, "脑出血", start + timedelta(days=10))
    walk(
        declined,
        [*c2[:3], ("declined", "coordinator", {"reason": "家属需要时间考虑，最终不同意捐献"})],
        start + timedelta(days=10),
        (3, 5, 8, 9),
    )

    # C-I on the person's own wish: a registrant the branch has marked deceased (``registry.demo``);
    # the registration stays their written intent, so no relative's consent is needed
    # the death (the second determination, 14 h after referral) falls on the day the registry records
    referred = timezone.now() - timedelta(hours=14 + DECEASED_HOURS_AGO)
    own = refer("罗永平", None, 0, "自发性脑出血，脑疝", referred, DECEASED_REGISTRANT_ID, "530111")
    own_wish = {
        "basis": "written_intent",
        "organs": ["kidney", "liver"],
        "tissues": ["cornea"],
        "consent_form_number": forms[2],
    }
    walk(
        own,
        [
            *c1[:4],
            (
                "consented",
                "coordinator",
                lambda when: {**own_wish, "signers": json.dumps(_family(1, timezone.localdate(when)))},
            ),
            ("ethics_approved", "opo_staff", ethics),
        ],
        referred,
        (0.5, 1, 14, 14.5, 15, 15.5),
    )

    station = Organisation.objects.get(code="RS-KMU")
    station_staff = User.objects.get(username="station_staff")

    def notify(name, born, seq, died, *, by, certificate=True):
        """A body donation notice: the child signed the joint consent on the day of the death, before
        the notice was recorded; the death certificate came with the notice, or comes at acceptance."""
        signer = _family(2, timezone.localdate(died))[1]
        fields = {
            "name": name,
            "id_type": "resident_id",
            "id_number": resident_id("530102", born, "F", seq),
            "region": "530102",
            "died_at": timezone.localtime(died).strftime("%Y-%m-%dT%H:%M"),
            "place_of_death": "五华区家中",
            "station": station.pk if by is branch else "",
            "notifier_name": "家属",
            "notifier_relationship": "child",
            "notifier_phone": "13900001234",
            "family_complete": "on",
            "signers": json.dumps([signer]),
        }
        files = _scan()
        if certificate:
            fields |= {
                "death_certificate_number": f"J5301{seq:06d}",
                "death_certificate_date": timezone.localdate(died).isoformat(),
            }
            files["death_certificate_scan"] = _scan()["scan"]
        form = WORKFLOWS["body"].start_form(data=fields, files=files)
        if by is station_staff:
            form.fix_station(station)
        if not form.is_valid():
            raise ValueError(f"demo data is wrong: {form.errors.as_json()}")
        return services.body_case_notify(actor=by, data=form.cleaned_data, now=died + timedelta(hours=2))

    def walk(case, died, path):
        for to, username, step_data, after, files in path:
            _step(case, to, username, step_data, died + after, files)

    def received(died):
        return (
            "received",
            "station_staff",
            {
                "note": "遗体已接收",
                "handover_on": timezone.localdate(died).isoformat(),
                "transported_by": "昆明殡仪馆 王师傅",
                "transported_at": timezone.localtime(died + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M"),
            },
            timedelta(days=1),
            {"handover_scan": _scan()["scan"]},
        )

    accepted = ("accepted", "station_staff", {}, timedelta(hours=6), None)
    honoured = ("honoured", "wuhua_staff", {"note": "遗体接收后向家属颁发荣誉证书"}, timedelta(days=2), None)

    # A teaching donation, honoured after the reception, cremated after its use, closed.
    died = start + timedelta(days=1)
    done = notify("周秀兰", date(1941, 6, 1), 74, died, by=branch)
    walk(
        done,
        died,
        [
            accepted,
            received(died),
            honoured,
            ("in_use", "station_staff", {"purpose": "teaching"}, timedelta(days=3), None),
            (
                "remains_handled",
                "station_staff",
                {"cremated_on": timezone.localdate(died + timedelta(days=20)).isoformat(), "ashes": "returned"},
                timedelta(days=21),
                None,
            ),
            ("closed", "wuhua_staff", {}, timedelta(days=22), None),
        ],
    )
    # The station told directly by the family: it opens the case itself; kept as a permanent specimen.
    died = start + timedelta(days=8)
    specimen = notify("孙志远", date(1936, 8, 8), 76, died, by=station_staff)
    memorial = {"specimen_kept_at": "昆明医科大学人体科学馆", "memorial_record": "铭记于生命礼赞纪念墙"}
    walk(
        specimen,
        died,
        [
            accepted,
            received(died),
            ("in_use", "station_staff", {"purpose": "specimen"}, timedelta(days=3), None),
            ("memorial", "station_staff", memorial, timedelta(days=15), None),
        ],
    )
    # Just notified by a branch, the death certificate to come at acceptance: accepted with it.
    died = start + timedelta(days=27)
    waiting = notify("何正明", date(1938, 2, 2), 75, died, by=branch, certificate=False)
    certificate = {
        "death_certificate_number": "J530100000075",
        "death_certificate_date": timezone.localdate(died).isoformat(),
    }
    walk(waiting, died, [("accepted", "station_staff", certificate, timedelta(hours=6), _death_scan())])
    return True


load = load_demo_cases
BASELINE = False  # not part of the tests' baseline data: tests that need it load it
