"""On PostgreSQL: two editors saving the same media report at once, from the same version read: the row
lock makes the second wait, find the version moved on and be refused; one change and one audit entry."""

from datetime import date

import pytest

from boai.audit.models import AuditEntry
from boai.core.tests.concurrency import race
from boai.core.tests.personas import user

from ..models import MediaReport
from ..services.media import MediaData, media_update
from .factories import make_media

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_editors_at_once_leave_one_change(transactional_base_data):
    report = make_media(region="530102", published_on=date(2025, 5, 9))

    def editor(title):
        def save():
            data = MediaData.of(report)
            data.title = title
            media_update(report=report, actor=user("wuhua_staff"), data=data, version=1)

        return save

    assert race(editor("甲改的标题"), editor("乙改的标题")) == ["saved", "stale"]
    report.refresh_from_db()
    assert report.version == 2 and report.title in ("甲改的标题", "乙改的标题")
    assert AuditEntry.objects.filter(action="outreach.media.changed", object_id=str(report.pk)).count() == 1
    assert MediaReport.objects.count() == 1
