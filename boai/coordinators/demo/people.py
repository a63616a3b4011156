"""The six demo coordinators (agreed by every part of the demo): 杨洁 (the demo account
``coordinator``, qualified, provincial), 李娜 (qualified, expiring soon), 王磊 (a hospital coordinator
newly qualified in 2025), 赵敏 (qualified, then suspended), 陈晨 (in training: application approved at
all three levels) and 孙悦 (applicant: application awaiting the county level). Made straight in the
database, as the services would leave them; later parts find them by name."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from boai.accounts.models import User
from boai.core.demo import resident_id
from boai.core.models import Organisation, Region

from ..models import Coordinator, Qualification, QualificationEvent

CENTRE = "中国人体器官捐献管理中心"

# name, account, organisation, area, sex, born, profession, department, state
PEOPLE = [
    ("杨洁", "coordinator", "RC530000", "530000", "F", date(1985, 6, 12), "社会工作者", "", "qualified"),
    ("李娜", None, "RC530100", "530100", "F", date(1987, 9, 3), "护士", "", "qualified"),
    ("王磊", None, "OPO-KMU1", "530102", "M", date(1990, 2, 21), "医师", "器官获取组织办公室", "qualified"),
    ("赵敏", None, "RC530302", "530302", "F", date(1984, 11, 30), "护士", "", "suspended"),
    ("陈晨", None, "RC530102", "530102", "M", date(1995, 4, 8), "社会工作者", "", "trainee"),
    ("孙悦", None, "RC530102", "530102", "F", date(1997, 7, 15), "护士", "重症医学科", "applicant"),
]


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def load() -> None:
    admin = User.objects.get(username="prov_admin")
    today = timezone.localdate()
    people = {}
    for n, (name, account, org, area, sex, born, profession, department, state) in enumerate(PEOPLE, start=1):
        people[name] = Coordinator.objects.create(
            name=name,
            id_type="resident_id",
            id_number=resident_id(area if area != "530000" else "530102", born, sex, 40 + n),
            sex=sex,
            birth_date=born,
            region=Region.objects.get(code=area),
            organisation=Organisation.objects.get(code=org),
            user=User.objects.filter(username=account).first() if account else None,
            state=state,
            profession=profession,
            department=department,
            education="bachelor",
            phone=f"139{8700 + n:04d}{5300 + n:04d}",
            created_by=admin,
        )

    def qualify(name, number, issued_on, *, valid_until=None, provincial=""):
        q = Qualification.objects.create(
            coordinator=people[name],
            number=number,
            issued_on=issued_on,
            issuing_body=CENTRE,
            valid_until=valid_until,
            provincial_number=provincial,
            registered_on=issued_on + timedelta(days=20) if provincial else None,
            created_by=admin,
        )
        QualificationEvent.objects.create(
            qualification=q, step="granted", to_state="active", actor=admin, at=_at(issued_on + timedelta(days=20))
        )
        return q

    qualify("杨洁", "OPDC-2019-0412", date(2019, 5, 20), provincial="滇红协〔2019〕18号")
    qualify(
        "李娜",
        "OPDC-2021-0733",
        date(2021, 4, 10),
        valid_until=today + timedelta(days=45),
        provincial="滇红协〔2021〕9号",
    )
    qualify("王磊", "OPDC-2025-1186", date(2025, 9, 18), provincial="滇红协〔2025〕31号")
    zhao = qualify("赵敏", "OPDC-2020-0257", date(2020, 3, 1), provincial="滇红协〔2020〕6号")
    zhao.state = Qualification.State.SUSPENDED
    zhao.save(update_fields=["state"])
    QualificationEvent.objects.create(
        qualification=zhao,
        step="suspended",
        from_state="active",
        to_state="suspended",
        reason="连续两年未参加继续教育培训，暂停协调员资格，待补训合格后恢复",
        document_number="滇红协〔2026〕3号",
        actor=admin,
        at=_at(today - timedelta(days=60)),
    )
    # 陈晨's and 孙悦's applications are made through the services by ``demo.applications``
